#include "engine/sc/bitstream.hpp"

#include <fmt/core.h>

#include "engine/ir/error.hpp"

namespace scnn::sc {

std::uint64_t PackedStream::count() const { return popcount_words(words.data(), words.size()); }

PackedStream to_packed(const Bitstream& stream) {
    PackedStream out(stream.size());
    boost::to_block_range(stream, out.words.begin());
    out.clear_padding();
    return out;
}

Bitstream to_bitstream(const PackedStream& stream) {
    Bitstream out(stream.words.begin(), stream.words.end());
    out.resize(stream.length);
    return out;
}

void require_same_length(std::size_t a, std::size_t b, const char* what) {
    if (a != b) throw Error(fmt::format("{}: stream lengths differ ({} and {} cycles)", what, a, b));
}

std::uint64_t or_count(const PackedStream& a, const PackedStream& b) {
    require_same_length(a.length, b.length, "or_count");
    std::uint64_t c = 0;
    for (std::size_t i = 0; i < a.words.size(); ++i)
        c += static_cast<std::uint64_t>(__builtin_popcountll(a.words[i] | b.words[i]));
    return c;
}

std::uint64_t xnor_count(const PackedStream& a, const PackedStream& b) {
    require_same_length(a.length, b.length, "xnor_count");
    return a.length - xor_count_words(a.words.data(), b.words.data(), a.words.size());
}

}  // namespace scnn::sc
