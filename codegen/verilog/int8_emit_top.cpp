// The int8 RTL top module's datapath and controller (see int8_emit.hpp and int8_rtl_plan.hpp).
#include <fmt/format.h>

#include <algorithm>

#include "codegen/verilog/int8_emit.hpp"

namespace scnn::codegen::verilog {

namespace {

/// `expr` (from bits wide) zero-extended to `to` bits.
std::string zext(const std::string& expr, int from, int to) {
    return from >= to ? expr : fmt::format("{{{{{}{{1'b0}}}}, {}}}", to - from, expr);
}

/// The input array written by the pixel port: quantized pixels, or window sums/maxima of a fused input pool.
void input_array(CodeWriter& o, const Int8Rtl& p, const Int8Widths& w) {
    o.line("wire [7:0] pix_q;");
    o.line("scnn_int8_in_lut u_lut (.pixel(pix_data), .q(pix_q));");
    const Int8InputPool& f = p.input_pool;
    if (!f.fused) {
        o.linef("reg [7:0] inb [0:{}];", p.input_words - 1);
        o.line("reg [7:0] inb_q;");
        o.open("always @(posedge clk) begin");
        o.linef("if (idle & pix_we) inb[{}] <= pix_q;", zext("pix_addr", w.paw, w.inw));
        o.linef("inb_q <= inb[raddr[{}:0]];", w.inw - 1);
        o.close("end");
        o.line("wire [7:0] in_val = inb_q;");
        return;
    }
    const int pw = w.paw, iw = f.width, n = int(p.input_words);
    o.linef("// fused input pool: {} {}x{} windows; pixel (c, y, x) joins window (c, y / {}, x / {})",
            f.average ? "average of" : "max of", f.kh, f.kw, f.kh, f.kw);
    o.line("// verilator lint_off UNUSEDSIGNAL");
    o.line("// (the coordinates are wider than the window index they produce)");
    o.linef("wire [{0}:0] f_c = pix_addr / {1}'d{2};", pw - 1, pw, f.in.h * f.in.w);
    o.linef("wire [{0}:0] f_r = pix_addr % {1}'d{2};", pw - 1, pw, f.in.h * f.in.w);
    o.linef("wire [{0}:0] f_oy = (f_r / {1}'d{2}) / {1}'d{3};", pw - 1, pw, f.in.w, f.kh);
    o.linef("wire [{0}:0] f_ox = (f_r % {1}'d{2}) / {1}'d{3};", pw - 1, pw, f.in.w, f.kw);
    o.linef("wire [{0}:0] f_o = (f_c * {1}'d{2} + f_oy) * {1}'d{3} + f_ox;", pw - 1, pw, f.out.h, f.out.w);
    o.line("// verilator lint_on UNUSEDSIGNAL");
    o.linef("wire f_ok = f_oy < {0}'d{1} && f_ox < {0}'d{2};  // rows and columns past the last window are dropped",
            pw, f.out.h, f.out.w);
    o.linef("wire [{}:0] f_idx = f_o[{}:0];", w.inw - 1, w.inw - 1);
    o.linef("reg signed [{}:0] inb [0:{}];", iw - 1, n - 1);
    o.linef("reg [{}:0] f_valid;  // window has a pixel of this image", n - 1);
    o.linef("wire signed [{}:0] f_old = inb[f_idx];", iw - 1);
    o.linef("wire signed [{}:0] f_px = {{{{{}{{pix_q[7]}}}}, pix_q}};", iw - 1, iw - 8);
    if (f.average) {
        o.linef("wire signed [{}:0] f_new = f_valid[f_idx] ? f_old + f_px : f_px;", iw - 1);
    } else {
        o.linef("wire signed [{}:0] f_new = f_valid[f_idx] && f_old > f_px ? f_old : f_px;", iw - 1);
    }
    o.linef("wire in_clear = state == ST_DRAIN && wcnt == 2'd3 && step == {}'d0;  // step 0 consumed it", w.stw);
    o.linef("reg signed [{}:0] inb_q;", iw - 1);
    o.open("always @(posedge clk) begin");
    o.linef("if (rst | in_clear) f_valid <= {}'d0;", n);
    o.linef("else if (idle & pix_we & f_ok) f_valid <= f_valid | ({}'d1 << f_idx);", n);
    o.line("if (idle & pix_we & f_ok) inb[f_idx] <= f_new;");
    o.linef("inb_q <= inb[raddr[{}:0]];", w.inw - 1);
    o.close("end");
    if (f.average) {
        o.line("// the window average, rounded half away from zero");
        o.linef("wire signed [{0}:0] f_mag = (inb_q < 0 ? -inb_q : inb_q) + {1}'d{2};", iw - 1, iw, (1 << f.shift) / 2);
        o.linef("wire signed [{}:0] f_q = f_mag >>> {};", iw - 1, f.shift);
        o.line("// verilator lint_off UNUSEDSIGNAL");
        o.linef("wire signed [{}:0] f_avg = inb_q < 0 ? -f_q : f_q;  // in [-128, 127]", iw - 1);
        o.line("// verilator lint_on UNUSEDSIGNAL");
        o.line("wire [7:0] in_val = f_avg[7:0];");
    } else {
        o.line("wire [7:0] in_val = inb_q;");
    }
}

void buffers(CodeWriter& o, const Int8Rtl& p, const Int8Widths& w) {
    o.line("// ---- input array (step 0 reads it) and ping-pong buffers (a later step reads buffer k_src and writes");
    o.line("// the other) ----");
    o.line("wire idle = state == ST_IDLE;");
    o.linef("reg [{}:0] raddr;", w.abw - 1);
    o.line("wire dst_we;");
    o.linef("wire [{}:0] dst_addr;", w.tw - 1);
    o.line("wire [7:0] dst_data;");
    input_array(o, p, w);
    o.line("wire b0_we = dst_we & k_src;");
    o.line("wire b1_we = dst_we & ~k_src;");
    for (int b = 0; b < 2; ++b) {
        const int bw = b == 0 ? w.b0w : w.b1w;
        o.linef("reg [7:0] buf{} [0:{}];", b, p.buf_words[std::size_t(b)] - 1);
        o.linef("reg [7:0] buf{}_q;", b);
        o.open("always @(posedge clk) begin");
        o.linef("if (b{}_we) buf{}[dst_addr[{}:0]] <= dst_data;", b, b, bw - 1);
        o.linef("buf{}_q <= buf{}[raddr[{}:0]];", b, b, bw - 1);
        o.close("end");
    }
    o.linef("wire [7:0] src_q = step == {}'d0 ? in_val : k_src ? buf1_q : buf0_q;", w.stw);
}

void mac_lanes(CodeWriter& o, const Int8Rtl& p, const Int8Widths& w) {
    o.line("// ---- P MAC lanes: issue (address) -> product -> accumulate; then shift-out through lane 0 ----");
    o.line("wire mac_issue = state == ST_MAC;");
    o.line("wire shifting = state == ST_SHIFT;");
    o.line("reg mv1, mf1, mi1, mv2, mf2;");
    o.open("always @(posedge clk) begin");
    o.open("if (rst) begin");
    o.line("mv1 <= 1'b0; mv2 <= 1'b0;");
    o.close("end else begin");
    o.indent();
    o.line("mv1 <= mac_issue; mv2 <= mv1;");
    o.close("end");
    o.linef("mf1 <= idx == {}'d0; mi1 <= p_inb; mf2 <= mf1;", w.iw);
    o.close("end");
    o.line("wire signed [8:0] d = mi1 ? $signed({src_q[7], src_q}) - k_zp_in : 9'sd0;  // a padded tap adds 0");
    o.linef("wire [{}:0] wrow;", 8 * p.macs - 1);
    o.line("scnn_int8_wrom u_wrom (.clk(clk), .addr(wptr), .q(wrow));");
    o.linef("wire [{}:0] accs;", p.acc_w * p.macs - 1);
    o.line("genvar gi;");
    o.open("generate for (gi = 0; gi < P; gi = gi + 1) begin : g_lane");
    o.line("wire signed [AW-1:0] next_acc;");
    o.open("if (gi == P - 1) begin : g_end");
    o.line("assign next_acc = {AW{1'b0}};");
    o.close("end else begin : g_mid");
    o.indent();
    o.line("assign next_acc = accs[AW * (gi + 1) +: AW];");
    o.close("end");
    o.line("scnn_int8_mac #(.AW(AW)) u_mac (.clk(clk), .mul_en(mv1), .d(d), .w(wrow[8 * gi +: 8]), .acc_en(mv2),");
    o.line("    .acc_first(mf2), .shift_en(shifting), .shift_in(next_acc), .acc(accs[AW * gi +: AW]));");
    o.close("end endgenerate");
    o.line("// ---- the shared requantizer, fed by lane 0 while shifting ----");
    o.linef("wire signed [{}:0] c_bias;", p.bias_w - 1);
    o.line("wire [30:0] c_mult;");
    o.line("wire [4:0] c_rsh, c_lsh;");
    o.line("scnn_int8_crom u_crom (.clk(clk), .addr(cptr), .bias(c_bias), .mult(c_mult), .rsh(c_rsh), .lsh(c_lsh));");
    o.line("wire rq_valid;");
    o.line("wire [7:0] rq_out;");
    o.linef("wire [{}:0] rq_tag;", w.tw - 1);
    o.linef("scnn_int8_requant #(.AW(AW), .BW({}), .SW({}), .LSH({}), .TW({})) u_rq (.clk(clk), .in_valid(shifting),",
            p.bias_w, p.sum_w, p.left_shift ? 1 : 0, w.tw);
    o.line("    .acc(accs[AW-1:0]), .in_tag(optr), .bias(c_bias), .mult(c_mult), .rsh(c_rsh), .lsh(c_lsh),");
    o.line("    .zp_out(k_zp_out), .act_min(k_act_min), .act_max(k_act_max), .out_valid(rq_valid), .out(rq_out),");
    o.line("    .out_tag(rq_tag));");
}

/// Per-step window addressing of the pooling unit (constant multiplications only).
void pool_addressing(CodeWriter& o, const Int8Rtl& p, const Int8Widths& w) {
    const int nw = w.nw;
    o.line("// ---- window addressing of Mac (taps) and Pool steps: cell (pch, iy, ix) of the step's input ----");
    o.line("wire pooling = state == ST_POOL;");
    o.line("// verilator lint_off UNUSEDSIGNAL");
    o.line("// (the top bit of paddr only catches wrapped coordinates, which p_inb already excludes; iy and ix are");
    o.line("// unused in a network without pooling)");
    o.linef("reg [{}:0] iy, ix;", nw - 1);
    o.linef("reg [{}:0] paddr;", nw - 1);
    o.line("// verilator lint_on UNUSEDSIGNAL");
    o.line("reg p_inb;");
    o.open("always @* begin");
    o.linef("iy = {0}'d0; ix = {0}'d0; paddr = {0}'d0; p_inb = 1'b0;", nw);
    o.open("case (step)");
    for (std::size_t i = 0; i < p.steps.size(); ++i) {
        const Int8Step& s = p.steps[i];
        o.open(fmt::format("{}'d{}: begin", w.stw, i));
        o.linef("iy = poy * {0}'d{1} + pky - {0}'d{2};", nw, s.pool.stride_h, s.pool.pad_top);
        o.linef("ix = pox * {0}'d{1} + pkx - {0}'d{2};", nw, s.pool.stride_w, s.pool.pad_left);
        o.linef("p_inb = iy < {0}'d{1} && ix < {0}'d{2};", nw, s.pin.h, s.pin.w);
        o.linef("paddr = (pch * {0}'d{1} + iy) * {0}'d{2} + ix;", nw, s.pin.h, s.pin.w);
        o.close("end");
    }
    o.line("default: ;");
    o.close("endcase");
    o.close("end");
    o.linef("wire p_first = pky == {0}'d0 && pkx == {0}'d0;", nw);
    o.line("wire p_last = pky == k_kh_m1 && pkx == k_kw_m1;");
    o.open("always @* begin");
    o.linef("raddr = paddr[{}:0];", w.abw - 1);
    o.close("end");
}

int max_divisor(const Int8Rtl& p) {
    int d = 1;
    for (const Int8Step& s : p.steps) d = std::max(d, s.divisor);
    return d;
}

bool any_average(const Int8Rtl& p) {
    return std::any_of(p.steps.begin(), p.steps.end(), [](const Int8Step& s) { return s.average; });
}

void average_finalize(CodeWriter& o, const Int8Rtl& p, const Int8Widths& w) {
    o.line("reg signed [PSW-1:0] pnum, pmag, pq;");
    o.open("always @* begin");
    o.line("pres = {{(PSW - 8){pmax[7]}}, pmax};");
    o.line("pnum = psum; pmag = {PSW{1'b0}}; pq = {PSW{1'b0}};");
    o.open("case (step)");
    for (std::size_t i = 0; i < p.steps.size(); ++i) {
        const Int8Step& s = p.steps[i];
        if (!s.average) continue;
        o.open(fmt::format("{}'d{}: begin  // average of {} cells, rounded half away from zero", w.stw, i, s.divisor));
        const bool padded = (s.pool.pad_top | s.pool.pad_left | s.pool.pad_bottom | s.pool.pad_right) != 0;
        if (padded && s.count_pad) {
            o.linef("pnum = psum + ({}'d{} - {}) * {};  // padded cells count as the zero point", p.pool_sum_w, s.divisor,
                    zext("pcnt", index_bits(max_divisor(p) + 1), p.pool_sum_w), sdec(p.pool_sum_w, s.zp_in));
        }
        o.linef("pmag = (pnum < 0 ? -pnum : pnum) + {}'d{};", p.pool_sum_w, s.divisor / 2);
        if ((s.divisor & (s.divisor - 1)) == 0) {
            int k = 0;
            while ((1 << k) < s.divisor) ++k;
            o.linef("pq = pmag >>> {};", k);
        } else {
            o.linef("pq = pmag / {}'sd{};", p.pool_sum_w, s.divisor);
        }
        o.line("pres = pnum < 0 ? -pq : pq;");
        o.close("end");
    }
    o.line("default: ;");
    o.close("endcase");
    o.close("end");
}

void pool_pipeline(CodeWriter& o, const Int8Rtl& p, const Int8Widths& w) {
    o.line("reg pv1, pin1, pf1, pl1;");
    o.linef("reg [{}:0] pt1;", w.tw - 1);
    o.open("always @(posedge clk) begin");
    o.line("pv1 <= ~rst & pooling; pin1 <= p_inb; pf1 <= p_first; pl1 <= p_last; pt1 <= optr;");
    o.close("end");
    o.line("wire signed [PSW-1:0] px = {{(PSW - 8){src_q[7]}}, src_q};");
    o.line("wire signed [7:0] pcell = pin1 ? src_q : 8'h80;");
    o.line("reg signed [PSW-1:0] psum;");
    o.line("reg signed [7:0] pmax;");
    o.line("wire signed [7:0] pmax_base = pf1 ? 8'sh80 : pmax;");
    const int cnw = index_bits(max_divisor(p) + 1);
    if (w.padded_count) o.linef("reg [{}:0] pcnt;", cnw - 1);
    o.open("always @(posedge clk) begin");
    o.open("if (pv1) begin");
    o.line("psum <= (pf1 ? {PSW{1'b0}} : psum) + (pin1 ? px : {PSW{1'b0}});");
    o.line("pmax <= pcell > pmax_base ? pcell : pmax_base;");
    if (w.padded_count) o.linef("pcnt <= (pf1 ? {0}'d0 : pcnt) + {{{{{1}{{1'b0}}}}, pin1}};", cnw, cnw - 1);
    o.close("end");
    o.close("end");
    o.line("reg pfv;");
    o.linef("reg [{}:0] pft;", w.tw - 1);
    o.open("always @(posedge clk) begin");
    o.line("pfv <= ~rst & pv1 & pl1; pft <= pt1;");
    o.close("end");
    o.line("reg signed [PSW-1:0] pres;");
    if (any_average(p)) {
        average_finalize(o, p, w);
    } else {
        o.line("always @* pres = {{(PSW - 8){pmax[7]}}, pmax};");
        o.line("wire [PSW-1:0] unused_psum = psum;");
    }
    o.line("wire signed [PSW-1:0] amin = {{(PSW - 8){k_act_min[7]}}, k_act_min};");
    o.line("wire signed [PSW-1:0] amax = {{(PSW - 8){k_act_max[7]}}, k_act_max};");
    o.line("// verilator lint_off UNUSEDSIGNAL");
    o.line("wire signed [PSW-1:0] pclamp = pres < amin ? amin : pres > amax ? amax : pres;  // in [-128, 127]");
    o.line("// verilator lint_on UNUSEDSIGNAL");
    o.line("reg pov;");
    o.line("reg [7:0] pout;");
    o.linef("reg [{}:0] pot;", w.tw - 1);
    o.open("always @(posedge clk) begin");
    o.line("pov <= ~rst & pfv; pout <= pclamp[7:0]; pot <= pft;");
    o.close("end");
}

void results(CodeWriter& o, const Int8Rtl& p, const Int8Widths& w) {
    o.line("// ---- results: the last step's outputs are the logits, written in class order ----");
    o.line("assign dst_we = rq_valid | pov;");
    o.line("assign dst_addr = rq_valid ? rq_tag : pot;");
    o.line("assign dst_data = rq_valid ? rq_out : pout;");
    o.line("reg signed [7:0] best;");
    o.line("wire signed [7:0] dst_s = dst_data;");
    o.open("always @(posedge clk) begin");
    o.open("if (dst_we && step == LAST_STEP) begin");
    for (int k = 0; k < p.classes; ++k) o.linef("if (dst_addr == {}'d{}) logits[{}:{}] <= dst_data;", w.tw, k, 8 * k + 7, 8 * k);
    o.open(fmt::format("if (dst_addr == {}'d0 || dst_s > best) begin", w.tw));
    o.line("best <= dst_s;");
    o.linef("pred_class <= dst_addr[{}:0];", w.cw - 1);
    o.close("end");
    o.close("end");
    o.close("end");
}

}  // namespace

void int8_top_body(CodeWriter& o, const Int8Rtl& p, const Int8Widths& w) {  // controller: int8_emit_control.cpp
    buffers(o, p, w);
    mac_lanes(o, p, w);
    pool_addressing(o, p, w);
    pool_pipeline(o, p, w);
    results(o, p, w);
    int8_controller(o, p, w);
}

}  // namespace scnn::codegen::verilog
