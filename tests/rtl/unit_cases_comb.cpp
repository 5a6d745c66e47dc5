// Combinational rtl/ modules against engine/sc (unit_cases.hpp).
#include <fmt/core.h>

#include "engine/sc/adders.hpp"
#include "engine/sc/gates.hpp"
#include "engine/sc/halton.hpp"
#include "engine/sc/sng.hpp"
#include "tests/rtl/unit_cases.hpp"

namespace scnn::test::rtl {

namespace {

using sc::PackedStream;

sc::SngConfig random_generator(std::mt19937& rng) {
    static const char* kKinds[] = {"lfsr", "lfsr-galois", "sobol", "halton", "ramp"};
    sc::SngConfig g;
    g.kind = sc::parse_sng_kind(kKinds[rng() % 5]);
    g.width = 3 + rng() % 30;
    const std::uint32_t mask = g.width == 32 ? 0xFFFFFFFFu : ((1u << g.width) - 1u);
    g.seed = std::max<std::uint32_t>(1, std::uint32_t(rng()) & mask);
    if (g.kind == sc::SngKind::sobol) g.dimension = 1 + rng() % 32;
    if (g.kind == sc::SngKind::halton) {
        g.dimension = 1 + rng() % 6;
        while (g.dimension > 1 && (std::uint64_t{sc::halton_base(g.dimension)} >> g.width) != 0) --g.dimension;
    }
    g.offset = rng() % 2000;
    g.rotate = g.kind == sc::SngKind::halton ? 0 : unsigned(rng() % g.width);
    sc::validate(g);
    return g;
}

PackedStream random_stream(std::mt19937& rng, int len) {
    const double p = double(rng() % 1001) / 1000.0;
    std::bernoulli_distribution bit(p);
    PackedStream s{std::size_t(len)};
    for (int t = 0; t < len; ++t) s.set(std::size_t(t), bit(rng));
    return s;
}

// Lane i of `streams` at cycle t as bit i of a word.
std::uint64_t lanes(const std::vector<PackedStream>& streams, int t) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < streams.size(); ++i) v |= std::uint64_t(streams[i].bit(std::size_t(t))) << i;
    return v;
}

UnitCase comparator(std::mt19937& rng, int cycles) {
    const sc::SngConfig g = random_generator(rng);
    const std::uint64_t m = sc::sng_range(g);
    const int n = int(g.width);
    UnitCase c;
    c.what = fmt::format("scnn_sng_cmp N={} (generator kind {}, range {})", n, int(g.kind), m);
    c.modules = {"scnn_sng_cmp"};
    c.inputs = {{"r", n}, {"t", n + 1}};
    c.outputs = {{"bit", 1}};
    c.body = fmt::format("scnn_sng_cmp #(.N({})) PFX_u (.r(PFX_r), .t(PFX_t), .bit_out(PFX_o0));", n);
    const auto lens = segment_lengths(rng, cycles);
    mark_segments(c, lens);
    sc::Sng sng(g);
    for (int len : lens) {
        const int pick = int(rng() % 8);
        const std::uint64_t thr = pick == 0 ? 0 : (pick == 1 ? m : std::uniform_int_distribution<std::uint64_t>(0, m)(rng));
        std::vector<std::uint32_t> r(static_cast<std::size_t>(len));
        sng.reset();
        sng.generate(r);
        const PackedStream bits = sc::generate_packed(g, thr, std::size_t(len));
        for (int t = 0; t < len; ++t) {
            c.stim.push_back({r[std::size_t(t)], thr});
            c.expect.push_back({bits.bit(std::size_t(t))});
        }
    }
    return c;
}

