// One generator shared by many comparators (docs/SEMANTICS.md §3.7): the r(t) of cycles 0 .. L-1 is
// computed once, and every stream driven by that generator is a comparison of the same sequence against
// its own threshold. This is what hardware does when one LFSR/Sobol register feeds many comparators, and
// the fast path for producing many streams: one generator pass, then one compare per stream.
// Streams from one SharedSequence are maximally correlated (SCC = +1 between any two non-constant ones).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/sc/bitstream.hpp"
#include "engine/sc/sng.hpp"

namespace scnn::sc {

class SharedSequence {
public:
    // r(0) .. r(length-1) of a freshly reset generator.
    SharedSequence(const SngConfig& config, std::size_t length);

    const SngConfig& config() const { return config_; }
    std::uint64_t range() const { return range_; }
    std::size_t length() const { return values_.size(); }
    std::span<const std::uint32_t> values() const { return values_; }

    // bit(t) = r(t) < threshold; threshold ≤ range() (scnn::Error otherwise).
    PackedStream stream(std::uint64_t threshold) const;
    void fill(std::uint64_t threshold, std::span<Word> words) const;  // words_for(length()) words
    // One stream per threshold, in order.
    std::vector<PackedStream> streams(std::span<const std::uint64_t> thresholds) const;

private:
    SngConfig config_;
    std::uint64_t range_;
    std::vector<std::uint32_t> values_;
};

}  // namespace scnn::sc
