// Helpers of the firmware tests: compile a small random network, emit it for a target, build and run it.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "codegen/c/project.hpp"
#include "codegen/c/run/run_c.hpp"
#include "codegen/c/sc_emit.hpp"
#include "codegen/common/output_dir.hpp"
#include "engine/compile/compiler.hpp"
#include "tests/sim/random_net.hpp"
#include "tests/support/run_command.hpp"

namespace scnn::test {

inline std::vector<std::vector<float>> calibration_of(const ir::Network& net) {
    std::vector<std::vector<float>> calib;
    for (std::uint32_t i = 0; i < 8; ++i) calib.push_back(to_input(random_pixels(100 + i, std::size_t(net.input.size()))));
    return calib;
}

inline ir::ScPlan compile_random(const ir::Network& net, const compile::CompileOptions& o) {
    return compile::compile(net, calibration_of(net), o, "random");
}

/// `count` random images of the plan's input, back to back.
inline std::vector<std::uint8_t> random_images(const ir::ScPlan& plan, std::uint32_t first, int count) {
    std::vector<std::uint8_t> all;
    for (int i = 0; i < count; ++i) {
        const auto px = random_pixels(first + std::uint32_t(i), std::size_t(plan.input.size()));
        all.insert(all.end(), px.begin(), px.end());
    }
    return all;
}

/// Host builds of the many small test networks at -O0 (compiling is most of their cost); the golden cases
/// and the CLI tests build with the Makefile's default -O2.
inline void quick_host_builds() { ::setenv("CFLAGS", "-O0 -std=c99 -Wall -Wextra -Werror", 1); }

/// Emits, builds and runs `plan` on `target` over `count` images; margin ≥ 0: scnn_infer_early.
inline codegen::c::TargetRun run_on(const std::string& target, const ir::ScPlan& plan,
                                    const std::vector<std::uint8_t>& images, std::int64_t count,
                                    std::int64_t margin = -1) {
    TempDir tmp;
    const auto spec = codegen::c::target_spec(target);
    const auto code = codegen::c::emit_sc_model(plan, "scnn test");
    const std::string dir = tmp.file("fw");
    {
        codegen::OutputDir out(dir);
        codegen::c::write_project(out, code.files, spec, "scnn test");
        out.commit();
    }
    codegen::c::build_firmware(dir, spec);
    return codegen::c::run_firmware(dir, spec, images, count, plan.input.size(), plan.stages.back().out.size(),
                                    margin, 2'000'000'000, 300);
}

}  // namespace scnn::test
