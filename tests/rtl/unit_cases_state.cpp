// rtl/ neuron and pooling steps against engine/sc and the §9.3 / §9.4 rules (unit_cases.hpp). The bench
// keeps each module's state registers outside the module, as the emitted stages do, and prints the
// output y(t) (and the state) of every cycle.
#include <fmt/core.h>

#include <algorithm>

#include "engine/sc/adders.hpp"
#include "engine/sc/fsm.hpp"
#include "tests/rtl/unit_cases.hpp"

namespace scnn::test::rtl {

namespace {

int sbits(std::uint64_t v) { return ubits(v) + 1; }

std::string lit(std::int64_t v) { return fmt::format("{}64'sd{}", v < 0 ? "-" : "", v < 0 ? -v : v); }

std::int64_t uniform(std::mt19937& rng, std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
}

// Δ(t) of an APC over n inputs in the bipolar encoding: 2c − n, c the count of ones.
std::uint32_t random_count(std::mt19937& rng, std::uint32_t n, double p) {
    std::binomial_distribution<std::uint32_t> c(n, p);
    return c(rng);
}

struct NeuronShape {
    bool bip = false, signed_out = false;
    std::int64_t d = 1, lo = -8, hi = 7;
    int aw = 8, dw = 4, iw = 40;
};

void fill_widths(NeuronShape& s, std::int64_t kmax) {
    const std::uint64_t amax = std::uint64_t(std::max(-s.lo, s.hi));
    s.aw = sbits(amax);
    const std::uint64_t wide = amax + std::uint64_t(std::abs(s.d)) * (std::uint64_t{1} << (s.dw - 1)) + std::uint64_t(kmax);
    s.iw = sbits(wide) + 1;
}

std::string neuron_params(const NeuronShape& s) {
    return fmt::format(".AW({}), .DW({}), .IW({}), .D({}), .ACC_MIN({}), .ACC_MAX({}), .BIPOLAR({}), .SIGNED_OUT({})", s.aw,
                       s.dw, s.iw, lit(s.d), lit(s.lo), lit(s.hi), int(s.bip), int(s.signed_out));
}

// scnn_fsm_neuron: kind 0 general (§9.3 fsm on sc::SaturatingCounter), 1 sc::Stanh, 2 sc::Btanh.
UnitCase fsm_neuron(std::mt19937& rng, int cycles, int kind) {
    NeuronShape s;
    std::uint32_t states = 2 * std::uint32_t(uniform(rng, 1, 40)), n = std::uint32_t(uniform(rng, 1, 30));
    if (kind == 0) {
        s.bip = rng() % 2;
        s.signed_out = rng() % 2;
        s.d = uniform(rng, 1, 9) * (rng() % 5 == 0 ? -1 : 1);
        s.lo = -uniform(rng, 1, 3000);
        s.hi = uniform(rng, 0, 3000);
        s.dw = 2 + int(rng() % 8);
    } else {
        s.bip = true;
        s.lo = -std::int64_t(states / 2);
        s.hi = std::int64_t(states / 2) - 1;
        s.dw = kind == 1 ? 2 : sbits(n);
    }
    fill_widths(s, 0);
    UnitCase c;
    c.what = fmt::format("scnn_fsm_neuron ({}) {}", kind == 0 ? "general" : (kind == 1 ? "Stanh" : "Btanh"),
                         neuron_params(s));
    c.modules = {"scnn_fsm_neuron"};
    c.inputs = {{"d", s.dw}};
    c.outputs = {{"yp", 1}, {"yn", 1}, {"acc", s.aw}};
    c.body = fmt::format(R"(reg signed [{0}:0] PFX_acc = 0;
reg PFX_yp = 1'b1, PFX_yn = 1'b0;
wire signed [{0}:0] PFX_acc_n;
wire PFX_yp_n, PFX_yn_n;
scnn_fsm_neuron #({1}) PFX_u (.acc(PFX_acc), .delta(PFX_d), .acc_next(PFX_acc_n), .y_pos_next(PFX_yp_n), .y_neg_next(PFX_yn_n));
always @(posedge clk) begin
    PFX_acc <= PFX_seg_end ? 0 : PFX_acc_n;
    PFX_yp <= PFX_seg_end ? 1'b1 : PFX_yp_n;
    PFX_yn <= PFX_seg_end ? 1'b0 : PFX_yn_n;
end
assign PFX_o0 = PFX_yp;
assign PFX_o1 = PFX_yn;
assign PFX_o2 = PFX_acc;)",
                         s.aw - 1, neuron_params(s));
    const auto lens = segment_lengths(rng, cycles);
    mark_segments(c, lens);
    const std::int64_t half = std::int64_t{1} << (s.dw - 1);
    for (int len : lens) {
        sc::SaturatingCounter acc(s.lo, s.hi, 0);
        sc::Stanh stanh(states);
        sc::Btanh btanh(states, n);
        const double p = double(rng() % 1001) / 1000.0;
        for (int t = 0; t < len; ++t) {
            std::int64_t delta = 0, y = 0, a = 0;
            if (kind == 0) {  // y from the state, then the step
                a = acc.value();
                y = a >= 0 ? 1 : (s.signed_out || s.bip ? -1 : 0);
                delta = uniform(rng, -half, half - 1);
                acc.add(s.d * delta);
            } else if (kind == 1) {
                const bool x = std::bernoulli_distribution(p)(rng);
                delta = x ? 1 : -1;
                a = std::int64_t(stanh.state()) - states / 2;
                y = stanh.next(x) ? 1 : -1;
            } else {
                const std::uint32_t cnt = random_count(rng, n, p);
                delta = 2 * std::int64_t(cnt) - n;
                a = btanh.state() - states / 2;
                y = btanh.next(cnt) ? 1 : -1;
            }
            c.stim.push_back({std::uint64_t(delta)});
            c.expect.push_back({y > 0, y < 0, a});
        }
    }
    return c;
}

// scnn_ds_neuron: general (§9.3 delta-sigma on sc::SaturatingCounter) or, with hard_tanh, sc::HardTanh.
UnitCase ds_neuron(std::mt19937& rng, int cycles, bool hard_tanh) {
    NeuronShape s;
    const std::uint32_t n = std::uint32_t(uniform(rng, 1, 30));
    const std::int64_t bound = uniform(rng, 1, 300);
    int kw = 1;
    if (hard_tanh) {
        s.bip = s.signed_out = true;
        s.lo = -bound;
        s.hi = bound - 1;
        s.dw = sbits(n);
    } else {
        s.bip = rng() % 2;
        s.signed_out = rng() % 2;
        s.d = uniform(rng, 1, 300) * (rng() % 8 == 0 ? -1 : 1);
        s.lo = -uniform(rng, 1, 20000);
        s.hi = uniform(rng, 1, 20000);
        s.dw = 2 + int(rng() % 8);
        kw = 1 + int(rng() % 12);
    }
    fill_widths(s, (std::int64_t{1} << kw) - 1);
    const int ew = sbits(std::uint64_t(cycles) + 1);
    const int y0 = s.bip ? 1 : 0;  // the output of the reset state (acc = 0, k ≥ 1)
    UnitCase c;
    c.what = fmt::format("scnn_ds_neuron ({}) {}, .EW({}), .KW({})", hard_tanh ? "HardTanh" : "general",
                         neuron_params(s), ew, kw);
    c.modules = {"scnn_ds_neuron"};
    c.inputs = {{"d", s.dw}, {"k", kw}};
    c.outputs = {{"yp", 1}, {"yn", 1}, {"acc", s.aw}};
    c.body = fmt::format(R"(reg signed [{0}:0] PFX_acc = 0;
reg signed [{1}:0] PFX_e = 0;
reg PFX_yp = 1'b{2}, PFX_yn = 1'b0;
wire signed [{0}:0] PFX_acc_n;
wire signed [{1}:0] PFX_e_n;
wire PFX_yp_n, PFX_yn_n;
scnn_ds_neuron #({3}, .EW({4}), .KW({5})) PFX_u (.acc(PFX_acc), .e_sum(PFX_e), .y_pos(PFX_yp), .y_neg(PFX_yn),
    .delta(PFX_d), .k(PFX_k), .acc_next(PFX_acc_n), .e_next(PFX_e_n), .y_pos_next(PFX_yp_n), .y_neg_next(PFX_yn_n));
always @(posedge clk) begin
    PFX_acc <= PFX_seg_end ? 0 : PFX_acc_n;
    PFX_e <= PFX_seg_end ? 0 : PFX_e_n;
    PFX_yp <= PFX_seg_end ? 1'b{2} : PFX_yp_n;
    PFX_yn <= PFX_seg_end ? 1'b0 : PFX_yn_n;
end
assign PFX_o0 = PFX_yp;
assign PFX_o1 = PFX_yn;
assign PFX_o2 = PFX_acc;)",
                         s.aw - 1, ew - 1, y0, neuron_params(s), ew, kw);
    const auto lens = segment_lengths(rng, cycles);
    mark_segments(c, lens);
    const std::int64_t half = std::int64_t{1} << (s.dw - 1);
    for (int len : lens) {
        const std::int64_t k = hard_tanh ? 1 : uniform(rng, 1, (std::int64_t{1} << kw) - 1);
        sc::SaturatingCounter acc(s.lo, s.hi, 0);
        sc::HardTanh ht(n, bound);
        std::int64_t e_sum = 0;
        const double p = double(rng() % 1001) / 1000.0;
        for (int t = 0; t < len; ++t) {
            std::int64_t delta = 0, y = 0, a = 0;
            if (hard_tanh) {
                const std::uint32_t cnt = random_count(rng, n, p);
                delta = 2 * std::int64_t(cnt) - n;
                a = ht.state();
                y = ht.next(cnt) ? 1 : -1;
            } else {
                a = acc.value();
                if (s.bip) y = a >= 0 || (!s.signed_out && e_sum < 0) ? 1 : -1;
                else y = 2 * a >= k ? 1 : (s.signed_out && 2 * a < -k ? -1 : 0);
                delta = uniform(rng, -half, half - 1);
                acc.add(s.d * delta - k * y);
                e_sum += y;
            }
            c.stim.push_back({std::uint64_t(delta), std::uint64_t(k)});
            c.expect.push_back({y > 0, y < 0, a});
        }
    }
    return c;
}

