// Halton / van der Corput generator (docs/SEMANTICS.md §3.3): radical inverse of a digit counter in a
// prime base b, as an integer. For width n, k = the largest digit count with b^k ≤ 2^n and M = b^k.
//
//   state:  k base-b digits d_0 (least significant) .. d_{k-1} of the counter t mod b^k
//   output: r(t) = Σ_i d_i · b^(k-1-i)  ∈ [0, b^k)            (digit-reversed counter)
//   step:   increment the counter with carry; r changes by +b^(k-1-i) for the digit i that increments and
//           by -(b-1)·b^(k-1-i) for every digit i that wraps from b-1 to 0 (integer add/subtract only).
// Base 2 gives M = 2^n and the same sequence as Sobol dimension 1. Period b^k.
#pragma once

#include <array>
#include <cstdint>

namespace scnn::sc {

// The dimension-th prime (dimension 1 .. kHaltonDimensions): 2, 3, 5, 7, 11, ...
unsigned halton_base(unsigned dimension);
// Number of base-b digits k (b^k ≤ 2^width) and the range b^k.
unsigned halton_digits(unsigned base, unsigned width);
std::uint64_t halton_range(unsigned base, unsigned width);

class HaltonGen {
public:
    HaltonGen(unsigned base, unsigned width, std::uint64_t start_cycle);
    std::uint32_t value() const { return value_; }
    void step() {
        for (unsigned i = 0; i < digits_; ++i) {
            if (digit_[i] + 1u < base_) {
                ++digit_[i];
                value_ += place_[i];
                return;
            }
            digit_[i] = 0;
            value_ -= (base_ - 1u) * place_[i];
        }
    }

private:
    unsigned base_;
    unsigned digits_;
    std::array<std::uint8_t, 32> digit_{};
    std::array<std::uint32_t, 32> place_{};  // b^(k-1-i)
    std::uint32_t value_ = 0;
};

}  // namespace scnn::sc
