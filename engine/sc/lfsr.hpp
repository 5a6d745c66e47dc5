// Linear-feedback shift registers (docs/SEMANTICS.md §3.1). n-bit state s, 3 ≤ n ≤ 32, never 0.
//
//   Fibonacci: f = parity(s & poly);  s' = ((s << 1) | f) & (2^n - 1)
//   Galois:    s' = (s >> 1) ^ (poly if (s & 1) else 0)
//
// `poly` has bit k-1 set for every tap k of the feedback polynomial x^n + ... + 1 (bit n-1 is always set).
// With a primitive polynomial (the table below, Xilinx XAPP052 taps) both visit all 2^n - 1 non-zero
// states: period 2^n - 1. As an SNG the output is r(t) = rotl_n(s(t), rotate) - 1 ∈ [0, 2^n - 2].
#pragma once

#include <cstdint>

namespace scnn::sc {

// Maximal-length tap mask for width n (3 .. 32).
std::uint32_t lfsr_default_poly(unsigned width);

class LfsrFibonacci {
public:
    LfsrFibonacci(unsigned width, std::uint32_t poly, std::uint32_t seed)
        : state_(seed), poly_(poly), mask_(width == 32 ? 0xFFFFFFFFu : ((1u << width) - 1u)) {}
    std::uint32_t state() const { return state_; }
    std::uint32_t value() const { return state_; }  // the raw SNG word u(t) = s(t)
    void step() {
        const std::uint32_t f = static_cast<std::uint32_t>(__builtin_parity(state_ & poly_));
        state_ = ((state_ << 1) | f) & mask_;
    }

private:
    std::uint32_t state_;
    std::uint32_t poly_;
    std::uint32_t mask_;
};

class LfsrGalois {
public:
    LfsrGalois(unsigned /*width*/, std::uint32_t poly, std::uint32_t seed) : state_(seed), poly_(poly) {}
    std::uint32_t state() const { return state_; }
    std::uint32_t value() const { return state_; }  // the raw SNG word u(t) = s(t)
    void step() { state_ = (state_ >> 1) ^ (poly_ & (0u - (state_ & 1u))); }

private:
    std::uint32_t state_;
    std::uint32_t poly_;
};

enum class LfsrForm : std::uint8_t { fibonacci, galois };

// Steps until the state returns to `seed`; returns the period, or 0 if it did not return within
// `max_steps` (a non-maximal polynomial may enter a cycle that excludes the seed only if it is singular).
std::uint64_t lfsr_period(LfsrForm form, unsigned width, std::uint32_t poly, std::uint32_t seed,
                          std::uint64_t max_steps);

}  // namespace scnn::sc