// Per segment: which window slots are real cells (the others carry 0, 0), and random e in {-1, 0, +1}.
struct Window {
    int real = 0;
    std::vector<bool> valid;
};

Window random_window(std::mt19937& rng, int nw) {
    Window w;
    w.valid.assign(std::size_t(nw), false);
    for (int i = 0; i < nw; ++i) w.valid[std::size_t(i)] = rng() % 4 != 0;
    w.real = int(std::count(w.valid.begin(), w.valid.end(), true));
    return w;
}

std::uint64_t bits_of(const std::vector<int>& e, int sign) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < e.size(); ++i) v |= std::uint64_t(e[i] == sign) << i;
    return v;
}

// scnn_maxpool_pe, against the §9.4 running-max counter: C_i, O, y(t) = sgn(max C − O) (bipolar: ±1).
UnitCase max_pool(std::mt19937& rng, int cycles) {
    const int nw = 1 + int(rng() % 9), cw = sbits(std::uint64_t(cycles) + 1) + int(rng() % 3);
    const bool bip = rng() % 2;
    UnitCase c;
    c.what = fmt::format("scnn_maxpool_pe NW={} CW={} BIPOLAR={}", nw, cw, int(bip));
    c.modules = {"scnn_maxpool_pe"};
    c.inputs = {{"xp", nw}, {"xn", nw}, {"valid", nw}};
    c.outputs = {{"yp", 1}, {"yn", 1}, {"o", cw}};
    c.body = fmt::format(R"(reg [{0}:0] PFX_c = 0;  // C_i of every slot
reg [{0}:0] PFX_cn;
reg signed [{1}:0] PFX_o = 0;
reg PFX_yp = 1'b{2}, PFX_yn = 1'b0;
wire signed [{1}:0] PFX_on;
wire PFX_yp_n, PFX_yn_n;
integer PFX_i;
always @* for (PFX_i = 0; PFX_i < {3}; PFX_i = PFX_i + 1)
    PFX_cn[PFX_i * {4} +: {4}] = PFX_c[PFX_i * {4} +: {4}] + {{{{{1}{{PFX_xn[PFX_i]}}}}, PFX_xp[PFX_i] | PFX_xn[PFX_i]}};
scnn_maxpool_pe #(.NW({3}), .CW({4}), .BIPOLAR({5})) PFX_u (.cnt(PFX_cn), .valid(PFX_valid), .o(PFX_o),
    .y_pos(PFX_yp), .y_neg(PFX_yn), .o_next(PFX_on), .y_pos_next(PFX_yp_n), .y_neg_next(PFX_yn_n));
always @(posedge clk) begin
    PFX_c <= PFX_seg_end ? 0 : PFX_cn;
    PFX_o <= PFX_seg_end ? 0 : PFX_on;
    PFX_yp <= PFX_seg_end ? 1'b{2} : PFX_yp_n;
    PFX_yn <= PFX_seg_end ? 1'b0 : PFX_yn_n;
end
assign PFX_o0 = PFX_yp;
assign PFX_o1 = PFX_yn;
assign PFX_o2 = PFX_o;)",
                         nw * cw - 1, cw - 1, int(bip), nw, cw, int(bip));
    const auto lens = segment_lengths(rng, cycles);
    mark_segments(c, lens);
    for (int len : lens) {
        const Window w = random_window(rng, nw);
        std::vector<std::int64_t> cnt(std::size_t(nw), 0);
        std::int64_t o = 0, y = bip ? 1 : 0;
        std::uint64_t valid = 0;
        for (int i = 0; i < nw; ++i) valid |= std::uint64_t(w.valid[std::size_t(i)]) << i;
        for (int t = 0; t < len; ++t) {
            std::vector<int> e(static_cast<std::size_t>(nw));
            for (auto& v : e) v = int(rng() % 3) - 1;  // the slots outside the input too: they must be ignored
            c.stim.push_back({bits_of(e, 1), bits_of(e, -1), valid});
            c.expect.push_back({y > 0, y < 0, o});
            o += y;
            std::int64_t m = 0;
            bool any = false;
            for (int i = 0; i < nw; ++i) {
                cnt[std::size_t(i)] += e[std::size_t(i)];
                if (w.valid[std::size_t(i)]) m = any ? std::max(m, cnt[std::size_t(i)]) : cnt[std::size_t(i)];
                any = any || w.valid[std::size_t(i)];
            }
            if (bip) y = m >= o ? 1 : -1;
            else y = !any ? 0 : (m > o ? 1 : (m < o ? -1 : 0));
        }
    }
    return c;
}

