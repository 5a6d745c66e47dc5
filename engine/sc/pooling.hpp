// Pooling (docs/SEMANTICS.md §5.5 - §5.6).
//
// Average pooling is a MUX adder over the window: out(t) = in_{s(t)}(t), E[out] = mean of the inputs.
// Max pooling approximation (segment-wise selection, as in SC-DCNN): n ≤ 64 inputs, segment length c cycles.
//   state: selected index sel (reset 0), phase φ ∈ [0, c-1] (reset 0), one counter per input k_i ∈ [0, c]
//   (reset 0). Cycle t: y(t) = in_sel(t); k_i += in_i(t); φ += 1; when φ reaches c: sel = the smallest
//   i with the largest k_i, all k_i = 0, φ = 0.
//   Output ≈ max_i p_i: the first segment passes input 0, later segments pass the input that had the most
//   ones in the previous segment.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "engine/sc/bitstream.hpp"
#include "engine/sc/sng_config.hpp"

namespace scnn::sc {

PackedStream avg_pool(std::span<const PackedStream> window, const SngConfig& select);
Bitstream avg_pool(std::span<const Bitstream> window, const SngConfig& select);

class MaxPoolApprox {
public:
    MaxPoolApprox(std::uint32_t inputs, std::uint32_t segment);  // inputs 1 .. 64, segment 1 .. 2^20
    // bits: bit i = in_i(t). Returns y(t) and advances.
    bool next(std::uint64_t bits);
    void reset();
    std::uint32_t selected() const { return selected_; }

private:
    std::uint32_t inputs_, segment_, selected_ = 0, phase_ = 0;
    std::array<std::uint32_t, 64> counts_{};
};

PackedStream max_pool(std::span<const PackedStream> window, std::uint32_t segment);
Bitstream max_pool(std::span<const Bitstream> window, std::uint32_t segment);

}  // namespace scnn::sc
