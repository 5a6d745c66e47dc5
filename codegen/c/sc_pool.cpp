// Pooling stages in C (docs/SEMANTICS.md §9.4): the running-max counter (max_pool) and the delta-sigma
// mean (avg_pool), one cycle (lane) at a time from the block's input bytes.
#include <fmt/core.h>

#include <algorithm>

#include "codegen/c/sc_context.hpp"
#include "engine/ir/error.hpp"

namespace scnn::codegen::c {

namespace {

int bits_for(std::int64_t n) {
    int b = 1;
    while ((std::int64_t{1} << b) <= n) ++b;
    return b;
}

void emit_pool_state(Context& cx, int k, const std::string& acc_type, int acc_bytes) {
    const auto& s = cx.plan.stages[std::size_t(k)];
    auto& w = cx.w;
    const auto n = s.out.size();
    w.linef("static {} scnn_s{}_acc[{}];", acc_type, k, n);
    w.linef("static uint8_t scnn_s{}_pos[{}];", k, n);
    cx.est.state += n * (acc_bytes + 1);
    if (cx.out_signed[std::size_t(k)]) {
        w.linef("static uint8_t scnn_s{}_neg[{}];", k, n);
        cx.est.state += n;
    }
}

// Opens the loops over the outputs (c, oy, ox; o counts along) and, inside, over the window cells in
// the input (j = the cell's input index); `cell` writes the body for one cell.
template <class Cell>
void emit_window(Context& cx, int k, Cell cell) {
    const auto& s = cx.plan.stages[std::size_t(k)];
    auto& w = cx.w;
    CodeWriter::Block l1(w, fmt::format("for (ky = 0; ky < {}; ++ky) {{", s.pool_kh));
    w.linef("const int16_t iy = (int16_t)(oy * {} - {} + ky);", s.pool_sh, s.pool_pad_top);
    w.linef("if (iy < 0 || iy >= {}) continue;", s.in.h);
    CodeWriter::Block l2(w, fmt::format("for (kx = 0; kx < {}; ++kx) {{", s.pool_kw));
    w.linef("const int16_t ix = (int16_t)(ox * {} - {} + kx);", s.pool_sw, s.pool_pad_left);
    w.linef("if (ix < 0 || ix >= {}) continue;", s.in.w);
    // scnn_idx_t holds every input index (the emitter sizes it), so 16-bit arithmetic suffices where it is 16-bit
    cell(fmt::format("(scnn_idx_t)(((scnn_idx_t)c * {}u + (scnn_idx_t)iy) * {}u + (scnn_idx_t)ix)", s.in.h, s.in.w));
}

void emit_avg(Context& cx, int k) {
    const auto& s = cx.plan.stages[std::size_t(k)];
    auto& w = cx.w;
    const std::int64_t area = std::int64_t{s.pool_kh} * s.pool_kw;
    const std::int64_t bound = 2 * area + 2;
    if (area > 4000) throw Error(fmt::format("stage '{}': a pooling window of {} cells is too large for the firmware", s.name, area));
    emit_pool_state(cx, k, c_int_type(-bound, bound), c_int_bytes(-bound, bound));
    const int planes = bits_for(area);
    const bool in_signed = source_signed(cx, k);
    w.linef("static void scnn_stage{}(uint8_t n)", k);
    CodeWriter::Block fn(w, "{");
    w.linef("uint8_t P[{0}], N[{0}], b;", planes);
    if (!in_signed) w.line("(void)N;");
    w.line("int16_t c, oy, ox, ky, kx;");
    w.line("scnn_idx_t o = 0;");
    CodeWriter::Block l1(w, fmt::format("for (c = 0; c < {}; ++c) {{", s.out.c));
    CodeWriter::Block l2(w, fmt::format("for (oy = 0; oy < {}; ++oy) {{", s.out.h));
    CodeWriter::Block l3(w, fmt::format("for (ox = 0; ox < {}; ++ox, ++o) {{", s.out.w));
    w.line("int16_t cells = 0;");
    w.linef("int16_t a = scnn_s{}_acc[o];", k);
    w.line("uint8_t pos = 0, neg = 0, m = 1;");
    w.linef("for (b = 0; b < {}u; ++b) {{ P[b] = 0;{} }}", planes, in_signed ? " N[b] = 0;" : "");
    emit_window(cx, k, [&](const std::string& j) {
        w.linef("scnn_csa_add(P, scnn_s{}_xp({}));", k, j);
        if (in_signed) w.linef("scnn_csa_add(N, scnn_s{}_xn({}));", k, j);
        w.line("++cells;");
    });
    if (s.count_include_pad) w.linef("cells = {};", area);
    else w.line("if (cells == 0) cells = 1;");
    if (!cx.bipolar) {  // an empty window at rest stays at rest (a = 0, y = 0): fmnist's background
        std::string any = "P[0]";
        for (int b = 1; b < planes; ++b) any += fmt::format(" | P[{}]", b);
        if (in_signed)
            for (int b = 0; b < planes; ++b) any += fmt::format(" | N[{}]", b);
        w.linef("if (a == 0 && !({})) {{ scnn_s{}_pos[o] = 0;{} continue; }}", any, k,
                cx.out_signed[std::size_t(k)] ? fmt::format(" scnn_s{}_neg[o] = 0;", k) : "");
    }
    {
    // the window sums of the 8 lanes, transposed out of the planes at once (≤ 8 planes), else lane by lane
    std::string lane = fmt::format("scnn_lane16(P, {0}, m)", planes), nlane = fmt::format("scnn_lane16(N, {0}, m)", planes);
    if (planes <= 8) {
        w.linef("uint8_t lp[8]{};", in_signed ? ", ln[8]" : "");
        w.linef("scnn_lanes8(P, {}, lp);", planes);
        if (in_signed) w.linef("scnn_lanes8(N, {}, ln);", planes);
        lane = "lp[b]";
        nlane = "ln[b]";
    }
    CodeWriter::Block lb(w, "for (b = 0; b < n; ++b, m = (uint8_t)(m << 1)) {");
    if (cx.bipolar) w.line("if (a >= 0) { pos |= m; a = (int16_t)(a - cells); } else { neg |= m; a = (int16_t)(a + cells); }");
    else w.line("if (2 * a >= cells) { pos |= m; a = (int16_t)(a - cells); } else if (2 * a < -cells) { neg |= m; a = (int16_t)(a + cells); }");
    w.linef("a = (int16_t)(a + {}{});", lane, in_signed ? " - " + nlane : "");
    }
    w.linef("scnn_s{}_acc[o] = ({})a;", k, c_int_type(-bound, bound));
    w.linef("scnn_s{}_pos[o] = pos;", k);
    if (cx.out_signed[std::size_t(k)]) w.linef("scnn_s{}_neg[o] = neg;", k);
    else w.line("(void)neg;");
}

void emit_max(Context& cx, int k) {
    const auto& s = cx.plan.stages[std::size_t(k)];
    auto& w = cx.w;
    const std::int64_t L = cx.plan.length;
    const std::string ct = c_int_type(-L, L);
    emit_pool_state(cx, k, ct, c_int_bytes(-L, L));
    w.linef("static {} scnn_s{}_cin[{}];", ct, k, s.in.size());
    cx.est.state += s.in.size() * c_int_bytes(-L, L);
    w.linef("static void scnn_stage{}(uint8_t n)", k);
    CodeWriter::Block fn(w, "{");
    w.line("uint8_t b;");
    w.line("int16_t c, oy, ox, ky, kx;");
    w.line("scnn_idx_t o, j;");
    w.linef("for (o = 0; o < {}u; ++o) {{ scnn_s{}_pos[o] = 0;{} }}", s.out.size(), k,
            cx.out_signed[std::size_t(k)] ? fmt::format(" scnn_s{}_neg[o] = 0;", k) : "");
    CodeWriter::Block lb(w, "for (b = 0; b < n; ++b) {");
    w.line("o = 0;");
    {
        CodeWriter::Block l1(w, fmt::format("for (c = 0; c < {}; ++c) {{", s.out.c));
        CodeWriter::Block l2(w, fmt::format("for (oy = 0; oy < {}; ++oy) {{", s.out.h));
        CodeWriter::Block l3(w, fmt::format("for (ox = 0; ox < {}; ++ox, ++o) {{", s.out.w));
        w.linef("{} m = 0;", ct);
        w.line("uint8_t any = 0;");
        w.line("int8_t y;");
        emit_window(cx, k, [&](const std::string& jj) {
            w.linef("const {} v = scnn_s{}_cin[{}];", ct, k, jj);
            w.line("if (!any || v > m) m = v;");
            w.line("any = 1;");
        });
        if (cx.bipolar) w.linef("y = m >= scnn_s{}_acc[o] ? 1 : -1;", k);
        else w.linef("y = !any ? 0 : (m > scnn_s{0}_acc[o] ? 1 : (m < scnn_s{0}_acc[o] ? -1 : 0));", k);
        w.linef("if (y > 0) scnn_s{}_pos[o] |= (uint8_t)(1u << b);", k);
        if (cx.out_signed[std::size_t(k)]) w.linef("else if (y < 0) scnn_s{}_neg[o] |= (uint8_t)(1u << b);", k);
        w.linef("scnn_s{0}_acc[o] = ({1})(scnn_s{0}_acc[o] + y);", k, ct);
    }
    w.linef("for (j = 0; j < {}u; ++j)", s.in.size());
    w.indent();
    w.linef("scnn_s{0}_cin[j] = ({1})(scnn_s{0}_cin[j] + (int8_t)((scnn_s{0}_xp(j) >> b) & 1u) - (int8_t)((scnn_s{0}_xn(j) >> b) & 1u));",
            k, ct);
    w.dedent();
}

}  // namespace

void emit_pool(Context& cx, int k) {
    const auto& s = cx.plan.stages[std::size_t(k)];
    cx.w.linef("/* stage {}: {} '{}' {} -> {}, window {}x{} stride {}x{} */", k, ir::stage_kind_name(s.kind), s.name,
               ir::to_string(s.in), ir::to_string(s.out), s.pool_kh, s.pool_kw, s.pool_sh, s.pool_sw);
    emit_readers(cx, k);
    if (s.kind == ir::StageKind::avg_pool) emit_avg(cx, k);
    else emit_max(cx, k);
}

}  // namespace scnn::codegen::c
