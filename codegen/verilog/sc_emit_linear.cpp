// SC Verilog emitter: a linear stage (dense, conv, affine; docs/SEMANTICS.md §9.3) as one module
// scnn_stage<k>. G = ceil(n/F) processing elements; in phase f (0 .. F-1) of every SC cycle PE j computes
// output o = f·G + j: its P products, the bias product, the adder (scnn_apc / scnn_or_adder /
// scnn_mux_adder) and the neuron step (scnn_ds_neuron / scnn_fsm_neuron) or the class count
// (scnn_out_counter). Neuron state lives in memories of n entries (register files), the outputs y(t) in a
// register that changes only at the end of the SC cycle, so that every phase reads the same y(t).
//
// Constants are wired, not stored: one comparator per distinct weight threshold, the threshold a constant;
// every product of PE j is written out with its input element, weight stream and sign as constants — in the
// parallel form (F = 1) a plain wire, folded a case over the phase (a ROM of F entries per product, whose
// contents are wires). No stage-wide ROM is read at a computed address, so synthesis sees only gates.
#include <fmt/core.h>

#include <algorithm>
#include <map>

#include "codegen/verilog/sc_emit_detail.hpp"
#include "engine/ir/error.hpp"

namespace scnn::codegen::verilog::detail {

namespace {

struct LinearShape {
    std::int64_t ni, no, per, g, nop;
    int rw, kw, cnw, dw, aw, ew, iw, cw, sw = 1, srw = 1;
    std::map<std::int64_t, int> index;  // weight threshold magnitude -> comparator (wbit) index
};

std::string hdr_ports(const LinearShape& L, const ir::PlanStage& s, int phw) {
    std::string p = "    input wire clk,\n    input wire clr,\n    input wire run,\n";
    if (!s.final) p += "    input wire last,\n";
    p += fmt::format("    input wire [{}:0] ph,\n    input wire [{}:0] r_w,\n", phw - 1, L.rw - 1);
    if (s.adder == "mux") p += fmt::format("    input wire [{}:0] r_s,\n", L.srw - 1);
    p += fmt::format("    input wire [{0}:0] in_pos,\n    input wire [{0}:0] in_neg,\n", L.ni - 1);
    if (s.final) return p + fmt::format("    output wire [{}:0] counts\n", L.no * L.cw - 1);
    return p + fmt::format("    output wire [{0}:0] out_pos,\n    output wire [{0}:0] out_neg\n", L.no - 1);
}

std::int64_t magnitude(const Ctx& ctx, std::int32_t t) { return ctx.bipolar ? t : std::abs(t); }

/// The comparators' thresholds: every weight threshold some product reads (not only padding), and the biases.
/// Returns the §9.8 per-cycle term count of the stage (the largest over its outputs).
std::int64_t index_thresholds(const Ctx& ctx, const ir::PlanStage& s, LinearShape& L) {
    const auto slots = linear_slots(s);
    std::int64_t most = 1;
    for (std::int64_t o = 0; o < L.no; ++o) {
        const int ch = channel_of(s, o);
        std::int64_t terms = 0;
        for (std::int64_t i = 0; i < L.per; ++i) {
            if (slots[std::size_t(o * L.per + i)] < 0) continue;
            const std::int32_t t = s.weights[std::size_t(ch * L.per + i)];
            L.index.emplace(magnitude(ctx, t), 0);
            terms += ctx.bipolar ? 2 : (t != 0);
        }
        const std::int32_t b = s.bias[std::size_t(ch)];
        L.index.emplace(magnitude(ctx, b), 0);
        terms += ctx.bipolar ? 2 : (b != 0);
        most = std::max(most, terms);
    }
    int next = 0;
    for (auto& [v, i] : L.index) i = next++;
    return s.adder == "apc" ? most : 1;
}

/// The product of input element `in` (−1: padding, the constant 0) with the weight threshold `t`, as the
/// Verilog expressions of its (pos, neg) pair (scnn_product's rule with constant wiring); `in` = −2 is the
/// bias, whose x stream is +1.
std::pair<std::string, std::string> product(const Ctx& ctx, const LinearShape& L, std::int32_t in, std::int32_t t) {
    if (in == -1) return {"1'b0", "1'b0"};
    const std::string w = fmt::format("wbit[{}]", L.index.at(magnitude(ctx, t)));
    if (in == -2) {
        if (ctx.bipolar) return {w, "~" + w};
        return t < 0 ? std::pair<std::string, std::string>{"1'b0", w} : std::pair<std::string, std::string>{w, "1'b0"};
    }
    const std::string xp = fmt::format("in_pos[{}]", in), xn = fmt::format("in_neg[{}]", in);
    if (ctx.bipolar)  // XNOR
        return {fmt::format("({0} & {2}) | ({1} & ~{2})", xp, xn, w),
                fmt::format("({0} & ~{2}) | ({1} & {2})", xp, xn, w)};
    return t < 0 ? std::pair{fmt::format("{} & {}", w, xn), fmt::format("{} & {}", w, xp)}  // AND, wired by sign
                 : std::pair{fmt::format("{} & {}", w, xp), fmt::format("{} & {}", w, xn)};
}

/// One comparator per distinct threshold; bit d is the weight stream r_w(t) < thr[d].
void write_comparators(CodeWriter& w, const LinearShape& L) {
    w.linef("wire wbit [0:{}];  // weight streams, one per distinct threshold", L.index.size() - 1);
    for (const auto& [v, d] : L.index)
        w.linef("scnn_sng_cmp #(.N({0})) u_cmp{1} (.r(r_w), .t({2}'d{3}), .bit_out(wbit[{1}]));", L.rw, d, L.rw + 1, v);
}

/// Writes the P + 1 product pairs of output o into {pp}[i], {pn}[i] (o >= n: a PE idle in that phase, all 0;
/// the last one is the bias), each statement prefixed by `op` ("assign " or nothing), and its k into `kdst`.
void write_output_terms(Ctx& ctx, CodeWriter& w, const ir::PlanStage& s, const LinearShape& L,
                        const std::vector<std::int32_t>& slots, std::int64_t o, std::int64_t j, const std::string& op,
                        bool with_k, const std::string& kdst) {
    for (std::int64_t i = 0; i <= L.per; ++i) {
        std::pair<std::string, std::string> e{"1'b0", "1'b0"};
        if (o < L.no) {
            const int ch = channel_of(s, o);
            e = i < L.per ? product(ctx, L, slots[std::size_t(o * L.per + i)], s.weights[std::size_t(ch * L.per + i)])
                          : product(ctx, L, -2, s.bias[std::size_t(ch)]);
        }
        w.linef("{0}pp{1}[{2}] = {3}; {0}pn{1}[{2}] = {4};", op, j, i, e.first, e.second);
    }
    if (with_k) w.linef("{}{} = {}'d{};", op, kdst, L.kw, o < L.no ? s.k[std::size_t(channel_of(s, o))] : 1);
}

/// PE j's adder over its P + 1 products pp<j>/pn<j> (scnn_apc / scnn_or_adder / scnn_mux_adder) gives
/// pe_delta[j] = Δ(t).
void write_adder(CodeWriter& w, const ir::PlanStage& s, const LinearShape& L, std::int64_t j) {
    if (s.adder == "apc") {
        w.linef("wire [{0}:0] cp{1}, cn{1};", L.cnw - 1, j);
        w.linef("scnn_apc #(.N({0}), .CW({1})) u_apc_p{2} (.in(pp{2}), .count(cp{2}));", L.per + 1, L.cnw, j);
        w.linef("scnn_apc #(.N({0}), .CW({1})) u_apc_n{2} (.in(pn{2}), .count(cn{2}));", L.per + 1, L.cnw, j);
        w.linef("assign pe_delta[{0}] = {{1'b0, cp{0}}} - {{1'b0, cn{0}}};", j);
        return;
    }
    w.linef("wire dp{0}, dn{0};", j);
    if (s.adder == "or")
        w.linef("scnn_or_adder #(.N({0})) u_add{1} (.pp(pp{1}), .pn(pn{1}), .dp(dp{1}), .dn(dn{1}));", L.per + 1, j);
    else
        w.linef(
            "scnn_mux_adder #(.N({0}), .SW({1})) u_add{2} (.pp(pp{2}), .pn(pn{2}), .sel(sel), .dp(dp{2}), "
            ".dn(dn{2}));",
            L.per + 1, L.sw, j);
    w.linef("assign pe_delta[{0}] = {{1'b0, dp{0}}} - {{1'b0, dn{0}}};", j);
}

/// Every PE written out: its products pp<j>/pn<j> (wires in the parallel form, a case over the phase when
/// folded), its adder, and for a delta-sigma stage the k of the output it computes (pe_k[j]). Each PE's
/// signals are its own nets, so a simulator re-evaluates only what a changed bit feeds.
void write_pes_unrolled(Ctx& ctx, CodeWriter& w, const ir::PlanStage& s, const LinearShape& L, bool with_k) {
    const auto slots = linear_slots(s);
    const int F = ctx.fold, phw = phase_width(F);
    w.linef("wire signed [{}:0] pe_delta [0:G-1];  // Δ(t) of the output each PE computes in this phase", L.dw - 1);
    if (with_k) w.linef("wire [{}:0] pe_k [0:G-1];  // k of the output each PE computes in this phase", L.kw - 1);
    for (std::int64_t j = 0; j < L.g; ++j) {
        if (F == 1) {
            w.linef("// PE {0}: output {0}", j);
            w.linef("wire [{0}:0] pp{1}, pn{1};", L.per, j);
            write_output_terms(ctx, w, s, L, slots, j, j, "assign ", with_k, fmt::format("pe_k[{}]", j));
        } else {
            w.linef("// PE {0}: output f*G + {0} in phase f", j);
            w.linef("reg [{0}:0] pp{1}, pn{1};", L.per, j);
            if (with_k) w.linef("reg [{}:0] k{};", L.kw - 1, j);
            CodeWriter::Block a(w, "always @* begin", "end");
            w.line("case (ph)");
            w.indent();
            for (int f = 0; f < F; ++f) {
                CodeWriter::Block c(w, fmt::format("{}'d{}: begin", phw, f), "end");
                write_output_terms(ctx, w, s, L, slots, std::int64_t(f) * L.g + j, j, "", with_k,
                                   fmt::format("k{}", j));
            }
            if (F < (1 << phw)) {
                w.linef("default: begin pp{0} = {{{1}{{1'b0}}}}; pn{0} = {{{1}{{1'b0}}}};{2} end", j, L.per + 1,
                        with_k ? fmt::format(" k{} = {}'d1;", j, L.kw) : std::string());
            }
            w.dedent();
            w.line("endcase");
        }
        if (with_k && F > 1) w.linef("assign pe_k[{0}] = k{0};", j);
        write_adder(w, s, L, j);
    }
}

void write_pe_body(Ctx& ctx, CodeWriter& w, const ir::PlanStage& s, const LinearShape& L) {
    const int B = ctx.bipolar ? 1 : 0;
    emit_pe_index(w, L.nop, ctx.fold);
    if (s.final) {
        w.linef(
            "scnn_out_counter #(.CW({}), .DW({})) u_count (.count(cnt[o]), .delta(pe_delta[J]), "
            ".count_next(pe_cnt[J]));",
            L.cw, L.dw);
        return;
    }
    const std::string common = fmt::format(
        ".AW({}), .DW({}), .IW({}), .D({}64'sd{}), .ACC_MIN({}64'sd{}), "
        ".ACC_MAX({}64'sd{}), .BIPOLAR({}), .SIGNED_OUT({})",
        L.aw, L.dw, L.iw, s.d < 0 ? "-" : "", std::abs(s.d), s.acc_min < 0 ? "-" : "", std::abs(s.acc_min),
        s.acc_max < 0 ? "-" : "", std::abs(s.acc_max), B, s.signed_out ? 1 : 0);
    if (s.neuron == "fsm") {
        emit_pe_register_file(w, ctx.fold, {{"acc", L.aw}});
        w.linef(
            "scnn_fsm_neuron #({}) u_neuron (.acc(acc[ph]), .delta(pe_delta[J]), .acc_next(acc_n), "
            ".y_pos_next(pe_pos[J]), .y_neg_next(pe_neg[J]));",
            common);
        w.line("wire unused_y = &{1'b0, y_pos[o], y_neg[o]};");
    } else {
        emit_pe_register_file(w, ctx.fold, {{"acc", L.aw}, {"esum", L.ew}});  // esum: Σ y (bipolar unsigned)
        w.linef(
            "scnn_ds_neuron #({}, .EW({}), .KW({})) u_neuron (.acc(acc[ph]), .e_sum(esum[ph]), .y_pos(y_pos[o]), "
            ".y_neg(y_neg[o]), .delta(pe_delta[J]), .k(pe_k[J]), .acc_next(acc_n), .e_next(esum_n), "
            ".y_pos_next(pe_pos[J]), .y_neg_next(pe_neg[J]));",
            common, L.ew, L.kw);
    }
}

void write_pe(Ctx& ctx, CodeWriter& w, const ir::PlanStage& s, const LinearShape& L) {
    open_gen_for(w, "g_pe", "J", L.g);
    write_pe_body(ctx, w, s, L);
    close_gen_for(w, L.g);
}

LinearShape shape_of(const Ctx& ctx, const ir::PlanStage& s) {
    const ir::PlanGenerator& wg = ctx.plan.generators[std::size_t(s.weight_gen)];
    LinearShape L{};
    L.ni = s.in.size();
    L.no = s.out.size();
    L.per = weights_per_channel(s);
    L.g = pe_count(L.no, ctx.fold);
    L.nop = L.g * ctx.fold;
    L.rw = int(wg.width);
    std::int64_t kmax = 1;
    for (auto v : s.k) kmax = std::max(kmax, v);
    L.kw = s.final ? 0 : ubits(std::uint64_t(kmax));
    L.cnw = ubits(std::uint64_t(L.per + 1));
    L.dw = s.adder == "apc" ? L.cnw + 1 : 2;
    const std::uint64_t amax = std::uint64_t(std::max(std::abs(s.acc_min), std::abs(s.acc_max)));
    L.aw = sbits(amax);
    const double wide = double(amax) + double(std::abs(s.d)) * double(L.per + 1) + double(kmax);
    if (wide > 4e18) throw Error(fmt::format("stage '{}': neuron arithmetic needs more than 64 bits", s.name));
    L.iw = sbits(std::uint64_t(wide)) + 1;
    L.ew = sbits(std::uint64_t(ctx.plan.length) + 1);
    L.cw = sbits(std::uint64_t(ctx.plan.length) * std::uint64_t(L.per + 1));
    if (s.adder == "mux") {
        L.srw = int(ctx.plan.generators[std::size_t(s.select_gen)].width);
        L.sw = ubits(std::uint64_t(L.per));
    }
    return L;
}

void use_modules(Ctx& ctx, const ir::PlanStage& s) {
    ctx.use("scnn_sng_cmp");
    ctx.use(s.adder == "apc" ? "scnn_apc" : s.adder == "or" ? "scnn_or_adder" : "scnn_mux_adder");
    if (s.adder == "mux") ctx.use("scnn_mux_select");
    if (s.final)
        ctx.use("scnn_out_counter");
    else
        ctx.use(s.neuron == "fsm" ? "scnn_fsm_neuron" : "scnn_ds_neuron");
}

void write_tail(Ctx& ctx, CodeWriter& w, const ir::PlanStage& s, const LinearShape& L) {
    if (s.final) {  // the class counts: a small memory (one entry per class), written in each output's phase
        w.line("integer i;");
        {
            CodeWriter::Block a(w, "always @(posedge clk) begin", "end");
            w.linef("if (clr) for (i = 0; i < {}; i = i + 1) cnt[i] <= 0;", L.nop);
            w.line("else if (run) for (i = 0; i < G; i = i + 1) cnt[ph * G + i] <= pe_cnt[i];");
        }
        open_gen_for(w, "g_out", "J", L.no);
        w.linef("assign counts[J * {0} +: {0}] = cnt[J];", L.cw);
        close_gen_for(w, L.no);
        return;
    }
    const bool y0 = ctx.bipolar || s.neuron == "fsm";  // y(0): the output of the reset state
    emit_commit(w, L.nop, L.g, ctx.fold, y0);
    w.linef("assign out_pos = y_pos[{}:0];", L.no - 1);
    w.linef("assign out_neg = y_neg[{}:0];", L.no - 1);
    if (L.nop > L.no) w.linef("wire unused_pad = &{{1'b0, y_pos[{0}:{1}], y_neg[{0}:{1}]}};", L.nop - 1, L.no);
}

}  // namespace

StageIo emit_linear(Ctx& ctx, int k) {
    const ir::PlanStage& s = ctx.plan.stages[std::size_t(k)];
    LinearShape L = shape_of(ctx, s);
    StageIo io;
    io.module = fmt::format("scnn_stage{}", k);
    io.uses_weight_gen = true;
    io.uses_select_gen = s.adder == "mux";
    io.final_counts = s.final;
    io.count_width = L.cw;
    io.max_step = index_thresholds(ctx, s, L);
    use_modules(ctx, s);
    const int F = ctx.fold;
    CodeWriter w = ctx.writer();
    w.linef("// stage {}: {} '{}', {}x{}x{} -> {}x{}x{}, {}, adder {}, {}; fold {}: {} PEs", k,
            ir::stage_kind_name(s.kind), s.name, s.in.c, s.in.h, s.in.w, s.out.c, s.out.h, s.out.w, ctx.plan.encoding,
            s.adder, s.final ? "final (class counts)" : "neuron " + s.neuron, F, L.g);
    w.linef("module {} (", io.module);
    w.lines(hdr_ports(L, s, phase_width(F)));
    w.line(");");
    w.indent();
    w.linef("// P = {} weight slots per output, each PE written out below", L.per);
    w.linef("localparam integer G = {};  // processing elements", L.g);
    w.linef("localparam [{0}:0] GG = G[{0}:0];", index_width(L.nop) - 1);
    w.line("wire unused_in = &{1'b0, in_pos, in_neg};  // inputs no product reads (strides, padding)");
    write_comparators(w, L);
    if (io.uses_select_gen) {
        const auto& sg = ctx.plan.generators[std::size_t(s.select_gen)];
        w.linef("wire [{}:0] sel;", L.sw - 1);
        w.linef("scnn_mux_select #(.RW({}), .NS(64'd{}), .M(64'd{}), .SW({})) u_sel (.r(r_s), .sel(sel));", sg.width,
                L.per + 1, generator_range(sg), L.sw);
    }
    write_pes_unrolled(ctx, w, s, L, !s.final && s.neuron != "fsm");
    if (s.final) {
        w.linef("reg signed [{}:0] cnt [0:{}];", L.cw - 1, L.nop - 1);
        w.linef("wire signed [{}:0] pe_cnt [0:G-1];", L.cw - 1);
    } else {
        w.linef("reg [{0}:0] y_pos, y_neg;  // y(t) of every output, for the whole SC cycle", L.nop - 1);
        w.line("wire [G-1:0] pe_pos, pe_neg;");
    }
    write_pe(ctx, w, s, L);
    write_tail(ctx, w, s, L);
    w.dedent();
    w.line("endmodule");
    ctx.files.push_back({io.module + ".v", w.take()});
    return io;
}

}  // namespace scnn::codegen::verilog::detail
