#include "engine/sc/encoding.hpp"

#include <cmath>

#include <fmt/core.h>

#include "engine/ir/error.hpp"

namespace scnn::sc {

std::string_view encoding_name(Encoding e) { return e == Encoding::unipolar ? "unipolar" : "bipolar"; }

Encoding parse_encoding(std::string_view name) {
    if (name == "unipolar") return Encoding::unipolar;
    if (name == "bipolar") return Encoding::bipolar;
    throw Error(fmt::format("unknown encoding '{}' (expected unipolar or bipolar)", name));
}

double to_probability(double value, Encoding e) {
    if (std::isnan(value)) throw Error("cannot encode NaN as a stochastic stream");
    const double p = e == Encoding::unipolar ? value : (value + 1.0) / 2.0;
    return p < 0.0 ? 0.0 : (p > 1.0 ? 1.0 : p);
}

double from_probability(double p, Encoding e) { return e == Encoding::unipolar ? p : 2.0 * p - 1.0; }

std::uint64_t quantize_probability(double p, std::uint64_t range) {
    if (std::isnan(p)) throw Error("cannot quantize NaN to a stream threshold");
    if (range == 0 || range > (std::uint64_t{1} << 32))
        throw Error(fmt::format("generator range {} is outside 1 .. 2^32", range));
    if (p <= 0.0) return 0;
    if (p >= 1.0) return range;
    const double t = std::floor(p * static_cast<double>(range) + 0.5);
    const auto T = static_cast<std::uint64_t>(t);
    return T > range ? range : T;
}

std::uint64_t quantize(double value, Encoding e, std::uint64_t range) {
    return quantize_probability(to_probability(value, e), range);
}

double threshold_value(std::uint64_t threshold, std::uint64_t range, Encoding e) {
    return from_probability(static_cast<double>(threshold) / static_cast<double>(range), e);
}

double decode(std::uint64_t ones, std::uint64_t length, Encoding e) {
    if (length == 0) throw Error("cannot decode an empty stream");
    return from_probability(static_cast<double>(ones) / static_cast<double>(length), e);
}

double decode(const Bitstream& s, Encoding e) { return decode(s.count(), s.size(), e); }
double decode(const PackedStream& s, Encoding e) { return decode(s.count(), s.length, e); }

SplitThresholds quantize_split(double value, std::uint64_t range) {
    if (std::isnan(value)) throw Error("cannot encode NaN as a stochastic stream");
    SplitThresholds t;
    if (value >= 0.0) {
        t.pos = quantize_probability(value, range);
    } else {
        t.neg = quantize_probability(-value, range);
    }
    return t;
}

double decode_split(std::uint64_t ones_pos, std::uint64_t ones_neg, std::uint64_t length) {
    if (length == 0) throw Error("cannot decode an empty stream");
    return (static_cast<double>(ones_pos) - static_cast<double>(ones_neg)) / static_cast<double>(length);
}

double decode(const SplitStream& s) {
    require_same_length(s.pos.length, s.neg.length, "split-unipolar stream");
    return decode_split(s.pos.count(), s.neg.count(), s.pos.length);
}

}  // namespace scnn::sc
