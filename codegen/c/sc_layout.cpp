// The emitter's view of a plan: where each stage reads from (gathers composed into index maps), which
// buffers carry a neg stream, the input bytes, and the flash tables.
#include <fmt/core.h>

#include <algorithm>

#include "codegen/c/sc_context.hpp"
#include "engine/ir/error.hpp"

namespace scnn::codegen::c {

std::string c_int_type(std::int64_t lo, std::int64_t hi) {
    if (lo >= 0) return hi <= 0xFF ? "uint8_t" : hi <= 0xFFFF ? "uint16_t" : hi <= 0xFFFFFFFFll ? "uint32_t" : "uint64_t";
    if (lo >= -128 && hi <= 127) return "int8_t";
    if (lo >= -32768 && hi <= 32767) return "int16_t";
    if (lo >= -2147483648ll && hi <= 2147483647ll) return "int32_t";
    return "int64_t";
}

int c_int_bytes(std::int64_t lo, std::int64_t hi) {
    const std::string t = c_int_type(lo, hi);
    return t.find("8") != std::string::npos ? 1 : t.find("16") != std::string::npos ? 2 : t.find("32") != std::string::npos ? 4 : 8;
}

namespace {

Source compose(const ir::ScPlan& plan, int k) {
    // the input of stage k is the output of stage k − 1 (or the pixels); gathers are index maps
    if (k == 0) return {};
    const auto& prev = plan.stages[std::size_t(k - 1)];
    if (prev.kind != ir::StageKind::gather) return {k - 1, true, {}};
    Source inner = compose(plan, k - 1);
    Source s{inner.stage, false, {}};
    s.index.reserve(prev.index.size());
    for (auto i : prev.index) s.index.push_back(i < 0 ? -1 : inner.identity ? i : inner.index[std::size_t(i)]);
    bool same = true;  // a flatten or reshape: the identity map
    for (std::size_t j = 0; j < s.index.size() && same; ++j) same = s.index[j] == std::int32_t(j);
    if (same) {
        s.identity = true;
        s.index.clear();
    }
    return s;
}

std::int64_t early_bound(const Context& cx) {
    const auto& s = cx.plan.stages.back();
    if (!s.final || s.adder != "apc") return 2;  // mux, or, pooled tail: |Δ| ≤ 1
    // the largest number of product terms of one output (split-unipolar: non-zero thresholds incl. bias)
    std::int64_t most = 1;
    const std::int64_t per = s.kind == ir::StageKind::dense ? s.in.size()
                             : s.kind == ir::StageKind::conv ? std::int64_t{s.in.c} * s.kh * s.kw : 1;
    const int channels = s.out.c;
    for (int c = 0; c < channels; ++c) {
        if (s.kind == ir::StageKind::conv) continue;  // handled below (padding changes the count per output)
        std::int64_t terms = 0;
        if (s.kind == ir::StageKind::dense)
            for (std::int64_t i = 0; i < per; ++i) terms += cx.bipolar || s.weights[std::size_t(c * per + i)] != 0;
        else
            terms = cx.bipolar || s.weights[std::size_t(c)] != 0;
        terms += cx.bipolar || s.bias[std::size_t(c)] != 0;
        most = std::max(most, (cx.bipolar ? 2 : 1) * terms);
    }
    if (s.kind == ir::StageKind::conv) {
        for (int oc = 0; oc < s.out.c; ++oc)
            for (int oy = 0; oy < s.out.h; ++oy)
                for (int ox = 0; ox < s.out.w; ++ox) {
                    std::int64_t terms = cx.bipolar || s.bias[std::size_t(oc)] != 0;
                    for (int ic = 0; ic < s.in.c; ++ic)
                        for (int ky = 0; ky < s.kh; ++ky)
                            for (int kx = 0; kx < s.kw; ++kx) {
                                const int iy = oy * s.stride_h - s.pad_top + ky, ix = ox * s.stride_w - s.pad_left + kx;
                                if (iy < 0 || iy >= s.in.h || ix < 0 || ix >= s.in.w) continue;
                                terms += cx.bipolar ||
                                         s.weights[std::size_t(((oc * s.in.c + ic) * s.kh + ky) * s.kw + kx)] != 0;
                            }
                    most = std::max(most, (cx.bipolar ? 2 : 1) * terms);
                }
    }
    bool in_signed = cx.bipolar;
    for (std::size_t k = 0; k + 1 < cx.plan.stages.size(); ++k)
        if (ir::is_linear(cx.plan.stages[k].kind)) in_signed = cx.bipolar || cx.plan.stages[k].signed_out;
    return 2 * most * (in_signed && most > 1 ? 2 : 1);
}

}  // namespace

Context analyse(const ir::ScPlan& plan, CodeWriter& w) {
    Context cx(plan, w);
    cx.bipolar = plan.encoding == "bipolar";
    if (plan.stages.empty()) throw Error("plan has no stages");
    const auto n = plan.stages.size();
    for (std::size_t k = 0; k <= n; ++k) cx.sources.push_back(compose(plan, int(k)));
    bool sig = false;  // pixels are unsigned in split-unipolar
    for (const auto& s : plan.stages) {
        if (ir::is_linear(s.kind)) sig = s.signed_out && !s.final;
        cx.out_signed.push_back(!cx.bipolar && sig);
    }
    const auto& last = plan.stages.back();
    if (last.final) {
        std::int64_t per = 0;
        for (std::size_t c = 0; c < last.bias.size(); ++c) per = std::max<std::int64_t>(per, 1);
        cx.early_per_cycle = early_bound(cx);
        cx.count_bound = plan.length * std::max<std::int64_t>(1, cx.early_per_cycle);
    } else {
        cx.count_bound = plan.length;
    }
    return cx;
}

void emit_table(Context& cx, const std::string& type, int bytes, const std::string& name,
                const std::vector<std::int64_t>& values) {
    auto& w = cx.w;
    cx.est.tables += std::int64_t(values.size()) * bytes;
    if (values.empty()) {
        w.linef("static const {} SCNN_FLASH {}[1] = {{0}};", type, name);
        return;
    }
    w.linef("static const {} SCNN_FLASH {}[{}] = {{", type, name, values.size());
    w.indent();
    const bool is_unsigned = type[0] == 'u';
    for (std::size_t i = 0; i < values.size(); i += 16) {
        std::string line;
        for (std::size_t j = i; j < std::min(values.size(), i + 16); ++j) {
            const auto v = values[j];
            if (type == "int32_t" && v == -2147483648ll) line += "(-2147483647 - 1),";
            else line += fmt::format("{}{},", v, is_unsigned ? "u" : "");
            if (j + 1 < std::min(values.size(), i + 16)) line += ' ';
        }
        w.line(line);
    }
    w.dedent();
    w.line("};");
}

void emit_input(Context& cx) {
    auto& w = cx.w;
    const auto& g = cx.plan.generators[std::size_t(cx.plan.input_gen)];
    const std::int64_t tmax = *std::max_element(cx.plan.input_thresholds.begin(), cx.plan.input_thresholds.end());
    const std::string tt = c_int_type(0, std::max<std::int64_t>(tmax, 255));
    const int tb = c_int_bytes(0, std::max<std::int64_t>(tmax, 255));
    std::vector<std::int64_t> thr(cx.plan.input_thresholds.begin(), cx.plan.input_thresholds.end());
    w.line("/* inputs (docs/SEMANTICS.md 9.2): pixel p drives pos(t) = r_in(t) < scnn_in_thr[p] */");
    emit_table(cx, tt, tb, "scnn_in_thr", thr);
    w.line("static const uint8_t *scnn_px;");
    const bool monotone = std::is_sorted(thr.begin(), thr.end());
    if (monotone) {
        // thresholds grow with the pixel: bit b is p >= pmin(r_in(b)), pmin = the first pixel whose threshold
        // exceeds r (256: none), found once per block by a binary search
        // lanes sorted by pmin once per block (scnn_in_s ascending, scnn_in_c[j] = the lanes of the j+1 smallest
        // pmin that ever fire), so a pixel's byte is the mask of the last pmin it reaches: a zero pixel costs
        // one compare
        w.line("static uint8_t scnn_in_s[8], scnn_in_c[8];");
        cx.est.state += 16;
        w.line("static void scnn_in_block(void)");
        {
            CodeWriter::Block fn(w, "{");
            w.line("uint8_t b, j, never = 0, lanes = 0;");
            w.line("uint8_t idx[8];");
            {
                CodeWriter::Block loop(w, "for (b = 0; b < 8; ++b) {");
                w.linef("const uint32_t r = scnn_g{}_r[b];", cx.plan.input_gen);
                w.line("uint16_t lo = 0, hi = 256;");
                w.line("uint8_t v;");
                w.line("while (lo < hi) {");
                w.line("    const uint16_t mid = (uint16_t)((lo + hi) >> 1);");
                w.linef("    if ((uint32_t)SCNN_RD_{}(&scnn_in_thr[mid]) > r) hi = mid; else lo = (uint16_t)(mid + 1u);",
                        tb == 1 ? "U8" : tb == 2 ? "U16" : "U32");
                w.line("}");
                w.line("if (lo > 255u) { never |= (uint8_t)(1u << b); v = 255; } else v = (uint8_t)lo;");
                w.line("/* insertion sort by pmin (a never-lane sits at 255 and is left out of the masks) */");
                w.line("j = b;");
                w.line("while (j > 0 && scnn_in_s[j - 1] > v) { scnn_in_s[j] = scnn_in_s[j - 1]; idx[j] = idx[j - 1]; --j; }");
                w.line("scnn_in_s[j] = v;");
                w.line("idx[j] = b;");
            }
            CodeWriter::Block loop(w, "for (j = 0; j < 8; ++j) {");
            w.line("lanes |= (uint8_t)(1u << idx[j]);");
            w.line("scnn_in_c[j] = (uint8_t)(lanes & ~never);");
        }
        w.line("static uint8_t scnn_in_byte(uint8_t p)");
        CodeWriter::Block fn(w, "{");
        w.line("if (p < scnn_in_s[0]) return 0;");
        for (int j = 1; j < 8; ++j) w.linef("if (p < scnn_in_s[{}]) return scnn_in_c[{}];", j, j - 1);
        w.line("return scnn_in_c[7];");
    } else {
        w.line("static void scnn_in_block(void) {}");
        w.line("static uint8_t scnn_in_byte(uint8_t p)");
        CodeWriter::Block fn(w, "{");
        w.linef("const {} t = ({})SCNN_RD_{}(&scnn_in_thr[p]);", tt, tt, tb == 1 ? "U8" : tb == 2 ? "U16" : "U32");
        w.line("uint8_t x = 0, b;");
        w.linef("for (b = 0; b < 8; ++b) x |= (uint8_t)((uint8_t)(scnn_g{}_r[b] < t) << b);", cx.plan.input_gen);
        w.line("return x;");
    }
    (void)g;
    // materialize the input bytes unless the first reader is an average pool (each pixel read once)
    const auto& first = cx.plan.stages[0];
    cx.input_buffer = !(first.kind == ir::StageKind::avg_pool);
    if (cx.input_buffer) {
        w.linef("static uint8_t scnn_in_pos[{}];", cx.plan.input.size());
        cx.est.state += cx.plan.input.size();
    }
    w.line();
}

std::string in_pos(const Context&, int k, const std::string& j) { return fmt::format("scnn_s{}_xp({})", k, j); }
std::string in_neg(const Context&, int k, const std::string& j) { return fmt::format("scnn_s{}_xn({})", k, j); }

bool source_signed(const Context& cx, int k) {
    const Source& s = cx.sources[std::size_t(k)];
    if (cx.bipolar) return true;
    return s.stage >= 0 && cx.out_signed[std::size_t(s.stage)];
}

void emit_readers(Context& cx, int k) {
    auto& w = cx.w;
    const Source& s = cx.sources[std::size_t(k)];
    std::string base_pos, base_neg;
    if (s.stage < 0) base_pos = cx.input_buffer ? "scnn_in_pos[{}]" : "scnn_in_byte(scnn_px[{}])";
    else base_pos = fmt::format("scnn_s{}_pos[{{}}]", s.stage);
    if (cx.bipolar) base_neg = "(uint8_t)~" + base_pos;
    else if (source_signed(cx, k)) base_neg = fmt::format("scnn_s{}_neg[{{}}]", s.stage);
    const std::string idx_t = "scnn_idx_t";
    if (s.identity) {
        w.linef("static inline uint8_t scnn_s{}_xp({} j) {{ return {}; }}", k, idx_t, fmt::format(fmt::runtime(base_pos), "j"));
        w.linef("static inline uint8_t scnn_s{}_xn({} j) {{ {}return {}; }}", k, idx_t, base_neg.empty() ? "(void)j; " : "",
                base_neg.empty() ? "0" : fmt::format(fmt::runtime(base_neg), "j"));
        return;
    }
    std::int64_t hi = 0;
    for (auto i : s.index) hi = std::max<std::int64_t>(hi, i);
    const std::string it = c_int_type(-1, hi);
    const int ib = c_int_bytes(-1, hi);
    std::vector<std::int64_t> idx(s.index.begin(), s.index.end());
    emit_table(cx, it, ib, fmt::format("scnn_s{}_idx", k), idx);
    const std::string rd = fmt::format("({})SCNN_RD_I{}(&scnn_s{}_idx[j])", it, ib * 8, k);
    w.linef("static inline uint8_t scnn_s{}_xp({} j) {{ const {} i = {}; return i < 0 ? 0 : {}; }}", k, idx_t, it, rd,
            fmt::format(fmt::runtime(base_pos), "i"));
    if (base_neg.empty())
        w.linef("static inline uint8_t scnn_s{}_xn({} j) {{ (void)j; return 0; }}", k, idx_t);
    else
        w.linef("static inline uint8_t scnn_s{}_xn({} j) {{ const {} i = {}; return i < 0 ? 0 : {}; }}", k, idx_t, it,
                rd, fmt::format(fmt::runtime(base_neg), "i"));
}

}  // namespace scnn::codegen::c
