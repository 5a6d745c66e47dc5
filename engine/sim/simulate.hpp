// SC plan execution (docs/SEMANTICS.md §9). Two bit-exact implementations of the same rules:
//  * reference_run — literal cycle-by-cycle loop over every stage, neuron and connection, with one
//    sc::Sng per generator stepping each cycle; slow, for tests and golden vectors;
//  * Simulator — the fast one: generator sequences and weight streams computed once per plan, packed
//    64-bit words, bit-sliced per-cycle APC counts, stage after stage over all cycles (there is no feedback,
//    so this equals the cycle-interleaved order), images in parallel.
// Input: one image as 0–255 pixels (plan.input.size() of them). Output: the final stage's per-class counts
// Σ_t Δ(t) (signed 64-bit); the prediction is predict(counts): argmax, ties to the lowest index.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "engine/ir/sc_plan.hpp"
#include "engine/sc/sng_config.hpp"

namespace scnn::sim {

sc::SngConfig to_sng_config(const ir::PlanGenerator& g);

/// Per-class counts by the literal rules.
std::vector<std::int64_t> reference_run(const ir::ScPlan& plan, std::span<const std::uint8_t> pixels);

/// Per-cycle trace of reference_run, for backends to compare against: called once per stage and cycle, in
/// cycle order and stage order, with that stage's outputs of that cycle: e(t) ∈ {−1, 0, +1} per output
/// element for hidden linear, pooling and gather stages (split-unipolar: pos − neg; bipolar: 2b − 1), and
/// Δ_o(t) per class for a final linear stage.
using TraceFn = std::function<void(int stage, std::int64_t cycle, std::span<const std::int32_t> values)>;
std::vector<std::int64_t> reference_run(const ir::ScPlan& plan, std::span<const std::uint8_t> pixels,
                                        const TraceFn& trace);

/// argmax of the counts, ties to the lowest index.
int predict(std::span<const std::int64_t> counts);

class Simulator {
public:
    explicit Simulator(const ir::ScPlan& plan);  ///< validates; precomputes generators and weight streams
    ~Simulator();
    Simulator(const Simulator&) = delete;
    Simulator& operator=(const Simulator&) = delete;

    /// Per-class counts of one image; thread-safe (per-call scratch).
    std::vector<std::int64_t> run(std::span<const std::uint8_t> pixels) const;

    /// Predictions of `count` images laid out back to back (plan.input.size() pixels each), on `threads`
    /// threads (0 = all cores); identical for any thread count. `on_image` (may be empty) is called once per
    /// finished image from the worker threads.
    /// With early_margin ≥ 0 every image runs with early termination (run_early) and `cycles` (if given)
    /// receives the cycles each image used.
    std::vector<int> predict_all(std::span<const std::uint8_t> pixels, std::int64_t count, int threads,
                                 const std::function<void()>& on_image = {}, std::int64_t early_margin = -1,
                                 std::vector<std::int64_t>* cycles = nullptr) const;

    /// Early termination (docs/SEMANTICS.md §9.8): the final counts are checked after every
    /// plan.early_exit_every cycles (t_e = K, 2K, … < L); the image stops at the first check where the leader (argmax, ties lowest) leads the runner-up by
    /// ≥ `margin` counts (margin > 0), or by more than the remaining cycles could overturn (always on).
    struct Early {
        int prediction;
        std::int64_t cycles;
    };
    Early run_early(std::span<const std::uint8_t> pixels, std::int64_t margin) const;

    const ir::ScPlan& plan() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace scnn::sim
