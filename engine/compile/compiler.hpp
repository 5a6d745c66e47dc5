// The SC compiler: ir::Network → ir::ScPlan (docs/SEMANTICS.md §9). Scales are calibrated with the float
// reference on a few images; every number a backend needs ends up as an integer in the plan.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/ir/network.hpp"
#include "engine/ir/sc_plan.hpp"

namespace scnn::compile {

struct CompileOptions {
    std::int64_t length = 256;  ///< L, cycles per inference, 1 .. 2^20
    std::int64_t early_exit_every = 64;  ///< early-exit check interval K in cycles, 1 .. 2^20 (§9.8)
    /// Generator width n, 3 .. 16 (8 measured best for L = 64 .. 4096), or a comma list with one per linear
    /// stage (its weight and select generators; the input generator takes the first entry).
    std::string width = "8";
    /// Generator kind (sobol, lfsr, lfsr-galois, halton, ramp, random), or one per linear stage as for width.
    std::string sng = "sobol";
    std::uint32_t seed = 1;     ///< base seed (LFSR / random); Sobol/Halton allocate dimensions instead
    std::string encoding = "split-unipolar";  ///< or "bipolar" (the whole plan)
    /// Adder of every linear stage (apc, mux, or), or a comma-separated list with one entry per linear stage.
    std::string adder = "apc";
    /// Activation mapping of every hidden linear stage: delta-sigma (saturating counter with feedback; on
    /// ReLU stages it is the SC ReLU), btanh (FSM on an APC count) or stanh (FSM on a mux / or stream); or a
    /// comma-separated list with one entry per linear stage (the final stage's entry is not used).
    std::string neuron = "delta-sigma";
    double percentile = 98;       ///< activation range: this percentile of the non-zero calibration activations
    bool per_channel = true;      ///< per-output-channel weight scales in hidden layers
    bool channel_ranges = false;  ///< per-output-channel activation ranges (needs per_channel; measured worse)
    std::int64_t d = 256;         ///< neuron fixed-point gain
    bool fold_pools = true;       ///< fold average pools into a following Dense layer
};

/// Throws scnn::Error for options out of range or a network the compiler cannot map.
/// `calibration` holds model inputs (net.input.size() floats each, e.g. ref::pixels_to_input); at least 1.
ir::ScPlan compile(const ir::Network& net, const std::vector<std::vector<float>>& calibration,
                   const CompileOptions& options, const std::string& model_name = "");

/// An average pool followed (through reshapes) by a Dense layer, folded into the Dense weights (exact).
ir::Network fold_average_pools(const ir::Network& net);

/// Activation ranges from the float reference: for every layer i and output channel c, r[i][c] = the
/// `percentile` of the non-zero |outputs| of that channel over all calibration images (0 when all are 0);
/// r[i].back() (one extra entry) is the same over the whole layer.
std::vector<std::vector<double>> activation_ranges(const ir::Network& net,
                                                   const std::vector<std::vector<float>>& calibration,
                                                   double percentile);

/// Mean |SCC| of pairs of streams that must be independent: inputs of the first calibration image against
/// the weight streams of the first linear stage (up to `max_pairs` non-constant pairs). Returns {mean, pairs}.
std::pair<double, std::int64_t> measure_independence(const ir::ScPlan& plan, const std::vector<float>& image,
                                                     std::int64_t max_pairs = 4096);

}  // namespace scnn::compile