UnitCase product(std::mt19937& rng, int cycles) {
    const int w = 1 + int(rng() % 16);
    const bool bip = rng() % 2;
    UnitCase c;
    c.what = fmt::format("scnn_product W={} BIPOLAR={}", w, int(bip));
    c.modules = {"scnn_product"};
    c.inputs = {{"xp", w}, {"xn", w}, {"w", w}, {"wneg", w}};
    c.outputs = {{"pp", w}, {"pn", w}};
    c.body = fmt::format("scnn_product #(.W({}), .BIPOLAR({})) PFX_u (.xp(PFX_xp), .xn(PFX_xn), .w(PFX_w), "
                         ".wneg(PFX_wneg), .pp(PFX_o0), .pn(PFX_o1));",
                         w, int(bip));
    const auto lens = segment_lengths(rng, cycles);
    mark_segments(c, lens);
    for (int len : lens) {
        std::vector<PackedStream> xp, xn, ws, wneg, pp, pn;
        for (int i = 0; i < w; ++i) {
            // x: e in {-1, 0, +1} (bipolar: the pair b, not b)
            PackedStream a = random_stream(rng, len), b = random_stream(rng, len);
            for (int t = 0; t < len; ++t) {
                if (bip) b.set(std::size_t(t), !a.bit(std::size_t(t)));
                else if (a.bit(std::size_t(t))) b.set(std::size_t(t), false);
            }
            const PackedStream weight = random_stream(rng, len), zero(static_cast<std::size_t>(len));
            const bool neg = rng() % 2;
            PackedStream sign(static_cast<std::size_t>(len));
            for (int t = 0; t < len; ++t) sign.set(std::size_t(t), neg);
            if (bip) {
                const PackedStream x = sc::gate_xnor(a, weight);
                pp.push_back(x);
                pn.push_back(sc::gate_not(x));
            } else {
                const auto p = sc::split_multiply({a, b}, {neg ? zero : weight, neg ? weight : zero});
                pp.push_back(p.pos);
                pn.push_back(p.neg);
            }
            xp.push_back(a);
            xn.push_back(b);
            ws.push_back(weight);
            wneg.push_back(sign);
        }
        for (int t = 0; t < len; ++t) {
            c.stim.push_back({lanes(xp, t), lanes(xn, t), lanes(ws, t), lanes(wneg, t)});
            c.expect.push_back({std::int64_t(lanes(pp, t)), std::int64_t(lanes(pn, t))});
        }
    }
    return c;
}

UnitCase apc(std::mt19937& rng, int cycles) {
    const int n = 1 + int(rng() % 40), cw = ubits(std::uint64_t(n)) + int(rng() % 2);
    UnitCase c;
    c.what = fmt::format("scnn_apc N={} CW={}", n, cw);
    c.modules = {"scnn_apc"};
    c.inputs = {{"in", n}};
    c.outputs = {{"count", cw}};
    c.body = fmt::format("scnn_apc #(.N({}), .CW({})) PFX_u (.in(PFX_in), .count(PFX_o0));", n, cw);
    const auto lens = segment_lengths(rng, cycles);
    mark_segments(c, lens);
    for (int len : lens) {
        std::vector<PackedStream> in;
        for (int i = 0; i < n; ++i) in.push_back(random_stream(rng, len));
        const auto counts = sc::apc_counts(std::span<const PackedStream>(in));
        for (int t = 0; t < len; ++t) {
            c.stim.push_back({lanes(in, t)});
            c.expect.push_back({std::int64_t(counts[std::size_t(t)])});
        }
    }
    return c;
}

UnitCase or_adder(std::mt19937& rng, int cycles) {
    const int n = 1 + int(rng() % 24);
    UnitCase c;
    c.what = fmt::format("scnn_or_adder N={}", n);
    c.modules = {"scnn_or_adder"};
    c.inputs = {{"pp", n}, {"pn", n}};
    c.outputs = {{"dp", 1}, {"dn", 1}};
    c.body = fmt::format("scnn_or_adder #(.N({})) PFX_u (.pp(PFX_pp), .pn(PFX_pn), .dp(PFX_o0), .dn(PFX_o1));", n);
    const auto lens = segment_lengths(rng, cycles);
    mark_segments(c, lens);
    for (int len : lens) {
        std::vector<PackedStream> pp, pn;
        PackedStream dp(static_cast<std::size_t>(len)), dn(static_cast<std::size_t>(len));
        for (int i = 0; i < n; ++i) {
            pp.push_back(random_stream(rng, len));
            pn.push_back(random_stream(rng, len));
            dp = sc::gate_or(dp, pp.back());
            dn = sc::gate_or(dn, pn.back());
        }
        for (int t = 0; t < len; ++t) {
            c.stim.push_back({lanes(pp, t), lanes(pn, t)});
            c.expect.push_back({dp.bit(std::size_t(t)), dn.bit(std::size_t(t))});
        }
    }
    return c;
}

UnitCase mux_adder(std::mt19937& rng, int cycles) {
    const int n = 1 + int(rng() % 20), sw = ubits(std::uint64_t(std::max(1, n - 1))) + int(rng() % 2);
    UnitCase c;
    c.what = fmt::format("scnn_mux_adder N={} SW={}", n, sw);
    c.modules = {"scnn_mux_adder"};
    c.inputs = {{"pp", n}, {"pn", n}, {"sel", sw}};
    c.outputs = {{"dp", 1}, {"dn", 1}};
    c.body = fmt::format("scnn_mux_adder #(.N({}), .SW({})) PFX_u (.pp(PFX_pp), .pn(PFX_pn), .sel(PFX_sel), "
                         ".dp(PFX_o0), .dn(PFX_o1));",
                         n, sw);
    const auto lens = segment_lengths(rng, cycles);
    mark_segments(c, lens);
    for (int len : lens) {
        // a select past the last input gives 0: the engine's mux over the inputs and zero streams up to 2^SW
        std::vector<PackedStream> pp, pn;
        for (int i = 0; i < (1 << sw); ++i) {
            pp.push_back(i < n ? random_stream(rng, len) : PackedStream(static_cast<std::size_t>(len)));
            pn.push_back(i < n ? random_stream(rng, len) : PackedStream(static_cast<std::size_t>(len)));
        }
        std::vector<std::uint32_t> sel(static_cast<std::size_t>(len));
        for (auto& s : sel) s = std::uint32_t(rng() % (1u << sw));
        const PackedStream dp = sc::mux_add(std::span<const PackedStream>(pp), std::span<const std::uint32_t>(sel));
        const PackedStream dn = sc::mux_add(std::span<const PackedStream>(pn), std::span<const std::uint32_t>(sel));
        pp.resize(std::size_t(n));
        pn.resize(std::size_t(n));
        for (int t = 0; t < len; ++t) {
            c.stim.push_back({lanes(pp, t), lanes(pn, t), sel[std::size_t(t)]});
            c.expect.push_back({dp.bit(std::size_t(t)), dn.bit(std::size_t(t))});
        }
    }
    return c;
}

