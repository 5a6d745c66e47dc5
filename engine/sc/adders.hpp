// Adders and counters (docs/SEMANTICS.md §4.2 - §4.4).
//
// MUX adder, n inputs: out(t) = in_{s(t)}(t) with the select s(t) = floor(r(t) * n / M) from its own
//   generator (r(t) ∈ [0, M)). E[out] = (1/n) Σ p_i when the select is independent of the inputs; over any
//   whole period of the select generator, input i is chosen floor or ceil of M/n times (exactly M/n when n
//   divides M). n ≤ M.
// APC (accumulative parallel counter), n inputs: c(t) = Σ_i in_i(t) ∈ [0, n], ceil(log2(n+1)) bits; exact.
//   Σ_t c(t) / L = Σ_i p_i (unipolar); Σ_t (2 c(t) - n) / L = Σ_i x_i (bipolar).
// SaturatingCounter: c ∈ [lo, hi], c(0) = reset value, c(t+1) = clamp(c(t) + delta(t), lo, hi).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/sc/bitstream.hpp"
#include "engine/sc/encoding.hpp"
#include "engine/sc/sng_config.hpp"

namespace scnn::sc {

// s(0) .. s(length-1) of a freshly reset select generator for n inputs (scnn::Error if n == 0 or n > M).
std::vector<std::uint32_t> mux_select_sequence(const SngConfig& select, std::uint32_t inputs, std::size_t length);
// Single-step form of the select mapping.
inline std::uint32_t mux_select(std::uint32_t r, std::uint32_t inputs, std::uint64_t range) {
    return static_cast<std::uint32_t>((static_cast<std::uint64_t>(r) * inputs) / range);
}

// MUX adder over equal-length inputs (scnn::Error on an empty list or differing lengths).
Bitstream mux_add(std::span<const Bitstream> inputs, const SngConfig& select);
PackedStream mux_add(std::span<const PackedStream> inputs, const SngConfig& select);
// Same, with a precomputed select sequence (at least as long as the inputs, values < inputs.size()).
PackedStream mux_add(std::span<const PackedStream> inputs, std::span<const std::uint32_t> select);

// APC: per-cycle count of ones across the inputs; and its sum over all cycles (= Σ popcounts).
std::vector<std::uint32_t> apc_counts(std::span<const Bitstream> inputs);
std::vector<std::uint32_t> apc_counts(std::span<const PackedStream> inputs);
std::uint64_t apc_total(std::span<const PackedStream> inputs);
// Value of an APC output: Σ_t c(t) = total over `length` cycles of `inputs` streams.
double decode_apc(std::uint64_t total, std::uint32_t inputs, std::uint64_t length, Encoding e);

class SaturatingCounter {
public:
    SaturatingCounter(std::int64_t lo, std::int64_t hi, std::int64_t reset_value);
    std::int64_t value() const { return value_; }
    void add(std::int64_t delta) {
        const std::int64_t v = value_ + delta;
        value_ = v < lo_ ? lo_ : (v > hi_ ? hi_ : v);
    }
    void step(bool up) { add(up ? 1 : -1); }  // up/down counter driven by one stream
    void reset() { value_ = reset_; }
    std::int64_t lo() const { return lo_; }
    std::int64_t hi() const { return hi_; }

private:
    std::int64_t lo_, hi_, reset_, value_;
};

}  // namespace scnn::sc
