// Network → SC plan. Walks the sequential IR once, fusing every linear layer (Dense, Conv2d, Affine) with
// the activation that follows it into one neuron stage, and carrying the real value of a full stream
// ("scale") forward so that the last stage's counts are proportional to the logits (docs/SEMANTICS.md §9.5).
#include "engine/compile/compiler.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include "engine/ir/error.hpp"
#include "engine/sc/lfsr.hpp"
#include "engine/sc/sng_config.hpp"
#include "engine/sim/simulate.hpp"

namespace scnn::compile {

namespace {

struct Linear {  // a linear layer in a common form
    ir::StageKind kind;
    std::vector<float> w, b;
    int out_channels = 0;
    std::size_t per_channel = 0;  // weights per output channel
};

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

bool is_activation(const ir::Op& op) {
    return std::holds_alternative<ir::Relu>(op) || std::holds_alternative<ir::Clip>(op) ||
           std::holds_alternative<ir::Tanh>(op) || std::holds_alternative<ir::Sigmoid>(op);
}
bool is_linear(const ir::Op& op) {
    return std::holds_alternative<ir::Dense>(op) || std::holds_alternative<ir::Conv2d>(op) ||
           std::holds_alternative<ir::Affine>(op);
}

std::int32_t threshold(double p, std::int64_t m) {  // SEMANTICS §2.2 on a signed probability
    const double a = std::min(1.0, std::fabs(p));
    const auto t = std::int32_t(std::min<double>(double(m), std::floor(a * double(m) + 0.5)));
    return p < 0 ? -t : t;
}

// The threshold of value v in [−1, 1] in the plan's encoding: signed |v| (split-unipolar) or (v + 1)/2.
std::int32_t encode(double v, std::int64_t m, bool bipolar) {
    return bipolar ? threshold((std::clamp(v, -1.0, 1.0) + 1.0) / 2.0, m) : threshold(v, m);
}

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out(1);
    for (char c : s) {
        if (c == ',')
            out.emplace_back();
        else
            out.back() += c;
    }
    return out;
}

// Per linear stage choices from a one-entry or one-per-stage list.
struct Choices {
    const char* option;
    std::vector<std::string> list;
    std::size_t used = 0;
    std::string next() {
        const std::string& v = list.size() == 1 ? list[0] : (used < list.size() ? list[used] : list.back());
        ++used;
        return v;
    }
    void check_count() const {
        if (list.size() != 1 && list.size() != used)
            throw Error(fmt::format("{} has {} entries but the network has {} linear stages (give one entry, or "
                                    "one per linear stage)",
                                    option, list.size(), used));
    }
};

ir::PlanGenerator generator(const CompileOptions& o, const std::string& kind_name, unsigned width,
                              unsigned index) {
    ir::PlanGenerator g;
    g.kind = kind_name;
    g.width = width;
    const auto kind = sc::parse_sng_kind(kind_name);
    if (kind == sc::SngKind::sobol) g.dimension = 1 + index % sc::kSobolDimensions;
    if (kind == sc::SngKind::halton) g.dimension = 1 + index % sc::kHaltonDimensions;
    const std::uint32_t mask = (std::uint32_t{1} << width) - 1;
    // LFSRs: the table polynomial for even indices and its reciprocal (also primitive) for odd ones, seeds
    // spread over the state space, and a rotation: different registers, as independent as an LFSR gets
    g.seed = kind == sc::SngKind::random ? o.seed + index
                                         : std::max<std::uint32_t>(1, (o.seed + index * 0x9E3779B1u) & mask);
    if (kind == sc::SngKind::lfsr_fibonacci || kind == sc::SngKind::lfsr_galois) {
        if (index % 2 == 1) {
            const std::uint32_t p = sc::lfsr_default_poly(width);
            std::uint32_t r = std::uint32_t{1} << (width - 1);
            for (unsigned k = 1; k < width; ++k)
                if (p >> (k - 1) & 1U) r |= std::uint32_t{1} << (width - k - 1);
            g.poly = r;
        }
        g.rotate = (index * 3) % width;
    }
    if (kind == sc::SngKind::ramp) g.rotate = index % width;  // the only knob a ramp has
    if (o.encoding == "bipolar" && index >= 1 && kind != sc::SngKind::halton && kind != sc::SngKind::random)
        g.rotate = (g.rotate + width / 2) % width;  // see docs/SEMANTICS.md §9.5 (bipolar)
    return g;
}

}  // namespace

