// The SC emitter's top level: scnn_model.h, and scnn_model.c as generators, inputs, one function per stage
// (sc_linear.cpp, sc_mux.cpp, sc_pool.cpp) and the block loop with the final counts and early exit.
#include "codegen/c/sc_emit.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <set>

#include "codegen/c/sc_context.hpp"
#include "engine/ir/error.hpp"

namespace scnn::codegen::c {

TargetSpec target_spec(const std::string& name) {
    if (name == "host") return {"host", "host", 0, 0};
    if (name == "avr") return {"avr", "ATmega328P", 2048, 32768};
    if (name == "cortex-m") return {"cortex-m", "Cortex-M3 (lm3s6965)", 65536, 262144};
    throw Error(fmt::format("unknown target '{}' (host, avr, cortex-m)", name));
}

int plan_early_every(const ir::ScPlan& plan) { return int(plan.early_exit_every); }

namespace {

std::int64_t distinct_codes(const ir::PlanStage& s) {
    std::set<std::int64_t> all;
    for (auto t : s.weights) all.insert(t < 0 ? -std::int64_t{t} : t);
    for (auto t : s.bias) all.insert(t < 0 ? -std::int64_t{t} : t);
    return std::int64_t(all.size());
}

std::string header(const ir::ScPlan& plan, const std::string& command, int every) {
    CodeWriter w;
    w.stamp("//", command);
    w.line("#ifndef SCNN_MODEL_H");
    w.line("#define SCNN_MODEL_H");
    w.line();
    w.line("#define SCNN_MODE_SC 1");
    w.linef("#define SCNN_INPUT_SIZE {}", plan.input.size());
    w.linef("#define SCNN_CLASSES {}", plan.stages.back().out.size());
    w.linef("#define SCNN_LENGTH {}", plan.length);
    w.linef("#define SCNN_EARLY_EVERY {}", every);
    w.line();
    w.line("#include \"scnn_model_api.h\"");
    w.line();
    w.line("#endif");
    return w.take();
}

void emit_stop(Context& cx) {
    auto& w = cx.w;
    const auto classes = cx.plan.stages.back().out.size();
    const std::int64_t pc = cx.early_per_cycle;
    w.line("/* early exit (docs/SEMANTICS.md 9.8): stop when the leader can no longer be overturned in the");
    w.linef(" * remaining cycles (per cycle the lead changes by at most {}) or leads by >= margin */", pc);
    w.line("static uint8_t scnn_stop(int32_t margin, uint32_t rem)");
    CodeWriter::Block fn(w, "{");
    w.line("uint16_t o, best = 0;");
    w.line("int32_t second = INT32_MIN, lead;");
    w.linef("for (o = 1; o < {}u; ++o) if (scnn_cnt[o] > scnn_cnt[best]) best = o;", classes);
    w.linef("for (o = 0; o < {}u; ++o) if (o != best && scnn_cnt[o] > second) second = scnn_cnt[o];", classes);
    if (classes < 2) w.line("if (second == INT32_MIN) return 1;");
    w.line("lead = (int32_t)scnn_cnt[best] - second;");
    w.line("if (margin > 0 && lead >= margin) return 1;");
    w.linef("return (uint8_t)(rem <= {}u && lead > (int32_t)({} * rem));", 2147483647 / pc, pc);
}

void emit_run(Context& cx) {
    auto& w = cx.w;
    const auto& plan = cx.plan;
    const auto n = plan.stages.size();
    const auto classes = plan.stages.back().out.size();
    w.line("#ifdef SCNN_TRACE");
    w.line("/* stage k's outputs of cycles t .. t+n-1: bit b of pos[j] / neg[j] (neg 0: none; bipolar: pos only) */");
    w.line("void scnn_trace(int stage, uint32_t t, uint8_t n, const uint8_t *pos, const uint8_t *neg, uint32_t size);");
    w.linef("#define SCNN_TRACE_STAGE(k, t, n, pos, neg, size) scnn_trace((k), (t), (n), (pos), (neg), (size))");
    w.line("#else");
    w.line("#define SCNN_TRACE_STAGE(k, t, n, pos, neg, size) ((void)0)");
    w.line("#endif");
    w.line("static int scnn_run(const uint8_t *pixels, int32_t *out, int32_t margin, uint8_t early, uint32_t *cycles)");
    CodeWriter::Block fn(w, "{");
    w.line("uint32_t t = 0;");
    w.linef("uint32_t chk = {}u;", cx.early_every);
    w.line("uint16_t o;");
    w.line("uint8_t stop = 0;");
    w.line("int best = 0;");
    w.line("scnn_reset();");
    w.line("scnn_px = pixels;");
    {
        CodeWriter::Block loop(w, fmt::format("while (t < {}u && !stop) {{", plan.length));
        w.linef("const uint8_t n = (uint8_t)({0}u - t < 8u ? {0}u - t : 8u);", plan.length);
        w.line("uint8_t b;");
        for (std::size_t g = 0; g < plan.generators.size(); ++g) w.linef("scnn_g{}_block(n);", g);
        w.line("scnn_in_block();");
        if (cx.input_buffer)
            w.linef("{{ scnn_idx_t j; for (j = 0; j < {}u; ++j) scnn_in_pos[j] = scnn_in_byte(pixels[j]); }}",
                    plan.input.size());
        for (std::size_t k = 0; k < n; ++k)
            if (plan.stages[k].kind != ir::StageKind::gather) {
                w.linef("scnn_stage{}(n);", k);
                const auto& s = plan.stages[k];
                if (!s.final)  // SCNN_TRACE builds hand every stage's output bytes of the block to scnn_trace()
                    w.linef("SCNN_TRACE_STAGE({}, t, n, scnn_s{}_pos, {}, {}u);", k, k,
                            cx.out_signed[k] ? fmt::format("scnn_s{}_neg", k) : "0", s.out.size());
            }
        const bool final_linear = plan.stages.back().final;
        if (final_linear && cx.block_counts()) {
            w.line("(void)b;");
            w.line("t += n;");
            CodeWriter::Block e(w, "if (early && (chk -= n) == 0u) {");
            w.linef("chk = {}u;", cx.early_every);
            w.linef("if (t < {}u && scnn_stop(margin, {}u - t)) stop = 1;", plan.length, plan.length);
        } else {
            CodeWriter::Block lanes(w, "for (b = 0; b < n; ++b) {");
            if (final_linear)
                w.linef("for (o = 0; o < {}u; ++o) scnn_cnt[o] = (scnn_cnt_t)(scnn_cnt[o] + scnn_s{}_fd[o][b]);",
                        classes, n - 1);
            else
                w.linef("for (o = 0; o < {0}u; ++o) scnn_cnt[o] = (scnn_cnt_t)(scnn_cnt[o] + (int8_t)((scnn_s{1}_xp(o) "
                        ">> b) & 1u) - (int8_t)((scnn_s{1}_xn(o) >> b) & 1u));",
                        classes, n);
            w.line("++t;");
            CodeWriter::Block e(w, "if (early && --chk == 0u) {");
            w.linef("chk = {}u;", cx.early_every);
            w.linef("if (t < {}u && scnn_stop(margin, {}u - t)) {{ stop = 1; break; }}", plan.length, plan.length);
        }
    }
    w.linef("for (o = 0; o < {}u; ++o) {{", classes);
    w.line("    out[o] = (int32_t)scnn_cnt[o];");
    w.line("    if (scnn_cnt[o] > scnn_cnt[best]) best = (int)o;");
    w.line("}");
    w.line("if (cycles) *cycles = t;");
    w.line("(void)margin;");
    w.line("return best;");
}

std::string source(Context& cx, const std::string& command) {
    auto& w = cx.w;
    const auto& plan = cx.plan;
    const auto n = plan.stages.size();
    w.stamp("//", command);
    w.linef("/* SC model: {} stages, L = {}, encoding {}, {} */", n, plan.length, plan.encoding, plan.options);
    w.line("#include <limits.h>");
    w.line("#include <string.h>");
    w.line("#include \"scnn_model.h\"");
    w.line("#include \"scnn_port.h\"");
    w.line("#include \"scnn_sc_rt.h\"");
    w.line();
    std::int64_t biggest = plan.input.size();
    for (const auto& s : plan.stages) biggest = std::max({biggest, s.in.size(), s.out.size(), std::int64_t(s.weights.size())});
    w.linef("typedef {} scnn_idx_t;", biggest < 65535 ? "uint16_t" : "uint32_t");
    w.linef("typedef {} scnn_cnt_t;", c_int_type(-cx.count_bound, cx.count_bound));
    const auto classes = plan.stages.back().out.size();
    w.linef("static scnn_cnt_t scnn_cnt[{}];", classes);
    cx.est.state += std::int64_t(classes) * c_int_bytes(-cx.count_bound, cx.count_bound);
    for (const auto& s : plan.stages)
        if (ir::is_linear(s.kind)) cx.max_codes = std::max(cx.max_codes, distinct_codes(s));
    if (cx.max_codes > 0) w.linef("static uint8_t scnn_wrow[{}];", cx.max_codes);
    cx.est.state += cx.max_codes;
    w.line();
    emit_generators(cx);
    emit_input(cx);
    for (std::size_t k = 0; k < n; ++k) {
        const auto& s = plan.stages[k];
        if (s.kind == ir::StageKind::gather) continue;
        if (ir::is_linear(s.kind)) emit_linear(cx, int(k));
        else emit_pool(cx, int(k));
        w.line();
    }
    if (!plan.stages.back().final) emit_readers(cx, int(n));
    // reset
    w.line("static void scnn_reset(void)");
    {
        CodeWriter::Block fn(w, "{");
        emit_generator_reset_calls(cx);
        w.line("memset(scnn_cnt, 0, sizeof scnn_cnt);");
        for (std::size_t k = 0; k < n; ++k) {
            const auto& s = plan.stages[k];
            if (s.kind == ir::StageKind::gather || s.final) continue;
            w.linef("memset(scnn_s{0}_acc, 0, sizeof scnn_s{0}_acc);", k);
            if (s.kind == ir::StageKind::max_pool) w.linef("memset(scnn_s{0}_cin, 0, sizeof scnn_s{0}_cin);", k);
            if (ir::is_linear(s.kind) && cx.bipolar && !s.signed_out && s.neuron != "fsm")
                w.linef("memset(scnn_s{0}_e, 0, sizeof scnn_s{0}_e);", k);
        }
    }
    w.line();
    emit_stop(cx);
    w.line();
    emit_run(cx);
    w.line();
    w.line("int scnn_infer(const uint8_t *pixels, int32_t *out) { return scnn_run(pixels, out, 0, 0, 0); }");
    w.line();
    w.line("int scnn_infer_early(const uint8_t *pixels, int32_t *out, int32_t margin, uint32_t *cycles)");
    w.line("{");
    w.line("    return scnn_run(pixels, out, margin, 1, cycles);");
    w.line("}");
    return w.take();
}

}  // namespace

ScModelCode emit_sc_model(const ir::ScPlan& plan, const std::string& command) {
    ir::validate(plan);
    for (std::size_t i = 0; i < plan.generators.size(); ++i)
        if (plan.generators[i].kind == "random")
            throw Error(fmt::format("generator {} is 'random' (mt19937), which exists on the host only: compile the "
                                    "plan with --sng sobol, lfsr, lfsr-galois, halton or ramp for firmware",
                                    i));
    CodeWriter w;
    Context cx = analyse(plan, w);
    cx.early_every = plan_early_every(plan);
    ScModelCode out;
    out.early_every = cx.early_every;
    const std::string c = source(cx, command);
    out.files.push_back({"scnn_model.h", header(plan, command, cx.early_every)});
    out.files.push_back({"scnn_model.c", c});
    cx.est.input = plan.input.size();
    cx.est.stack = 128;
    cx.est.code = 2500 + 700 * std::int64_t(plan.stages.size());
    out.estimate = cx.est;
    return out;
}

void check_fit(const ScModelCode& code, const TargetSpec& t, const std::string& model) {
    const auto& e = code.estimate;
    std::string what;
    if (t.flash_bytes > 0 && e.flash() > t.flash_bytes)
        what = fmt::format("flash needs about {} B of {} B ({} B over; tables {} B, code about {} B)", e.flash(),
                           t.flash_bytes, e.flash() - t.flash_bytes, e.tables, e.code);
    if (t.ram_bytes > 0 && e.ram() > t.ram_bytes)
        what += fmt::format("{}RAM needs about {} B of {} B ({} B over; state {} B, generators {} B, input {} B, stack "
                            "about {} B)",
                            what.empty() ? "" : "; ", e.ram(), t.ram_bytes, e.ram() - t.ram_bytes, e.state,
                            e.generators, e.input, e.stack);
    if (!what.empty()) throw Error(fmt::format("{} does not fit the {}: {}", model, t.chip, what));
}

}  // namespace scnn::codegen::c
