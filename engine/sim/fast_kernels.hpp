// Hot kernels of the fast simulator (engine/sim/fast_sim.cpp). Streams are packed 64-bit words (cycle t =
// bit t%64 of word t/64), padded with zero words to whole blocks of 256 cycles so that one block is one
// 4×64-bit vector (AVX2 register, or two SSE2 registers).
#pragma once

#include <cstdint>
#include <vector>

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

}  // namespace scnn::sim::kernels
