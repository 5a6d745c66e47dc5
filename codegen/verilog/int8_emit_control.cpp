// The int8 RTL controller: one state machine walking the steps of the plan (int8_rtl_plan.hpp).
//   IDLE -> BEGIN -> (MAC -> WAIT -> SHIFT)* or POOL -> DRAIN -> BEGIN (next step) ... -> IDLE, done
// MAC issues one tap per clock (kx, then ky, then input channel); WAIT lets the last products reach the
// accumulators; SHIFT moves the group's accumulators through the requantizer, one per clock, to output
// (channel * pixels + pixel); then the next output pixel, or the next group of P channels. DRAIN lets the
// pipelines empty into the buffer before the next step reads it.
#include <fmt/format.h>

#include "codegen/verilog/int8_emit.hpp"

namespace scnn::codegen::verilog {

namespace {

void mac_states(CodeWriter& o, const Int8Rtl& p, const Int8Widths& w) {
    const auto nw = [&](const char* r, bool inc) {
        return inc ? fmt::format("{0} <= {0} + {1}'d1;", r, w.nw) : fmt::format("{} <= {}'d0;", r, w.nw);
    };
    o.open("ST_MAC: begin");
    o.linef("wptr <= wptr + {}'d1;", w.waw);
    o.open("if (idx == k_in_m1) begin");
    o.linef("idx <= {}'d0; {} {} {}", w.iw, nw("pch", false), nw("pky", false), nw("pkx", false));
    o.line("wcnt <= 2'd0; state <= ST_WAIT;");
    o.close("end else begin");
    o.indent();
    o.linef("idx <= idx + {}'d1;", w.iw);
    o.open("if (pkx == k_kw_m1) begin");
    o.line(nw("pkx", false));
    o.open("if (pky == k_kh_m1) begin");
    o.linef("{} {}", nw("pky", false), nw("pch", true));
    o.close("end else " + nw("pky", true));
    o.close("end else " + nw("pkx", true));
    o.close("end");
    o.close("end");
    o.open("ST_WAIT: begin  // the last products reach the accumulators");
    o.linef("wcnt <= wcnt + 2'd1; lane <= {}'d0;", w.lw);
    o.open("if (wcnt == 2'd1) begin");
    o.line("state <= ST_SHIFT; optr <= obase + ppix; cptr <= cgrp;");
    o.close("end");
    o.close("end");
    o.open("ST_SHIFT: begin");
    o.linef("cptr <= cptr + {}'d1; optr <= optr + k_ohw; lane <= lane + {}'d1;", w.caw, w.lw);
    o.open("if (lane == lanes_m1) begin");
    o.open("if (pox == k_ow_m1 && poy == k_oh_m1) begin  // the group's last pixel");
    o.linef("{} {} ppix <= {}'d0; wgrp <= wptr;", nw("pox", false), nw("poy", false), w.tw);
    o.open("if (grp == k_groups_m1) begin");
    o.linef("wcnt <= 2'd0; cgrp <= cptr + {}'d1; state <= ST_DRAIN;", w.caw);
    o.close("end else begin");
    o.indent();
    const std::int64_t mask = (std::int64_t{1} << w.caw) - 1;
    o.linef("grp <= grp + {}'d1; cgrp <= cgrp + {}'d{}; obase <= obase + k_pstride; state <= ST_MAC;", w.gw, w.caw,
            p.macs & mask);
    o.close("end");
    o.close("end else begin  // the next pixel of the group: its taps again");
    o.indent();
    o.open("if (pox == k_ow_m1) begin");
    o.linef("{} {}", nw("pox", false), nw("poy", true));
    o.close("end else " + nw("pox", true));
    o.linef("ppix <= ppix + {}'d1; wptr <= wgrp; state <= ST_MAC;", w.tw);
    o.close("end");
    o.close("end");
    o.close("end");
}

void pool_state(CodeWriter& o, const Int8Widths& w) {
    o.open("ST_POOL: begin");
    const auto inc = [&](const char* r) { return fmt::format("{0} <= {0} + {1}'d1;", r, w.nw); };
    const auto clr = [&](const char* r) { return fmt::format("{} <= {}'d0;", r, w.nw); };
    o.open("if (pkx == k_kw_m1) begin");
    o.line(clr("pkx"));
    o.open("if (pky == k_kh_m1) begin");
    o.line(clr("pky"));
    o.linef("optr <= optr + {}'d1;", w.tw);
    o.open("if (pox == k_ow_m1) begin");
    o.line(clr("pox"));
    o.open("if (poy == k_oh_m1) begin");
    o.line(clr("poy"));
    o.open("if (pch == k_c_m1) begin");
    o.line("wcnt <= 2'd0; state <= ST_DRAIN;");
    o.close("end else " + inc("pch"));
    o.close("end else " + inc("poy"));
    o.close("end else " + inc("pox"));
    o.close("end else " + inc("pky"));
    o.close("end else " + inc("pkx"));
    o.close("end");
}

}  // namespace

void int8_controller(CodeWriter& o, const Int8Rtl& p, const Int8Widths& w) {
    o.line("// ---- controller ----");
    o.linef("wire [{}:0] lanes_m1 = grp == k_groups_m1 ? k_last_lanes_m1 : {}'d{};", w.lw - 1, w.lw, p.macs - 1);
    o.open("always @(posedge clk) begin");
    o.open("if (rst) begin");
    o.linef("state <= ST_IDLE; busy <= 1'b0; done <= 1'b0; step <= {}'d0;", w.stw);
    o.close("end else begin");
    o.indent();
    o.open("case (state)");
    o.open("ST_IDLE: if (start) begin");
    o.linef("busy <= 1'b1; done <= 1'b0; step <= {}'d0; state <= ST_BEGIN;", w.stw);
    o.linef("wptr <= {0}'d0; wgrp <= {0}'d0; cptr <= {1}'d0; cgrp <= {1}'d0;", w.waw, w.caw);
    o.close("end");
    o.open("ST_BEGIN: begin");
    o.linef("idx <= {}'d0; grp <= {}'d0; lane <= {}'d0;", w.iw, w.gw, w.lw);
    o.linef("optr <= {0}'d0; ppix <= {0}'d0; obase <= {0}'d0;", w.tw);
    o.linef("pch <= {0}'d0; poy <= {0}'d0; pox <= {0}'d0; pky <= {0}'d0; pkx <= {0}'d0;", w.nw);
    o.line("state <= k_pool ? ST_POOL : ST_MAC;");
    o.close("end");
    mac_states(o, p, w);
    pool_state(o, w);
    o.open("ST_DRAIN: begin  // the last results reach the buffer");
    o.line("wcnt <= wcnt + 2'd1;");
    o.open("if (wcnt == 2'd3) begin");
    o.open("if (step == LAST_STEP) begin");
    o.line("busy <= 1'b0; done <= 1'b1; state <= ST_IDLE;");
    o.close("end else begin");
    o.indent();
    o.linef("step <= step + {}'d1; state <= ST_BEGIN;", w.stw);
    o.close("end");
    o.close("end");
    o.close("end");
    o.line("default: state <= ST_IDLE;");
    o.close("endcase");
    o.close("end");
    o.close("end");
}

}  // namespace scnn::codegen::verilog
