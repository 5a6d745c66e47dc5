// Linear stages (dense, conv, affine) in C, docs/SEMANTICS.md §9.3. Per block of 8 cycles: the weight
// stream byte of every distinct threshold ("code") of the stage is computed once from the weight generator's
// 8 values; each product is then a byte AND, summed lane-wise into bit-sliced counters (apc), OR-ed (or),
// or picked per cycle by the select generator (mux). The neuron then steps once per cycle (lane).
#include <fmt/core.h>

#include <algorithm>
#include <functional>
#include <map>

#include "codegen/c/sc_context.hpp"
#include "engine/ir/error.hpp"

namespace scnn::codegen::c {

std::int64_t per_channel(const ir::PlanStage& s) {
    if (s.kind == ir::StageKind::dense) return s.in.size();
    if (s.kind == ir::StageKind::conv) return std::int64_t{s.in.c} * s.kh * s.kw;
    return 1;
}

namespace {

int bits_for(std::int64_t n) {  // smallest b with 2^b > n
    int b = 1;
    while ((std::int64_t{1} << b) <= n) ++b;
    return b;
}

struct Codes {
    std::vector<std::int64_t> magnitudes;  // sorted |T| of the stage's weights and biases (bipolar: T ≥ 0)
    std::map<std::int64_t, std::int64_t> code_of;
    bool weight_neg = false, bias_neg = false;  // split-unipolar: some threshold is negative
    std::string type;    // C type of a code (an index into scnn_wrow): uint8_t for ≤ 256 codes, else uint16_t
    int bytes = 1;       // bytes of a bias code in flash (the bias table scnn_sK_b has type `type`)
    // 257..512 codes ("9-bit codes"): the weight table scnn_sK_w keeps the low 8 bits of each code (uint8_t)
    // and the bit plane scnn_sK_wh holds bit 8, one bit per weight, LSB first (like the sign table), so the
    // weights cost 9 bits, not 16. More than 512 codes: a uint16_t weight table.
    bool hi_plane = false;
    std::string wtype;   // C type of the weight table
    int wbytes = 1;
    // > 0: the sign and bit-8 planes start every output row (of `row` weights) on a fresh byte, so that the
    // dense loop reads one byte of each per 8 weights (non-mux dense stages); 0: one continuous bit string
    std::int64_t row = 0;
};

Codes make_codes(const ir::PlanStage& s) {
    Codes c;
    std::vector<std::int64_t> all;
    for (auto t : s.weights) {
        all.push_back(t < 0 ? -std::int64_t{t} : t);
        c.weight_neg = c.weight_neg || t < 0;
    }
    for (auto t : s.bias) {
        all.push_back(t < 0 ? -std::int64_t{t} : t);
        c.bias_neg = c.bias_neg || t < 0;
    }
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    for (auto t : all) {
        c.code_of[t] = std::int64_t(c.magnitudes.size());
        c.magnitudes.push_back(t);
    }
    const auto n = std::int64_t(all.size());
    c.type = n <= 256 ? "uint8_t" : "uint16_t";
    c.bytes = n <= 256 ? 1 : 2;
    c.hi_plane = n > 256 && n <= 512;
    c.wtype = n <= 512 ? "uint8_t" : "uint16_t";
    c.wbytes = n <= 512 ? 1 : 2;
    return c;
}

// One bit per weight of stage k, LSB first, rows of `row` weights byte-aligned (row 0: not), with one spare
// byte for a running reader.
std::vector<std::int64_t> bit_plane(const ir::PlanStage& s, std::int64_t row,
                                    const std::function<bool(std::int64_t)>& bit) {
    const auto n = std::int64_t(s.weights.size());
    const std::int64_t per = row > 0 ? row : n, bpr = (per + 7) / 8, rows = per > 0 ? (n + per - 1) / per : 0;
    std::vector<std::int64_t> plane(std::size_t(rows * bpr + 1), 0);
    for (std::int64_t i = 0; i < n; ++i)
        if (bit(s.weights[std::size_t(i)])) plane[std::size_t((i / per) * bpr + (i % per) / 8)] |= 1 << (i % per % 8);
    return plane;
}

// The counters' two low planes live in registers (p0, p1 / n0, n1) while an output's terms are added; only
// a carry out of plane 1 ripples into the planes P[2..] / N[2..] in RAM. SCNN_SK_ADDP(t) adds the byte t
// lane-wise (the or adder ORs it into plane 0).
void emit_add_fns(Context& cx, int k, int planes, const std::string& adder) {
    for (const char* side : {"P", "N"}) {
        const std::string lo0 = side == std::string("P") ? "p0" : "n0", lo1 = side == std::string("P") ? "p1" : "n1";
        std::string body;
        if (adder == "or") body = fmt::format("{} |= (uint8_t)(t);", lo0);
        else if (planes == 1) body = fmt::format("{} ^= (uint8_t)(t);", lo0);  // never carries (the count is ≤ 1)
        else {
            std::string carry = fmt::format("{} ^= c_;", lo1);
            if (planes > 2) carry = fmt::format("const uint8_t d_ = (uint8_t)({0} & c_); {0} ^= c_; if (d_) scnn_csa_add({1} + 2, d_);", lo1, side);
            body = fmt::format("const uint8_t q_ = (uint8_t)(t); if (q_) {{ const uint8_t c_ = (uint8_t)({0} & q_); {0} ^= q_; if (c_) {{ {1} }} }}",
                               lo0, carry);
        }
        cx.w.linef("#define SCNN_S{}_ADD{}(t) do {{ {} }} while (0)", k, side, body);
    }
}

// Adds a product term (input bytes xp/xn, weight-stream byte w, weight sign neg) to the counters: a macro, so
// that it is inlined in the inner loop on every compiler (avr-gcc -Os does not inline a function here). The
// weight byte is only read when the input byte is not 0 (split-unipolar).
void emit_term_fn(Context& cx, int k, bool in_signed) {
    std::string body;
    const std::string P = fmt::format("SCNN_S{}_ADDP", k), N = fmt::format("SCNN_S{}_ADDN", k);
    if (cx.bipolar) {
        body = fmt::format("const uint8_t x_ = (xp_), y_ = (xn_), w_ = (w), nw_ = (uint8_t)~w_; (void)(neg_); "
                           "{0}((x_ & w_) | (y_ & nw_)); {1}((x_ & nw_) | (y_ & w_));",
                           P, N);
    } else if (in_signed) {
        body = fmt::format("const uint8_t xp1_ = (xp_), xn1_ = (xn_); if (xp1_ | xn1_) {{ const uint8_t w_ = (w); "
                           "const uint8_t p_ = (uint8_t)(xp1_ & w_), n_ = (uint8_t)(xn1_ & w_); "
                           "if (neg_) {{ {1}(p_); {0}(n_); }} else {{ {0}(p_); {1}(n_); }} }}",
                           P, N);
    } else {
        body = fmt::format("const uint8_t x_ = (xp_); (void)(xn_); if (x_) {{ const uint8_t t_ = (uint8_t)(x_ & (w)); "
                           "if (neg_) {1}(t_); else {0}(t_); }}",
                           P, N);
    }
    cx.w.linef("#define SCNN_S{}_TERM(xp_, xn_, w, neg_) do {{ {} }} while (0)", k, body);
}

}  // namespace

namespace {

std::string rd_of(int bytes, bool is_signed) {
    return fmt::format("SCNN_RD_{}{}", is_signed ? "I" : "U", bytes * 8);
}

void emit_linear_tables(Context& cx, int k, const Codes& codes) {
    const auto& s = cx.plan.stages[std::size_t(k)];
    std::vector<std::int64_t> wc, bc, bs;
    const std::int64_t tmax = std::max<std::int64_t>(255, codes.magnitudes.empty() ? 0 : codes.magnitudes.back());
    const std::string tt = c_int_type(0, tmax);
    emit_table(cx, tt, c_int_bytes(0, tmax), fmt::format("scnn_s{}_T", k), codes.magnitudes);
    for (auto t : s.weights) wc.push_back(codes.code_of.at(t < 0 ? -std::int64_t{t} : t));
    for (auto t : s.bias) {
        bc.push_back(codes.code_of.at(t < 0 ? -std::int64_t{t} : t));
        bs.push_back(t < 0);
    }
    std::vector<std::int64_t> wlow = wc;
    if (codes.hi_plane)
        for (auto& c : wlow) c &= 0xFF;
    emit_table(cx, codes.wtype, codes.wbytes, fmt::format("scnn_s{}_w", k), wlow);
    if (codes.hi_plane)  // bit 8 of each weight's code
        emit_table(cx, "uint8_t", 1, fmt::format("scnn_s{}_wh", k),
                   bit_plane(s, codes.row, [&](std::int64_t t) { return codes.code_of.at(t < 0 ? -t : t) > 0xFF; }));
    emit_table(cx, codes.type, codes.bytes, fmt::format("scnn_s{}_b", k), bc);
    if (codes.bias_neg) emit_table(cx, "uint8_t", 1, fmt::format("scnn_s{}_bs", k), bs);
    if (codes.weight_neg)  // one sign bit per weight
        emit_table(cx, "uint8_t", 1, fmt::format("scnn_s{}_sg", k), bit_plane(s, codes.row, [](std::int64_t t) { return t < 0; }));
    if (!s.final && s.neuron != "fsm") {
        const std::int64_t kmax = *std::max_element(s.k.begin(), s.k.end());
        emit_table(cx, c_int_type(1, kmax), c_int_bytes(1, kmax), fmt::format("scnn_s{}_k", k),
                   std::vector<std::int64_t>(s.k.begin(), s.k.end()));
    }
    // the weight stream byte of every code in this block: the codes' magnitudes are sorted, so walking them
    // upwards only ever adds the lanes whose r(t) they pass (lanes sorted by r once per block)
    auto& w = cx.w;
    const std::string r = fmt::format("scnn_g{}_r", s.weight_gen);
    w.linef("static void scnn_s{}_rows(void)", k);
    CodeWriter::Block fn(w, "{");
    w.linef("uint8_t idx[8], b, p = 0, x = 0;");
    w.linef("{} c;", codes.type);
    {
        CodeWriter::Block sort(w, "for (b = 0; b < 8; ++b) {");
        w.line("uint8_t j = b;");
        w.linef("while (j > 0 && {0}[idx[j - 1]] > {0}[b]) {{ idx[j] = idx[j - 1]; --j; }}", r);
        w.line("idx[j] = b;");
    }
    CodeWriter::Block loop(w, fmt::format("for (c = 0; c < {}u; ++c) {{", codes.magnitudes.size()));
    w.linef("const {} t = ({}){}(&scnn_s{}_T[c]);", tt, tt, rd_of(c_int_bytes(0, tmax), false), k);
    w.linef("while (p < 8u && (uint32_t){}[idx[p]] < (uint32_t)t) {{ x |= (uint8_t)(1u << idx[p]); ++p; }}", r);
    w.line("scnn_wrow[c] = x;");
}

void emit_state(Context& cx, int k, int planes) {
    const auto& s = cx.plan.stages[std::size_t(k)];
    auto& w = cx.w;
    const auto n = s.out.size();
    if (s.final && cx.block_counts()) return;
    if (s.final) {
        const int b = c_int_bytes(-cx.early_per_cycle, cx.early_per_cycle);
        w.linef("static {} scnn_s{}_fd[{}][8];", c_int_type(-cx.early_per_cycle, cx.early_per_cycle), k, n);
        cx.est.state += n * 8 * b;
        return;
    }
    w.linef("static {} scnn_s{}_acc[{}];", c_int_type(s.acc_min, s.acc_max), k, n);
    cx.est.state += n * c_int_bytes(s.acc_min, s.acc_max);
    if (cx.bipolar && !s.signed_out && s.neuron != "fsm") {
        w.linef("static {} scnn_s{}_e[{}];", c_int_type(-1, cx.plan.length), k, n);
        cx.est.state += n * c_int_bytes(-1, cx.plan.length);
    }
    w.linef("static uint8_t scnn_s{}_pos[{}];", k, n);
    cx.est.state += n;
    if (cx.out_signed[std::size_t(k)]) {
        w.linef("static uint8_t scnn_s{}_neg[{}];", k, n);
        cx.est.state += n;
    }
    (void)planes;
}

// The C expression of the code of weight wi (a C expression) of stage k, read at random; with a 9-bit code
// its bit 8 comes from the bit plane.
std::string code_at(int k, const Codes& codes, const std::string& wi) {
    if (!codes.hi_plane) return fmt::format("({}){}(&scnn_s{}_w[{}])", codes.type, rd_of(codes.wbytes, false), k, wi);
    return fmt::format("(uint16_t)(SCNN_RD_U8(&scnn_s{0}_w[{1}]) | (((SCNN_RD_U8(&scnn_s{0}_wh[({1}) >> 3]) >> (({1}) & "
                       "7u)) & 1u) << 8))",
                       k, wi);
}

// A dense stage's loop: per output, running pointers into its row of codes, signs and bits 8, and the terms
// unrolled by 8 (one sign byte and one bit-8 byte per 8 weights, tested with constant masks).
template <class Term, class Out>
void emit_dense_loop(Context& cx, int k, const Codes& codes, Term term, Out out) {
    const auto& s = cx.plan.stages[std::size_t(k)];
    auto& w = cx.w;
    const std::int64_t in = s.in.size(), bpr = (in + 7) / 8;
    CodeWriter::Block lo(w, fmt::format("for (o = 0; o < {}u; ++o) {{", s.out.size()));
    out(true);
    w.line("scnn_idx_t i = 0;");
    w.linef("const {} *wp = &scnn_s{}_w[(scnn_idx_t)(o * {}u)];", codes.wtype, k, in);
    if (codes.weight_neg) w.linef("const uint8_t *sp = &scnn_s{}_sg[(scnn_idx_t)(o * {}u)];", k, bpr);
    if (codes.hi_plane) w.linef("const uint8_t *hp = &scnn_s{}_wh[(scnn_idx_t)(o * {}u)];", k, bpr);
    const auto group = [&](std::int64_t count) {
        if (codes.weight_neg) w.line("const uint8_t sb = SCNN_RD_U8(sp);");
        if (codes.hi_plane) w.line("const uint8_t hb = SCNN_RD_U8(hp);");
        for (std::int64_t j = 0; j < count; ++j) {
            const std::string mask = fmt::format("0x{:02x}u", 1u << j);
            const std::string code = fmt::format("{}(wp + {})", rd_of(codes.wbytes, false), j);
            const std::string wbyte = codes.hi_plane
                                          ? fmt::format("((hb & {}) ? scnn_wrow + 256 : scnn_wrow)[{}]", mask, code)
                                          : fmt::format("scnn_wrow[{}]", code);
            term(fmt::format("(scnn_idx_t)(i + {}u)", j), codes.weight_neg ? fmt::format("(sb & {})", mask) : "0",
                 wbyte);
        }
    };
    if (in >= 8) {
        w.line("uint8_t g;");
        CodeWriter::Block lg(w, fmt::format("for (g = 0; g < {}u; ++g) {{", in / 8));
        group(8);
        w.line("wp += 8;");
        w.line("i = (scnn_idx_t)(i + 8u);");
        if (codes.weight_neg) w.line("++sp;");
        if (codes.hi_plane) w.line("++hp;");
    }
    if (in % 8) {
        CodeWriter::Block lt(w, "{");
        group(in % 8);
    }
    out(false);
}

// The loops over the outputs of a stage and their (input, weight) terms: calls out(start) before and after
// the terms of each output, which are emitted by term(input_expr, sign_expr, weight_byte_expr).
template <class Term, class Out>
void emit_output_loops(Context& cx, int k, const Codes& codes, Term term, Out out) {
    const bool signs = codes.weight_neg;
    // the sign of weight wi from the bit table (conv, affine)
    const auto sign_of = [&](const std::string& wi) {
        return signs ? fmt::format("(uint8_t)((SCNN_RD_U8(&scnn_s{}_sg[({}) >> 3]) >> (({}) & 7u)) & 1u)", k, wi, wi)
                     : std::string("0");
    };
    const auto& s = cx.plan.stages[std::size_t(k)];
    auto& w = cx.w;
    if (s.kind == ir::StageKind::dense) {
        emit_dense_loop(cx, k, codes, term, out);
    } else if (s.kind == ir::StageKind::affine) {
        const std::int64_t plane = std::int64_t{s.in.h} * s.in.w;
        w.line("uint16_t c;");
        w.line("scnn_idx_t p;");
        w.line("o = 0;");
        CodeWriter::Block lc(w, fmt::format("for (c = 0; c < {}u; ++c) {{", s.out.c));
        CodeWriter::Block lp(w, fmt::format("for (p = 0; p < {}u; ++p, ++o) {{", plane));
        out(true);
        term("o", sign_of("c"), fmt::format("scnn_wrow[{}]", code_at(k, codes, "c")));
        out(false);
    } else {
        w.line("int16_t oc, oy, ox, ic, ky, kx;");
        w.line("o = 0;");
        CodeWriter::Block l1(w, fmt::format("for (oc = 0; oc < {}; ++oc) {{", s.out.c));
        CodeWriter::Block l2(w, fmt::format("for (oy = 0; oy < {}; ++oy) {{", s.out.h));
        CodeWriter::Block l3(w, fmt::format("for (ox = 0; ox < {}; ++ox, ++o) {{", s.out.w));
        out(true);
        {
            CodeWriter::Block l4(w, fmt::format("for (ic = 0; ic < {}; ++ic) {{", s.in.c));
            CodeWriter::Block l5(w, fmt::format("for (ky = 0; ky < {}; ++ky) {{", s.kh));
            w.linef("const int16_t iy = (int16_t)(oy * {} - {} + ky);", s.stride_h, s.pad_top);
            w.linef("if (iy < 0 || iy >= {}) continue;", s.in.h);
            CodeWriter::Block l6(w, fmt::format("for (kx = 0; kx < {}; ++kx) {{", s.kw));
            w.linef("const int16_t ix = (int16_t)(ox * {} - {} + kx);", s.stride_w, s.pad_left);
            w.linef("if (ix < 0 || ix >= {}) continue;", s.in.w);
            w.linef("const uint32_t wi = (((uint32_t)oc * {} + (uint32_t)ic) * {} + (uint32_t)ky) * {} + (uint32_t)kx;",
                    s.in.c, s.kh, s.kw);
            term(fmt::format("(scnn_idx_t)(((uint32_t)ic * {} + (uint32_t)iy) * {} + (uint32_t)ix)", s.in.h, s.in.w),
                 sign_of("wi"), fmt::format("scnn_wrow[{}]", code_at(k, codes, "wi")));
        }
        out(false);
    }
}

}  // namespace

void emit_linear(Context& cx, int k) {
    const auto& s = cx.plan.stages[std::size_t(k)];
    auto& w = cx.w;
    if (cx.bipolar && s.adder == "or") throw Error(fmt::format("stage '{}': the or adder needs split-unipolar", s.name));
    Codes codes = make_codes(s);
    cx.max_codes = std::max<std::int64_t>(cx.max_codes, std::int64_t(codes.magnitudes.size()));
    const bool mux = s.adder == "mux";
    if (s.kind == ir::StageKind::dense && !mux) codes.row = s.in.size();
    const int planes = s.adder == "apc" ? bits_for(per_channel(s) + 1) : 1;
    cx.planes_max = std::max(cx.planes_max, planes);
    const bool in_signed = source_signed(cx, k);
    w.linef("/* stage {}: {} '{}' {} -> {}, adder {}, {} */", k, ir::stage_kind_name(s.kind), s.name,
            ir::to_string(s.in), ir::to_string(s.out), s.adder, s.final ? "final counts" : "neuron " + s.neuron);
    emit_readers(cx, k);
    emit_state(cx, k, planes);
    emit_linear_tables(cx, k, codes);
    if (!mux) {
        emit_add_fns(cx, k, planes, s.adder);
        emit_term_fn(cx, k, in_signed);
    }
    emit_linear_out_fn(cx, k, planes);
    if (mux) emit_mux_tables(cx, k);
    w.linef("static void scnn_stage{}(uint8_t n)", k);
    CodeWriter::Block fn(w, "{");
    w.line("scnn_idx_t o;");
    if (!mux) w.linef("uint8_t P[{0}], N[{0}];", planes);
    w.linef("scnn_s{}_rows();", k);
    if (mux) emit_mux_select(cx, k);
    const std::string rdb = rd_of(codes.bytes, false);
    const auto channel = [&]() -> std::string {
        return s.kind == ir::StageKind::dense ? "o" : s.kind == ir::StageKind::affine ? "c" : "oc";
    };
    if (!mux) {
        emit_output_loops(
            cx, k, codes,
            [&](const std::string& in, const std::string& neg, const std::string& wbyte) {
                w.linef("SCNN_S{0}_TERM(scnn_s{0}_xp({1}), scnn_s{0}_xn({1}), {2}, {3});", k, in, wbyte, neg);
            },
            [&](bool start) {
                const std::string lows = planes > 1 ? "p0 = 0, p1 = 0, n0 = 0, n1 = 0" : "p0 = 0, n0 = 0";
                if (start) {
                    w.linef("uint8_t {};", lows);
                    if (planes > 2) w.linef("uint8_t z; for (z = 2; z < {}u; ++z) {{ P[z] = 0; N[z] = 0; }}", planes);
                    w.linef("SCNN_S{0}_TERM(0xFFu, 0u, scnn_wrow[({1}){2}(&scnn_s{0}_b[{3}])], {4});", k, codes.type,
                            rdb, channel(),
                            codes.bias_neg ? fmt::format("SCNN_RD_U8(&scnn_s{}_bs[{}])", k, channel()) : "0");
                } else {
                    w.linef("P[0] = p0; N[0] = n0;{}", planes > 1 ? " P[1] = p1; N[1] = n1;" : "");
                    w.linef("scnn_s{}_out(o, (uint16_t)({}), P, N, n);", k, channel());
                }
            });
    } else {
        emit_mux_outputs(cx, k, MuxCodes{codes.type, codes.bytes, codes.weight_neg, codes.bias_neg,
                                         [&](const std::string& wi) { return code_at(k, codes, wi); }});
    }
}

}  // namespace scnn::codegen::c
