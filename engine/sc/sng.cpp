#include "engine/sc/sng.hpp"

#include <array>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <fmt/core.h>

#include "engine/ir/error.hpp"

namespace scnn::sc {
namespace {

template <class Gen>
Gen advanced(Gen g, std::uint64_t steps) {
    for (std::uint64_t i = 0; i < steps; ++i) g.step();
    return g;
}

}  // namespace

Sng::Sng(const SngConfig& config)
    : config_((validate(config), config)),
      range_(sng_range(config)),
      subtract_(config.kind == SngKind::lfsr_fibonacci || config.kind == SngKind::lfsr_galois ? 1u : 0u),
      initial_(RampGen(config.width, 0)),
      current_(RampGen(config.width, 0)) {
    const SngConfig& c = config_;
    const std::uint32_t poly = c.poly != 0 ? c.poly : (subtract_ ? lfsr_default_poly(c.width) : 0u);
    switch (c.kind) {
        case SngKind::lfsr_fibonacci:
            initial_ = advanced(LfsrFibonacci(c.width, poly, c.seed), c.offset);
            break;
        case SngKind::lfsr_galois: initial_ = advanced(LfsrGalois(c.width, poly, c.seed), c.offset); break;
        case SngKind::sobol: initial_ = SobolGen(c.dimension, c.width, c.offset); break;
        case SngKind::halton: initial_ = HaltonGen(halton_base(c.dimension), c.width, c.offset); break;
        case SngKind::ramp: initial_ = RampGen(c.width, c.offset); break;
        case SngKind::random: initial_ = RandomGen(c.width, c.seed, c.offset); break;
    }
    current_ = initial_;
}

std::uint32_t Sng::output() const {
    const std::uint32_t u = std::visit([](const auto& g) { return g.value(); }, current_);
    return rotl_width(u, config_.rotate, config_.width) - subtract_;
}

void Sng::step() {
    std::visit([](auto& g) { g.step(); }, current_);
    ++cycle_;
}

void Sng::reset() {
    current_ = initial_;
    cycle_ = 0;
}

template <class F>
void Sng::bulk(std::size_t count, F&& sink) {
    const unsigned rot = config_.rotate;
    const unsigned width = config_.width;
    const std::uint32_t sub = subtract_;
    std::visit(
        [&](auto& g) {
            if (rot == 0) {
                for (std::size_t i = 0; i < count; ++i) {
                    sink(i, g.value() - sub);
                    g.step();
                }
            } else {
                for (std::size_t i = 0; i < count; ++i) {
                    sink(i, rotl_width(g.value(), rot, width) - sub);
                    g.step();
                }
            }
        },
        current_);
    cycle_ += count;
}

void Sng::generate(std::span<std::uint32_t> out) {
    std::uint32_t* p = out.data();
    bulk(out.size(), [p](std::size_t i, std::uint32_t r) { p[i] = r; });
}

void Sng::fill_packed(std::uint64_t threshold, std::size_t length, std::span<Word> words) {
    if (threshold > range_)
        throw Error(fmt::format("threshold {} exceeds the range {} of {}", threshold, range_, describe(config_)));
    if (words.size() < words_for(length))
        throw Error(fmt::format("fill_packed: {} words cannot hold {} cycles", words.size(), length));
    constexpr std::size_t kChunk = 512;  // a multiple of 64
    std::array<std::uint32_t, kChunk> buf;
    for (std::size_t done = 0; done < length; done += kChunk) {
        const std::size_t n = length - done < kChunk ? length - done : kChunk;
        generate(std::span<std::uint32_t>(buf.data(), n));
        compare_to_words(buf.data(), n, threshold, words.data() + done / kWordBits);
    }
}

void compare_to_words_scalar(const std::uint32_t* r, std::size_t length, std::uint64_t threshold, Word* words) {
    const std::size_t nwords = words_for(length);
    for (std::size_t w = 0; w < nwords; ++w) {
        const std::size_t n = (w + 1) * kWordBits <= length ? kWordBits : length - w * kWordBits;
        const std::uint32_t* v = r + w * kWordBits;
        Word bits = 0;
        for (std::size_t j = 0; j < n; ++j) bits |= static_cast<Word>(v[j] < threshold) << j;
        words[w] = bits;
    }
}

void compare_to_words(const std::uint32_t* r, std::size_t length, std::uint64_t threshold, Word* words) {
    const std::size_t nwords = words_for(length);
    if (threshold > 0xFFFFFFFFull) {  // every 32-bit r(t) is below it
        for (std::size_t w = 0; w < nwords; ++w) words[w] = ~Word{0};
        if (nwords > 0) words[nwords - 1] &= tail_mask(length);
        return;
    }
    const std::size_t full = length / kWordBits;
#if defined(__SSE2__)
    // Unsigned r < t as a signed compare after flipping the sign bits; 16 results per movemask.
    const __m128i flip = _mm_set1_epi32(static_cast<int>(0x80000000u));
    const __m128i t = _mm_xor_si128(_mm_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(threshold))), flip);
    for (std::size_t w = 0; w < full; ++w) {
        const std::uint32_t* v = r + w * kWordBits;
        Word bits = 0;
        for (unsigned k = 0; k < 4; ++k) {
            const auto* p = reinterpret_cast<const __m128i*>(v + 16 * k);
            const __m128i c0 = _mm_cmplt_epi32(_mm_xor_si128(_mm_loadu_si128(p + 0), flip), t);
            const __m128i c1 = _mm_cmplt_epi32(_mm_xor_si128(_mm_loadu_si128(p + 1), flip), t);
            const __m128i c2 = _mm_cmplt_epi32(_mm_xor_si128(_mm_loadu_si128(p + 2), flip), t);
            const __m128i c3 = _mm_cmplt_epi32(_mm_xor_si128(_mm_loadu_si128(p + 3), flip), t);
            const __m128i b = _mm_packs_epi16(_mm_packs_epi32(c0, c1), _mm_packs_epi32(c2, c3));
            bits |= static_cast<Word>(static_cast<std::uint32_t>(_mm_movemask_epi8(b))) << (16 * k);
        }
        words[w] = bits;
    }
#else
    compare_to_words_scalar(r, full * kWordBits, threshold, words);
#endif
    if (full < nwords) compare_to_words_scalar(r + full * kWordBits, length % kWordBits, threshold, words + full);
}

Bitstream generate_bitstream(const SngConfig& config, std::uint64_t threshold, std::size_t length) {
    Sng sng(config);
    if (threshold > sng.range())
        throw Error(fmt::format("threshold {} exceeds the range {} of {}", threshold, sng.range(), describe(config)));
    Bitstream out(length);
    for (std::size_t t = 0; t < length; ++t) out[t] = sng.next() < threshold;
    return out;
}

PackedStream generate_packed(const SngConfig& config, std::uint64_t threshold, std::size_t length) {
    Sng sng(config);
    PackedStream out(length);
    sng.fill_packed(threshold, length, out.words);
    return out;
}

}  // namespace scnn::sc
