// Sobol sequence generator (docs/SEMANTICS.md §3.2), one dimension, n-bit output (3 ≤ n ≤ 32).
//
// Direction integers V_j (j = 0 .. n-1, bit j of the counter) = m_j << (n - 1 - j), with m_j the Joe-Kuo
// "new-joe-kuo-6.21201" initial numbers extended by the Bratley-Fox recurrence. Dimension 1 has m_j = 1,
// so r(t) is the bit-reversed counter (van der Corput base 2).
//
//   closed form:  r(t) = XOR of V_j over the set bits j of (t mod 2^n)       (natural, non-Gray order)
//   per cycle:    t' = (t + 1) mod 2^n;  r' = 0 if t' = 0 else r ^ C[ctz(t')],  C[c] = V_0 ^ ... ^ V_c
// Period 2^n; every block of 2^n consecutive cycles outputs each n-bit value once.
#pragma once

#include <array>
#include <cstdint>

namespace scnn::sc {

// The n direction integers of `dimension` (1 .. kSobolDimensions) for width n; unused entries are 0.
std::array<std::uint32_t, 32> sobol_direction_integers(unsigned dimension, unsigned width);

// Primitive polynomial of dimension d ≥ 2 as in Joe-Kuo / Boost (bit i = coefficient of x^i).
std::uint32_t sobol_polynomial(unsigned dimension);

// Closed form of r(t) (t taken mod 2^n).
std::uint32_t sobol_value(const std::array<std::uint32_t, 32>& directions, unsigned width, std::uint64_t t);

class SobolGen {
public:
    SobolGen(unsigned dimension, unsigned width, std::uint64_t start_cycle);
    std::uint32_t value() const { return value_; }
    void step() {
        counter_ = (counter_ + 1) & mask_;
        value_ = counter_ == 0 ? 0u : value_ ^ cumulative_[static_cast<unsigned>(__builtin_ctz(counter_))];
    }

private:
    std::array<std::uint32_t, 32> cumulative_{};  // C[c] = V_0 ^ ... ^ V_c
    std::uint32_t mask_;
    std::uint32_t counter_;
    std::uint32_t value_;
};

}  // namespace scnn::sc
