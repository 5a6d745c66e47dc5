#include "engine/sc/fsm.hpp"

#include <fmt/core.h>

#include "engine/ir/error.hpp"

namespace scnn::sc {
namespace {

void check_even(std::uint32_t states, std::uint32_t max, const char* what) {
    if (states < 2 || states > max || states % 2 != 0)
        throw Error(fmt::format("{} needs an even number of states in 2 .. {}, got {}", what, max, states));
}

void check_inputs(std::uint32_t inputs, const char* what) {
    if (inputs < 1 || inputs > 65535) throw Error(fmt::format("{} needs 1 .. 65535 inputs, got {}", what, inputs));
}

template <class Machine, class Stream>
Stream run_bits(const Stream& in, Machine m) {
    Stream out(in.size());
    for (std::size_t t = 0; t < in.size(); ++t) out[t] = m.next(in[t]);
    return out;
}

template <class Machine>
PackedStream run_packed(const PackedStream& in, Machine m) {
    PackedStream out(in.length);
    for (std::size_t w = 0; w < in.words.size(); ++w) {
        const std::size_t n = (w + 1) * kWordBits <= in.length ? kWordBits : in.length - w * kWordBits;
        const Word x = in.words[w];
        Word y = 0;
        for (std::size_t j = 0; j < n; ++j) y |= static_cast<Word>(m.next(((x >> j) & 1u) != 0)) << j;
        out.words[w] = y;
    }
    return out;
}

template <class Machine>
PackedStream run_counts(std::span<const std::uint32_t> counts, std::uint32_t inputs, Machine m) {
    PackedStream out(counts.size());
    for (std::size_t t = 0; t < counts.size(); ++t) {
        if (counts[t] > inputs) throw Error(fmt::format("APC count {} exceeds {} inputs", counts[t], inputs));
        if (m.next(counts[t])) out.words[t / kWordBits] |= Word{1} << (t % kWordBits);
    }
    return out;
}

}  // namespace

Stanh::Stanh(std::uint32_t states) : states_(states), half_(states / 2), state_(states / 2) {
    check_even(states, 65536, "Stanh");
}

Btanh::Btanh(std::uint32_t states, std::uint32_t inputs)
    : inputs_(inputs), max_(static_cast<std::int64_t>(states) - 1), half_(states / 2), state_(states / 2) {
    check_even(states, 1u << 20, "Btanh");
    check_inputs(inputs, "Btanh");
}

HardTanh::HardTanh(std::uint32_t inputs, std::int64_t bound) : inputs_(inputs), bound_(bound) {
    check_inputs(inputs, "hard tanh");
    if (bound < 1 || bound > (std::int64_t{1} << 30))
        throw Error(fmt::format("hard tanh bound {} is outside 1 .. 2^30", bound));
}

Bitstream stanh(const Bitstream& in, std::uint32_t states) { return run_bits(in, Stanh(states)); }
PackedStream stanh(const PackedStream& in, std::uint32_t states) { return run_packed(in, Stanh(states)); }
Bitstream sc_relu(const Bitstream& in, std::uint32_t states) { return run_bits(in, ScRelu(states)); }
PackedStream sc_relu(const PackedStream& in, std::uint32_t states) { return run_packed(in, ScRelu(states)); }

PackedStream btanh(std::span<const std::uint32_t> counts, std::uint32_t inputs, std::uint32_t states) {
    return run_counts(counts, inputs, Btanh(states, inputs));
}

PackedStream hard_tanh(std::span<const std::uint32_t> counts, std::uint32_t inputs, std::int64_t bound) {
    return run_counts(counts, inputs, HardTanh(inputs, bound));
}

}  // namespace scnn::sc
