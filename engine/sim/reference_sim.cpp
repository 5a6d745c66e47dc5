// The literal simulator: docs/SEMANTICS.md §9, one cycle at a time, every stage in order. Each stage first
// computes its output bits from its state (Moore), the next stage reads them in the same cycle, then every
// stage updates its state from its input bits.
#include <fmt/core.h>

#include <algorithm>

#include "engine/ir/error.hpp"
#include "engine/sc/sng.hpp"
#include "engine/sim/connectivity.hpp"
#include "engine/sim/simulate.hpp"

namespace scnn::sim {

sc::SngConfig to_sng_config(const ir::PlanGenerator& g) {
    sc::SngConfig c;
    c.kind = sc::parse_sng_kind(g.kind);
    c.width = g.width;
    c.poly = g.poly;
    c.seed = g.seed;
    c.dimension = g.dimension;
    c.offset = g.offset;
    c.rotate = g.rotate;
    sc::validate(c);
    return c;
}

int predict(std::span<const std::int64_t> counts) {
    int best = 0;
    for (std::size_t i = 1; i < counts.size(); ++i)
        if (counts[i] > counts[std::size_t(best)]) best = int(i);
    return best;
}

namespace {

struct StageState {
    std::vector<std::vector<Conn>> conns;  // linear
    std::vector<std::vector<std::int32_t>> slots;  // linear with the mux adder
    std::vector<Window> windows;           // pooling
    std::vector<std::int64_t> acc;         // linear neuron / avg pool accumulator / max pool emitted count
    std::vector<std::int64_t> emitted;     // bipolar unsigned delta-sigma neuron: Σ y so far
    std::vector<std::int64_t> in_count;    // max pool: Σ e of every input so far
    std::vector<std::uint8_t> pos, neg;    // output bits of this cycle
};

std::int64_t sgn(std::int64_t x) { return (x > 0) - (x < 0); }

// Output value y(t) of one element of a stage from its state (docs/SEMANTICS.md §9.3, §9.4).
std::int64_t stage_output(const ir::PlanStage& s, const StageState& S, std::size_t o, bool bipolar) {
    switch (s.kind) {
        case ir::StageKind::max_pool: {
            const auto& w = S.windows[o];
            std::int64_t m = 0;  // a window entirely in padding follows the count 0
            if (!w.inputs.empty()) {
                m = S.in_count[std::size_t(w.inputs[0])];
                for (auto i : w.inputs) m = std::max(m, S.in_count[std::size_t(i)]);
            }
            if (bipolar) return m >= S.acc[o] ? 1 : -1;
            return w.inputs.empty() ? 0 : sgn(m - S.acc[o]);
        }
        case ir::StageKind::avg_pool: {
            const std::int64_t a = S.acc[o], dv = S.windows[o].divisor;
            if (bipolar) return a >= 0 ? 1 : -1;
            return 2 * a >= dv ? 1 : (2 * a < -dv ? -1 : 0);
        }
        default: {
            const std::int64_t a = S.acc[o];
            if (s.neuron == "fsm") return a >= 0 ? 1 : (s.signed_out || bipolar ? -1 : 0);
            if (bipolar) return a >= 0 || (!s.signed_out && S.emitted[o] < 0) ? 1 : -1;
            const std::int64_t kk = s.k[std::size_t(channel_of(s, std::int64_t(o)))];
            return 2 * a >= kk ? 1 : (s.signed_out && 2 * a < -kk ? -1 : 0);
        }
    }
}

}  // namespace

std::vector<std::int64_t> reference_run(const ir::ScPlan& plan, std::span<const std::uint8_t> pixels) {
    return reference_run(plan, pixels, TraceFn{});
}

std::vector<std::int64_t> reference_run(const ir::ScPlan& plan, std::span<const std::uint8_t> pixels,
                                        const TraceFn& trace) {
    ir::validate(plan);
    if (std::int64_t(pixels.size()) != plan.input.size()) throw Error("reference_run: wrong number of pixels");
    const bool bipolar = plan.encoding == "bipolar";
    std::vector<sc::Sng> gens;
    for (const auto& g : plan.generators) gens.emplace_back(to_sng_config(g));
    std::vector<StageState> st(plan.stages.size());
    for (std::size_t k = 0; k < plan.stages.size(); ++k) {
        const auto& s = plan.stages[k];
        const auto n = std::size_t(s.out.size());
        if (s.kind == ir::StageKind::max_pool || s.kind == ir::StageKind::avg_pool)
            st[k].windows = pool_windows(s);
        else if (s.kind != ir::StageKind::gather)
            st[k].conns = linear_connections(s);
        if (s.adder == "mux") st[k].slots = mux_slots(s);
        st[k].acc.assign(n, 0);
        st[k].emitted.assign(n, 0);
        st[k].in_count.assign(std::size_t(s.in.size()), 0);
        st[k].pos.assign(n, 0);
        st[k].neg.assign(n, 0);
    }
    const auto& last = plan.stages.back();
    std::vector<std::int64_t> counts(std::size_t(last.out.size()), 0);
    std::vector<std::uint8_t> in_pos(pixels.size()), in_neg(pixels.size(), 0);
    std::vector<std::int32_t> traced;  // this stage's outputs of this cycle, for `trace`
    for (std::int64_t t = 0; t < plan.length; ++t) {
        const std::uint32_t r_in = gens[std::size_t(plan.input_gen)].output();
        for (std::size_t i = 0; i < pixels.size(); ++i) {
            in_pos[i] = r_in < std::uint32_t(plan.input_thresholds[pixels[i]]);
            in_neg[i] = bipolar && !in_pos[i];
        }
        const std::vector<std::uint8_t>* xp = &in_pos;
        const std::vector<std::uint8_t>* xn = &in_neg;
        const auto e = [&](std::int32_t i) { return std::int64_t{(*xp)[std::size_t(i)]} - (*xn)[std::size_t(i)]; };
        for (std::size_t k = 0; k < plan.stages.size(); ++k) {
            const auto& s = plan.stages[k];
            auto& S = st[k];
            const std::size_t n = S.pos.size();
            // 1. outputs of this cycle from the state (gather: combinational)
            for (std::size_t o = 0; o < n; ++o) {
                if (s.kind == ir::StageKind::gather) {
                    S.pos[o] = s.index[o] >= 0 ? (*xp)[std::size_t(s.index[o])] : 0;
                    S.neg[o] = s.index[o] >= 0 ? (*xn)[std::size_t(s.index[o])] : 0;
                    continue;
                }
                const std::int64_t y = s.final ? 0 : stage_output(s, S, o, bipolar);
                S.pos[o] = y > 0;
                S.neg[o] = y < 0;
            }
            if (trace) traced.assign(n, 0);
            if (trace && !s.final)
                for (std::size_t o = 0; o < n; ++o) traced[o] = std::int32_t{S.pos[o]} - S.neg[o];
            // 2. next state from the state and this cycle's input bits
            if (s.kind == ir::StageKind::max_pool) {
                for (std::size_t o = 0; o < n; ++o) S.acc[o] += std::int64_t{S.pos[o]} - S.neg[o];
                for (std::size_t i = 0; i < S.in_count.size(); ++i) S.in_count[i] += e(std::int32_t(i));
            } else if (s.kind == ir::StageKind::avg_pool) {
                for (std::size_t o = 0; o < n; ++o) {
                    std::int64_t sum = 0;
                    for (auto i : S.windows[o].inputs) sum += e(i);
                    S.acc[o] += sum - S.windows[o].divisor * (std::int64_t{S.pos[o]} - S.neg[o]);
                }
            } else if (s.kind != ir::StageKind::gather) {
                const std::uint32_t r_w = gens[std::size_t(s.weight_gen)].output();
                // product of input value x with weight threshold T (§9.3)
                const auto prod = [&](std::int64_t x, std::int32_t T) -> std::int64_t {
                    if (bipolar) return x * (r_w < std::uint32_t(T) ? 1 : -1);
                    return r_w < std::uint32_t(T < 0 ? -T : T) ? (T < 0 ? -x : x) : 0;
                };
                std::int64_t sel = -1, per = 0;
                if (s.adder == "mux") {
                    per = weights_per_channel(s);
                    const auto& g = plan.generators[std::size_t(s.select_gen)];
                    sel = mux_select(gens[std::size_t(s.select_gen)].output(), per + 1,
                                     std::int64_t(sc::sng_range(to_sng_config(g))));
                }
                for (std::size_t o = 0; o < n; ++o) {
                    const int ch = channel_of(s, std::int64_t(o));
                    const std::int64_t pb = prod(1, s.bias[std::size_t(ch)]);
                    std::int64_t delta = 0;
                    if (s.adder == "mux") {
                        if (sel == per) {
                            delta = pb;
                        } else {
                            const std::int32_t in = S.slots[o][std::size_t(sel)];
                            delta = in < 0 ? 0 : prod(e(in), s.weights[std::size_t(ch * per + sel)]);
                        }
                    } else {
                        std::int64_t plus = pb > 0, minus = pb < 0;  // apc: the sum; or: any +1, any −1
                        for (const Conn& c : S.conns[o]) {
                            const std::int64_t p = prod(e(c.input), s.weights[std::size_t(c.weight)]);
                            plus += p > 0;
                            minus += p < 0;
                        }
                        delta = s.adder == "or" ? std::int64_t{plus > 0} - (minus > 0) : plus - minus;
                    }
                    if (s.final) {
                        counts[o] += delta;
                        if (trace) traced[o] = std::int32_t(delta);
                        continue;
                    }
                    const std::int64_t y = std::int64_t{S.pos[o]} - S.neg[o];
                    const std::int64_t fb = s.neuron == "fsm" ? 0 : s.k[std::size_t(ch)] * y;
                    S.acc[o] = std::clamp(S.acc[o] + s.d * delta - fb, s.acc_min, s.acc_max);
                    S.emitted[o] += y;
                }
            }
            if (trace) trace(int(k), t, traced);
            xp = &S.pos;
            xn = &S.neg;
        }
        if (!last.final)
            for (std::size_t o = 0; o < counts.size(); ++o) counts[o] += e(std::int32_t(o));
        for (auto& g : gens) g.step();
    }
    return counts;
}

}  // namespace scnn::sim
