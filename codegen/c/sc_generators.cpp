// Generators in C (docs/SEMANTICS.md §3): one register per plan generator, reset to the state the host
// computes here (the kind's initial state advanced `offset` steps), stepped once per SC cycle. Each block
// of 8 cycles stores r(t) of the block in gN_r[0..7] for the comparators of the stages.
#include <fmt/core.h>

#include "codegen/c/sc_context.hpp"
#include "engine/ir/error.hpp"
#include "engine/sc/halton.hpp"
#include "engine/sc/lfsr.hpp"
#include "engine/sc/sng_config.hpp"
#include "engine/sc/sobol.hpp"

namespace scnn::codegen::c {

namespace {

std::uint64_t mask_of(unsigned n) { return n >= 32 ? 0xFFFFFFFFull : (std::uint64_t{1} << n) - 1; }

std::string reg_type(unsigned n) { return n <= 8 ? "uint8_t" : n <= 16 ? "uint16_t" : "uint32_t"; }
int reg_bytes(unsigned n) { return n <= 8 ? 1 : n <= 16 ? 2 : 4; }

std::string rotl_expr(const std::string& x, unsigned k, unsigned n) {
    if (k == 0) return x;
    return fmt::format("((((uint32_t){0} << {1}) | ((uint32_t){0} >> {2})) & {3:#x}u)", x, k, n - k, mask_of(n));
}

std::uint32_t lfsr_poly(const ir::PlanGenerator& g) { return g.poly != 0 ? g.poly : sc::lfsr_default_poly(g.width); }

// The LFSR state after `offset` steps from `seed` (offset taken mod the period 2^n − 1).
std::uint32_t lfsr_reset(const ir::PlanGenerator& g, bool galois) {
    const std::uint64_t period = mask_of(g.width), m = mask_of(g.width);
    const std::uint32_t poly = lfsr_poly(g);
    std::uint64_t s = g.seed & m;
    for (std::uint64_t i = 0; i < g.offset % period; ++i) {
        if (galois) s = (s >> 1) ^ ((s & 1) ? poly : 0);
        else s = ((s << 1) | std::uint64_t(__builtin_popcountll(s & poly) & 1)) & m;
    }
    return std::uint32_t(s);
}

void emit_one(Context& cx, int i, const ir::PlanGenerator& g) {
    auto& w = cx.w;
    const unsigned n = g.width;
    const std::string T = reg_type(n), p = fmt::format("scnn_g{}", i);
    const auto m = mask_of(n);
    w.linef("/* generator {}: {} width {} poly {:#x} seed {} dimension {} offset {} rotate {} */", i, g.kind, n,
            g.poly, g.seed, g.dimension, g.offset, g.rotate);
    w.linef("static {} {}_r[8];", T, p);
    cx.est.generators += 8 * reg_bytes(n);
    std::string out, step;
    if (g.kind == "lfsr" || g.kind == "lfsr-galois") {
        const bool galois = g.kind == "lfsr-galois";
        w.linef("static {} {}_s;", T, p);
        w.linef("#define {}_RESET {:#x}u", p, lfsr_reset(g, galois));
        cx.est.generators += reg_bytes(n);
        out = fmt::format("({})({} - 1u)", T, rotl_expr(p + "_s", g.rotate, n));
        if (galois)
            step = fmt::format("{0}_s = ({1})(({0}_s >> 1) ^ (({0}_s & 1u) ? {2:#x}u : 0u));", p, T, lfsr_poly(g));
        else
            step = fmt::format("{0}_s = ({1})((((uint32_t){0}_s << 1) | (uint32_t)__builtin_parityl((unsigned long)"
                               "({0}_s & {2:#x}u))) & {3:#x}u);",
                               p, T, lfsr_poly(g), m);
    } else if (g.kind == "sobol") {
        const auto v = sc::sobol_direction_integers(g.dimension, n);
        std::vector<std::int64_t> cum(n);
        std::uint32_t acc = 0;
        for (unsigned j = 0; j < n; ++j) cum[j] = acc ^= v[j];
        emit_table(cx, T, reg_bytes(n), p + "_C", cum);
        w.linef("static {} {}_k, {}_u;", T, p, p);
        w.linef("#define {}_RESET_K {:#x}u", p, g.offset & m);
        w.linef("#define {}_RESET_U {:#x}u", p, sc::sobol_value(v, n, g.offset));
        cx.est.generators += 2 * reg_bytes(n);
        out = fmt::format("({})({})", T, rotl_expr(p + "_u", g.rotate, n));
        const std::string rd = n <= 8 ? "SCNN_RD_U8" : n <= 16 ? "SCNN_RD_U16" : "SCNN_RD_U32";
        step = fmt::format(
            "{0}_k = ({1})(({0}_k + 1u) & {2:#x}u); if ({0}_k == 0u) {0}_u = 0u; else {{ {1} k = {0}_k; uint8_t c = 0; "
            "while (!(k & 1u)) {{ k >>= 1; ++c; }} {0}_u ^= {3}(&{0}_C[c]); }}",
            p, T, m, rd);
    } else if (g.kind == "halton") {
        const unsigned b = sc::halton_base(g.dimension), k = sc::halton_digits(b, n);
        const std::uint64_t range = sc::halton_range(b, n);
        std::vector<std::int64_t> pw(k), qw(k), digits(k);
        std::uint64_t c = g.offset % range, u = 0, pk = range;
        for (unsigned d = 0; d < k; ++d) {
            pk /= b;
            pw[d] = std::int64_t(pk);
            qw[d] = std::int64_t(pk * (b - 1));
            digits[d] = std::int64_t(c % b);
            u += (c % b) * pk;
            c /= b;
        }
        emit_table(cx, "uint32_t", 4, p + "_P", pw);
        emit_table(cx, "uint32_t", 4, p + "_Q", qw);
        w.linef("static uint8_t {}_d[{}];", p, k);
        w.linef("static {} {}_u;", T, p);
        std::string init;
        for (unsigned d = 0; d < k; ++d) init += fmt::format("{}{}", d ? ", " : "", digits[d]);
        w.linef("static const uint8_t SCNN_FLASH {}_D0[{}] = {{{}}};", p, k, init);
        w.linef("#define {}_RESET_U {}u", p, u);
        cx.est.generators += k + reg_bytes(n);
        cx.est.tables += k;
        out = p + "_u";
        step = fmt::format("{{ uint8_t i; for (i = 0; i < {1}u; ++i) {{ if ({0}_d[i] < {2}u) {{ ++{0}_d[i]; {0}_u = ({3})"
                           "({0}_u + SCNN_RD_U32(&{0}_P[i])); break; }} {0}_d[i] = 0; {0}_u = ({3})({0}_u - "
                           "SCNN_RD_U32(&{0}_Q[i])); }} }}",
                           p, k, b - 1, T);
    } else if (g.kind == "ramp") {
        w.linef("static {} {}_u;", T, p);
        w.linef("#define {}_RESET_U {:#x}u", p, g.offset & m);
        cx.est.generators += reg_bytes(n);
        out = fmt::format("({})({})", T, rotl_expr(p + "_u", g.rotate, n));
        step = fmt::format("{0}_u = ({1})(({0}_u + 1u) & {2:#x}u);", p, T, m);
    } else if (g.kind == "random") {
        throw Error(fmt::format("generator {} is 'random' (mt19937), which exists on the host only: compile the "
                                "plan with --sng sobol, lfsr, lfsr-galois, halton or ramp for firmware",
                                i));
    } else {
        throw Error(fmt::format("generator {}: unknown kind '{}'", i, g.kind));
    }
    w.linef("static void {}_block(uint8_t n)", p);
    {
        CodeWriter::Block fn(w, "{");
        w.line("uint8_t b;");
        CodeWriter::Block loop(w, "for (b = 0; b < n; ++b) {");
        w.linef("{}_r[b] = {};", p, out);
        w.line(step);
    }
    w.line();
}

}  // namespace

void emit_generators(Context& cx) {
    for (std::size_t i = 0; i < cx.plan.generators.size(); ++i) {
        const auto& g = cx.plan.generators[i];
        if (g.width < 3 || g.width > 32) throw Error(fmt::format("generator {}: width {} is out of 3..32", i, g.width));
        emit_one(cx, int(i), g);
    }
}

void emit_generator_reset_calls(Context& cx) {
    auto& w = cx.w;
    for (std::size_t i = 0; i < cx.plan.generators.size(); ++i) {
        const auto& g = cx.plan.generators[i];
        const std::string p = fmt::format("scnn_g{}", i);
        if (g.kind == "lfsr" || g.kind == "lfsr-galois") {
            w.linef("{0}_s = {0}_RESET;", p);
        } else if (g.kind == "sobol") {
            w.linef("{0}_k = {0}_RESET_K;", p);
            w.linef("{0}_u = {0}_RESET_U;", p);
        } else if (g.kind == "halton") {
            w.linef("{{ uint8_t i; for (i = 0; i < sizeof {0}_d; ++i) {0}_d[i] = SCNN_RD_U8(&{0}_D0[i]); }}", p);
            w.linef("{0}_u = {0}_RESET_U;", p);
        } else {
            w.linef("{0}_u = {0}_RESET_U;", p);
        }
    }
}

}  // namespace scnn::codegen::c
