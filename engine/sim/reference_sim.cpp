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
    std::vector<Window> windows;           // pooling
    std::vector<std::int64_t> acc;         // linear neuron / avg pool accumulator / max pool emitted count
    std::vector<std::int64_t> in_count;    // max pool: Σ (pos − neg) of every input so far
    std::vector<std::uint8_t> pos, neg;    // output bits of this cycle
};

std::int64_t sgn(std::int64_t x) { return (x > 0) - (x < 0); }

}  // namespace

std::vector<std::int64_t> reference_run(const ir::ScPlan& plan, std::span<const std::uint8_t> pixels) {
    ir::validate(plan);
    if (std::int64_t(pixels.size()) != plan.input.size()) throw Error("reference_run: wrong number of pixels");
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
        st[k].acc.assign(n, 0);
        st[k].in_count.assign(std::size_t(s.in.size()), 0);
        st[k].pos.assign(n, 0);
        st[k].neg.assign(n, 0);
    }
    std::vector<std::int64_t> counts(std::size_t(plan.stages.back().out.size()), 0);
    std::vector<std::uint8_t> in_pos(pixels.size()), in_neg(pixels.size(), 0);
    for (std::int64_t t = 0; t < plan.length; ++t) {
        const std::uint32_t r_in = gens[std::size_t(plan.input_gen)].output();
        for (std::size_t i = 0; i < pixels.size(); ++i)
            in_pos[i] = r_in < std::uint32_t(plan.input_thresholds[pixels[i]]);
        const std::vector<std::uint8_t>* xp = &in_pos;
        const std::vector<std::uint8_t>* xn = &in_neg;
        for (std::size_t k = 0; k < plan.stages.size(); ++k) {
            const auto& s = plan.stages[k];
            auto& S = st[k];
            const std::size_t n = S.pos.size();
            // 1. outputs of this cycle from the state (gather: combinational)
            for (std::size_t o = 0; o < n; ++o) {
                std::int64_t y = 0;
                switch (s.kind) {
                    case ir::StageKind::gather:
                        S.pos[o] = s.index[o] >= 0 ? (*xp)[std::size_t(s.index[o])] : 0;
                        S.neg[o] = s.index[o] >= 0 ? (*xn)[std::size_t(s.index[o])] : 0;
                        continue;
                    case ir::StageKind::max_pool: {
                        const auto& w = S.windows[o];
                        if (w.inputs.empty()) break;
                        std::int64_t m = S.in_count[std::size_t(w.inputs[0])];
                        for (auto i : w.inputs) m = std::max(m, S.in_count[std::size_t(i)]);
                        y = sgn(m - S.acc[o]);
                        break;
                    }
                    case ir::StageKind::avg_pool: {
                        const std::int64_t dv = S.windows[o].divisor;
                        y = 2 * S.acc[o] >= dv ? 1 : (2 * S.acc[o] < -dv ? -1 : 0);
                        break;
                    }
                    default:
                        if (s.final) break;
                        const std::int64_t kk = s.k[std::size_t(channel_of(s, std::int64_t(o)))];
                        y = 2 * S.acc[o] >= kk ? 1 : (s.signed_out && 2 * S.acc[o] < -kk ? -1 : 0);
                }
                S.pos[o] = y > 0;
                S.neg[o] = y < 0;
            }
            // 2. next state from the state and this cycle's input bits
            if (s.kind == ir::StageKind::max_pool) {
                for (std::size_t o = 0; o < n; ++o) S.acc[o] += std::int64_t{S.pos[o]} - S.neg[o];
                for (std::size_t i = 0; i < S.in_count.size(); ++i) S.in_count[i] += std::int64_t{(*xp)[i]} - (*xn)[i];
            } else if (s.kind == ir::StageKind::avg_pool) {
                for (std::size_t o = 0; o < n; ++o) {
                    std::int64_t sum = 0;
                    for (auto i : S.windows[o].inputs)
                        sum += std::int64_t{(*xp)[std::size_t(i)]} - (*xn)[std::size_t(i)];
                    S.acc[o] += sum - S.windows[o].divisor * (std::int64_t{S.pos[o]} - S.neg[o]);
                }
            } else if (s.kind != ir::StageKind::gather) {
                const std::uint32_t r_w = gens[std::size_t(s.weight_gen)].output();
                for (std::size_t o = 0; o < n; ++o) {
                    const int ch = channel_of(s, std::int64_t(o));
                    std::int64_t delta = 0;  // APC: Σ pos products − Σ neg products
                    for (const Conn& c : S.conns[o]) {
                        const std::int32_t tw = s.weights[std::size_t(c.weight)];
                        const bool w = r_w < std::uint32_t(tw < 0 ? -tw : tw);
                        const std::int64_t prod =
                            std::int64_t{(*xp)[std::size_t(c.input)] && w} - ((*xn)[std::size_t(c.input)] && w);
                        delta += tw > 0 ? prod : -prod;
                    }
                    const std::int32_t tb = s.bias[std::size_t(ch)];
                    if (r_w < std::uint32_t(tb < 0 ? -tb : tb)) delta += tb > 0 ? 1 : -1;
                    if (s.final) {
                        counts[o] += delta;
                    } else {
                        const std::int64_t kk = s.k[std::size_t(ch)];
                        S.acc[o] = std::clamp(S.acc[o] + s.d * delta - kk * (std::int64_t{S.pos[o]} - S.neg[o]),
                                              s.acc_min, s.acc_max);
                    }
                }
            }
            xp = &S.pos;
            xn = &S.neg;
        }
        for (auto& g : gens) g.step();
    }
    return counts;
}

}  // namespace scnn::sim
