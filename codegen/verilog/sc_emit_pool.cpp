// SC Verilog emitter: pooling and gather stages (docs/SEMANTICS.md §9.4), and the output-register commit
// that every stateful stage shares. Pooling stages are folded like linear ones: PE j computes output
// o = f·G + j in phase f with scnn_maxpool_pe / scnn_avgpool_pe; window geometry is a ROM.
#include <fmt/core.h>

#include <algorithm>

#include "codegen/verilog/sc_emit_detail.hpp"

namespace scnn::codegen::verilog::detail {

void emit_commit(CodeWriter& w, std::int64_t nop, std::int64_t g, int fold, bool y0_pos) {
    if (fold > 1) {
        w.linef("reg [{0}:0] yn_pos, yn_neg;  // y(t+1) of the groups already computed in this SC cycle",
                (fold - 1) * g - 1);
        CodeWriter::Block a(w, "always @(posedge clk) begin", "end");
        w.line("if (run) begin");
        w.indent();
        w.line("case (ph)");
        w.indent();
        for (int f = 0; f + 1 < fold; ++f)
            w.linef("{0}: begin yn_pos[{1} +: {2}] <= pe_pos; yn_neg[{1} +: {2}] <= pe_neg; end", f, f * g, g);
        w.line("default: ;");
        w.dedent();
        w.line("endcase");
        w.dedent();
        w.line("end");
    }
    CodeWriter::Block a(w, "always @(posedge clk) begin", "end");
    w.line("if (clr) begin");
    w.linef("    y_pos <= {{{}{{1'b{}}}}};", nop, y0_pos ? 1 : 0);
    w.linef("    y_neg <= {{{}{{1'b0}}}};", nop);
    w.line("end else if (last) begin");
    if (fold > 1) {
        w.line("    y_pos <= {pe_pos, yn_pos};");
        w.line("    y_neg <= {pe_neg, yn_neg};");
    } else {
        w.line("    y_pos <= pe_pos;");
        w.line("    y_neg <= pe_neg;");
    }
    w.line("end");
}

void emit_pe_index(CodeWriter& w, std::int64_t nop, int fold) {
    const int phw = phase_width(fold), ow = index_width(nop);
    w.line("localparam integer JI = J;");
    w.linef("localparam [{0}:0] JJ = JI[{0}:0];", ow - 1);
    const std::string ph = ow > phw ? fmt::format("{{{{{}{{1'b0}}}}, ph}}", ow - phw) : std::string("ph");
    w.linef("wire [{}:0] o = {} * GG + JJ;  // the output this PE computes in phase ph", ow - 1, ph);
}

void emit_pe_register_file(CodeWriter& w, int fold, const std::vector<std::pair<std::string, int>>& regs) {
    for (const auto& [name, width] : regs) {
        w.linef("reg signed [{}:0] {} [0:{}];  // this PE's register file: entry f = output f*G + j", width - 1, name,
                fold - 1);
        w.linef("wire signed [{}:0] {}_n;", width - 1, name);
    }
    w.line("integer m;");
    CodeWriter::Block a(w, "always @(posedge clk) begin", "end");
    w.line("if (clr) begin");
    w.indent();
    w.linef("for (m = 0; m < {}; m = m + 1) begin", fold);
    for (const auto& r : regs) w.linef("    {}[m] <= 0;", r.first);
    w.line("end");
    w.dedent();
    w.line("end else if (run) begin");
    for (const auto& r : regs) w.linef("    {0}[ph] <= {0}_n;", r.first);
    w.line("end");
}

int index_width(std::int64_t nop) { return ubits(std::uint64_t(std::max<std::int64_t>(1, nop - 1))); }

namespace {

struct PoolShape {
    std::int64_t ni, no, g, nop, nw;
    int iiw;
};

PoolShape shape_of(const Ctx& ctx, const ir::PlanStage& s) {
    PoolShape p{};
    p.ni = s.in.size();
    p.no = s.out.size();
    p.g = pe_count(p.no, ctx.fold);
    p.nop = p.g * ctx.fold;
    p.nw = std::int64_t{s.pool_kh} * s.pool_kw;
    p.iiw = ubits(std::uint64_t(p.ni));
    return p;
}

void header(Ctx& ctx, CodeWriter& w, const std::string& module, const ir::PlanStage& s, const PoolShape& p, int k) {
    const int phw = phase_width(ctx.fold);
    w.linef("// stage {}: {} '{}', {}x{}x{} -> {}x{}x{}, window {}x{} stride {}x{} pad {},{}, {}; fold {}: {} PEs", k,
            ir::stage_kind_name(s.kind), s.name, s.in.c, s.in.h, s.in.w, s.out.c, s.out.h, s.out.w, s.pool_kh,
            s.pool_kw, s.pool_sh, s.pool_sw, s.pool_pad_top, s.pool_pad_left, ctx.plan.encoding, ctx.fold, p.g);
    w.linef("module {} (", module);
    w.indent();
    w.line("input wire clk,");
    w.line("input wire clr,");
    w.line("input wire run,");
    w.line("input wire last,");
    w.linef("input wire [{}:0] ph,", phw - 1);
    w.linef("input wire [{0}:0] in_pos,", p.ni - 1);
    w.linef("input wire [{0}:0] in_neg,", p.ni - 1);
    w.linef("output wire [{0}:0] out_pos,", p.no - 1);
    w.linef("output wire [{0}:0] out_neg", p.no - 1);
    w.dedent();
    w.line(");");
    w.indent();
    w.linef("localparam integer NW = {};  // window slots", p.nw);
    w.linef("localparam integer G = {};  // processing elements", p.g);
    w.linef("localparam [{0}:0] GG = G[{0}:0];", index_width(p.nop) - 1);
    w.linef("reg [{}:0] win_rom [0:{}];  // input element of every window slot ({} = outside the input)", p.iiw - 1,
            p.nop * p.nw - 1, p.ni);
    std::vector<std::uint64_t> rom(std::size_t(p.nop * p.nw), std::uint64_t(p.ni));
    const auto slots = pool_slots(s);
    for (std::size_t i = 0; i < slots.size(); ++i)
        if (slots[i] >= 0) rom[i] = std::uint64_t(slots[i]);
    ctx.rom(module + "_win.hex", rom, p.iiw);
    w.linef("initial $readmemh(\"{}_win.hex\", win_rom);", module);
    w.linef("reg [{}:0] y_pos, y_neg;  // y(t) of every output, for the whole SC cycle", p.nop - 1);
    w.line("wire [G-1:0] pe_pos, pe_neg;");
}

void footer(Ctx& ctx, CodeWriter& w, const PoolShape& p) {
    emit_commit(w, p.nop, p.g, ctx.fold, ctx.bipolar);
    w.linef("assign out_pos = y_pos[{}:0];", p.no - 1);
    w.linef("assign out_neg = y_neg[{}:0];", p.no - 1);
    if (p.nop > p.no) w.linef("wire unused_pad = &{{1'b0, y_pos[{0}:{1}], y_neg[{0}:{1}]}};", p.nop - 1, p.no);
    w.dedent();
    w.line("endmodule");
}

}  // namespace

StageIo emit_max_pool(Ctx& ctx, int k) {
    const ir::PlanStage& s = ctx.plan.stages[std::size_t(k)];
    const PoolShape p = shape_of(ctx, s);
    StageIo io;
    io.module = fmt::format("scnn_stage{}", k);
    ctx.use("scnn_maxpool_pe");
    const int cw = sbits(std::uint64_t(ctx.plan.length) + 1);
    CodeWriter w = ctx.writer();
    header(ctx, w, io.module, s, p, k);
    // C_i of every input element, packed in one vector stepped by one loop (a generate block per element
    // would make every counter its own code in Verilator's C++: 6,272 of them after a 28x28x8 conv)
    w.linef("reg [{}:0] cin, cin_n;  // C_i(t) (bits [{} * i +: {}]) and C_i(t) + e_i(t)", p.ni * cw - 1, cw, cw);
    w.line("integer ci;");
    {
        CodeWriter::Block a(w, "always @* begin", "end");
        w.linef("for (ci = 0; ci < {0}; ci = ci + 1) cin_n[ci * {1} +: {1}] = cin[ci * {1} +: {1}] + "
                "{{{{{2}{{in_neg[ci]}}}}, in_pos[ci] | in_neg[ci]}};",
                p.ni, cw, cw - 1);
    }
    w.line("always @(posedge clk) if (clr) cin <= 0; else if (last) cin <= cin_n;");
    {
        open_gen_for(w, "g_pe", "J", p.g);
        emit_pe_index(w, p.nop, ctx.fold);
        w.linef("reg [{}:0] wc;", p.nw * cw - 1);
        w.line("reg [NW-1:0] wv;");
        w.linef("reg [{}:0] idx;", p.iiw - 1);
        w.line("integer s;");
        {
            CodeWriter::Block a(w, "always @* begin", "end");
            CodeWriter::Block f(w, "for (s = 0; s < NW; s = s + 1) begin", "end");
            w.line("idx = win_rom[o * NW + s];");
            // C_i(t + 1) = C_i(t) + e_i(t); a slot outside the input reads 0 (and is not valid)
            w.linef("wc[s * {0} +: {0}] = idx == {1}'d{2} ? {0}'d0 : cin_n[idx * {0} +: {0}];", cw, p.iiw, p.ni);
            w.linef("wv[s] = idx != {}'d{};", p.iiw, p.ni);
        }
        emit_pe_register_file(w, ctx.fold, {{"ocnt", cw}});  // O: what the output emitted so far
        w.linef("scnn_maxpool_pe #(.NW(NW), .CW({}), .BIPOLAR({})) u_pe (.cnt(wc), .valid(wv), .o(ocnt[ph]), "
                ".y_pos(y_pos[o]), .y_neg(y_neg[o]), .o_next(ocnt_n), .y_pos_next(pe_pos[J]), "
                ".y_neg_next(pe_neg[J]));",
                cw, ctx.bipolar ? 1 : 0);
        close_gen_for(w, p.g);
    }
    footer(ctx, w, p);
    ctx.files.push_back({io.module + ".v", w.take()});
    return io;
}

StageIo emit_avg_pool(Ctx& ctx, int k) {
    const ir::PlanStage& s = ctx.plan.stages[std::size_t(k)];
    const PoolShape p = shape_of(ctx, s);
    StageIo io;
    io.module = fmt::format("scnn_stage{}", k);
    ctx.use("scnn_avgpool_pe");
    const auto div = pool_divisors(s);
    const std::int32_t dmax = *std::max_element(div.begin(), div.end());
    const int nvw = ubits(std::uint64_t(dmax));
    const int aw = sbits(std::uint64_t(4 * (dmax + p.nw)));
    CodeWriter w = ctx.writer();
    header(ctx, w, io.module, s, p, k);
    std::vector<std::uint64_t> drom(std::size_t(p.nop), 1);
    for (std::size_t o = 0; o < div.size(); ++o) drom[o] = std::uint64_t(div[o]);
    ctx.rom(io.module + "_div.hex", drom, nvw);
    w.linef("reg [{}:0] div_rom [0:{}];  // divisor n of every output", nvw - 1, p.nop - 1);
    w.linef("initial $readmemh(\"{}_div.hex\", div_rom);", io.module);
    emit_input_arrays(w, p.ni, "outside the input");
    {
        open_gen_for(w, "g_pe", "J", p.g);
        emit_pe_index(w, p.nop, ctx.fold);
        w.line("reg [NW-1:0] xp, xn;");
        w.line("integer s;");
        {
            CodeWriter::Block a(w, "always @* begin", "end");
            CodeWriter::Block f(w, "for (s = 0; s < NW; s = s + 1) begin", "end");
            w.line("xp[s] = xp_all[win_rom[o * NW + s]];");
            w.line("xn[s] = xn_all[win_rom[o * NW + s]];");
        }
        emit_pe_register_file(w, ctx.fold, {{"acc", aw}});  // A of the output
        w.linef("scnn_avgpool_pe #(.NW(NW), .AW({}), .NVW({}), .BIPOLAR({})) u_pe (.xp(xp), .xn(xn), .n(div_rom[o]), "
                ".a(acc[ph]), .y_pos(y_pos[o]), .y_neg(y_neg[o]), .a_next(acc_n), .y_pos_next(pe_pos[J]), "
                ".y_neg_next(pe_neg[J]));",
                aw, nvw, ctx.bipolar ? 1 : 0);
        close_gen_for(w, p.g);
    }
    footer(ctx, w, p);
    ctx.files.push_back({io.module + ".v", w.take()});
    return io;
}

StageIo emit_gather(Ctx& ctx, int k) {
    const ir::PlanStage& s = ctx.plan.stages[std::size_t(k)];
    StageIo io;
    io.module = fmt::format("scnn_stage{}", k);
    const std::int64_t ni = s.in.size(), no = s.out.size();
    CodeWriter w = ctx.writer();
    w.linef("// stage {}: gather '{}', {}x{}x{} -> {}x{}x{}: pure wiring (flatten, reshape, zero padding)", k, s.name,
            s.in.c, s.in.h, s.in.w, s.out.c, s.out.h, s.out.w);
    w.linef("module {} (", io.module);
    w.linef("    input wire [{0}:0] in_pos,\n    input wire [{0}:0] in_neg,", ni - 1);
    w.linef("    output wire [{0}:0] out_pos,\n    output wire [{0}:0] out_neg", no - 1);
    w.line(");");
    w.indent();
    for (std::int64_t j = 0; j < no; ++j) {
        const std::int32_t i = s.index[std::size_t(j)];
        if (i < 0)
            w.linef("assign out_pos[{0}] = 1'b0; assign out_neg[{0}] = 1'b0;", j);
        else
            w.linef("assign out_pos[{0}] = in_pos[{1}]; assign out_neg[{0}] = in_neg[{1}];", j, i);
    }
    w.line("wire unused_in = &{1'b0, in_pos, in_neg};");
    w.dedent();
    w.line("endmodule");
    ctx.files.push_back({io.module + ".v", w.take()});
    return io;
}

}  // namespace scnn::codegen::verilog::detail
