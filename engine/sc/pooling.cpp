#include "engine/sc/pooling.hpp"

#include <fmt/core.h>

#include "engine/ir/error.hpp"
#include "engine/sc/adders.hpp"

namespace scnn::sc {

PackedStream avg_pool(std::span<const PackedStream> window, const SngConfig& select) {
    return mux_add(window, select);
}

Bitstream avg_pool(std::span<const Bitstream> window, const SngConfig& select) { return mux_add(window, select); }

MaxPoolApprox::MaxPoolApprox(std::uint32_t inputs, std::uint32_t segment) : inputs_(inputs), segment_(segment) {
    if (inputs < 1 || inputs > 64) throw Error(fmt::format("max pooling needs 1 .. 64 inputs, got {}", inputs));
    if (segment < 1 || segment > (1u << 20))
        throw Error(fmt::format("max pooling segment {} is outside 1 .. 2^20 cycles", segment));
}

bool MaxPoolApprox::next(std::uint64_t bits) {
    const bool y = ((bits >> selected_) & 1u) != 0;
    for (std::uint32_t i = 0; i < inputs_; ++i) counts_[i] += static_cast<std::uint32_t>((bits >> i) & 1u);
    if (++phase_ == segment_) {
        std::uint32_t best = 0;
        for (std::uint32_t i = 1; i < inputs_; ++i)
            if (counts_[i] > counts_[best]) best = i;
        selected_ = best;
        counts_.fill(0);
        phase_ = 0;
    }
    return y;
}

void MaxPoolApprox::reset() {
    selected_ = 0;
    phase_ = 0;
    counts_.fill(0);
}

PackedStream max_pool(std::span<const PackedStream> window, std::uint32_t segment) {
    if (window.empty()) throw Error("max pooling: no inputs");
    for (const PackedStream& s : window) require_same_length(window[0].length, s.length, "max pooling");
    MaxPoolApprox m(static_cast<std::uint32_t>(window.size()), segment);
    PackedStream out(window[0].length);
    for (std::size_t t = 0; t < out.length; ++t) {
        std::uint64_t bits = 0;
        for (std::size_t i = 0; i < window.size(); ++i) bits |= static_cast<std::uint64_t>(window[i].bit(t)) << i;
        if (m.next(bits)) out.set(t, true);
    }
    return out;
}

Bitstream max_pool(std::span<const Bitstream> window, std::uint32_t segment) {
    if (window.empty()) throw Error("max pooling: no inputs");
    for (const Bitstream& s : window) require_same_length(window[0].size(), s.size(), "max pooling");
    MaxPoolApprox m(static_cast<std::uint32_t>(window.size()), segment);
    Bitstream out(window[0].size());
    for (std::size_t t = 0; t < out.size(); ++t) {
        std::uint64_t bits = 0;
        for (std::size_t i = 0; i < window.size(); ++i) bits |= static_cast<std::uint64_t>(window[i][t]) << i;
        out[t] = m.next(bits);
    }
    return out;
}

}  // namespace scnn::sc
