// The SC compiler's mapping of one linear layer (Dense, Conv2d, Affine, or the identity affine of an
// activation with no linear layer before it) fused with the activation after it: ranges, scales, thresholds,
// generators and the integer neuron (docs/SEMANTICS.md §9.3, §9.5).
#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <variant>

#include "engine/compile/plan_builder.hpp"
#include "engine/ir/error.hpp"

namespace scnn::compile::detail {

namespace {

Linear as_linear(const ir::Layer& L, ir::PlanStage& st) {
    Linear r;
    if (const auto* d = std::get_if<ir::Dense>(&L.op)) {
        r = {ir::StageKind::dense, d->w, d->b, d->out, std::size_t(d->in)};
    } else if (const auto* c = std::get_if<ir::Conv2d>(&L.op)) {
        r = {ir::StageKind::conv, c->w, c->b, c->out_c, std::size_t(c->in_c * c->kh * c->kw)};
        if (c->pad_bottom < 0 || c->pad_right < 0) throw Error("conv with negative padding");
        st.kh = c->kh, st.kw = c->kw, st.stride_h = c->stride_h, st.stride_w = c->stride_w;
        st.pad_top = c->pad_top, st.pad_left = c->pad_left;
    } else if (const auto* a = std::get_if<ir::Affine>(&L.op)) {
        r = {ir::StageKind::affine, a->scale, a->shift, int(a->scale.size()), 1};
    }
    if (r.b.empty()) r.b.assign(std::size_t(r.out_channels), 0.0f);
    return r;
}

}  // namespace

void PlanBuilder::check_mapping(const ir::PlanStage& st, const ir::Layer& L, const std::string& mapping,
                                bool final) const {
    if (final) return;  // a final stage has no neuron
    if (mapping == "btanh" && st.adder != "apc")
        throw Error(fmt::format("--neuron btanh counts an APC's sum: stage '{}' has --adder {}", L.name, st.adder));
    if (mapping == "stanh" && st.adder == "apc")
        throw Error(fmt::format("--neuron stanh takes one stream (--adder mux or or): stage '{}' has apc", L.name));
}

// Per output channel range a[c] (an all-ones output stream means a[c]) from the fused activation, which also
// sets signed_out and the activation name; a sigmoid is folded into the weights: σ(z) ≈ clip(z/4 + 1/2, 0, 1).
std::vector<double> PlanBuilder::output_ranges(const ir::Op* aop, bool tail_head, std::size_t range_layer,
                                               Linear& lin, ir::PlanStage& st) const {
    const auto& rng = (tail_head ? full_ranges_ : ranges_)[range_layer];
    std::vector<double> a(std::size_t(lin.out_channels), 1.0);
    const auto per = [&](auto f) {  // one range for the scores of a pooled tail: counts stay proportional
        for (std::size_t c = 0; c < a.size(); ++c)
            a[c] = f(o_.channel_ranges && o_.per_channel && !tail_head ? rng[c] : rng.back());
    };
    st.activation = "identity";
    if (aop && std::holds_alternative<ir::Sigmoid>(*aop)) {
        for (auto& w : lin.w) w *= 0.25f;
        for (auto& b : lin.b) b = b * 0.25f + 0.5f;
        st.activation = "sigmoid~clip";
    } else if (aop && std::holds_alternative<ir::Tanh>(*aop)) {
        st.signed_out = true, st.activation = "tanh~hardtanh";
    } else if (aop && std::holds_alternative<ir::Relu>(*aop)) {
        per([](double r) { return r; }), st.activation = "relu";
    } else if (const auto* cl = aop ? std::get_if<ir::Clip>(aop) : nullptr) {
        const double hi = cl->lo >= 0 ? cl->hi : std::max(-cl->lo, cl->hi);
        per([&](double r) { return std::min<double>(hi, r); });
        st.signed_out = cl->lo < 0, st.activation = cl->lo >= 0 ? "clip" : "hardtanh";
    } else {
        per([](double r) { return r; }), st.signed_out = true;
    }
    for (auto& x : a)
        if (!(x > 0)) x = 1.0;  // a dead channel: any range will do
    return a;
}

// The real value of an all-ones stream on the input of every weight: dense by input element, conv and affine
// by input channel.
std::vector<double> PlanBuilder::input_scales(const Linear& lin, const ir::Layer& L, const ir::PlanStage& st) const {
    std::vector<double> vin(lin.w.size());
    for (std::size_t k = 0; k < lin.w.size(); ++k) {
        if (lin.kind == ir::StageKind::dense)
            vin[k] = vel_[k % lin.per_channel];
        else if (lin.kind == ir::StageKind::affine)
            vin[k] = channel_scale(L.in, int(k));
        else
            vin[k] = channel_scale(L.in, int((k % lin.per_channel) / std::size_t(st.kh * st.kw)));
    }
    return vin;
}

// s_c = max(max_i |w_ci·v_i|, |b_c|): per output channel in hidden stages, one for all (`one_scale`) in the
// final stage or with --per-layer.
std::vector<double> PlanBuilder::weight_scales(const Linear& lin, const std::vector<double>& vin, bool one_scale) const {
    std::vector<double> s(std::size_t(lin.out_channels), 0.0);
    for (int c = 0; c < lin.out_channels; ++c) {
        double m = std::fabs(lin.b[std::size_t(c)]);
        for (std::size_t k = std::size_t(c) * lin.per_channel; k < std::size_t(c + 1) * lin.per_channel; ++k)
            m = std::max(m, std::fabs(lin.w[k] * vin[k]));
        s[std::size_t(c)] = std::max(m, 1e-30);
    }
    if (one_scale) std::fill(s.begin(), s.end(), *std::max_element(s.begin(), s.end()));
    return s;
}

std::int64_t PlanBuilder::add_generators(ir::PlanStage& st) {
    const std::string kind = kinds_.next();
    const unsigned width = parse_width(widths_.next());
    st.weight_gen = int(plan_.generators.size());
    plan_.generators.push_back(allocate_generator(o_, kind, width, unsigned(plan_.generators.size())));
    const std::int64_t m = generator_range(plan_.generators.back());
    if (st.adder == "mux") {
        st.select_gen = int(plan_.generators.size());
        plan_.generators.push_back(allocate_generator(o_, kind, width, unsigned(plan_.generators.size())));
    }
    return m;
}

// The hidden stage's integer neuron: k[c] = round(d·a_c / s_c), gain d (×(fan-in + 1) for the mux, which
// passes one of its inputs per cycle), the accumulator clamp, or the Btanh / Stanh state counter.
void PlanBuilder::set_neuron(ir::PlanStage& st, const Linear& lin, const std::vector<double>& a,
                             const std::vector<double>& s, const std::string& mapping) const {
    const std::int64_t fanin = std::int64_t(lin.per_channel) + 1;
    st.d = o_.d * (st.adder == "mux" ? fanin : 1);
    std::int64_t kmax = 1;
    for (int c = 0; c < lin.out_channels; ++c) {
        st.k.push_back(std::max<std::int64_t>(1, std::llround(double(o_.d) * a[std::size_t(c)] / s[std::size_t(c)])));
        kmax = std::max(kmax, st.k.back());
    }
    st.acc_max = kmax + st.d * (st.adder == "apc" ? fanin : 1);
    st.acc_min = -st.acc_max * (st.signed_out ? 1 : 4);
    if (st.neuron == "fsm") {
        // Btanh / Stanh: an up/down counter of S = 2·half states fed by Δ, no feedback. A heuristic
        // (docs/SEMANTICS.md §9.5): Stanh(S, x) ≈ tanh(S·x/2) on a ±1 stream, so half = 1/q puts tanh(1) at
        // the range (q = E[Δ] per cycle there); Btanh gets half = q, about the range.
        const double q = double(kmax) / double(st.d);
        const auto half = std::max<std::int64_t>(1, std::llround(mapping == "stanh" ? 1.0 / q : q));
        st.d = 1;
        st.acc_min = -half, st.acc_max = half - 1;
    }
    st.out_scale = *std::max_element(a.begin(), a.end());
}

std::vector<double> PlanBuilder::linear_stage(std::size_t& i, ir::PlanStage& st) {
    const ir::Layer& L = net_.layers[i];
    Linear lin;
    std::size_t act = i;  // the activation fused into this stage (i itself for a lone activation)
    if (is_linear_op(L.op)) {
        lin = as_linear(L, st);
        if (i + 1 < net_.layers.size() && is_activation_op(net_.layers[i + 1].op)) act = i + 1;
    } else {
        lin = {ir::StageKind::affine, std::vector<float>(std::size_t(L.in.c), 1.0f),
               std::vector<float>(std::size_t(L.in.c), 0.0f), L.in.c, 1};
    }
    st.kind = lin.kind;
    const bool final = int(i) == last_linear_ && !pooled_tail_;
    const bool tail_head = int(i) == last_linear_ && pooled_tail_;  // the scores before a pooled tail
    const ir::Op* aop = act != i || !is_linear_op(L.op) ? &net_.layers[act].op : nullptr;
    st.adder = adders_.next();
    const std::string mapping = neurons_.next();
    check_mapping(st, L, mapping, final);
    st.neuron = final || mapping == "delta-sigma" ? "delta-sigma" : "fsm";
    const auto a = output_ranges(aop, tail_head, aop ? act : i, lin, st);
    const auto vin = input_scales(lin, L, st);
    const auto s = weight_scales(lin, vin, final || !o_.per_channel);
    const std::int64_t m = add_generators(st);
    st.weights.resize(lin.w.size());
    for (std::size_t k = 0; k < lin.w.size(); ++k)
        st.weights[k] = encode(lin.w[k] * vin[k] / s[k / lin.per_channel], m, bipolar_);
    for (int c = 0; c < lin.out_channels; ++c)
        st.bias.push_back(encode(lin.b[std::size_t(c)] / s[std::size_t(c)], m, bipolar_));
    st.final = final;
    std::vector<double> next;
    if (final) {
        st.signed_out = false;
        st.out_scale = s[0];
    } else {
        set_neuron(st, lin, a, s, mapping);
        const std::size_t plane = std::size_t(L.out.h) * std::size_t(L.out.w);
        for (std::size_t e = 0; e < std::size_t(st.out.size()); ++e) next.push_back(a[e / plane]);
    }
    if (act != i) ++i;  // the activation is fused
    return next;
}

}  // namespace scnn::compile::detail
