#include "engine/sc/correlation.hpp"

#include <cmath>

#include <fmt/core.h>

#include "engine/ir/error.hpp"

namespace scnn::sc {

PairCounts pair_counts(std::uint64_t ones_x, std::uint64_t ones_y, std::uint64_t ones_and, std::uint64_t length) {
    if (ones_and > ones_x || ones_and > ones_y || ones_x + ones_y - ones_and > length)
        throw Error("inconsistent stream counts for SCC");
    PairCounts k;
    k.a = ones_and;
    k.b = ones_x - ones_and;
    k.c = ones_y - ones_and;
    k.d = length - ones_x - ones_y + ones_and;
    return k;
}

PairCounts pair_counts(const PackedStream& x, const PackedStream& y) {
    require_same_length(x.length, y.length, "SCC");
    return pair_counts(x.count(), y.count(), and_count(x, y), x.length);
}

PairCounts pair_counts(const Bitstream& x, const Bitstream& y) {
    require_same_length(x.size(), y.size(), "SCC");
    return pair_counts(x.count(), y.count(), (x & y).count(), x.size());
}

double scc(const PairCounts& k) {
    using I = __int128;
    const I a = k.a, b = k.b, c = k.c, d = k.d;
    const I n = a + b + c + d;
    const I num = a * d - b * c;
    const I px = a + b, py = a + c;
    I den;
    if (num > 0) {
        den = n * (px < py ? px : py) - px * py;
    } else {
        const I amd = a - d;
        den = px * py - n * (amd > 0 ? amd : 0);
    }
    if (den == 0) return 0.0;
    return static_cast<double>(num) / static_cast<double>(den);
}

double scc(const PackedStream& x, const PackedStream& y) { return scc(pair_counts(x, y)); }
double scc(const Bitstream& x, const Bitstream& y) { return scc(pair_counts(x, y)); }

namespace {
void check_bound(double bound) {
    if (!(bound >= 0.0 && bound <= 1.0)) throw Error(fmt::format("SCC bound {} is outside [0, 1]", bound));
}
}  // namespace

bool are_uncorrelated(const PackedStream& x, const PackedStream& y, double bound) {
    check_bound(bound);
    return std::fabs(scc(x, y)) <= bound;
}

bool are_uncorrelated(const Bitstream& x, const Bitstream& y, double bound) {
    check_bound(bound);
    return std::fabs(scc(x, y)) <= bound;
}

}  // namespace scnn::sc
