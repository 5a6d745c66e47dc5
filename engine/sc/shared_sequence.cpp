#include "engine/sc/shared_sequence.hpp"

#include <fmt/core.h>

#include "engine/ir/error.hpp"

namespace scnn::sc {

SharedSequence::SharedSequence(const SngConfig& config, std::size_t length)
    : config_(config), range_(0), values_(length) {
    Sng sng(config);
    range_ = sng.range();
    sng.generate(values_);
}

void SharedSequence::fill(std::uint64_t threshold, std::span<Word> words) const {
    if (threshold > range_)
        throw Error(fmt::format("threshold {} exceeds the range {} of {}", threshold, range_, describe(config_)));
    if (words.size() < words_for(values_.size()))
        throw Error(fmt::format("{} words cannot hold {} cycles", words.size(), values_.size()));
    compare_to_words(values_.data(), values_.size(), threshold, words.data());
}

PackedStream SharedSequence::stream(std::uint64_t threshold) const {
    PackedStream out(values_.size());
    fill(threshold, out.words);
    return out;
}

std::vector<PackedStream> SharedSequence::streams(std::span<const std::uint64_t> thresholds) const {
    std::vector<PackedStream> out;
    out.reserve(thresholds.size());
    for (std::uint64_t t : thresholds) out.push_back(stream(t));
    return out;
}

}  // namespace scnn::sc
