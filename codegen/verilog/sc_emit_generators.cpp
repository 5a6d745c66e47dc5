// SC Verilog emitter: generator instances (docs/SEMANTICS.md §3). The reset state (the kind's initial state
// advanced by `offset` steps) and the constant tables are computed here, on the host; the rtl/ module only
// ever performs its step rule.
#include <fmt/core.h>

#include "codegen/verilog/sc_emit_detail.hpp"
#include "engine/ir/error.hpp"
#include "engine/sc/halton.hpp"
#include "engine/sc/lfsr.hpp"
#include "engine/sc/sobol.hpp"

namespace scnn::codegen::verilog::detail {

namespace {

std::uint32_t mask_of(unsigned n) { return n == 32 ? 0xFFFFFFFFu : ((1u << n) - 1u); }

// A packed parameter of `count` 32-bit entries, entry i in bits [32i +: 32].
std::string packed32(const std::vector<std::uint32_t>& v, std::size_t count) {
    std::string s = fmt::format("{}'h", 32 * count);
    for (std::size_t i = count; i-- > 0;) s += fmt::format("{:08x}", i < v.size() ? v[i] : 0u);
    return s;
}

template <class Lfsr>
std::uint32_t lfsr_reset(const ir::PlanGenerator& g, std::uint32_t poly) {
    Lfsr l(g.width, poly, g.seed);
    for (std::uint64_t i = 0; i < g.offset; ++i) l.step();
    return l.state();
}

}  // namespace

std::uint64_t generator_range(const ir::PlanGenerator& g) {
    if (g.kind == "halton") return sc::halton_range(sc::halton_base(g.dimension), g.width);
    return std::uint64_t{1} << g.width;
}

void emit_generator(Ctx& ctx, CodeWriter& w, int index) {
    const ir::PlanGenerator& g = ctx.plan.generators[std::size_t(index)];
    const unsigned n = g.width;
    w.linef("// generator {}: {} width {} poly 0x{:x} seed {} dimension {} offset {} rotate {}", index, g.kind, n,
            g.poly, g.seed, g.dimension, g.offset, g.rotate);
    w.linef("wire [{}:0] r_gen{};", n - 1, index);
    const std::string ports = fmt::format("(.clk(clk), .rst(clr), .en(last), .r(r_gen{}));", index);
    if (g.kind == "lfsr" || g.kind == "lfsr-fibonacci" || g.kind == "lfsr-galois") {
        const bool galois = g.kind == "lfsr-galois";
        const std::uint32_t poly = g.poly != 0 ? g.poly : sc::lfsr_default_poly(n);
        const std::uint32_t reset =
            galois ? lfsr_reset<sc::LfsrGalois>(g, poly) : lfsr_reset<sc::LfsrFibonacci>(g, poly);
        const std::string m = galois ? "scnn_lfsr_gal" : "scnn_lfsr_fib";
        ctx.use(m);
        ctx.use("scnn_rotl");
        w.linef("{} #(.N({}), .POLY(32'h{:x}), .RESET(32'h{:x}), .ROT({})) gen{} {}", m, n, poly, reset, g.rotate,
                index, ports);
    } else if (g.kind == "sobol") {
        const auto v = sc::sobol_direction_integers(g.dimension, n);
        std::vector<std::uint32_t> c(n);
        std::uint32_t acc = 0;
        for (unsigned j = 0; j < n; ++j) c[j] = acc ^= v[j];
        const std::uint64_t k0 = g.offset & mask_of(n);
        const std::uint32_t u0 = sc::sobol_value(v, n, g.offset);
        ctx.use("scnn_sobol");
        ctx.use("scnn_rotl");
        w.linef("scnn_sobol #(.N({}), .CTAB({}), .RESET_K(32'h{:x}), .RESET_U(32'h{:x}), .ROT({})) gen{} {}", n,
                packed32(c, 32), k0, u0, g.rotate, index, ports);
    } else if (g.kind == "halton") {
        const unsigned b = sc::halton_base(g.dimension), k = sc::halton_digits(b, n);
        const std::uint64_t m = sc::halton_range(b, n);
        const int dw = ubits(b - 1);
        std::uint64_t t = g.offset % m, u = 0;
        std::vector<std::uint32_t> places(k);
        std::uint64_t p = m;
        std::vector<unsigned> d(k);
        for (unsigned i = 0; i < k; ++i) {
            p /= b;
            places[i] = std::uint32_t(p);
            d[i] = unsigned(t % b);
            t /= b;
            u += d[i] * p;
        }
        std::uint64_t packed_lo = 0, packed_hi = 0;  // at most 40 bits are used (k·dw ≤ 40 for n ≤ 32)
        for (unsigned i = 0; i < k; ++i) {
            const unsigned bit = unsigned(dw) * i;
            if (bit < 64) packed_lo |= std::uint64_t(d[i]) << bit;
            if (bit + unsigned(dw) > 64) packed_hi |= std::uint64_t(d[i]) >> (64 - bit);
        }
        ctx.use("scnn_halton");
        w.linef("scnn_halton #(.N({}), .B({}), .K({}), .DW({}), .RESET_D(192'h{:016x}{:016x}), .RESET_U(32'h{:x}), "
                ".PLACES({})) gen{} {}",
                n, b, k, dw, packed_hi, packed_lo, u, packed32(places, 32), index, ports);
    } else if (g.kind == "ramp") {
        ctx.use("scnn_ramp");
        ctx.use("scnn_rotl");
        w.linef("scnn_ramp #(.N({}), .RESET(32'h{:x}), .ROT({})) gen{} {}", n, g.offset & mask_of(n), g.rotate, index,
                ports);
    } else {
        throw Error(fmt::format("generator {} of kind '{}' has no Verilog form", index, g.kind));
    }
}

}  // namespace scnn::codegen::verilog::detail
