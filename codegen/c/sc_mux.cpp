// The mux adder of a linear stage in C (docs/SEMANTICS.md §9.3): per cycle one slot of each output's
// channel (its weights in layout order, then the bias) is chosen by the select generator, the same for
// every output: sel(t) = floor(r_s(t)·(P + 1) / M_s), a shift when M_s is a power of two, else a table.
#include <fmt/core.h>

#include "codegen/c/sc_context.hpp"
#include "engine/ir/error.hpp"
#include "engine/sc/sng_config.hpp"


namespace scnn::codegen::c {

namespace {

std::int64_t slots(const ir::PlanStage& s) {
    if (s.kind == ir::StageKind::dense) return s.in.size();
    if (s.kind == ir::StageKind::conv) return std::int64_t{s.in.c} * s.kh * s.kw;
    return 1;
}

std::uint64_t range_of(const ir::PlanGenerator& g) {
    sc::SngConfig c;
    c.kind = sc::parse_sng_kind(g.kind);
    c.width = g.width;
    c.dimension = g.dimension;
    c.poly = g.poly;
    c.seed = g.seed == 0 ? 1 : g.seed;
    return sc::sng_range(c);
}

}  // namespace

void emit_mux_tables(Context& cx, int k) {
    const auto& s = cx.plan.stages[std::size_t(k)];
    if (s.select_gen < 0) throw Error(fmt::format("stage '{}': mux adder without a select generator", s.name));
    const auto& g = cx.plan.generators[std::size_t(s.select_gen)];
    const std::uint64_t m = range_of(g);
    const std::int64_t n = slots(s) + 1;
    if ((m & (m - 1)) != 0) {
        if (m > 65536) throw Error(fmt::format("stage '{}': mux select range {} is too large for a table", s.name, m));
        std::vector<std::int64_t> sel;
        for (std::uint64_t r = 0; r < m; ++r) sel.push_back(std::int64_t(r * std::uint64_t(n) / m));
        emit_table(cx, "uint16_t", 2, fmt::format("scnn_s{}_sel", k), sel);
    }
    if (s.kind == ir::StageKind::conv) {
        std::vector<std::int64_t> ic, ky, kx;
        for (int c = 0; c < s.in.c; ++c)
            for (int y = 0; y < s.kh; ++y)
                for (int x = 0; x < s.kw; ++x) {
                    ic.push_back(c);
                    ky.push_back(y);
                    kx.push_back(x);
                }
        emit_table(cx, "uint16_t", 2, fmt::format("scnn_s{}_sic", k), ic);
        emit_table(cx, "uint8_t", 1, fmt::format("scnn_s{}_sky", k), ky);
        emit_table(cx, "uint8_t", 1, fmt::format("scnn_s{}_skx", k), kx);
    }
}

void emit_mux_select(Context& cx, int k) {
    const auto& s = cx.plan.stages[std::size_t(k)];
    const auto& g = cx.plan.generators[std::size_t(s.select_gen)];
    const std::uint64_t m = range_of(g);
    const std::int64_t n = slots(s) + 1;
    auto& w = cx.w;
    w.line("uint16_t sel[8];");
    w.line("uint8_t b;");
    if ((m & (m - 1)) == 0) {
        int shift = 0;
        while ((std::uint64_t{1} << shift) < m) ++shift;
        w.linef("for (b = 0; b < n; ++b) sel[b] = (uint16_t)(((uint64_t)scnn_g{}_r[b] * {}u) >> {});", s.select_gen, n,
                shift);
    } else {
        w.linef("for (b = 0; b < n; ++b) sel[b] = SCNN_RD_U16(&scnn_s{}_sel[scnn_g{}_r[b]]);", k, s.select_gen);
    }
}

void emit_mux_outputs(Context& cx, int k, const MuxCodes& codes) {
    const auto& s = cx.plan.stages[std::size_t(k)];
    auto& w = cx.w;
    const std::int64_t per = slots(s);
    const std::string rd = fmt::format("SCNN_RD_U{}", codes.bytes * 8);
    const auto product = [&](const std::string& x, const std::string& wi) {  // p from weight bit wb, input x
        if (cx.bipolar) return fmt::format("p = (int8_t)(wb ? {0} : -{0});", x);
        std::string neg = "0";
        if (wi.empty() && codes.bias_neg) neg = fmt::format("SCNN_RD_U8(&scnn_s{}_bs[ch_])", k);
        if (!wi.empty() && codes.weight_neg)
            neg = fmt::format("((SCNN_RD_U8(&scnn_s{0}_sg[({1}) >> 3]) >> (({1}) & 7u)) & 1u)", k, wi);
        return fmt::format("p = (int8_t)(wb ? ({1} ? -{0} : {0}) : 0);", x, neg);
    };
    const auto lane_body = [&](const std::string& ch, const std::string& input_expr, const std::string& widx) {
        w.line("uint8_t Pm = 0, Nm = 0;");
        {
            CodeWriter::Block lb(w, "for (b = 0; b < n; ++b) {");
            w.line("const uint16_t sl = sel[b];");
            w.line("int8_t p = 0;");
            {
                CodeWriter::Block ib(w, fmt::format("if (sl == {}u) {{", per), "");
                w.linef("const uint16_t ch_ = (uint16_t)({});", ch);
                w.linef("const {} c = ({}){}(&scnn_s{}_b[ch_]);", codes.type, codes.type, rd, k);
                w.line("const uint8_t wb = (uint8_t)((scnn_wrow[c] >> b) & 1u);");
                w.line(product("1", ""));
            }
            {
                CodeWriter::Block eb(w, "} else {", "}");
                w.linef("const scnn_idx_t j = {};", input_expr);
                w.linef("const int8_t x = (int8_t)(((scnn_s{0}_xp(j) >> b) & 1u) - ((scnn_s{0}_xn(j) >> b) & 1u));", k);
                w.linef("const uint32_t wi = {};", widx);
                w.linef("const {} c = {};", codes.type, codes.code_at("wi"));
                w.line("const uint8_t wb = (uint8_t)((scnn_wrow[c] >> b) & 1u);");
                w.line(product("x", "wi"));
            }
            w.line("if (p > 0) Pm |= (uint8_t)(1u << b); else if (p < 0) Nm |= (uint8_t)(1u << b);");
        }
        w.linef("scnn_s{}_out(o, (uint16_t)({}), &Pm, &Nm, n);", k, ch);
    };
    if (s.kind == ir::StageKind::dense) {
        CodeWriter::Block lo(w, fmt::format("for (o = 0; o < {}u; ++o) {{", s.out.size()));
        lane_body("o", "(scnn_idx_t)sl", fmt::format("(uint32_t)o * {}u + sl", per));
    } else if (s.kind == ir::StageKind::affine) {
        w.line("uint16_t ch;");
        w.line("scnn_idx_t q;");
        w.line("o = 0;");
        CodeWriter::Block lc(w, fmt::format("for (ch = 0; ch < {}u; ++ch) {{", s.out.c));
        CodeWriter::Block lp(w, fmt::format("for (q = 0; q < {}u; ++q, ++o) {{", std::int64_t{s.in.h} * s.in.w));
        lane_body("ch", "o", "ch");
    } else {
        w.line("int16_t oc, oy, ox;");
        w.line("o = 0;");
        CodeWriter::Block l1(w, fmt::format("for (oc = 0; oc < {}; ++oc) {{", s.out.c));
        CodeWriter::Block l2(w, fmt::format("for (oy = 0; oy < {}; ++oy) {{", s.out.h));
        CodeWriter::Block l3(w, fmt::format("for (ox = 0; ox < {}; ++ox, ++o) {{", s.out.w));
        // conv: the slot may fall on a padding cell (product 0)
        w.line("uint8_t Pm = 0, Nm = 0;");
        {
            CodeWriter::Block lb(w, "for (b = 0; b < n; ++b) {");
            w.line("const uint16_t sl = sel[b];");
            w.line("int8_t p = 0;");
            {
                CodeWriter::Block ib(w, fmt::format("if (sl == {}u) {{", per), "");
                w.line("const uint16_t ch_ = (uint16_t)oc;");
                w.linef("const {} c = ({}){}(&scnn_s{}_b[ch_]);", codes.type, codes.type, rd, k);
                w.line("const uint8_t wb = (uint8_t)((scnn_wrow[c] >> b) & 1u);");
                w.line(product("1", ""));
            }
            {
                CodeWriter::Block eb(w, "} else {", "}");
                w.linef("const int16_t iy = (int16_t)(oy * {} - {} + SCNN_RD_U8(&scnn_s{}_sky[sl]));", s.stride_h,
                        s.pad_top, k);
                w.linef("const int16_t ix = (int16_t)(ox * {} - {} + SCNN_RD_U8(&scnn_s{}_skx[sl]));", s.stride_w,
                        s.pad_left, k);
                CodeWriter::Block vb(w, fmt::format("if (iy >= 0 && iy < {} && ix >= 0 && ix < {}) {{", s.in.h, s.in.w));
                w.line("const uint16_t ic = SCNN_RD_U16(&scnn_s" + std::to_string(k) + "_sic[sl]);");
                w.linef("const scnn_idx_t j = (scnn_idx_t)(((uint32_t)ic * {} + (uint32_t)iy) * {} + (uint32_t)ix);",
                        s.in.h, s.in.w);
                w.linef("const int8_t x = (int8_t)(((scnn_s{0}_xp(j) >> b) & 1u) - ((scnn_s{0}_xn(j) >> b) & 1u));", k);
                w.linef("const uint32_t wi = (uint32_t)oc * {}u + sl;", per);
                w.linef("const {} c = {};", codes.type, codes.code_at("wi"));
                w.line("const uint8_t wb = (uint8_t)((scnn_wrow[c] >> b) & 1u);");
                w.line(product("x", "wi"));
            }
            w.line("if (p > 0) Pm |= (uint8_t)(1u << b); else if (p < 0) Nm |= (uint8_t)(1u << b);");
        }
        w.linef("scnn_s{}_out(o, (uint16_t)oc, &Pm, &Nm, n);", k);
    }
}

}  // namespace scnn::codegen::c
