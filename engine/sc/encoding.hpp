// Encodings of a real value as a stream, quantization of values to integer thresholds, and decoders.
//
// Encodings (docs/SEMANTICS.md §2):
//   unipolar  v ∈ [0, 1]   P(bit = 1) = v              decoded v = ones / L
//   bipolar   x ∈ [-1, 1]  P(bit = 1) = (x + 1) / 2    decoded x = 2 * ones / L - 1
//   split     x ∈ [-1, 1]  two unipolar streams: pos carries max(x, 0), neg carries max(-x, 0);
//                           decoded x = (ones_pos - ones_neg) / L
// Quantization: a probability p becomes the integer threshold T = floor(p * M + 1/2), clamped to [0, M],
// where M = Sng::range() (2^width for every generator except Halton). A stream bit is r(t) < T, so
// T = 0 is all zeros and T = M all ones, exactly. Values outside the encoding's range saturate; NaN throws.
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/sc/bitstream.hpp"

namespace scnn::sc {

enum class Encoding : std::uint8_t { unipolar, bipolar };

std::string_view encoding_name(Encoding e);
Encoding parse_encoding(std::string_view name);  // "unipolar" | "bipolar"; scnn::Error otherwise

// Real value -> probability of a one (saturated to [0, 1]) and back.
double to_probability(double value, Encoding e);
double from_probability(double p, Encoding e);

// p ∈ [0, 1] -> T ∈ [0, range]; range ≥ 1 and ≤ 2^32. Round half up. NaN -> scnn::Error.
std::uint64_t quantize_probability(double p, std::uint64_t range);
std::uint64_t quantize(double value, Encoding e, std::uint64_t range);
// The value a threshold stands for: T / M (unipolar) or 2T / M - 1 (bipolar).
double threshold_value(std::uint64_t threshold, std::uint64_t range, Encoding e);

// Decoders: `ones` of `length` cycles.
double decode(std::uint64_t ones, std::uint64_t length, Encoding e);
double decode(const Bitstream& s, Encoding e);
double decode(const PackedStream& s, Encoding e);

// Split-unipolar: one sign-magnitude pair of thresholds / streams.
struct SplitThresholds {
    std::uint64_t pos = 0;  // threshold of the positive-part stream
    std::uint64_t neg = 0;  // threshold of the negative-part stream (at most one of pos, neg is non-zero)
};
struct SplitStream {
    PackedStream pos;
    PackedStream neg;
};
SplitThresholds quantize_split(double value, std::uint64_t range);  // value ∈ [-1, 1], saturating
double decode_split(std::uint64_t ones_pos, std::uint64_t ones_neg, std::uint64_t length);
double decode(const SplitStream& s);

}  // namespace scnn::sc
