// Combinational gates, cycle by cycle (docs/SEMANTICS.md §4.1). No state: out(t) = f(a(t), b(t)).
//
//   AND   unipolar multiply:  P(out) = pa * pb          when a and b are independent
//   XNOR  bipolar multiply:   x_out = xa * xb           when independent
//   OR    approximate add:    P(out) = pa + pb - pa*pb  (≈ pa + pb for small inputs)
//   XOR   |pa - pb| when a and b are maximally correlated (same generator)
//   NOT   1 - p (unipolar), -x (bipolar)
// Split-unipolar multiply: pos = (a+ & b+) | (a- & b-), neg = (a+ & b-) | (a- & b+); exact because at most
// one of a+, a- (and of b+, b-) is non-zero.
// Both forms give bit-identical results; operands of different lengths throw scnn::Error.
#pragma once

#include "engine/sc/bitstream.hpp"
#include "engine/sc/encoding.hpp"

namespace scnn::sc {

Bitstream gate_and(const Bitstream& a, const Bitstream& b);
Bitstream gate_or(const Bitstream& a, const Bitstream& b);
Bitstream gate_xor(const Bitstream& a, const Bitstream& b);
Bitstream gate_xnor(const Bitstream& a, const Bitstream& b);
Bitstream gate_not(const Bitstream& a);

PackedStream gate_and(const PackedStream& a, const PackedStream& b);
PackedStream gate_or(const PackedStream& a, const PackedStream& b);
PackedStream gate_xor(const PackedStream& a, const PackedStream& b);
PackedStream gate_xnor(const PackedStream& a, const PackedStream& b);
PackedStream gate_not(const PackedStream& a);

SplitStream split_multiply(const SplitStream& a, const SplitStream& b);

}  // namespace scnn::sc
