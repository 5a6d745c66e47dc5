// SC Verilog emitter: the entry point (emit_sc, write_design) and the shared helpers of sc_emit_detail.hpp.
#include <fmt/core.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "codegen/common/output_dir.hpp"
#include "codegen/verilog/sc_emit_detail.hpp"
#include "engine/ir/error.hpp"

namespace scnn::codegen::verilog {
namespace detail {

int ubits(std::uint64_t v) {
    int b = 1;
    while (b < 64 && (v >> b) != 0) ++b;
    return b;
}

int sbits(std::uint64_t v) { return ubits(v) + 1; }

void open_gen_for(CodeWriter& w, const std::string& label, const std::string& index, std::int64_t n) {
    // Verilator refuses generate loops past about a thousand iterations: split long ones in blocks of 512
    if (n <= 512) {
        w.linef("genvar {}_v;", label);
        w.linef("for ({0}_v = 0; {0}_v < {1}; {0}_v = {0}_v + 1) begin : {0}", label, n);
        w.indent();
        w.linef("localparam integer {} = {}_v;", index, label);
        return;
    }
    w.linef("genvar {0}_b, {0}_i;", label);
    w.linef("for ({0}_b = 0; {0}_b < {1}; {0}_b = {0}_b + 1) begin : {0}", label, (n + 511) / 512);
    w.indent();
    w.linef("for ({0}_i = 0; {0}_i < 512; {0}_i = {0}_i + 1) begin : g", label);
    w.indent();
    w.linef("if ({0}_b * 512 + {0}_i < {1}) begin : e", label, n);
    w.indent();
    w.linef("localparam integer {0} = {1}_b * 512 + {1}_i;", index, label);
}

void close_gen_for(CodeWriter& w, std::int64_t n) {
    for (int k = n <= 512 ? 1 : 3; k > 0; --k) w.close("end");
}

void emit_input_arrays(CodeWriter& w, std::int64_t ni, const std::string& extra) {
    w.linef("wire xp_all [0:{0}];  // the input bits; element {0}: {1} (0)", ni, extra);
    w.linef("wire xn_all [0:{}];", ni);
    w.linef("assign xp_all[{}] = 1'b0;", ni);
    w.linef("assign xn_all[{}] = 1'b0;", ni);
    open_gen_for(w, "g_in", "D", ni);
    w.line("assign xp_all[D] = in_pos[D];");
    w.line("assign xn_all[D] = in_neg[D];");
    close_gen_for(w, ni);
}

int phase_width(int fold) { return ubits(std::uint64_t(std::max(1, fold - 1))); }

void Ctx::use(const std::string& module) {
    if (std::find(modules.begin(), modules.end(), module) == modules.end()) modules.push_back(module);
}

CodeWriter Ctx::writer() const {
    CodeWriter w;
    w.stamp("//", command);
    return w;
}

void Ctx::rom(const std::string& name, const std::vector<std::uint64_t>& values, int width) {
    CodeWriter w = writer();
    const int digits = (width + 3) / 4;
    for (auto v : values) w.line(fmt::format("{:0{}x}", v, digits));
    files.push_back({name, w.take()});
}

std::int64_t weights_per_channel(const ir::PlanStage& s) {
    if (s.kind == ir::StageKind::dense) return s.in.size();
    if (s.kind == ir::StageKind::conv) return std::int64_t{s.in.c} * s.kh * s.kw;
    return 1;
}

int channel_of(const ir::PlanStage& s, std::int64_t o) {
    return s.kind == ir::StageKind::dense ? int(o) : int(o / (std::int64_t{s.out.h} * s.out.w));
}

std::vector<std::int32_t> linear_slots(const ir::PlanStage& s) {
    const std::int64_t n = s.out.size(), per = weights_per_channel(s);
    std::vector<std::int32_t> slots(std::size_t(n * per), -1);
    for (std::int64_t o = 0; o < n; ++o) {
        auto* row = &slots[std::size_t(o * per)];
        if (s.kind == ir::StageKind::dense) {
            for (std::int64_t i = 0; i < per; ++i) row[i] = std::int32_t(i);
        } else if (s.kind == ir::StageKind::affine) {
            row[0] = std::int32_t(o);
        } else {  // conv: slot (ic, ky, kx) of output (oc, oy, ox)
            const int plane = s.out.h * s.out.w;
            const int oy = int(o % plane) / s.out.w, ox = int(o % plane) % s.out.w;
            for (int ic = 0; ic < s.in.c; ++ic)
                for (int ky = 0; ky < s.kh; ++ky)
                    for (int kx = 0; kx < s.kw; ++kx) {
                        const int iy = oy * s.stride_h - s.pad_top + ky, ix = ox * s.stride_w - s.pad_left + kx;
                        if (iy < 0 || iy >= s.in.h || ix < 0 || ix >= s.in.w) continue;
                        row[(ic * s.kh + ky) * s.kw + kx] = (ic * s.in.h + iy) * s.in.w + ix;
                    }
        }
    }
    return slots;
}

std::vector<std::int32_t> pool_slots(const ir::PlanStage& s) {
    const int nw = s.pool_kh * s.pool_kw;
    std::vector<std::int32_t> slots(std::size_t(s.out.size() * nw), -1);
    for (int c = 0; c < s.out.c; ++c)
        for (int oy = 0; oy < s.out.h; ++oy)
            for (int ox = 0; ox < s.out.w; ++ox) {
                const std::size_t o = std::size_t((c * s.out.h + oy) * s.out.w + ox);
                for (int ky = 0; ky < s.pool_kh; ++ky)
                    for (int kx = 0; kx < s.pool_kw; ++kx) {
                        const int iy = oy * s.pool_sh - s.pool_pad_top + ky;
                        const int ix = ox * s.pool_sw - s.pool_pad_left + kx;
                        if (iy < 0 || iy >= s.in.h || ix < 0 || ix >= s.in.w) continue;
                        slots[o * std::size_t(nw) + std::size_t(ky * s.pool_kw + kx)] = (c * s.in.h + iy) * s.in.w + ix;
                    }
            }
    return slots;
}

std::vector<std::int32_t> pool_divisors(const ir::PlanStage& s) {
    const int nw = s.pool_kh * s.pool_kw;
    const auto slots = pool_slots(s);
    std::vector<std::int32_t> div(std::size_t(s.out.size()), nw);
    if (s.count_include_pad) return div;
    for (std::size_t o = 0; o < div.size(); ++o) {
        const auto b = slots.begin() + std::ptrdiff_t(o * std::size_t(nw));
        div[o] = std::max<std::int32_t>(1, std::int32_t(std::count_if(b, b + nw, [](std::int32_t i) { return i >= 0; })));
    }
    return div;
}

std::int64_t early_per_cycle(const ir::ScPlan& plan, const StageIo& last) {
    // the input of the last stage is signed when the plan is bipolar or the last linear stage before it is
    bool in_signed = plan.encoding == "bipolar";
    for (std::size_t k = 0; k + 1 < plan.stages.size(); ++k)
        if (ir::is_linear(plan.stages[k].kind)) in_signed = plan.encoding == "bipolar" || plan.stages[k].signed_out;
    return 2 * last.max_step * (in_signed && last.max_step > 1 ? 2 : 1);
}

std::string read_text(const std::string& path) {
    std::ifstream f(path);
    if (!f) throw Error(fmt::format("cannot read the RTL module '{}' (the scnn source tree's rtl/ folder)", path));
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

}  // namespace detail

const char* form_name(ScForm form) { return form == ScForm::synthesis ? "synth" : "sim"; }

ScForm parse_form(const std::string& word) {
    if (word == "sim") return ScForm::simulation;
    if (word == "synth") return ScForm::synthesis;
    throw Error(fmt::format("--form {}: expected sim (constants in ROMs) or synth (constants wired into gates, for synthesis)", word));
}

namespace {

void check_fold(const ir::ScPlan& plan, int fold) {
    if (fold < 1) throw Error(fmt::format("--fold {}: the fold must be at least 1", fold));
    std::int64_t widest = 1;
    for (const auto& s : plan.stages)
        if (s.kind != ir::StageKind::gather) widest = std::max(widest, s.out.size());
    if (fold > widest)
        throw Error(fmt::format("--fold {}: larger than the widest stage ({} outputs), so some clocks would compute "
                                "nothing; use a fold between 1 and {}",
                                fold, widest, widest));
}

}  // namespace

std::int64_t sc_clocks_per_inference(const ir::ScPlan& plan, int fold) {
    check_fold(plan, fold);
    return std::int64_t{fold} * plan.length + 1;
}

ScDesign emit_sc(const ir::ScPlan& plan, const ScEmitOptions& options) {
    using namespace detail;
    ir::validate(plan);
    check_fold(plan, options.fold);
    ScDesign design;
    design.fold = options.fold;
    design.form = options.form;
    Ctx ctx{plan, options.fold, plan.encoding == "bipolar", options.form == ScForm::synthesis, options.command,
            design.files, {}};
    for (std::size_t g = 0; g < plan.generators.size(); ++g)
        if (plan.generators[g].kind == "random")
            throw Error(fmt::format("generator {} is 'random' (mt19937, a host reference with no hardware form); "
                                    "compile the plan with --sng sobol, halton, lfsr, lfsr-galois or ramp", g));
    std::vector<StageIo> stages;
    ctx.in_signed = ctx.bipolar;
    for (std::size_t k = 0; k < plan.stages.size(); ++k) {
        switch (plan.stages[k].kind) {
            case ir::StageKind::max_pool: stages.push_back(emit_max_pool(ctx, int(k))); break;
            case ir::StageKind::avg_pool: stages.push_back(emit_avg_pool(ctx, int(k))); break;
            case ir::StageKind::gather: stages.push_back(emit_gather(ctx, int(k))); break;
            default: stages.push_back(emit_linear(ctx, int(k))); break;
        }
        if (ir::is_linear(plan.stages[k].kind)) ctx.in_signed = ctx.bipolar || plan.stages[k].signed_out;
    }
    emit_top(ctx, stages, design);
    for (const auto& m : ctx.modules) {
        design.files.push_back({m + ".v", read_text(std::string(SCNN_SOURCE_DIR) + "/rtl/" + m + ".v")});
        design.sources.insert(design.sources.begin(), m + ".v");
    }
    CodeWriter f = ctx.writer();
    for (const auto& s : design.sources) f.line(s);
    design.files.push_back({"scnn_files.f", f.take()});
    emit_testbenches(ctx, design);
    return design;
}

void write_design(const ScDesign& design, const std::filesystem::path& dir) {
    OutputDir out(dir);
    for (const auto& f : design.files) out.write(f.path, f.content);
    out.commit();
}

}  // namespace scnn::codegen::verilog