UnitCase mux_select(std::mt19937& rng, int cycles) {
    const sc::SngConfig g = random_generator(rng);
    const std::uint64_t m = sc::sng_range(g);
    const std::uint64_t most = std::min<std::uint64_t>(m, std::uint64_t{1} << 24);
    const std::uint32_t ns =
        std::uint32_t(rng() % 2 ? 1 + rng() % std::min<std::uint64_t>(most, 12) : 1 + (std::uint64_t(rng()) % most));
    const int sw = ubits(std::uint64_t(std::max<std::uint32_t>(1, ns - 1)));
    const int rw = int(g.width);
    UnitCase c;
    c.what = fmt::format("scnn_mux_select RW={} NS={} M={} SW={} (generator kind {})", rw, ns, m, sw, int(g.kind));
    c.modules = {"scnn_mux_select"};
    c.inputs = {{"r", rw}};
    c.outputs = {{"sel", sw}};
    c.body = fmt::format("scnn_mux_select #(.RW({}), .NS(64'd{}), .M(64'd{}), .SW({})) PFX_u (.r(PFX_r), .sel(PFX_o0));",
                         rw, ns, m, sw);
    const auto lens = segment_lengths(rng, cycles);
    mark_segments(c, lens);
    sc::Sng sng(g);
    for (int len : lens) {
        std::vector<std::uint32_t> r(static_cast<std::size_t>(len));
        sng.reset();
        sng.generate(r);
        const auto sel = sc::mux_select_sequence(g, ns, std::size_t(len));
        for (int t = 0; t < len; ++t) {
            c.stim.push_back({r[std::size_t(t)]});
            c.expect.push_back({sel[std::size_t(t)]});
        }
    }
    return c;
}

UnitCase out_counter(std::mt19937& rng, int cycles) {
    const int dw = 2 + int(rng() % 7), cw = dw + 9 + int(rng() % 12);
    UnitCase c;
    c.what = fmt::format("scnn_out_counter CW={} DW={}", cw, dw);
    c.modules = {"scnn_out_counter"};
    c.inputs = {{"d", dw}};
    c.outputs = {{"count", cw}};
    c.body = fmt::format(R"(reg signed [{0}:0] PFX_cnt = 0;
wire signed [{0}:0] PFX_nx;
scnn_out_counter #(.CW({2}), .DW({1})) PFX_u (.count(PFX_cnt), .delta(PFX_d), .count_next(PFX_nx));
always @(posedge clk) PFX_cnt <= PFX_seg_end ? 0 : PFX_nx;
assign PFX_o0 = PFX_cnt;)",
                         cw - 1, dw, cw);
    const auto lens = segment_lengths(rng, cycles);
    mark_segments(c, lens);
    const std::int64_t half = std::int64_t{1} << (dw - 1), top = std::int64_t{1} << (cw - 1);
    for (int len : lens) {
        sc::SaturatingCounter count(-top, top - 1, 0);
        for (int t = 0; t < len; ++t) {
            const std::int64_t d = std::int64_t(rng() % std::uint64_t(2 * half)) - half;
            c.stim.push_back({std::uint64_t(d)});
            c.expect.push_back({count.value()});
            count.add(d);
        }
    }
    return c;
}

}  // namespace

std::vector<UnitCase> combinational_cases(std::mt19937& rng, int cycles, int per_module) {
    std::vector<UnitCase> out;
    for (int i = 0; i < per_module; ++i) {
        out.push_back(comparator(rng, cycles));
        out.push_back(product(rng, cycles));
        out.push_back(apc(rng, cycles));
        out.push_back(or_adder(rng, cycles));
        out.push_back(mux_adder(rng, cycles));
        out.push_back(mux_select(rng, cycles));
        out.push_back(out_counter(rng, cycles));
    }
    return out;
}

}  // namespace scnn::test::rtl
