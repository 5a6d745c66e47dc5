#include "engine/sc/adders.hpp"

#include <fmt/core.h>

#include "engine/ir/error.hpp"
#include "engine/sc/sng.hpp"

namespace scnn::sc {
namespace {

template <class Stream>
std::size_t common_length(std::span<const Stream> inputs, const char* what) {
    if (inputs.empty()) throw Error(fmt::format("{}: no inputs", what));
    const std::size_t n = inputs[0].size();
    for (const Stream& s : inputs) require_same_length(n, s.size(), what);
    return n;
}

std::size_t packed_length(std::span<const PackedStream> inputs, const char* what) {
    if (inputs.empty()) throw Error(fmt::format("{}: no inputs", what));
    for (const PackedStream& s : inputs) require_same_length(inputs[0].length, s.length, what);
    return inputs[0].length;
}

}  // namespace

std::vector<std::uint32_t> mux_select_sequence(const SngConfig& select, std::uint32_t inputs, std::size_t length) {
    Sng sng(select);
    if (inputs == 0 || inputs > sng.range())
        throw Error(fmt::format("MUX adder: {} inputs for a select generator of range {}", inputs, sng.range()));
    std::vector<std::uint32_t> s(length);
    sng.generate(s);
    for (std::uint32_t& v : s) v = mux_select(v, inputs, sng.range());
    return s;
}

Bitstream mux_add(std::span<const Bitstream> inputs, const SngConfig& select) {
    const std::size_t length = common_length(inputs, "MUX adder");
    Sng sng(select);
    const auto n = static_cast<std::uint32_t>(inputs.size());
    if (n > sng.range())
        throw Error(fmt::format("MUX adder: {} inputs for a select generator of range {}", n, sng.range()));
    Bitstream out(length);
    for (std::size_t t = 0; t < length; ++t) out[t] = inputs[mux_select(sng.next(), n, sng.range())][t];
    return out;
}

PackedStream mux_add(std::span<const PackedStream> inputs, std::span<const std::uint32_t> select) {
    const std::size_t length = packed_length(inputs, "MUX adder");
    if (select.size() < length) throw Error("MUX adder: select sequence shorter than the inputs");
    PackedStream out(length);
    for (std::size_t w = 0; w < out.words.size(); ++w) {
        Word bits = 0;
        const std::size_t base = w * kWordBits;
        const std::size_t end = base + kWordBits < length ? kWordBits : length - base;
        for (std::size_t j = 0; j < end; ++j) {
            const std::uint32_t s = select[base + j];
            if (s >= inputs.size()) throw Error("MUX adder: select value out of range");
            bits |= ((inputs[s].words[w] >> j) & 1u) << j;
        }
        out.words[w] = bits;
    }
    return out;
}

PackedStream mux_add(std::span<const PackedStream> inputs, const SngConfig& select) {
    const std::size_t length = packed_length(inputs, "MUX adder");
    const auto s = mux_select_sequence(select, static_cast<std::uint32_t>(inputs.size()), length);
    return mux_add(inputs, std::span<const std::uint32_t>(s));
}

std::vector<std::uint32_t> apc_counts(std::span<const Bitstream> inputs) {
    const std::size_t length = common_length(inputs, "APC");
    std::vector<std::uint32_t> c(length, 0);
    for (const Bitstream& s : inputs)
        for (std::size_t t = s.find_first(); t != Bitstream::npos; t = s.find_next(t)) ++c[t];
    return c;
}

std::vector<std::uint32_t> apc_counts(std::span<const PackedStream> inputs) {
    const std::size_t length = packed_length(inputs, "APC");
    std::vector<std::uint32_t> c(length, 0);
    for (const PackedStream& s : inputs) {
        for (std::size_t w = 0; w < s.words.size(); ++w) {
            for (Word bits = s.words[w]; bits != 0; bits &= bits - 1)
                ++c[w * kWordBits + static_cast<unsigned>(__builtin_ctzll(bits))];
        }
    }
    return c;
}

std::uint64_t apc_total(std::span<const PackedStream> inputs) {
    packed_length(inputs, "APC");
    std::uint64_t total = 0;
    for (const PackedStream& s : inputs) total += s.count();
    return total;
}

double decode_apc(std::uint64_t total, std::uint32_t inputs, std::uint64_t length, Encoding e) {
    if (length == 0) throw Error("cannot decode an empty stream");
    const double l = static_cast<double>(length);
    if (e == Encoding::unipolar) return static_cast<double>(total) / l;
    return (2.0 * static_cast<double>(total) - static_cast<double>(inputs) * l) / l;
}

SaturatingCounter::SaturatingCounter(std::int64_t lo, std::int64_t hi, std::int64_t reset_value)
    : lo_(lo), hi_(hi), reset_(reset_value), value_(reset_value) {
    if (lo > hi || reset_value < lo || reset_value > hi)
        throw Error(fmt::format("counter bounds [{}, {}] with reset value {} are inconsistent", lo, hi, reset_value));
}

}  // namespace scnn::sc
