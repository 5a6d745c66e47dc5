// SC Verilog emitter: a linear stage (dense, conv, affine; docs/SEMANTICS.md §9.3) as one module
// scnn_stage<k>. G = ceil(n/F) processing elements; in phase f (0 .. F-1) of every SC cycle PE j computes
// output o = f·G + j: its P products (scnn_product), the bias product, the adder (scnn_apc / scnn_or_adder /
// scnn_mux_adder) and the neuron step (scnn_ds_neuron / scnn_fsm_neuron) or the class count
// (scnn_out_counter). Neuron state lives in memories of n entries (register files), the outputs y(t) in a
// register that changes only at the end of the SC cycle, so that every phase reads the same y(t).
// Simulation form (ScForm::simulation): constants are ROMs ($readmemh): the distinct weight thresholds (one
// comparator each), per (o, slot) the input element, weight-threshold index and sign, per o the bias and k.
// Synthesis form (ScForm::synthesis): the same circuit with the products, adders and k wired as constants
// (sc_emit_linear_gates.cpp); the neurons, register files and commit below are shared by both.
#include <fmt/core.h>

#include <algorithm>
#include <map>

#include "codegen/verilog/sc_emit_detail.hpp"
#include "engine/ir/error.hpp"

namespace scnn::codegen::verilog::detail {

namespace {

struct LinearShape {
    std::int64_t ni, no, per, g, nop;
    int rw, iiw, wiw, slw, kw, oww, cnw, dw, aw, ew, iw, cw, sw = 1, srw = 1;
    std::vector<std::uint64_t> thr;  // distinct thresholds
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

// ROM contents; returns the §9.8 per-cycle term count of the stage (the largest over its outputs).
std::int64_t write_roms(Ctx& ctx, int k, const ir::PlanStage& s, LinearShape& L) {
    std::map<std::int64_t, std::uint64_t> index;
    const auto mag = [&](std::int32_t t) { return std::int64_t(ctx.bipolar ? t : std::abs(t)); };
    for (auto t : s.weights) index.emplace(mag(t), 0);
    for (auto t : s.bias) index.emplace(mag(t), 0);
    for (auto& [v, i] : index) {
        i = L.thr.size();
        L.thr.push_back(std::uint64_t(v));
    }
    L.wiw = ubits(std::max<std::uint64_t>(1, L.thr.size() - 1));
    L.slw = L.iiw + L.wiw + 1;
    const auto slots = linear_slots(s);
    std::vector<std::uint64_t> slot_rom(std::size_t(L.nop * L.per), std::uint64_t(L.ni));
    std::vector<std::uint64_t> out_rom(std::size_t(L.nop), 0);
    std::int64_t most = 1;
    for (std::int64_t o = 0; o < L.no; ++o) {
        const int ch = channel_of(s, o);
        std::int64_t terms = 0;
        for (std::int64_t i = 0; i < L.per; ++i) {
            const std::int32_t in = slots[std::size_t(o * L.per + i)];
            const std::int32_t t = s.weights[std::size_t(ch * L.per + i)];
            const std::uint64_t neg = !ctx.bipolar && t < 0;
            slot_rom[std::size_t(o * L.per + i)] = std::uint64_t(in < 0 ? L.ni : in) |
                                                   (index[mag(t)] << L.iiw) | (neg << (L.iiw + L.wiw));
            if (in >= 0) terms += ctx.bipolar ? 2 : (t != 0);
        }
        const std::int32_t b = s.bias[std::size_t(ch)];
        terms += ctx.bipolar ? 2 : (b != 0);
        most = std::max(most, terms);
        const std::uint64_t kk = s.final ? 0 : std::uint64_t(s.k[std::size_t(ch)]);
        out_rom[std::size_t(o)] = index[mag(b)] | (std::uint64_t(!ctx.bipolar && b < 0) << L.wiw) | (kk << (L.wiw + 1));
    }
    const std::string base = fmt::format("scnn_stage{}", k);
    L.oww = L.kw + 1 + L.wiw;
    if (!ctx.gates) {  // the synthesis form wires these constants (sc_emit_linear_gates.cpp)
        ctx.rom(base + "_thr.hex", L.thr, L.rw + 1);
        ctx.rom(base + "_slot.hex", slot_rom, L.slw);
        ctx.rom(base + "_out.hex", out_rom, L.oww);
    }
    return s.adder == "apc" ? most : 1;
}

// Simulation form: the ROMs, one comparator per distinct threshold (read from thr_rom) and the input bits as
// arrays indexed by the slot ROM (element ni: a padding cell).
void write_rom_inputs(CodeWriter& w, const LinearShape& L, const std::string& module) {
    w.linef("reg [{}:0] thr_rom [0:{}];  // distinct weight thresholds", L.rw, L.thr.size() - 1);
    w.linef("reg [{}:0] slot_rom [0:{}];  // {{sign, threshold index, input element ({} = padding)}}", L.slw - 1,
            L.nop * L.per - 1, L.ni);
    w.linef("reg [{}:0] out_rom [0:{}];  // {{k, bias sign, bias threshold index}}", L.oww - 1, L.nop - 1);
    {
        CodeWriter::Block init(w, "initial begin", "end");
        for (const char* r : {"thr", "slot", "out"}) w.linef("$readmemh(\"{}_{}.hex\", {}_rom);", module, r, r);
    }
    w.linef("wire wbit [0:{}];  // weight streams, one per distinct threshold", L.thr.size() - 1);
    open_gen_for(w, "g_thr", "D", std::int64_t(L.thr.size()));
    w.linef("scnn_sng_cmp #(.N({})) u_cmp (.r(r_w), .t(thr_rom[D]), .bit_out(wbit[D]));", L.rw);
    close_gen_for(w, std::int64_t(L.thr.size()));
    emit_input_arrays(w, L.ni, "a padding cell");
}

// Synthesis form: every constant wired (sc_emit_linear_gates.cpp).
void write_gates(Ctx& ctx, CodeWriter& w, const ir::PlanStage& s, const LinearShape& L) {
    const bool neg_zero = !ctx.in_signed;
    const LinearGates shape{L.per, L.g,  L.no, L.rw, L.kw, L.cnw, L.dw, L.sw, !s.final && s.neuron != "fsm",
                            neg_zero};
    ctx.use(s.adder == "apc" ? "scnn_apc" : s.adder == "or" ? "scnn_or_adder" : "scnn_mux_adder");
    emit_linear_gates(ctx, w, s, shape);
}

// The products and the adder of every PE as one loop over PEs and slots (the rules of scnn_product, scnn_apc,
// scnn_or_adder and scnn_mux_adder, written inline so that a 784-input neuron stays one loop for simulators),
// then per PE the neuron step (scnn_ds_neuron / scnn_fsm_neuron) or the class counter (scnn_out_counter).
void write_adders(Ctx& ctx, CodeWriter& w, const ir::PlanStage& s, const LinearShape& L) {
    w.linef("reg signed [{}:0] pe_delta [0:G-1];  // Δ(t) of the output each PE computes in this phase", L.dw - 1);
    w.linef("reg [{}:0] word;", L.slw - 1);
    w.linef("reg [{}:0] bword;", L.wiw);
    w.line("reg xp, xn, wb, wn, pp, pn;");
    const bool apc = s.adder == "apc";
    if (apc) w.linef("reg [{}:0] cp, cn;", L.cnw - 1);
    else w.line("reg dp, dn;");
    w.line("integer jj, s;");
    if (ctx.bipolar) w.line("wire unused_wn = wn;  // bipolar products do not use the weight sign");
    // one product: x = (xp, xn), weight bit wb with sign wn -> (pp, pn)
    const auto product = [&] {
        if (ctx.bipolar) {
            w.line("pp = (xp & wb) | (xn & ~wb);  // XNOR (bipolar)");
            w.line("pn = (xp & ~wb) | (xn & wb);");
        } else {
            w.line("pp = wb & (wn ? xn : xp);  // AND, wired by the weight's sign (split-unipolar)");
            w.line("pn = wb & (wn ? xp : xn);");
        }
    };
    const auto add = [&](const std::string& slot) {
        if (apc) {
            w.linef("cp = cp + {{{{{}{{1'b0}}}}, pp}};", L.cnw - 1);
            w.linef("cn = cn + {{{{{}{{1'b0}}}}, pn}};", L.cnw - 1);
        } else if (s.adder == "or") {
            w.line("dp = dp | pp;");
            w.line("dn = dn | pn;");
        } else {
            w.linef("if (sel == {}) begin dp = pp; dn = pn; end", slot);
        }
    };
    CodeWriter::Block a(w, "always @* begin", "end");
    w.line("word = 0; bword = 0; xp = 1'b0; xn = 1'b0; wb = 1'b0; wn = 1'b0; pp = 1'b0; pn = 1'b0;");
    if (apc) w.line("cp = 0; cn = 0;");
    else w.line("dp = 1'b0; dn = 1'b0;");
    w.line("for (jj = 0; jj < G; jj = jj + 1) pe_delta[jj] = 0;");
    CodeWriter::Block pe(w, "if (run) for (jj = 0; jj < G; jj = jj + 1) begin  // idle: nothing to compute", "end");
    if (apc) w.line("cp = 0; cn = 0;");
    else w.line("dp = 1'b0; dn = 1'b0;");
    {
        CodeWriter::Block f(w, "for (s = 0; s < P; s = s + 1) begin", "end");
        w.line("word = slot_rom[(ph * G + jj) * P + s];");
        w.linef("xp = xp_all[word[{}:0]];", L.iiw - 1);
        w.linef("xn = xn_all[word[{}:0]];", L.iiw - 1);
        w.linef("wb = wbit[word[{} +: {}]];", L.iiw, L.wiw);
        w.linef("wn = word[{}];", L.slw - 1);
        product();
        add(fmt::format("s[{}:0]", L.sw - 1));
    }
    w.linef("bword = out_rom[ph * G + jj][{}:0];  // the bias: x = +1", L.wiw);
    w.line("xp = 1'b1; xn = 1'b0;");
    w.linef("wb = wbit[bword[{}:0]];", L.wiw - 1);
    w.linef("wn = bword[{}];", L.wiw);
    product();
    add(fmt::format("{}'d{}", L.sw, L.per));
    if (apc) w.line("pe_delta[jj] = {1'b0, cp} - {1'b0, cn};");
    else w.line("pe_delta[jj] = {1'b0, dp} - {1'b0, dn};");
}

void write_pe_body(Ctx& ctx, CodeWriter& w, const ir::PlanStage& s, const LinearShape& L) {
    const int B = ctx.bipolar ? 1 : 0;
    emit_pe_index(w, L.nop, ctx.fold);
    if (s.final) {
        w.linef("scnn_out_counter #(.CW({}), .DW({})) u_count (.count(cnt[o]), .delta(pe_delta[J]), "
                ".count_next(pe_cnt[J]));", L.cw, L.dw);
        return;
    }
    // k of the output this PE computes: from the output ROM, or wired (synthesis form)
    const std::string k_now = ctx.gates ? "pe_k[J]" : fmt::format("ow[{}:{}]", L.oww - 1, L.wiw + 1);
    if (!ctx.gates) {
        w.linef("wire [{}:0] ow = out_rom[o];", L.oww - 1);
        w.linef("wire [{}:0] unused_bias = ow[{}:0];", L.wiw, L.wiw);
    }
    const std::string common = fmt::format(".AW({}), .DW({}), .IW({}), .D({}64'sd{}), .ACC_MIN({}64'sd{}), "
                                           ".ACC_MAX({}64'sd{}), .BIPOLAR({}), .SIGNED_OUT({})",
                                           L.aw, L.dw, L.iw, s.d < 0 ? "-" : "", std::abs(s.d), s.acc_min < 0 ? "-" : "",
                                           std::abs(s.acc_min), s.acc_max < 0 ? "-" : "", std::abs(s.acc_max), B,
                                           s.signed_out ? 1 : 0);
    if (s.neuron == "fsm") {
        if (!ctx.gates) w.linef("wire [{}:0] unused_k = {};", L.kw - 1, k_now);
        emit_pe_register_file(w, ctx.fold, {{"acc", L.aw}});
        w.linef("scnn_fsm_neuron #({}) u_neuron (.acc(acc[ph]), .delta(pe_delta[J]), .acc_next(acc_n), "
                ".y_pos_next(pe_pos[J]), .y_neg_next(pe_neg[J]));", common);
        w.line("wire unused_y = &{1'b0, y_pos[o], y_neg[o]};");
    } else {
        emit_pe_register_file(w, ctx.fold, {{"acc", L.aw}, {"esum", L.ew}});  // esum: Σ y (bipolar unsigned)
        w.linef("scnn_ds_neuron #({}, .EW({}), .KW({})) u_neuron (.acc(acc[ph]), .e_sum(esum[ph]), .y_pos(y_pos[o]), "
                ".y_neg(y_neg[o]), .delta(pe_delta[J]), .k({}), .acc_next(acc_n), .e_next(esum_n), "
                ".y_pos_next(pe_pos[J]), .y_neg_next(pe_neg[J]));",
                common, L.ew, L.kw, k_now);
    }
}

void write_pe(Ctx& ctx, CodeWriter& w, const ir::PlanStage& s, const LinearShape& L) {
    open_gen_for(w, "g_pe", "J", L.g);
    write_pe_body(ctx, w, s, L);
    close_gen_for(w, L.g);
}

}  // namespace

StageIo emit_linear(Ctx& ctx, int k) {
    const ir::PlanStage& s = ctx.plan.stages[std::size_t(k)];
    const ir::PlanGenerator& wg = ctx.plan.generators[std::size_t(s.weight_gen)];
    LinearShape L{};
    L.ni = s.in.size();
    L.no = s.out.size();
    L.per = weights_per_channel(s);
    L.g = pe_count(L.no, ctx.fold);
    L.nop = L.g * ctx.fold;
    L.rw = int(wg.width);
    L.iiw = ubits(std::uint64_t(L.ni));
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
    StageIo io;
    io.module = fmt::format("scnn_stage{}", k);
    io.uses_weight_gen = true;
    io.uses_select_gen = s.adder == "mux";
    io.final_counts = s.final;
    io.count_width = L.cw;
    io.max_step = write_roms(ctx, k, s, L);
    if (io.uses_select_gen) L.srw = int(ctx.plan.generators[std::size_t(s.select_gen)].width);
    const int phw = phase_width(ctx.fold), F = ctx.fold;
    if (!ctx.gates) ctx.use("scnn_sng_cmp");
    for (const char* m : {"scnn_mux_select", "scnn_out_counter", "scnn_ds_neuron", "scnn_fsm_neuron"}) {
        const std::string mm = m;
        if ((mm == "scnn_mux_select" && s.adder != "mux") ||
            (mm == "scnn_out_counter" && !s.final) || (mm == "scnn_ds_neuron" && (s.final || s.neuron == "fsm")) ||
            (mm == "scnn_fsm_neuron" && (s.final || s.neuron != "fsm")))
            continue;
        ctx.use(mm);
    }
    CodeWriter w = ctx.writer();
    w.linef("// stage {}: {} '{}', {}x{}x{} -> {}x{}x{}, {}, adder {}, {}; fold {}: {} PEs", k, ir::stage_kind_name(s.kind),
            s.name, s.in.c, s.in.h, s.in.w, s.out.c, s.out.h, s.out.w, ctx.plan.encoding, s.adder,
            s.final ? "final (class counts)" : "neuron " + s.neuron, F, L.g);
    w.linef("module {} (", io.module);
    w.lines(hdr_ports(L, s, phw));
    w.line(");");
    w.indent();
    if (!ctx.gates) w.linef("localparam integer P = {};  // weight slots per output", L.per);
    w.linef("localparam integer G = {};  // processing elements", L.g);
    w.linef("localparam [{0}:0] GG = G[{0}:0];", index_width(L.nop) - 1);
    if (!ctx.gates) write_rom_inputs(w, L, io.module);
    if (io.uses_select_gen) {
        const auto& sg = ctx.plan.generators[std::size_t(s.select_gen)];
        L.sw = ubits(std::uint64_t(L.per));
        w.linef("wire [{}:0] sel;", L.sw - 1);
        w.linef("scnn_mux_select #(.RW({}), .NS(64'd{}), .M(64'd{}), .SW({})) u_sel (.r(r_s), .sel(sel));", sg.width,
                L.per + 1, generator_range(sg), L.sw);
    }
    if (s.final) {
        w.linef("reg signed [{}:0] cnt [0:{}];", L.cw - 1, L.nop - 1);
        w.linef("wire signed [{}:0] pe_cnt [0:G-1];", L.cw - 1);
    } else {
        w.linef("reg [{0}:0] y_pos, y_neg;  // y(t) of every output, for the whole SC cycle", L.nop - 1);
        w.line("wire [G-1:0] pe_pos, pe_neg;");
    }
    if (ctx.gates) write_gates(ctx, w, s, L);
    else write_adders(ctx, w, s, L);
    write_pe(ctx, w, s, L);
    if (s.final) {  // the class counts: a small memory (one entry per class), written in each output's phase
        w.line("integer i;");
        CodeWriter::Block a(w, "always @(posedge clk) begin", "end");
        w.linef("if (clr) for (i = 0; i < {}; i = i + 1) cnt[i] <= 0;", L.nop);
        w.line("else if (run) for (i = 0; i < G; i = i + 1) cnt[ph * G + i] <= pe_cnt[i];");
    }
    if (s.final) {
        open_gen_for(w, "g_out", "J", L.no);
        w.linef("assign counts[J * {0} +: {0}] = cnt[J];", L.cw);
        close_gen_for(w, L.no);
    } else {
        // y(0): the output of the reset state
        const bool y0 = ctx.bipolar || s.neuron == "fsm";
        emit_commit(w, L.nop, L.g, F, y0);
        w.linef("assign out_pos = y_pos[{}:0];", L.no - 1);
        w.linef("assign out_neg = y_neg[{}:0];", L.no - 1);
        if (L.nop > L.no) w.linef("wire unused_pad = &{{1'b0, y_pos[{0}:{1}], y_neg[{0}:{1}]}};", L.nop - 1, L.no);
    }
    w.dedent();
    w.line("endmodule");
    ctx.files.push_back({io.module + ".v", w.take()});
    return io;
}

}  // namespace scnn::codegen::verilog::detail
