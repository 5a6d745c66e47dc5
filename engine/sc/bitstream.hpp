// Bitstreams in two bit-exact forms.
//
// * Bitstream (boost::dynamic_bitset<uint64_t>) is the API form: bit t is the stream value on cycle t,
//   t = 0 .. size()-1.
// * PackedStream is the hot-loop form: cycle t lives at bit (t % 64) of words[t / 64] (LSB = earlier
//   cycle); bits past `length` in the last word are always zero. This is the block layout of
//   dynamic_bitset<uint64_t>, so to_packed / to_bitstream are word copies and bit-exact by construction.
//
// The word kernels below (popcount, fused AND/XNOR + popcount) are inline so that callers' loops see them;
// they rely on -mpopcnt (set by the top-level CMakeLists) to become one instruction per word.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <boost/dynamic_bitset.hpp>

namespace scnn::sc {

using Word = std::uint64_t;
using Bitstream = boost::dynamic_bitset<Word>;

inline constexpr std::size_t kWordBits = 64;

// Number of 64-bit words that hold `length` cycles.
constexpr std::size_t words_for(std::size_t length) { return (length + kWordBits - 1) / kWordBits; }

// Mask of the valid bits of the last word of a stream of `length` cycles (all ones when length % 64 == 0).
constexpr Word tail_mask(std::size_t length) {
    const std::size_t r = length % kWordBits;
    return r == 0 ? ~Word{0} : (Word{1} << r) - 1;
}

struct PackedStream {
    std::size_t length = 0;   // cycles
    std::vector<Word> words;  // words_for(length) words, padding bits zero

    PackedStream() = default;
    explicit PackedStream(std::size_t length_cycles) : length(length_cycles), words(words_for(length_cycles), 0) {}

    bool bit(std::size_t t) const { return (words[t / kWordBits] >> (t % kWordBits)) & 1U; }
    void set(std::size_t t, bool value) {
        const Word m = Word{1} << (t % kWordBits);
        if (value) {
            words[t / kWordBits] |= m;
        } else {
            words[t / kWordBits] &= ~m;
        }
    }
    std::uint64_t count() const;  // number of ones
    // Zeroes the padding bits (call after writing whole words from a kernel).
    void clear_padding() {
        if (!words.empty()) words.back() &= tail_mask(length);
    }
    bool operator==(const PackedStream&) const = default;
};

PackedStream to_packed(const Bitstream& stream);
Bitstream to_bitstream(const PackedStream& stream);

// Throws scnn::Error (naming `what`) when the two lengths differ.
void require_same_length(std::size_t a, std::size_t b, const char* what);

// ---- word kernels: n words each ---------------------------------------------------------------
inline std::uint64_t popcount_words(const Word* a, std::size_t n) {
    std::uint64_t c = 0;
    for (std::size_t i = 0; i < n; ++i) c += static_cast<std::uint64_t>(__builtin_popcountll(a[i]));
    return c;
}

// Fused AND + popcount: number of cycles where both streams are 1 (unipolar multiply, decoded). Four
// independent accumulators keep popcnt's latency (and its false output dependency on some CPUs) off the
// critical path.
inline std::uint64_t and_count_words(const Word* a, const Word* b, std::size_t n) {
    std::uint64_t c0 = 0, c1 = 0, c2 = 0, c3 = 0;
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        c0 += static_cast<std::uint64_t>(__builtin_popcountll(a[i] & b[i]));
        c1 += static_cast<std::uint64_t>(__builtin_popcountll(a[i + 1] & b[i + 1]));
        c2 += static_cast<std::uint64_t>(__builtin_popcountll(a[i + 2] & b[i + 2]));
        c3 += static_cast<std::uint64_t>(__builtin_popcountll(a[i + 3] & b[i + 3]));
    }
    for (; i < n; ++i) c0 += static_cast<std::uint64_t>(__builtin_popcountll(a[i] & b[i]));
    return (c0 + c1) + (c2 + c3);
}

// Number of cycles where the streams differ; padding bits are zero in both so they never count.
inline std::uint64_t xor_count_words(const Word* a, const Word* b, std::size_t n) {
    std::uint64_t c = 0;
    for (std::size_t i = 0; i < n; ++i) c += static_cast<std::uint64_t>(__builtin_popcountll(a[i] ^ b[i]));
    return c;
}

// Fused counts for packed streams of equal length (throw scnn::Error otherwise).
inline std::uint64_t and_count(const PackedStream& a, const PackedStream& b) {
    if (a.length != b.length) require_same_length(a.length, b.length, "and_count");
    return and_count_words(a.words.data(), b.words.data(), a.words.size());
}
std::uint64_t or_count(const PackedStream& a, const PackedStream& b);
std::uint64_t xnor_count(const PackedStream& a, const PackedStream& b);  // bipolar multiply, decoded

}  // namespace scnn::sc