// scnn_avgpool_pe, against the §9.4 delta-sigma mean: A += Σ e − n·y; y = [2A ≥ n] − [2A < −n] (bipolar ±1).
UnitCase avg_pool(std::mt19937& rng, int cycles) {
    const int nw = 1 + int(rng() % 9), nvw = ubits(std::uint64_t(nw)), aw = sbits(std::uint64_t(8 * nw));
    const bool bip = rng() % 2;
    UnitCase c;
    c.what = fmt::format("scnn_avgpool_pe NW={} AW={} NVW={} BIPOLAR={}", nw, aw, nvw, int(bip));
    c.modules = {"scnn_avgpool_pe"};
    c.inputs = {{"xp", nw}, {"xn", nw}, {"n", nvw}};
    c.outputs = {{"yp", 1}, {"yn", 1}, {"a", aw}};
    c.body = fmt::format(R"(reg signed [{0}:0] PFX_a = 0;
reg PFX_yp = 1'b{1}, PFX_yn = 1'b0;
wire signed [{0}:0] PFX_an;
wire PFX_yp_n, PFX_yn_n;
scnn_avgpool_pe #(.NW({2}), .AW({3}), .NVW({4}), .BIPOLAR({1})) PFX_u (.xp(PFX_xp), .xn(PFX_xn), .n(PFX_n), .a(PFX_a),
    .y_pos(PFX_yp), .y_neg(PFX_yn), .a_next(PFX_an), .y_pos_next(PFX_yp_n), .y_neg_next(PFX_yn_n));
always @(posedge clk) begin
    PFX_a <= PFX_seg_end ? 0 : PFX_an;
    PFX_yp <= PFX_seg_end ? 1'b{1} : PFX_yp_n;
    PFX_yn <= PFX_seg_end ? 1'b0 : PFX_yn_n;
end
assign PFX_o0 = PFX_yp;
assign PFX_o1 = PFX_yn;
assign PFX_o2 = PFX_a;)",
                         aw - 1, int(bip), nw, aw, nvw);
    const auto lens = segment_lengths(rng, cycles);
    mark_segments(c, lens);
    for (int len : lens) {
        const Window w = random_window(rng, nw);
        // the divisor: the window area (count_include_pad) or the real cells (at least 1)
        const std::int64_t n = rng() % 2 ? nw : std::max(1, w.real);
        std::int64_t a = 0, y = bip ? 1 : 0;
        for (int t = 0; t < len; ++t) {
            std::vector<int> e(std::size_t(nw), 0);
            std::int64_t sum = 0;
            for (int i = 0; i < nw; ++i)
                if (w.valid[std::size_t(i)]) sum += e[std::size_t(i)] = bip ? (rng() % 2 ? 1 : -1) : int(rng() % 3) - 1;
            c.stim.push_back({bits_of(e, 1), bits_of(e, -1), std::uint64_t(n)});
            c.expect.push_back({y > 0, y < 0, a});
            a += sum - n * y;
            if (bip) y = a >= 0 ? 1 : -1;
            else y = 2 * a >= n ? 1 : (2 * a < -n ? -1 : 0);
        }
    }
    return c;
}

}  // namespace

std::vector<UnitCase> state_cases(std::mt19937& rng, int cycles, int per_module) {
    std::vector<UnitCase> out;
    for (int i = 0; i < per_module; ++i) {
        out.push_back(fsm_neuron(rng, cycles, i % 3));
        out.push_back(ds_neuron(rng, cycles, i % 3 == 1));
        out.push_back(max_pool(rng, cycles));
        out.push_back(avg_pool(rng, cycles));
    }
    return out;
}

}  // namespace scnn::test::rtl
