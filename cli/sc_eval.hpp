// SC helpers shared by `eval --mode sc`, `compile` and `compare`.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/evaluate.hpp"
#include "engine/compile/compiler.hpp"
#include "engine/ir/sc_plan.hpp"

namespace scnn::cli {

/// Compile options plus where the calibration images come from.
struct ScOptions {
    compile::CompileOptions compile;
    std::string calib_data;    ///< empty = default_calibration_data(--data)
    std::int64_t calib = 200;  ///< calibration images
    CLI::Option* early_every = nullptr;  ///< --early-exit-every, to tell whether it was given (plan override)
};

/// A plan read with --plan takes the options that do not change its compilation: --early-exit-every.
void apply_run_options(ir::ScPlan& plan, const ScOptions& o);

/// Adds --length --early-exit-every --sng --width --seed --encoding --adder --neuron --sc-percentile
/// --per-layer --sc-calib … to `cmd`.
void add_sc_options(CLI::App* cmd, ScOptions& o, bool with_length = true);

/// The calibration inputs of `net`: o.calib images of o.calib_data (or the default for `data_spec`).
std::vector<std::vector<float>> sc_calibration(const ir::Network& net, const ScOptions& o,
                                               const std::string& data_spec);

/// Compiles `net` with calibration images loaded from o.calib_data (or the default for `data_spec`).
ir::ScPlan compile_with(const ir::Network& net, const ScOptions& o, const std::string& data_spec,
                        const std::string& model_name);

/// Runs a plan over a dataset with the fast simulator (mode "sc").
/// early_margin ≥ 0 turns on early termination (docs/SEMANTICS.md §9.8); r.mean_cycles reports the cost.
EvalResult eval_sc(const ir::ScPlan& plan, const io::Dataset& data, int threads, bool progress,
                   std::int64_t early_margin = -1);

}  // namespace scnn::cli
