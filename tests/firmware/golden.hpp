// Golden cases (tests/golden/*.json): small SC plans, input images, the per-class counts of the literal
// reference simulator and a per-cycle trace of one stage of the first image. Written by scnn-make-golden
// (stamped with its command), read by the Catch2 tests and by the host, AVR and Cortex-M firmware tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/ir/sc_plan.hpp"

namespace scnn::test {

struct GoldenCase {
    std::string name, stamp;
    ir::ScPlan plan;
    std::vector<std::vector<std::uint8_t>> images;
    std::vector<std::vector<std::int64_t>> counts;     ///< per image, reference_run
    int trace_stage = 0;                               ///< the traced stage (of image 0)
    std::vector<std::vector<std::int32_t>> trace;      ///< [cycle][element]: that stage's outputs
};

/// The cases, computed now from their recipes (random networks compiled with fixed options).
std::vector<GoldenCase> make_golden_cases(const std::string& stamp);

std::string golden_to_json(const GoldenCase& c);
GoldenCase golden_from_json(const std::string& text);  ///< throws scnn::Error
GoldenCase golden_from_file(const std::string& path);  ///< a case file of tests/golden; throws scnn::Error
std::vector<std::uint8_t> all_images(const GoldenCase& c);  ///< the images back to back (N × input size)

/// All *.json files of the source tree's tests/golden/, sorted.
std::vector<std::string> golden_files();

}  // namespace scnn::test
