// Shared helpers of the RTL tests: small random plans, in-memory datasets.
#pragma once

#include <string>

#include "engine/compile/compiler.hpp"
#include "engine/io/dataset.hpp"
#include "tests/sim/random_net.hpp"

namespace scnn::test {

inline ir::ScPlan rtl_plan(const ir::Network& net, const compile::CompileOptions& o) {
    std::vector<std::vector<float>> calib;
    for (int i = 0; i < 4; ++i) calib.push_back(to_input(random_pixels(100 + i, std::size_t(net.input.size()))));
    return compile::compile(net, calib, o, "random");
}

/// `count` random images shaped for `plan` (one row of plan.input.size() pixels each).
inline io::Dataset rtl_images(const ir::ScPlan& plan, int count, std::uint32_t seed) {
    io::Dataset d;
    d.name = "random";
    d.height = 1;
    d.width = int(plan.input.size());
    d.count = count;
    for (int i = 0; i < count; ++i) {
        const auto p = random_pixels(seed + std::uint32_t(i), std::size_t(d.width));
        d.pixels.insert(d.pixels.end(), p.begin(), p.end());
        d.labels.push_back(0);
    }
    return d;
}

}  // namespace scnn::test
