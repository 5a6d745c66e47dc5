// Stochastic computing correlation, SCC (Alaghi & Hayes, ICCD 2013; docs/SEMANTICS.md §6).
//
// With a = #cycles (1,1), b = #(1,0), c = #(0,1), d = #(0,0), n = a + b + c + d:
//   SCC = (ad - bc) / (n·min(a+b, a+c) - (a+b)(a+c))       if ad > bc
//       = (ad - bc) / ((a+b)(a+c) - n·max(a-d, 0))         otherwise
// SCC ∈ [-1, 1]: +1 maximal overlap (AND = min), -1 minimal overlap (AND = max(pa + pb - 1, 0)), 0 the
// overlap of independent streams (AND = pa·pb). Defined as 0 when the denominator is 0 (a constant stream).
#pragma once

#include <cstdint>

#include "engine/sc/bitstream.hpp"

namespace scnn::sc {

struct PairCounts {
    std::uint64_t a = 0, b = 0, c = 0, d = 0;  // (1,1), (1,0), (0,1), (0,0)
};

PairCounts pair_counts(const PackedStream& x, const PackedStream& y);
PairCounts pair_counts(const Bitstream& x, const Bitstream& y);
// From the totals only: ones of x, ones of y, ones of x AND y, length.
PairCounts pair_counts(std::uint64_t ones_x, std::uint64_t ones_y, std::uint64_t ones_and, std::uint64_t length);

double scc(const PairCounts& k);
double scc(const PackedStream& x, const PackedStream& y);
double scc(const Bitstream& x, const Bitstream& y);

// True when |SCC(x, y)| ≤ bound (bound ∈ [0, 1]): the streams may be treated as independent.
bool are_uncorrelated(const PackedStream& x, const PackedStream& y, double bound);
bool are_uncorrelated(const Bitstream& x, const Bitstream& y, double bound);

}  // namespace scnn::sc
