// SC Verilog emitter: the top module scnn_top (interface in sc_emitter.hpp): pixel memory and input
// comparators (§9.2), the generators, the stage instances in plan order, the class counts, the argmax and
// the SC-cycle control with early termination (§9.8).
#include <fmt/core.h>

#include <algorithm>

#include "codegen/verilog/sc_emit_detail.hpp"

namespace scnn::codegen::verilog::detail {

namespace {

void ports(CodeWriter& w, const ScDesign& d) {
    w.line("module scnn_top (");
    w.indent();
    w.line("input wire clk,");
    w.line("input wire rst,");
    w.line("input wire pix_we,");
    w.linef("input wire [{}:0] pix_addr,", d.pixel_addr_width - 1);
    w.line("input wire [7:0] pix_data,");
    w.line("input wire start,");
    w.line("input wire early_en,");
    w.linef("input wire [{}:0] margin,", d.count_width - 1);
    w.linef("input wire [{}:0] class_sel,", d.class_width - 1);
    w.linef("output wire signed [{}:0] class_count,", d.count_width - 1);
    w.linef("output reg [{}:0] pred,", d.class_width - 1);
    w.line("output wire busy,");
    w.line("output wire done,");
    w.line("output wire [31:0] sc_cycles");
    w.dedent();
    w.line(");");
}

void control(CodeWriter& w, int fold, int phw) {
    w.line("// SC-cycle control: `fold` clocks (phases) per SC cycle; generators step and stage outputs commit in");
    w.line("// the last phase. stop_now is checked in phase 0, between SC cycles.");
    w.linef("localparam integer FLI = {};", fold - 1);
    w.linef("localparam [{0}:0] PH_LAST = FLI[{0}:0];", phw - 1);
    w.line("localparam integer PH1I = 1;");
    w.linef("localparam [{0}:0] PH1 = PH1I[{0}:0];", phw - 1);
    w.line("reg running, done_r;");
    w.line("reg early_r;");
    w.linef("reg [{}:0] ph;", phw - 1);
    w.line("reg [31:0] t;   // SC cycles completed");
    w.line("reg [31:0] tk;  // t mod EARLY_EVERY");
    w.line("wire stop_now;");
    w.line("wire clr = rst | start;");
    w.line("wire run = running & ~stop_now;");
    w.line("wire last = run & (ph == PH_LAST);");
    {
        CodeWriter::Block a(w, "always @(posedge clk) begin", "end");
        w.line("if (rst) begin");
        w.line("    running <= 1'b0; done_r <= 1'b0; ph <= 0; t <= 0; tk <= 0;");
        w.line("end else if (start) begin");
        w.line("    running <= 1'b1; done_r <= 1'b0; ph <= 0; t <= 0; tk <= 0;");
        w.line("    early_r <= early_en; margin_r <= margin;  // sampled at start");
        w.line("end else if (running && stop_now) begin");
        w.line("    running <= 1'b0; done_r <= 1'b1;");
        w.line("end else if (run) begin");
        w.linef("    ph <= last ? {{{}{{1'b0}}}} : ph + PH1;", phw);
        w.line("    if (last) begin");
        w.line("        t <= t + 32'd1;");
        w.line("        tk <= (tk == EARLY_EVERY - 32'd1) ? 32'd0 : tk + 32'd1;");
        w.line("    end");
        w.line("end");
    }
    w.line("assign busy = running;");
    w.line("assign done = done_r;");
    w.line("assign sc_cycles = t;");
}

void argmax_and_early(CodeWriter& w, const ScDesign& d, std::int64_t per_cycle) {
    const int cw = d.count_width;
    w.line("// argmax, ties to the lowest class, and the lead over the runner-up (§9.8)");
    w.linef("reg signed [{}:0] best_v, second_v;", cw - 1);
    w.line("integer c;");
    {
        CodeWriter::Block a(w, "always @* begin", "end");
        w.line("pred = 0;");
        w.line("best_v = cnt[0];");
        w.linef("second_v = {{1'b1, {{{}{{1'b0}}}}}};  // the most negative count", cw - 1);
        w.line("for (c = 1; c < NCLS; c = c + 1) begin");
        w.indent();
        w.line("if (cnt[c] > best_v) begin");
        w.linef("    second_v = best_v; best_v = cnt[c]; pred = c[{}:0];", d.class_width - 1);
        w.line("end else if (cnt[c] > second_v) begin");
        w.line("    second_v = cnt[c];");
        w.line("end");
        w.dedent();
        w.line("end");
    }
    if (d.classes < 2) {
        w.line("wire unused_early = &{1'b0, early_r, margin_r, second_v, tk};");
        w.line("assign stop_now = (ph == 0) && (t == LEN);");
        return;
    }
    w.linef("wire signed [{0}:0] lead = {{best_v[{1}], best_v}} - {{second_v[{1}], second_v}};", cw, cw - 1);
    w.linef("wire [63:0] lead_u = {{{{{0}{{1'b0}}}}, lead}};  // lead >= 0", 63 - cw);
    w.linef("wire [63:0] bound = 64'd{} * {{32'd0, LEN - t}};  // the most the other classes can still gain", per_cycle);
    w.line("wire check = early_r && (t != 0) && (t < LEN) && (tk == 0);");
    w.linef("wire sure = lead_u > bound;");
    w.linef("wire by_margin = (margin_r != 0) && (lead_u >= {{{}'d0, margin_r}});", 64 - cw);
    w.line("assign stop_now = (ph == 0) && ((t == LEN) || (check && (sure || by_margin)));");
}

}  // namespace

void emit_top(Ctx& ctx, const std::vector<StageIo>& stages, ScDesign& d) {
    const ir::ScPlan& plan = ctx.plan;
    const ir::PlanStage& last = plan.stages.back();
    const int fold = ctx.fold, phw = phase_width(fold);
    d.length = plan.length;
    d.input_size = plan.input.size();
    d.classes = int(last.out.size());
    d.pixel_addr_width = ubits(std::uint64_t(std::max<std::int64_t>(1, d.input_size - 1)));
    d.class_width = ubits(std::uint64_t(std::max(1, d.classes - 1)));
    d.count_width = stages.back().final_counts ? stages.back().count_width : sbits(std::uint64_t(plan.length));
    d.early_every = plan.early_exit_every;
    const auto& ig = plan.generators[std::size_t(plan.input_gen)];
    const int rin = int(ig.width);
    ctx.use("scnn_sng_cmp");
    CodeWriter w = ctx.writer();
    w.linef("// scnn_top: SC network '{}', {}, L = {}, fold {} ({} clocks per SC cycle); interface and timing in",
            plan.model, plan.encoding, plan.length, fold, fold);
    w.line("// docs/RTL.md. Options of the plan: " + plan.options);
    ports(w, d);
    w.indent();
    w.linef("localparam integer NPIX = {};", d.input_size);
    w.linef("localparam integer NCLS = {};", d.classes);
    w.linef("localparam [31:0] LEN = 32'd{};", plan.length);
    w.linef("localparam [31:0] EARLY_EVERY = 32'd{};", d.early_every);
    w.linef("reg [{}:0] margin_r;", d.count_width - 1);
    control(w, fold, phw);
    w.line("// generators: every one steps once per SC cycle (in the last phase)");
    for (std::size_t g = 0; g < plan.generators.size(); ++g) emit_generator(ctx, w, int(g));
    w.line("// input (§9.2): the pixel write port stores each pixel's threshold; one comparator per pixel");
    ctx.rom("scnn_input_thr.hex", std::vector<std::uint64_t>(plan.input_thresholds.begin(), plan.input_thresholds.end()),
            rin + 1);
    w.linef("reg [{}:0] in_thr_rom [0:255];", rin);
    w.line("initial $readmemh(\"scnn_input_thr.hex\", in_thr_rom);");
    w.linef("reg [{}:0] pix_thr [0:NPIX-1];", rin);
    w.line("always @(posedge clk) if (pix_we) pix_thr[pix_addr] <= in_thr_rom[pix_data];");
    w.line("wire [NPIX-1:0] in_pos, in_neg;");
    open_gen_for(w, "g_in", "I", d.input_size);
    w.linef("scnn_sng_cmp #(.N({})) u_cmp (.r(r_gen{}), .t(pix_thr[I]), .bit_out(in_pos[I]));", rin, plan.input_gen);
    close_gen_for(w, d.input_size);
    w.line("genvar i;");
    w.line(ctx.bipolar ? "assign in_neg = ~in_pos;" : "assign in_neg = {NPIX{1'b0}};");
    std::string prev = "in";
    for (std::size_t k = 0; k < stages.size(); ++k) {
        const ir::PlanStage& s = plan.stages[k];
        const StageIo& io = stages[k];
        std::string conn;
        if (s.kind != ir::StageKind::gather) {
            conn = ".clk(clk), .clr(clr), .run(run), ";
            if (!io.final_counts) conn += ".last(last), ";
            conn += ".ph(ph), ";
        }
        if (io.uses_weight_gen) conn += fmt::format(".r_w(r_gen{}), ", s.weight_gen);
        if (io.uses_select_gen) conn += fmt::format(".r_s(r_gen{}), ", s.select_gen);
        conn += fmt::format(".in_pos({0}_pos), .in_neg({0}_neg), ", prev);
        if (io.final_counts) {
            w.linef("wire [{}:0] counts;", d.classes * d.count_width - 1);
            w.linef("{0} u_stage{1} ({2}.counts(counts));", io.module, k, conn);
        } else {
            w.linef("wire [{0}:0] s{1}_pos, s{1}_neg;", s.out.size() - 1, k);
            w.linef("{0} u_stage{1} ({2}.out_pos(s{1}_pos), .out_neg(s{1}_neg));", io.module, k, conn);
        }
        prev = fmt::format("s{}", k);
        d.sources.push_back(io.module + ".v");
    }
    w.linef("wire signed [{}:0] cnt [0:NCLS-1];  // per-class counts", d.count_width - 1);
    if (stages.back().final_counts) {
        w.line("for (i = 0; i < NCLS; i = i + 1) begin : g_cnt");
        w.linef("    assign cnt[i] = counts[i * {0} +: {0}];", d.count_width);
        w.line("end");
    } else {  // a pooled tail: count Σ e(t) of the last stage's streams
        ctx.use("scnn_out_counter");
        w.linef("reg signed [{}:0] tail [0:NCLS-1];", d.count_width - 1);
        w.linef("wire signed [{}:0] tail_n [0:NCLS-1];", d.count_width - 1);
        w.line("integer tc;");
        w.line("for (i = 0; i < NCLS; i = i + 1) begin : g_cnt");
        w.linef("    scnn_out_counter #(.CW({0}), .DW(2)) u_c (.count(tail[i]), .delta({{{1}_neg[i], {1}_pos[i] | {1}_neg[i]}}), "
                ".count_next(tail_n[i]));",
                d.count_width, prev);
        w.line("    assign cnt[i] = tail[i];");
        w.line("end");
        w.line("always @(posedge clk) begin");
        w.line("    if (clr) for (tc = 0; tc < NCLS; tc = tc + 1) tail[tc] <= 0;");
        w.line("    else if (last) for (tc = 0; tc < NCLS; tc = tc + 1) tail[tc] <= tail_n[tc];");
        w.line("end");
    }
    w.line("assign class_count = cnt[class_sel];");
    argmax_and_early(w, d, early_per_cycle(plan, stages.back()));
    w.dedent();
    w.line("endmodule");
    ctx.files.push_back({"scnn_top.v", w.take()});
    d.sources.push_back("scnn_top.v");
}

}  // namespace scnn::codegen::verilog::detail
