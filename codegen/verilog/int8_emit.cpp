// Writes the int8 RTL top module: the controller, the step constants, the activation buffers, the MAC
// lanes, the requantizer and the pooling unit (see int8_emit.hpp for the interface, int8_rtl_plan.hpp for
// the schedule).
#include "codegen/verilog/int8_emit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "codegen/common/code_writer.hpp"
#include "codegen/common/output_dir.hpp"
#include "engine/ir/error.hpp"

namespace scnn::codegen::verilog {

namespace {

using Widths = Int8Widths;

}  // namespace

Int8Widths int8_widths(const Int8Rtl& p) {
    Widths w{};
    w.b0w = index_bits(p.buf_words[0]);
    w.b1w = index_bits(p.buf_words[1]);
    w.inw = index_bits(p.input_words);
    w.abw = std::max({w.b0w, w.b1w, w.inw});
    w.paw = index_bits(p.input_size);
    w.stw = index_bits(std::int64_t(p.steps.size()));
    w.waw = index_bits(std::int64_t(p.wrom.size()));
    w.caw = index_bits(std::int64_t(p.crom.size()));
    int max_in = 1, max_groups = 1;
    for (const Int8Step& s : p.steps) {
        max_in = std::max(max_in, s.in);
        max_groups = std::max(max_groups, s.groups);
    }
    w.iw = index_bits(max_in);
    w.gw = index_bits(max_groups);
    w.lw = index_bits(p.macs);
    w.nw = w.abw + 1;  // pool coordinates: room for a negative (padded) row or column to wrap above any size
    w.tw = std::max(w.b0w, w.b1w);
    w.cw = index_bits(p.classes);
    w.padded_count = std::any_of(p.steps.begin(), p.steps.end(), [](const Int8Step& s) {
        return s.kind == Int8StepKind::Pool && s.average && s.count_pad &&
               (s.pool.pad_top | s.pool.pad_left | s.pool.pad_bottom | s.pool.pad_right) != 0;
    });
    return w;
}

namespace {


void ports(CodeWriter& o, const Int8Rtl& p, const Widths& w) {
    o.open(fmt::format("module {} (", kInt8Top));
    o.line("input  wire clk,");
    o.line("input  wire rst,  // synchronous, active high");
    o.line("input  wire pix_we,  // pixel write port, used while idle");
    o.linef("input  wire [{}:0] pix_addr,  // 0..{}", w.paw - 1, p.input_size - 1);
    o.line("input  wire [7:0] pix_data,  // 0..255");
    o.line("input  wire start,  // one-clock pulse while idle");
    o.line("output reg  busy,");
    o.line("output reg  done,  // high from the end of an inference until the next start");
    o.linef("output reg  [{}:0] logits,  // int8 logit of class k in bits [8k+7:8k]", 8 * p.classes - 1);
    o.linef("output reg  [{}:0] pred_class  // argmax of the logits, ties to the lowest index", w.cw - 1);
    o.close(");");
}

void declarations(CodeWriter& o, const Int8Rtl& p, const Widths& w) {
    o.linef("localparam P = {};  // MAC lanes", p.macs);
    o.linef("localparam AW = {};  // accumulator width", p.acc_w);
    o.linef("localparam PSW = {};  // pooling sum width", p.pool_sum_w);
    o.linef("localparam [{}:0] LAST_STEP = {}'d{};", w.stw - 1, w.stw, p.steps.size() - 1);
    o.line("localparam [2:0] ST_IDLE = 3'd0, ST_BEGIN = 3'd1, ST_MAC = 3'd2, ST_WAIT = 3'd3, ST_SHIFT = 3'd4,");
    o.line("                 ST_POOL = 3'd5, ST_DRAIN = 3'd6;");
    o.line("reg [2:0] state;");
    o.linef("reg [{}:0] step;", w.stw - 1);
    o.line("reg [1:0] wcnt;  // WAIT and DRAIN clocks");
    o.linef("reg [{}:0] idx;  // Mac: input index", w.iw - 1);
    o.linef("reg [{}:0] grp;  // Mac: group of P outputs", w.gw - 1);
    o.linef("reg [{}:0] lane;  // Mac: lane being shifted out", w.lw - 1);
    o.linef("reg [{}:0] wptr;  // weight ROM row", w.waw - 1);
    o.linef("reg [{}:0] cptr;  // channel ROM word", w.caw - 1);
    o.linef("reg [{}:0] optr;  // output index of the step", w.tw - 1);
    o.linef("reg [{}:0] ppix, obase;  // Mac: output pixel, first output of the group's first channel", w.tw - 1);
    o.linef("reg [{}:0] wgrp;  // Mac: first weight row of the group", w.waw - 1);
    o.linef("reg [{}:0] cgrp;  // Mac: first channel word of the group", w.caw - 1);
    o.linef("reg [{}:0] pch, poy, pox, pky, pkx;  // Pool: channel, output row/column, window row/column", w.nw - 1);
}

/// Per-step constants, selected by `step` (a mux of constants).
void step_constants(CodeWriter& o, const Int8Rtl& p, const Widths& w) {
    o.line("reg k_pool, k_src;");
    o.linef("reg [{}:0] k_in_m1;", w.iw - 1);
    o.linef("reg [{}:0] k_groups_m1;", w.gw - 1);
    o.linef("reg [{}:0] k_last_lanes_m1;", w.lw - 1);
    o.line("reg signed [8:0] k_zp_in, k_zp_out;");
    o.line("reg signed [7:0] k_act_min, k_act_max;");
    o.linef("reg [{}:0] k_kh_m1, k_kw_m1, k_oh_m1, k_ow_m1, k_c_m1;", w.nw - 1);
    o.linef("reg [{}:0] k_ohw, k_pstride;  // Mac: output pixels, P * output pixels", w.tw - 1);
    o.open("always @* begin");
    o.line("k_pool = 1'b0; k_src = 1'b0;");
    o.linef("k_in_m1 = {}'d0; k_groups_m1 = {}'d0; k_last_lanes_m1 = {}'d0;", w.iw, w.gw, w.lw);
    o.line("k_zp_in = 9'sd0; k_zp_out = 9'sd0; k_act_min = -8'sd128; k_act_max = 8'sd127;");
    o.linef("k_kh_m1 = {0}'d0; k_kw_m1 = {0}'d0; k_oh_m1 = {0}'d0; k_ow_m1 = {0}'d0; k_c_m1 = {0}'d0;", w.nw);
    o.linef("k_ohw = {0}'d0; k_pstride = {0}'d0;", w.tw);
    o.open("case (step)");
    for (std::size_t i = 0; i < p.steps.size(); ++i) {
        const Int8Step& s = p.steps[i];
        o.open(fmt::format("{}'d{}: begin  // {} ({})", w.stw, i, s.name, s.kind == Int8StepKind::Mac ? "Mac" : "Pool"));
        o.linef("k_src = 1'b{};", s.src);
        o.linef("k_zp_in = {}; k_zp_out = {}; k_act_min = {}; k_act_max = {};", sdec(9, s.zp_in), sdec(9, s.zp_out),
                sdec(8, s.act_min), sdec(8, s.act_max));
        if (s.kind == Int8StepKind::Mac) {
            const int last_lanes = s.out - (s.groups - 1) * p.macs;
            o.linef("k_in_m1 = {}'d{}; k_groups_m1 = {}'d{}; k_last_lanes_m1 = {}'d{};", w.iw, s.in - 1, w.gw,
                    s.groups - 1, w.lw, last_lanes - 1);
            const std::int64_t ohw = std::int64_t{s.pout.h} * s.pout.w, mask = (std::int64_t{1} << w.tw) - 1;
            o.linef("k_ohw = {0}'d{1}; k_pstride = {0}'d{2};", w.tw, ohw & mask, (ohw * p.macs) & mask);
        } else {
            o.line("k_pool = 1'b1;");
        }
        o.linef("k_kh_m1 = {0}'d{1}; k_kw_m1 = {0}'d{2}; k_oh_m1 = {0}'d{3}; k_ow_m1 = {0}'d{4}; k_c_m1 = {0}'d{5};",
                w.nw, s.pool.kh - 1, s.pool.kw - 1, s.pout.h - 1, s.pout.w - 1, s.pin.c - 1);
        o.close("end");
    }
    o.line("default: ;");
    o.close("endcase");
    o.close("end");
}

}  // namespace

int index_bits(std::int64_t n) {
    int bits = 1;
    while ((std::int64_t{1} << bits) < n) ++bits;
    return bits;
}

std::string sdec(int bits, std::int64_t v) {
    const std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
    return fmt::format("{}'h{:x}", bits, std::uint64_t(v) & mask);
}

std::vector<std::pair<std::string, std::string>> int8_verilog_files(const Int8Rtl& p, const std::string& command) {
    const Widths w = int8_widths(p);
    CodeWriter o;
    o.stamp("//", command);
    o.linef("// int8 inference of a quantized network (TFLite integer-only semantics, bit-exact with scnn's int8");
    o.linef("// executor) on {} multiply-accumulate lanes; {} clock cycles per inference from start to done.", p.macs,
            p.cycles);
    ports(o, p, w);
    o.indent();
    declarations(o, p, w);
    step_constants(o, p, w);
    int8_top_body(o, p, w);
    o.dedent();
    o.line("endmodule");

    std::vector<std::pair<std::string, std::string>> files;
    files.emplace_back(std::string(kInt8Top) + ".v", o.take());
    files.emplace_back("scnn_int8_wrom.v", int8_wrom_file(p, command));
    files.emplace_back("scnn_int8_crom.v", int8_crom_file(p, command));
    files.emplace_back("scnn_int8_in_lut.v", int8_lut_file(p, command));
    for (const char* name : {"scnn_int8_mac.v", "scnn_int8_requant.v"}) {
        const std::string path = std::string(SCNN_SOURCE_DIR) + "/rtl/int8/" + name;
        std::ifstream in(path, std::ios::binary);
        if (!in) throw Error(fmt::format("{}: cannot read the hand-written module", path));
        std::ostringstream text;
        text << in.rdbuf();
        files.emplace_back(name, text.str());
    }
    return files;
}

void emit_int8_verilog(const Int8Rtl& plan, const std::string& command, const std::filesystem::path& dir) {
    const auto files = int8_verilog_files(plan, command);
    OutputDir out(dir);
    for (const auto& [name, text] : files) out.write(name, text);
    out.commit();
}

}  // namespace scnn::codegen::verilog
