// scnn::codegen::verilog — runs the int8 RTL (int8_emit.hpp) in Verilator on dataset images and compares
// every image's int8 logits with the host int8 executor (int8::run). The verilated model is cached by the
// hash of its sources, so a second run with the same network and P does not rebuild.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "codegen/verilog/int8_rtl_plan.hpp"
#include "engine/int8/quantize.hpp"
#include "engine/io/dataset.hpp"

namespace scnn::codegen::verilog {

struct Int8RtlRunOptions {
    std::filesystem::path cache_dir;  ///< empty: $SCNN_CACHE_DIR, else $XDG_CACHE_HOME/scnn, else ~/.cache/scnn
    std::string command;              ///< stamped into the generated files
    double build_timeout_s = 1800;    ///< verilator + C++ compile
    double run_timeout_s = 1800;      ///< the simulation of all images
};

struct Int8RtlRunResult {
    std::int64_t images = 0, correct = 0, mismatches = 0;
    std::int64_t first_mismatch_image = -1;  ///< dataset index, -1 if none
    int first_mismatch_class = -1;           ///< first differing logit of that image (classes = prediction)
    int first_mismatch_rtl = 0, first_mismatch_expected = 0;  ///< its value in the RTL and in int8::run
    std::int64_t cycles_per_inference = 0;   ///< measured (the same for every image)
    std::int64_t predicted_cycles = 0;       ///< the plan's cycle formula (int8_cycles)
    double build_seconds = 0, simulation_seconds = 0;
    bool cached = false;                     ///< the verilated model was already built
    std::vector<int> predictions;
    [[nodiscard]] double accuracy() const { return images > 0 ? double(correct) / double(images) : 0.0; }
};

/// Emits the plan, verilates it (or reuses the cached build), runs the first `limit` images of `data`
/// (0 = all) and compares logits and predicted class with int8::run on the same images. Throws scnn::Error if
/// verilator is missing (naming the Debian package), the build fails or times out (its last lines), the
/// dataset does not fit the network, or the simulation does not finish (cycle limit, timeout).
Int8RtlRunResult run_int8_rtl(const int8::QuantizedNetwork& qnet, const Int8Rtl& plan, const io::Dataset& data,
                              std::int64_t limit, const Int8RtlRunOptions& options);

/// The cache folder the options resolve to.
std::filesystem::path rtl_cache_dir(const Int8RtlRunOptions& options);

}  // namespace scnn::codegen::verilog