ir::ScPlan compile(const ir::Network& original, const std::vector<std::vector<float>>& calibration,
                   const CompileOptions& o, const std::string& model_name) {
    const ir::Network net = o.fold_pools ? fold_average_pools(original) : original;
    if (o.length < 1 || o.length > (std::int64_t{1} << 20))
        throw Error(fmt::format("--length must be in 1 .. 2^20, got {}", o.length));
    if (o.early_exit_every < 1 || o.early_exit_every > (std::int64_t{1} << 20))
        throw Error(fmt::format("--early-exit-every must be in 1 .. 2^20, got {}", o.early_exit_every));
    if (o.encoding != "split-unipolar" && o.encoding != "bipolar")
        throw Error(fmt::format("--encoding '{}' is not one of split-unipolar, bipolar", o.encoding));
    const bool bipolar = o.encoding == "bipolar";
    Choices adders{"--adder", split_list(o.adder)}, neurons{"--neuron", split_list(o.neuron)};
    for (const auto& a : adders.list) {
        if (a != "apc" && a != "mux" && a != "or")
            throw Error(fmt::format("--adder '{}' is not one of apc, mux, or", a));
        if (a == "or" && bipolar) throw Error("--adder or adds split-unipolar streams only (not --encoding bipolar)");
    }
    for (const auto& nm : neurons.list)
        if (nm != "delta-sigma" && nm != "btanh" && nm != "stanh")
            throw Error(fmt::format("--neuron '{}' is not one of delta-sigma, btanh, stanh", nm));
    if (!(o.percentile > 50 && o.percentile <= 100)) throw Error("--percentile must be in (50, 100]");
    if (calibration.empty()) throw Error("compile: no calibration images");
    Choices kinds{"--sng", split_list(o.sng)}, widths{"--width", split_list(o.width)};
    for (const auto& k : kinds.list) {
        try {
            sc::parse_sng_kind(k);
        } catch (const Error& e) {
            throw Error(fmt::format("--sng: {}", e.what()));
        }
    }
    const auto width_of = [](const std::string& w) {
        unsigned v = 0;
        const bool digits = !w.empty() && w.size() <= 2 && std::all_of(w.begin(), w.end(), [](char c) {
            return c >= '0' && c <= '9';
        });
        if (digits) v = unsigned(std::stoul(w));
        if (v < 3 || v > 16) throw Error(fmt::format("--width '{}' is not an integer in 3 .. 16", w));
        return v;
    };
    for (const auto& w : widths.list) width_of(w);
    // M: the range of a generator (2^width, or b^k for Halton); every threshold lies in [0, M]
    const auto range_of = [](const ir::PlanGenerator& g) { return std::int64_t(sc::sng_range(sim::to_sng_config(g))); };
    const auto ranges = activation_ranges(net, calibration, o.percentile);

    ir::ScPlan plan;
    plan.model = model_name.empty() ? net.name : model_name;
    plan.length = o.length;
    plan.early_exit_every = o.early_exit_every;
    plan.input = net.input;
    // the input generator takes the first entry of --sng and --width
    plan.generators.push_back(generator(o, kinds.list[0], width_of(widths.list[0]), 0));
    plan.input_gen = 0;
    for (int p = 0; p < 256; ++p)
        plan.input_thresholds.push_back(encode(double(p) / 255.0, range_of(plan.generators[0]), bipolar));
    plan.encoding = o.encoding;
    plan.options = fmt::format(
        "length={} width={} sng={} seed={} encoding={} adder={} neuron={} percentile={} per_channel={} "
        "channel_ranges={} fold_pools={}",
        o.length, o.width, o.sng, o.seed, o.encoding, o.adder, o.neuron, o.percentile, o.per_channel,
        o.channel_ranges, o.fold_pools);

    // index of the last linear layer: it becomes the final (counting) stage
    int last_linear = -1;
    for (std::size_t i = 0; i < net.layers.size(); ++i)
        if (is_linear(net.layers[i].op)) last_linear = int(i);
    if (last_linear < 0) throw Error("compile: the network has no Dense, Conv or affine layer");
    // the last layer that is not a reshape or an activation: when it is a pool (or padding) after the last
    // linear layer, that layer becomes a hidden stage and the output is the count of the last streams
    int last_compute = last_linear;
    for (std::size_t i = std::size_t(last_linear) + 1; i < net.layers.size(); ++i) {
        const ir::Op& op = net.layers[i].op;
        if (std::holds_alternative<ir::Pool>(op) || std::holds_alternative<ir::ZeroPad>(op)) {
            last_compute = int(i);
        } else if (!is_activation(op) && !std::holds_alternative<ir::Reshape>(op)) {
            throw Error(fmt::format("compile: layer '{}' ({}) after the last linear layer is not supported",
                                    net.layers[i].name, ir::op_name(net.layers[i].op)));
        }
    }
    const bool pooled_tail = last_compute != last_linear;
    // the last linear layer of a pooled tail: its range is the largest |logit| (no clipping of the scores)
    const auto full_ranges = pooled_tail ? activation_ranges(net, calibration, 100.0) : ranges;
    // vel[j]: real value of an all-ones stream on element j at the current point (1 for pixels)
    std::vector<double> vel(std::size_t(net.input.size()), 1.0);
    const auto chan_scale = [&](const ir::Shape& sh, int c) {
        return vel[std::size_t(c) * std::size_t(sh.h) * std::size_t(sh.w)];
    };
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
        const ir::Layer& L = net.layers[i];
        ir::PlanStage st;
        st.name = L.name;
        st.in = L.in;
        st.out = L.out;
        st.in_scale = vel[0];
        std::vector<double> next_vel;
        if (std::holds_alternative<ir::Reshape>(L.op)) {
            if (int(i) > last_compute) continue;
            st.kind = ir::StageKind::gather;
            for (std::int64_t k = 0; k < L.out.size(); ++k) st.index.push_back(std::int32_t(k));
            next_vel = vel;
        } else if (const auto* zp = std::get_if<ir::ZeroPad>(&L.op)) {
            st.kind = ir::StageKind::gather;
            for (int c = 0; c < L.out.c; ++c)
                for (int y = 0; y < L.out.h; ++y)
                    for (int x = 0; x < L.out.w; ++x) {
                        const int iy = y - zp->top, ix = x - zp->left;
                        st.index.push_back(
                            iy < 0 || iy >= L.in.h || ix < 0 || ix >= L.in.w ? -1 : (c * L.in.h + iy) * L.in.w + ix);
                        next_vel.push_back(chan_scale(L.in, c));
                    }
        } else if (const auto* pl = std::get_if<ir::Pool>(&L.op)) {
            st.kind = pl->kind == ir::PoolKind::Max ? ir::StageKind::max_pool : ir::StageKind::avg_pool;
            st.pool_kh = pl->kh, st.pool_kw = pl->kw, st.pool_sh = pl->stride_h, st.pool_sw = pl->stride_w;
            st.pool_pad_top = pl->pad_top, st.pool_pad_left = pl->pad_left,
            st.count_include_pad = pl->count_include_pad;
            for (int c = 0; c < L.out.c; ++c)
                next_vel.insert(next_vel.end(), std::size_t(L.out.h) * std::size_t(L.out.w), chan_scale(L.in, c));
        } else {
            if (int(i) > last_compute) continue;  // trailing monotone activations: argmax unchanged
            // a linear layer, or an activation without one before it (gets an identity affine stage)
            Linear lin;
            std::size_t act = i;
            if (is_linear(L.op)) {
                lin = as_linear(L, st);
                if (i + 1 < net.layers.size() && is_activation(net.layers[i + 1].op)) act = i + 1;
            } else {
                lin = {ir::StageKind::affine, std::vector<float>(std::size_t(L.in.c), 1.0f),
                       std::vector<float>(std::size_t(L.in.c), 0.0f), L.in.c, 1};
            }
            st.kind = lin.kind;
            const bool final = int(i) == last_linear && !pooled_tail;
            const bool tail_head = int(i) == last_linear && pooled_tail;  // scores before the pooled tail
            const ir::Op* aop = act != i || !is_linear(L.op) ? &net.layers[act].op : nullptr;
            // per output channel range a[c]: an all-ones output stream means a[c]
            const auto& rng = (tail_head ? full_ranges : ranges)[std::size_t(aop ? act : i)];
            std::vector<double> a(std::size_t(lin.out_channels), 1.0);
            const auto per = [&](auto f) {  // one range for the scores: counts stay proportional to them
                for (std::size_t c = 0; c < a.size(); ++c)
                    a[c] = f(o.channel_ranges && o.per_channel && !tail_head ? rng[c] : rng.back());
            };
            st.adder = adders.next();
            const std::string mapping = neurons.next();
            if (!final && mapping == "btanh" && st.adder != "apc")
                throw Error(fmt::format("--neuron btanh counts an APC's sum: stage '{}' has --adder {}", L.name,
                                        st.adder));
            if (!final && mapping == "stanh" && st.adder == "apc")
                throw Error(fmt::format("--neuron stanh takes one stream (--adder mux or or): stage '{}' has apc",
                                        L.name));
            st.neuron = final || mapping == "delta-sigma" ? "delta-sigma" : "fsm";  // a final stage has none
            st.activation = "identity";
            if (aop && std::holds_alternative<ir::Sigmoid>(*aop)) {  // σ(z) ≈ clip(z/4 + 1/2, 0, 1)
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
            // input scale of every weight: dense by input element, conv/affine by input channel
            std::vector<double> vin(lin.w.size());
            for (std::size_t k = 0; k < lin.w.size(); ++k) {
                if (lin.kind == ir::StageKind::dense)
                    vin[k] = vel[k % lin.per_channel];
                else if (lin.kind == ir::StageKind::affine)
                    vin[k] = chan_scale(L.in, int(k));
                else
                    vin[k] = chan_scale(L.in, int((k % lin.per_channel) / std::size_t(st.kh * st.kw)));
            }
            // weight scales: per output channel in hidden stages, one per layer in the final stage
            std::vector<double> s(std::size_t(lin.out_channels), 0.0);
            for (int c = 0; c < lin.out_channels; ++c) {
                double m = std::fabs(lin.b[std::size_t(c)]);
                for (std::size_t k = std::size_t(c) * lin.per_channel; k < std::size_t(c + 1) * lin.per_channel; ++k)
                    m = std::max(m, std::fabs(lin.w[k] * vin[k]));
                s[std::size_t(c)] = std::max(m, 1e-30);
            }
            if (final || !o.per_channel) std::fill(s.begin(), s.end(), *std::max_element(s.begin(), s.end()));
            const std::string kind = kinds.next();
            const unsigned width = width_of(widths.next());
            st.weight_gen = int(plan.generators.size());
            plan.generators.push_back(generator(o, kind, width, unsigned(plan.generators.size())));
            const std::int64_t M = range_of(plan.generators.back());
            if (st.adder == "mux") {
                st.select_gen = int(plan.generators.size());
                plan.generators.push_back(generator(o, kind, width, unsigned(plan.generators.size())));
            }
            st.weights.resize(lin.w.size());
            for (std::size_t k = 0; k < lin.w.size(); ++k)
                st.weights[k] = encode(lin.w[k] * vin[k] / s[k / lin.per_channel], M, bipolar);
            for (int c = 0; c < lin.out_channels; ++c)
                st.bias.push_back(encode(lin.b[std::size_t(c)] / s[std::size_t(c)], M, bipolar));
            st.final = final;
            if (final) {
                st.signed_out = false;
                st.out_scale = s[0];
            } else {
                // the mux passes one of its N = fan-in + 1 inputs per cycle: E[Δ] is 1/N of the APC's
                const std::int64_t fanin = std::int64_t(lin.per_channel) + 1;
                const std::int64_t gain = st.adder == "mux" ? fanin : 1;
                st.d = o.d * gain;
                std::int64_t kmax = 1;
                for (int c = 0; c < lin.out_channels; ++c) {
                    st.k.push_back(
                        std::max<std::int64_t>(1, std::llround(double(o.d) * a[std::size_t(c)] / s[std::size_t(c)])));
                    kmax = std::max(kmax, st.k.back());
                }
                st.acc_max = kmax + st.d * (st.adder == "apc" ? fanin : 1);
                st.acc_min = -st.acc_max * (st.signed_out ? 1 : 4);
                if (st.neuron == "fsm") {
                    // Btanh / Stanh: an up/down counter of S = 2·half states fed by Δ, no feedback. A heuristic
                    // (docs/SEMANTICS.md §9.5): Stanh(S, x) ≈ tanh(S·x/2) on a ±1 stream, so half = 1/q puts
                    // tanh(1) at the range (q = E[Δ] per cycle there); Btanh gets half = q, about the range.
                    const double q = double(kmax) / double(st.d);
                    const auto half = std::max<std::int64_t>(1, std::llround(mapping == "stanh" ? 1.0 / q : q));
                    st.d = 1;
                    st.acc_min = -half, st.acc_max = half - 1;
                }
                st.out_scale = *std::max_element(a.begin(), a.end());
                const std::size_t plane = std::size_t(L.out.h) * std::size_t(L.out.w);
                for (std::size_t e = 0; e < std::size_t(st.out.size()); ++e) next_vel.push_back(a[e / plane]);
            }
            if (act != i) ++i;  // the activation is fused
        }
        if (!ir::is_linear(st.kind) && !next_vel.empty()) st.out_scale = next_vel.front();  // informative
        vel = std::move(next_vel);
        plan.stages.push_back(std::move(st));
    }
    for (const Choices* c : {&adders, &neurons, &kinds, &widths}) c->check_count();
    ir::validate(plan);
    const auto [scc, pairs] = measure_independence(plan, calibration.front());
    plan.mean_abs_scc = scc;
    plan.scc_pairs = pairs;
    return plan;
}

}  // namespace scnn::compile
