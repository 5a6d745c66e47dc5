// Stochastic number generator (SNG) configuration: plain data, one per physical generator, meant to be
// serialized as-is into an SC plan. The per-cycle rules are in docs/SEMANTICS.md §3.
//
// A generator produces an integer r(t) ∈ [0, M) on every cycle t = 0, 1, 2, ... after reset; a stream
// with threshold T ∈ [0, M] has bit(t) = r(t) < T. M = range(config) = 2^width for every kind except
// Halton (M = b^k, the largest power of the base b with b^k ≤ 2^width).
// Streams that name the same generator share its r(t) and are therefore maximally correlated; `offset`
// and `rotate` derive cheap variants of one generator (hardware shares the register, not the value).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace scnn::sc {

enum class SngKind : std::uint8_t {
    lfsr_fibonacci,  // maximal-length LFSR, many-to-one XOR feedback ("lfsr")
    lfsr_galois,     // maximal-length LFSR, one-to-many XOR feedback ("lfsr-galois")
    sobol,           // Sobol low-discrepancy sequence, Joe-Kuo direction numbers ("sobol")
    halton,          // van der Corput / Halton radical inverse in a prime base ("halton")
    ramp,            // n-bit up-counter: unary, deterministic ("ramp")
    random,          // Boost.Random mt19937: host reference only, no C/Verilog form ("random")
};

inline constexpr unsigned kMinWidth = 3;
inline constexpr unsigned kMaxWidth = 32;
inline constexpr unsigned kSobolDimensions = 32;   // dimensions 1 .. 32
inline constexpr unsigned kHaltonDimensions = 16;  // dimensions 1 .. 16 (bases 2 .. 53)

struct SngConfig {
    SngKind kind = SngKind::lfsr_fibonacci;
    unsigned width = 8;          // n: bits of r(t), kMinWidth .. kMaxWidth
    std::uint32_t poly = 0;      // LFSR only: tap mask, bit k-1 set for tap k (bit n-1 always set);
                                 //   0 = the maximal-length table entry for this width
    std::uint32_t seed = 1;      // LFSR: state at t = 0 before offset, 1 .. 2^n-1; random: mt19937 seed;
                                 //   ignored by the others
    unsigned dimension = 1;      // Sobol: 1 .. 32 (1 = van der Corput base 2); Halton: base = dimension-th
                                 //   prime (1 -> 2, 2 -> 3, 3 -> 5, ...); ignored by the others
    std::uint64_t offset = 0;    // cycles skipped at reset: r'(t) = r(t + offset); 0 .. 2^32
    unsigned rotate = 0;         // left rotation of the n-bit output word, 0 .. n-1 (not for Halton)

    bool operator==(const SngConfig&) const = default;
};

std::string_view sng_kind_name(SngKind kind);
// Accepts the names above plus "lfsr-fibonacci"; scnn::Error lists the valid names otherwise.
SngKind parse_sng_kind(std::string_view name);

// Throws scnn::Error (one line, naming the field) when the configuration is invalid.
void validate(const SngConfig& config);

// M: every r(t) < M and thresholds lie in [0, M]. Requires a valid config.
std::uint64_t sng_range(const SngConfig& config);

// Human-readable one-liner, e.g. "sobol(width=8, dimension=2)".
std::string describe(const SngConfig& config);

// Rotate the low `width` bits of x left by k (0 ≤ k < width).
constexpr std::uint32_t rotl_width(std::uint32_t x, unsigned k, unsigned width) {
    if (k == 0) return x;
    const std::uint32_t mask = width == 32 ? 0xFFFFFFFFu : ((1u << width) - 1u);
    return ((x << k) | (x >> (width - k))) & mask;
}

}  // namespace scnn::sc
