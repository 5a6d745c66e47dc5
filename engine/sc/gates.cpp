#include "engine/sc/gates.hpp"

namespace scnn::sc {
namespace {

template <class Op>
PackedStream combine(const PackedStream& a, const PackedStream& b, const char* what, Op op) {
    require_same_length(a.length, b.length, what);
    PackedStream out(a.length);
    for (std::size_t i = 0; i < out.words.size(); ++i) out.words[i] = op(a.words[i], b.words[i]);
    out.clear_padding();
    return out;
}

}  // namespace

Bitstream gate_and(const Bitstream& a, const Bitstream& b) {
    require_same_length(a.size(), b.size(), "AND gate");
    return a & b;
}
Bitstream gate_or(const Bitstream& a, const Bitstream& b) {
    require_same_length(a.size(), b.size(), "OR gate");
    return a | b;
}
Bitstream gate_xor(const Bitstream& a, const Bitstream& b) {
    require_same_length(a.size(), b.size(), "XOR gate");
    return a ^ b;
}
Bitstream gate_xnor(const Bitstream& a, const Bitstream& b) {
    require_same_length(a.size(), b.size(), "XNOR gate");
    return ~(a ^ b);
}
Bitstream gate_not(const Bitstream& a) { return ~a; }

PackedStream gate_and(const PackedStream& a, const PackedStream& b) {
    return combine(a, b, "AND gate", [](Word x, Word y) { return x & y; });
}
PackedStream gate_or(const PackedStream& a, const PackedStream& b) {
    return combine(a, b, "OR gate", [](Word x, Word y) { return x | y; });
}
PackedStream gate_xor(const PackedStream& a, const PackedStream& b) {
    return combine(a, b, "XOR gate", [](Word x, Word y) { return x ^ y; });
}
PackedStream gate_xnor(const PackedStream& a, const PackedStream& b) {
    return combine(a, b, "XNOR gate", [](Word x, Word y) { return ~(x ^ y); });
}
PackedStream gate_not(const PackedStream& a) {
    PackedStream out(a.length);
    for (std::size_t i = 0; i < out.words.size(); ++i) out.words[i] = ~a.words[i];
    out.clear_padding();
    return out;
}

SplitStream split_multiply(const SplitStream& a, const SplitStream& b) {
    return {gate_or(gate_and(a.pos, b.pos), gate_and(a.neg, b.neg)),
            gate_or(gate_and(a.pos, b.neg), gate_and(a.neg, b.pos))};
}

}  // namespace scnn::sc
