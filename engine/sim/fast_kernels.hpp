// Hot kernels of the fast simulator (engine/sim/fast_sim.cpp). Streams are packed 64-bit words (cycle t =
// bit t%64 of word t/64), padded with zero words to whole blocks of 256 cycles so that one block is one
// 4×64-bit vector (AVX2 register, or two SSE2 registers).
#pragma once

#include <cstdint>
#include <vector>

#include "engine/sim/connectivity.hpp"

namespace scnn::sim::kernels {

using Word = std::uint64_t;
inline constexpr int kBlockWords = 4;  // 256 cycles

/// One product term of a neuron: input element stream `x` AND weight stream `w`.
struct Term {
    const Word* x;
    const Word* w;
};

/// Per-cycle Δ(t) = (# terms in `pos` that are 1) − (# terms in `neg` that are 1) for the 256 cycles of
/// block `block` (word offset block·4 of every stream), written to delta[0..256). `planes` is the number of
/// bit planes that can hold max(|pos|, |neg|) (≤ 15).
void block_delta(const std::vector<Term>& pos, const std::vector<Term>& neg, int block, int planes,
                 std::int32_t* delta);

/// A max or average pooling stage (docs/SEMANTICS.md §9.4) over all `length` cycles: one output at a time
/// (no feedback between outputs), reading its window's streams (`words` words each) word by word; a max pool
/// keeps its own copy of its window's counts. yp/yn must be zero-initialised.
void pool_stage(bool max_pool, const std::vector<Window>& windows, bool bipolar, std::size_t length,
                std::size_t words, const Word* xp, const Word* xn, Word* yp, Word* yn);

typedef std::int32_t Lanes __attribute__((vector_size(32)));  // 8 neurons, one per lane

/// `end` cycles of 8 split-unipolar delta-sigma neurons (docs/SEMANTICS.md §9.3): dl[8j + q] = d·Δ(j) of
/// lane q, ys[8j + q] = its y(j); st = {acc (in and out), k, acc_min, acc_max, signed mask}, 8 int32 each.
/// Any alignment. Compiled twice (AVX2 and baseline); the loader picks the one the CPU runs.
void neuron_lanes(const std::int32_t* dl, std::int32_t* ys, std::size_t end, std::int32_t* st);

}  // namespace scnn::sim::kernels
