// Stochastic number generators: single-step and bulk interfaces over one SngConfig
// (docs/SEMANTICS.md §3). An Sng is the register of one hardware generator: reset() puts it at cycle 0,
// output() is r(t), step() advances to t + 1. Bulk calls produce exactly the sequence of those steps.
//
//   kind            raw value u(t) (n bits)                      r(t)                     range M
//   lfsr-*          LFSR state s(t) ∈ [1, 2^n - 1]               rotl_n(u, rot) - 1       2^n
//   sobol           Sobol integer of the counter t               rotl_n(u, rot)           2^n
//   halton          digit-reversed base-b counter                u (rotation not allowed) b^k
//   ramp            t mod 2^n                                    rotl_n(u, rot)           2^n
//   random          top n bits of the t-th mt19937 output        rotl_n(u, rot)           2^n
// with t counted from the generator's own start: cycle 0 after reset shows the unshifted cycle `offset`.
#pragma once

#include <cstdint>
#include <span>
#include <variant>

#include <boost/random/mersenne_twister.hpp>

#include "engine/sc/bitstream.hpp"
#include "engine/sc/halton.hpp"
#include "engine/sc/lfsr.hpp"
#include "engine/sc/sng_config.hpp"
#include "engine/sc/sobol.hpp"

namespace scnn::sc {

// n-bit up-counter.
class RampGen {
public:
    RampGen(unsigned width, std::uint64_t start_cycle)
        : mask_(width == 32 ? 0xFFFFFFFFu : ((1u << width) - 1u)),
          value_(static_cast<std::uint32_t>(start_cycle) & mask_) {}
    std::uint32_t value() const { return value_; }
    void step() { value_ = (value_ + 1u) & mask_; }

private:
    std::uint32_t mask_;
    std::uint32_t value_;
};

// True-random reference: boost::random::mt19937 (bit-identical to std::mt19937) seeded with `seed`;
// u(t) = top n bits of the (offset + t)-th 32-bit output.
class RandomGen {
public:
    RandomGen(unsigned width, std::uint32_t seed, std::uint64_t start_cycle) : engine_(seed), shift_(32 - width) {
        engine_.discard(start_cycle);
        value_ = static_cast<std::uint32_t>(engine_()) >> shift_;
    }
    std::uint32_t value() const { return value_; }
    void step() { value_ = static_cast<std::uint32_t>(engine_()) >> shift_; }

private:
    boost::random::mt19937 engine_;
    unsigned shift_;
    std::uint32_t value_;
};

class Sng {
public:
    explicit Sng(const SngConfig& config);  // validates; throws scnn::Error

    const SngConfig& config() const { return config_; }
    unsigned width() const { return config_.width; }
    std::uint64_t range() const { return range_; }
    std::uint64_t cycle() const { return cycle_; }

    std::uint32_t output() const;  // r(t) ∈ [0, range)
    void step();                   // t -> t + 1
    std::uint32_t next() {         // r(t), then step
        const std::uint32_t r = output();
        step();
        return r;
    }
    void reset();  // t = 0

    // r(t), r(t+1), ... into `out`; advances by out.size() cycles.
    void generate(std::span<std::uint32_t> out);
    // Comparator SNG: bits r(t) < threshold of the next `length` cycles into words[0 .. words_for(length)),
    // padding zeroed; advances by `length` cycles. threshold ≤ range() (scnn::Error otherwise).
    void fill_packed(std::uint64_t threshold, std::size_t length, std::span<Word> words);

private:
    using Impl = std::variant<LfsrFibonacci, LfsrGalois, SobolGen, HaltonGen, RampGen, RandomGen>;
    template <class F>
    void bulk(std::size_t count, F&& sink);

    SngConfig config_;
    std::uint64_t range_;
    std::uint32_t subtract_;  // 1 for LFSRs (r = rotl(s) - 1), else 0
    Impl initial_;
    Impl current_;
    std::uint64_t cycle_ = 0;
};

// Reference (single-step) and bulk stream generation from a freshly reset generator.
Bitstream generate_bitstream(const SngConfig& config, std::uint64_t threshold, std::size_t length);
PackedStream generate_packed(const SngConfig& config, std::uint64_t threshold, std::size_t length);

// Bits r(t) < threshold for t = 0 .. length-1 of a precomputed sequence, into words_for(length) words
// (padding zeroed). threshold may be up to 2^32. Uses SSE2 where available; the scalar form is the
// reference it is tested against.
void compare_to_words(const std::uint32_t* r, std::size_t length, std::uint64_t threshold, Word* words);
void compare_to_words_scalar(const std::uint32_t* r, std::size_t length, std::uint64_t threshold, Word* words);

}  // namespace scnn::sc
