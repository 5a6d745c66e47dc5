// The per-cycle step of a linear stage's outputs in C (docs/SEMANTICS.md §9.3, §9.5): the 8 lane counts of a
// block are transposed out of the bit-sliced counters, then the neuron (delta-sigma or FSM) steps once per
// cycle and sets the output bits, or the final stage stores / adds its Δ(t).
#include <fmt/core.h>

#include <algorithm>

#include "codegen/c/sc_context.hpp"

namespace scnn::codegen::c {

// Per-lane neuron (or final Δ store) of output o from the counters.
void emit_linear_out_fn(Context& cx, int k, int planes) {
    auto& w = cx.w;
    const auto& s = cx.plan.stages[std::size_t(k)];
    w.linef("static void scnn_s{}_out(scnn_idx_t o, uint16_t ch, const uint8_t *P, const uint8_t *N, uint8_t n)", k);
    CodeWriter::Block fn(w, "{");
    w.line("uint8_t b;");
    // the lane counts of the block, transposed once (planes ≤ 16), else read lane by lane
    std::string dl;
    if (planes <= 16) {
        const std::string lt = planes <= 8 ? "uint8_t" : "uint16_t", fnn = planes <= 8 ? "scnn_lanes8" : "scnn_lanes16";
        w.linef("{} lp[8], ln[8];", lt);
        w.linef("{}(P, {}, lp);", fnn, planes);
        w.linef("{}(N, {}, ln);", fnn, planes);
        dl = "(int32_t)lp[b] - (int32_t)ln[b]";
    } else {
        dl = fmt::format("(int32_t)scnn_lane(P, {0}, m) - (int32_t)scnn_lane(N, {0}, m)", planes);
    }
    if (s.final) {
        w.line("(void)ch;");
        if (cx.block_counts()) {
            w.line("int32_t sum = 0;");
            w.line("uint8_t m = 1;");
            w.linef("for (b = 0; b < n; ++b, m = (uint8_t)(m << 1)) sum += {};", dl);
            w.line("(void)m;");
            w.linef("scnn_cnt[o] = (scnn_cnt_t)(scnn_cnt[o] + sum);");
        } else {
            w.line("uint8_t m = 1;");
            w.linef("for (b = 0; b < n; ++b, m = (uint8_t)(m << 1)) scnn_s{}_fd[o][b] = ({})({});", k,
                    c_int_type(-cx.early_per_cycle, cx.early_per_cycle), dl);
            w.line("(void)m;");
        }
        return;
    }
    const std::int64_t kmax = s.k.empty() ? 0 : *std::max_element(s.k.begin(), s.k.end());
    const std::int64_t step = s.adder == "apc" ? per_channel(s) + 1 : 1;
    const std::int64_t bound = 2 * std::max(-s.acc_min, s.acc_max) + s.d * step * 2 + 3 * kmax;
    const std::string mt = bound < (std::int64_t{1} << 30) ? "int32_t" : "int64_t";
    const bool fsm = s.neuron == "fsm", ebip = cx.bipolar && !s.signed_out && !fsm;
    w.linef("{} a = scnn_s{}_acc[o];", mt, k);
    if (!fsm) w.linef("const {} kk = ({})SCNN_RD_{}(&scnn_s{}_k[ch]);", mt, mt, c_int_bytes(1, kmax) == 1 ? "U8" : c_int_bytes(1, kmax) == 2 ? "U16" : "U32", k);
    else w.line("(void)ch;");
    if (ebip) w.linef("int32_t e = scnn_s{}_e[o];", k);
    w.line("uint8_t pos = 0, neg = 0, m = 1;");
    {
        CodeWriter::Block loop(w, "for (b = 0; b < n; ++b, m = (uint8_t)(m << 1)) {");
        w.linef("const {} dl = {};", mt, dl);
        // y = +1, -1 or 0 from a (before this cycle's update): set the output bit and feed back ±kk
        const char* up = fsm ? "a >= 0" : !cx.bipolar ? "2 * a >= kk" : ebip ? "a >= 0 || e < 0" : "a >= 0";
        const std::string down = fsm ? (s.signed_out || cx.bipolar ? "1" : "")
                                     : cx.bipolar ? "1" : (s.signed_out ? "2 * a < -kk" : "");
        const std::string fb_up = fsm ? "" : " a -= kk;", fb_down = fsm ? "" : " a += kk;";
        const std::string e_up = ebip ? " ++e;" : "", e_down = ebip ? " --e;" : "";
        w.linef("if ({}) {{ pos |= m;{}{} }}", up, fb_up, e_up);
        if (down == "1") w.linef("else {{ neg |= m;{}{} }}", fb_down, e_down);
        else if (!down.empty()) w.linef("else if ({}) {{ neg |= m;{}{} }}", down, fb_down, e_down);
        w.linef("a += ({})({} * dl);", mt, s.d);
        w.linef("if (a < {}) a = {};", s.acc_min, s.acc_min);
        w.linef("if (a > {}) a = {};", s.acc_max, s.acc_max);
    }
    w.linef("scnn_s{}_acc[o] = ({})a;", k, c_int_type(s.acc_min, s.acc_max));
    if (ebip) w.linef("scnn_s{}_e[o] = ({})e;", k, c_int_type(-1, cx.plan.length));
    w.linef("scnn_s{}_pos[o] = pos;", k);
    if (cx.out_signed[std::size_t(k)]) w.linef("scnn_s{}_neg[o] = neg;", k);
    else w.line("(void)neg;");
}


}  // namespace scnn::codegen::c
