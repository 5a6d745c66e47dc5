// The fast simulator (see simulate.hpp). Bit-exact with reference_sim.cpp; tests/sim proves it.
#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <limits>
#include <map>
#include <mutex>
#include <thread>

#include "engine/ir/error.hpp"
#include "engine/sc/shared_sequence.hpp"
#include "engine/sim/connectivity.hpp"
#include "engine/sim/fast_kernels.hpp"
#include "engine/sim/simulate.hpp"

namespace scnn::sim {

using kernels::Word;

namespace {

struct NeuronWiring {
    // (input element, weight stream slot); bias = input −1. split-unipolar: weights counted +1 and −1;
    // bipolar: (input, slot of w) and (input, slot of not-w), in the same order.
    std::vector<std::pair<std::int32_t, std::int32_t>> pos, neg;
};

struct PreparedStage {
    std::vector<NeuronWiring> wiring;  // linear: per output element
    std::vector<Word> streams;         // linear: weight streams, one per distinct (threshold, complement)
    std::vector<std::int32_t> weight_slot, bias_slot;  // mux: stream of every weight / bias (-1: none)
    std::vector<std::int32_t> weight_not_slot, bias_not_slot;  // mux, bipolar: the complement streams
    std::vector<std::vector<std::int32_t>> mux_in;     // mux: input behind every slot of every output
    std::vector<std::int32_t> select;                  // mux: selected slot of every cycle
    std::vector<Window> windows;       // pooling
    int planes = 1;
    bool in_signed = false;
    enum class Adder { apc, mux, or_ } adder = Adder::apc;  // linear: the plan's adder, parsed once
    std::int64_t max_step = 1;  // largest |Δ(t)| (final stage: bounds early exit)
};

int bits_for(std::size_t n) {
    int b = 1;
    while ((std::size_t{1} << b) <= n) ++b;
    return b;
}

}  // namespace

struct Simulator::Impl {
    ir::ScPlan plan;
    bool bipolar = false;
    std::size_t words = 0;  // per stream, a multiple of kBlockWords
    int blocks = 0;
    std::vector<Word> input_streams;  // 256 × words
    std::vector<Word> ones;           // the constant-1 stream of biases; also the mask of cycles < L
    std::vector<PreparedStage> stages;

    void fill(const sc::SharedSequence& seq, std::uint64_t threshold, bool complement, Word* dst) const {
        std::fill(dst, dst + words, Word{0});
        seq.fill(threshold, std::span<Word>(dst, sc::words_for(std::size_t(plan.length))));
        if (complement)
            for (std::size_t w = 0; w < words; ++w) dst[w] = ~dst[w] & ones[w];
    }

    void prepare_linear(const ir::PlanStage& s, PreparedStage& ps) const {
        const auto L = std::size_t(plan.length);
        const sc::SharedSequence seq(to_sng_config(plan.generators[std::size_t(s.weight_gen)]), L);
        std::map<std::int64_t, std::int32_t> slot;  // 2·|T| + complement -> slot
        const auto slot_of = [&](std::int32_t t, bool complement) {
            const std::int32_t a = t < 0 ? -t : t;
            auto [it, fresh] = slot.emplace(2 * std::int64_t{a} + complement, std::int32_t(slot.size()));
            if (fresh) {
                ps.streams.resize(slot.size() * words);
                fill(seq, std::uint64_t(a), complement, &ps.streams[std::size_t(it->second) * words]);
            }
            return it->second;
        };
        // split-unipolar: a zero weight is no product; bipolar: every weight is one
        const auto wire = [&](NeuronWiring& nw, std::int32_t in, std::int32_t t) {
            if (bipolar) {
                nw.pos.push_back({in, slot_of(t, false)});
                nw.neg.push_back({in, slot_of(t, true)});
            } else if (t != 0) {
                (t > 0 ? nw.pos : nw.neg).push_back({in, slot_of(t, false)});
            }
        };
        const auto conns = linear_connections(s);
        ps.wiring.resize(conns.size());
        std::size_t most = 1;
        for (std::size_t o = 0; o < conns.size(); ++o) {
            auto& nw = ps.wiring[o];
            for (const Conn& c : conns[o]) wire(nw, c.input, s.weights[std::size_t(c.weight)]);
            wire(nw, -1, s.bias[std::size_t(channel_of(s, std::int64_t(o)))]);
            most = std::max({most, nw.pos.size() + nw.neg.size()});
        }
        ps.adder = s.adder == "mux" ? PreparedStage::Adder::mux
                   : s.adder == "or" ? PreparedStage::Adder::or_
                                     : PreparedStage::Adder::apc;
        ps.max_step = ps.adder == PreparedStage::Adder::apc ? std::int64_t(most) : 1;
        ps.planes = bits_for(most);
        if (ps.planes > 15)
            throw Error(fmt::format("stage '{}': fan-in {} is too large for the fast simulator (max 32767)", s.name,
                                    most));
        if (ps.adder == PreparedStage::Adder::mux) {
            const auto slot_or_none = [&](std::int32_t t, bool complement) {
                return bipolar || t != 0 ? slot_of(t, complement) : -1;
            };
            for (auto t : s.weights) ps.weight_slot.push_back(slot_or_none(t, false));
            for (auto t : s.bias) ps.bias_slot.push_back(slot_or_none(t, false));
            if (bipolar) {
                for (auto t : s.weights) ps.weight_not_slot.push_back(slot_of(t, true));
                for (auto t : s.bias) ps.bias_not_slot.push_back(slot_of(t, true));
            }
            ps.mux_in = mux_slots(s);
            const sc::SharedSequence sel(to_sng_config(plan.generators[std::size_t(s.select_gen)]), L);
            const auto n = weights_per_channel(s) + 1;
            for (auto r : sel.values())
                ps.select.push_back(std::int32_t(mux_select(r, n, std::int64_t(sel.range()))));
        }
    }

    void prepare() {
        const auto L = std::size_t(plan.length);
        bipolar = plan.encoding == "bipolar";
        blocks = int((L + 255) / 256);
        words = std::size_t(blocks) * kernels::kBlockWords;
        ones.assign(words, 0);
        for (std::size_t t = 0; t < L; ++t) ones[t / 64] |= Word{1} << (t % 64);
        {
            const sc::SharedSequence seq(to_sng_config(plan.generators[std::size_t(plan.input_gen)]), L);
            input_streams.assign(256 * words, 0);
            for (int p = 0; p < 256; ++p)
                fill(seq, std::uint64_t(plan.input_thresholds[std::size_t(p)]), false,
                     &input_streams[std::size_t(p) * words]);
        }
        bool sig = bipolar;
        for (const auto& s : plan.stages) {
            PreparedStage ps;
            ps.in_signed = sig;
            if (s.kind == ir::StageKind::max_pool || s.kind == ir::StageKind::avg_pool) {
                ps.windows = pool_windows(s);
            } else if (s.kind != ir::StageKind::gather) {
                prepare_linear(s, ps);
            }
            if (ir::is_linear(s.kind)) sig = bipolar || s.signed_out;
            stages.push_back(std::move(ps));
        }
    }

    // The product terms of output o of linear stage k counted +1 (pos) and −1 (neg).
    void terms(std::size_t k, std::size_t o, const std::vector<Word>& xp, const std::vector<Word>& xn,
               std::vector<kernels::Term>& pos, std::vector<kernels::Term>& neg) const;

    // Δ(t) of output o of linear stage k for the 256 cycles of block b, into delta[0 .. 256). pos/neg: the
    // output's terms(), except for the mux adder, which reads the plan.
    void block_delta(std::size_t k, std::size_t o, int b, const std::vector<Word>& xp, const std::vector<Word>& xn,
                     std::vector<kernels::Term>& pos, std::vector<kernels::Term>& neg, std::int32_t* delta) const;

    // True when stage k's neurons are split-unipolar delta-sigma ones whose every intermediate value fits in
    // 32 bits: neurons8 then runs eight of them at once in vector lanes (bit-exact with the scalar loop).
    bool plain_neurons(std::size_t k) const;
    void neurons8(std::size_t k, const std::vector<Word>& xp, const std::vector<Word>& xn, std::vector<Word>& yp,
                  std::vector<Word>& yn) const;

    // when per_check is not null, it receives the output counts of every early-exit interval of K =
    // plan.early_exit_every cycles: per_check[c·n + o] = Σ over t in [c·K, (c+1)·K) ∩ [0, L)
    std::vector<std::int64_t> run(std::span<const std::uint8_t> pixels,
                                  std::vector<std::int64_t>* per_check = nullptr) const;
};

void Simulator::Impl::block_delta(std::size_t k, std::size_t o, int b, const std::vector<Word>& xp,
                                  const std::vector<Word>& xn, std::vector<kernels::Term>& pos,
                                  std::vector<kernels::Term>& neg, std::int32_t* delta) const {
    const auto& s = plan.stages[k];
    const auto& ps = stages[k];
    const auto bit = [](const Word* w, std::size_t t) { return std::int32_t((w[t / 64] >> (t % 64)) & 1U); };
    if (ps.adder == PreparedStage::Adder::mux) {
        const auto per = weights_per_channel(s);
        const int ch = channel_of(s, std::int64_t(o));
        const auto L = std::size_t(plan.length);
        for (std::size_t j = 0; j < 256; ++j) {
            const std::size_t t = std::size_t(b) * 256 + j;
            delta[j] = 0;
            if (t >= L) continue;
            const std::int64_t sel = ps.select[t];
            std::int32_t x = 1, T = 0, sl = -1, nsl = -1;
            if (sel == per) {
                T = s.bias[std::size_t(ch)], sl = ps.bias_slot[std::size_t(ch)];
                if (bipolar) nsl = ps.bias_not_slot[std::size_t(ch)];
            } else {
                const std::int32_t in = ps.mux_in[o][std::size_t(sel)];
                if (in < 0) continue;
                const auto wi = std::size_t(ch * per + sel);
                x = bit(&xp[std::size_t(in) * words], t) - bit(&xn[std::size_t(in) * words], t);
                T = s.weights[wi], sl = ps.weight_slot[wi];
                if (bipolar) nsl = ps.weight_not_slot[wi];
            }
            if (sl < 0) continue;
            const std::int32_t wb = bit(&ps.streams[std::size_t(sl) * words], t);
            if (bipolar)
                delta[j] = x * (wb - bit(&ps.streams[std::size_t(nsl) * words], t));
            else
                delta[j] = T < 0 ? -x * wb : x * wb;
        }
        return;
    }
    if (ps.adder == PreparedStage::Adder::or_) {
        for (int w = 0; w < kernels::kBlockWords; ++w) {
            const std::size_t at = std::size_t(b) * kernels::kBlockWords + std::size_t(w);
            Word p = 0, q = 0;
            for (const auto& tm : pos) p |= tm.x[at] & tm.w[at];
            for (const auto& tm : neg) q |= tm.x[at] & tm.w[at];
            for (int j = 0; j < 64; ++j) delta[w * 64 + j] = std::int32_t((p >> j) & 1U) - std::int32_t((q >> j) & 1U);
        }
        return;
    }
    const int planes = ps.in_signed ? std::min(15, ps.planes + 1) : ps.planes;
    kernels::block_delta(pos, neg, b, planes, delta);
}

void Simulator::Impl::terms(std::size_t k, std::size_t o, const std::vector<Word>& xp, const std::vector<Word>& xn,
                            std::vector<kernels::Term>& pos, std::vector<kernels::Term>& neg) const {
    const auto& ps = stages[k];
    const auto& nw = ps.wiring[o];
    pos.clear();
    neg.clear();
    const auto term = [&](std::int32_t in, std::int32_t slot, bool negative_half) -> kernels::Term {
        const Word* x = in < 0 ? ones.data() : &(negative_half ? xn : xp)[std::size_t(in) * words];
        return {x, &ps.streams[std::size_t(slot) * words]};
    };
    for (auto [in, slot] : nw.pos) pos.push_back(term(in, slot, false));
    for (auto [in, slot] : nw.neg) neg.push_back(term(in, slot, false));
    if (ps.in_signed) {  // x− · w+ counts −1, x− · w− counts +1
        for (auto [in, slot] : nw.pos)
            if (in >= 0) neg.push_back(term(in, slot, true));
        for (auto [in, slot] : nw.neg)
            if (in >= 0) pos.push_back(term(in, slot, true));
    }
}

std::vector<std::int64_t> Simulator::Impl::run(std::span<const std::uint8_t> pixels,
                                               std::vector<std::int64_t>* per_check) const {
    if (std::int64_t(pixels.size()) != plan.input.size()) throw Error("simulator: wrong number of pixels");
    const auto L = std::size_t(plan.length);
    const auto K = std::size_t(plan.early_exit_every);
    const std::size_t nchecks = (L + K - 1) / K;
    std::vector<Word> xp(pixels.size() * words), xn(pixels.size() * words, 0), yp, yn;
    for (std::size_t i = 0; i < pixels.size(); ++i) {
        const Word* src = &input_streams[std::size_t(pixels[i]) * words];
        std::copy_n(src, words, &xp[i * words]);
        if (bipolar)
            for (std::size_t w = 0; w < words; ++w) xn[i * words + w] = ~src[w] & ones[w];
    }
    std::vector<std::int32_t> delta(256);
    std::vector<kernels::Term> pos, neg;
    const auto at = [&](std::vector<Word>& v, std::int64_t i) { return &v[std::size_t(i) * words]; };
    const auto set = [](Word* w, std::size_t t) { w[t / 64] |= Word{1} << (t % 64); };
    for (std::size_t k = 0; k < plan.stages.size(); ++k) {
        const auto& s = plan.stages[k];
        const auto n = std::size_t(s.out.size());
        yp.assign(n * words, 0);
        yn.assign(n * words, 0);
        if (s.kind == ir::StageKind::gather) {
            for (std::size_t o = 0; o < n; ++o) {
                if (s.index[o] < 0) continue;
                std::copy_n(at(xp, s.index[o]), words, at(yp, std::int64_t(o)));
                std::copy_n(at(xn, s.index[o]), words, at(yn, std::int64_t(o)));
            }
        } else if (s.kind == ir::StageKind::max_pool || s.kind == ir::StageKind::avg_pool) {
            kernels::pool_stage(s.kind == ir::StageKind::max_pool, stages[k].windows, bipolar, L, words, xp.data(),
                                xn.data(), yp.data(), yn.data());
        } else if (s.final) {  // the per-class counts Σ Δ(t)
            if (per_check) per_check->assign(nchecks * n, 0);
            std::vector<std::int64_t> counts(n, 0);
            for (std::size_t o = 0; o < n; ++o) {
                if (stages[k].adder == PreparedStage::Adder::apc && !per_check) {  // the popcount of every product, no per-cycle sums
                    terms(k, o, xp, xn, pos, neg);
                    std::int64_t c = 0;
                    for (const auto& tm : pos) c += std::int64_t(sc::and_count_words(tm.x, tm.w, words));
                    for (const auto& tm : neg) c -= std::int64_t(sc::and_count_words(tm.x, tm.w, words));
                    counts[o] = c;
                    continue;
                }
                if (stages[k].adder != PreparedStage::Adder::mux) terms(k, o, xp, xn, pos, neg);
                for (int b = 0; b < blocks; ++b) {
                    block_delta(k, o, b, xp, xn, pos, neg, delta.data());
                    for (std::size_t j = 0; j < 256 && std::size_t(b) * 256 + j < L; ++j) {
                        const std::size_t t = std::size_t(b) * 256 + j;
                        counts[o] += delta[j];
                        if (per_check) (*per_check)[t / K * n + o] += delta[j];
                    }
                }
            }
            return counts;
        } else if (plain_neurons(k)) {
            neurons8(k, xp, xn, yp, yn);
        } else {
            const bool fsm = s.neuron == "fsm";
            for (std::size_t o = 0; o < n; ++o) {
                const std::int64_t kk = s.k[std::size_t(channel_of(s, std::int64_t(o)))];
                std::int64_t acc = 0, emitted = 0;
                Word* op = at(yp, std::int64_t(o));
                Word* on = at(yn, std::int64_t(o));
                if (stages[k].adder != PreparedStage::Adder::mux) terms(k, o, xp, xn, pos, neg);
                for (int b = 0; b < blocks; ++b) {
                    block_delta(k, o, b, xp, xn, pos, neg, delta.data());
                    const std::size_t end = std::min<std::size_t>(256, L - std::size_t(b) * 256);
                    for (std::size_t j = 0; j < end; ++j) {
                        const std::size_t t = std::size_t(b) * 256 + j;
                        std::int64_t y;
                        if (fsm)
                            y = acc >= 0 ? 1 : (s.signed_out || bipolar ? -1 : 0);
                        else if (bipolar)
                            y = acc >= 0 || (!s.signed_out && emitted < 0) ? 1 : -1;
                        else
                            y = 2 * acc >= kk ? 1 : (s.signed_out && 2 * acc < -kk ? -1 : 0);
                        if (y > 0) set(op, t);
                        if (y < 0) set(on, t);
                        acc = std::clamp(acc + s.d * delta[j] - (fsm ? 0 : kk * y), s.acc_min, s.acc_max);
                        emitted += y;
                    }
                }
            }
        }
        std::swap(xp, yp);
        std::swap(xn, yn);
    }
    // the last stage is not a counting one (the network ends in pooling): count its output streams
    const std::size_t n = std::size_t(plan.stages.back().out.size());
    std::vector<std::int64_t> counts(n, 0);
    const std::size_t nwords = sc::words_for(L);
    for (std::size_t o = 0; o < n; ++o)
        for (std::size_t w = 0; w < nwords; ++w)
            counts[o] += __builtin_popcountll(xp[o * words + w]) - __builtin_popcountll(xn[o * words + w]);
    if (per_check) {
        per_check->assign(nchecks * n, 0);
        const auto bit = [&](const std::vector<Word>& v, std::size_t o, std::size_t t) {
            return std::int64_t((v[o * words + t / 64] >> (t % 64)) & 1);
        };
        for (std::size_t o = 0; o < n; ++o)
            for (std::size_t t = 0; t < L; ++t) (*per_check)[t / K * n + o] += bit(xp, o, t) - bit(xn, o, t);
    }
    return counts;
}

bool Simulator::Impl::plain_neurons(std::size_t k) const {
    const auto& s = plan.stages[k];
    if (bipolar || s.neuron != "delta-sigma" || s.final || !ir::is_linear(s.kind)) return false;
    const std::int64_t kmax = *std::max_element(s.k.begin(), s.k.end());
    const std::int64_t step = stages[k].max_step * (stages[k].in_signed ? 2 : 1);
    const std::int64_t bound = 2 * std::max(-s.acc_min, s.acc_max) + s.d * step + 3 * kmax;
    return bound < (std::int64_t{1} << 30);
}

void Simulator::Impl::neurons8(std::size_t k, const std::vector<Word>& xp, const std::vector<Word>& xn,
                               std::vector<Word>& yp, std::vector<Word>& yn) const {
    using V = kernels::Lanes;
    constexpr std::size_t kG = 8;
    const auto& s = plan.stages[k];
    const auto n = std::size_t(s.out.size());
    const auto L = std::size_t(plan.length);
    const auto d0 = std::int32_t(s.d);
    const V lo = V{} + std::int32_t(s.acc_min), hi = V{} + std::int32_t(s.acc_max);
    const V negmask = V{} + (s.signed_out ? -1 : 0);
    std::vector<std::vector<kernels::Term>> pos(kG), neg(kG);  // the terms of the group's outputs
    std::vector<std::int32_t> delta(kG * 256);
    std::vector<std::int32_t> dl(256 * kG), ys(256 * kG);  // [cycle][lane]
    for (std::size_t o0 = 0; o0 < n; o0 += kG) {
        const std::size_t g = std::min(kG, n - o0);
        V acc = V{}, kk = V{} + 1;
        for (std::size_t q = 0; q < g; ++q) kk[q] = std::int32_t(s.k[std::size_t(channel_of(s, std::int64_t(o0 + q)))]);
        std::fill(delta.begin(), delta.end(), 0);
        if (stages[k].adder != PreparedStage::Adder::mux)
            for (std::size_t q = 0; q < g; ++q) terms(k, o0 + q, xp, xn, pos[q], neg[q]);
        for (int b = 0; b < blocks; ++b) {
            for (std::size_t q = 0; q < g; ++q) block_delta(k, o0 + q, b, xp, xn, pos[q], neg[q], &delta[q * 256]);
            for (std::size_t j = 0; j < 256; ++j)
                for (std::size_t q = 0; q < kG; ++q) dl[j * kG + q] = d0 * delta[q * 256 + j];  // d·Δ
            const std::size_t end = std::min<std::size_t>(256, L - std::size_t(b) * 256);
            std::int32_t st[40];
            for (std::size_t q = 0; q < kG; ++q)
                st[q] = acc[q], st[8 + q] = kk[q], st[16 + q] = lo[q], st[24 + q] = hi[q], st[32 + q] = negmask[q];
            kernels::neuron_lanes(dl.data(), ys.data(), end, st);
            for (std::size_t q = 0; q < kG; ++q) acc[q] = st[q];
            for (std::size_t q = 0; q < g; ++q) {
                Word* op = &yp[(o0 + q) * words + std::size_t(b) * kernels::kBlockWords];
                Word* on = &yn[(o0 + q) * words + std::size_t(b) * kernels::kBlockWords];
                for (std::size_t w0 = 0; w0 < end; w0 += 64) {
                    Word p = 0, m = 0;
                    for (std::size_t j = w0; j < std::min(end, w0 + 64); ++j) {
                        p |= Word{ys[j * kG + q] > 0} << (j - w0);
                        m |= Word{ys[j * kG + q] < 0} << (j - w0);
                    }
                    op[w0 / 64] = p;
                    on[w0 / 64] = m;
                }
            }
        }
    }
}

Simulator::Simulator(const ir::ScPlan& plan) : impl_(std::make_unique<Impl>()) {
    ir::validate(plan);
    impl_->plan = plan;
    impl_->prepare();
}
Simulator::~Simulator() = default;

const ir::ScPlan& Simulator::plan() const { return impl_->plan; }

std::vector<std::int64_t> Simulator::run(std::span<const std::uint8_t> pixels) const { return impl_->run(pixels); }

Simulator::Early Simulator::run_early(std::span<const std::uint8_t> pixels, std::int64_t margin) const {
    std::vector<std::int64_t> per_check;
    const auto full = impl_->run(pixels, &per_check);
    const std::int64_t L = impl_->plan.length, K = impl_->plan.early_exit_every;
    const std::size_t n = full.size(), nc = per_check.size() / std::max<std::size_t>(1, n);
    const auto& fin = impl_->stages.back();
    // |Δ_a(t) − Δ_b(t)| ≤ 2·max|Δ|: the largest number of product terms of one output (doubled for signed
    // inputs); 1 for the mux and or adders and for streams
    const std::int64_t per_cycle = 2 * fin.max_step * (fin.in_signed && fin.max_step > 1 ? 2 : 1);
    std::vector<std::int64_t> cum(n, 0);
    for (std::size_t c = 0; c < nc; ++c) {
        for (std::size_t o = 0; o < n; ++o) cum[o] += per_check[c * n + o];
        const std::int64_t t_end = std::min<std::int64_t>(L, std::int64_t(c + 1) * K);
        if (t_end == L || n < 2) break;
        const int best = predict(cum);
        std::int64_t second = std::numeric_limits<std::int64_t>::min();
        for (std::size_t o = 0; o < n; ++o)
            if (int(o) != best) second = std::max(second, cum[o]);
        const std::int64_t lead = cum[std::size_t(best)] - second;
        if ((margin > 0 && lead >= margin) || lead > per_cycle * (L - t_end)) return {best, t_end};
    }
    return {predict(full), L};
}

std::vector<int> Simulator::predict_all(std::span<const std::uint8_t> pixels, std::int64_t count, int threads,
                                        const std::function<void()>& on_image, std::int64_t early_margin,
                                        std::vector<std::int64_t>* cycles) const {
    const auto per = std::size_t(impl_->plan.input.size());
    if (pixels.size() < per * std::size_t(count)) throw Error("simulator: pixel buffer shorter than count images");
    std::vector<int> out(std::size_t(count), -1);
    if (cycles) cycles->assign(std::size_t(count), impl_->plan.length);
    int nt = threads > 0 ? threads : int(std::max(1U, std::thread::hardware_concurrency()));
    nt = int(std::min<std::int64_t>(nt, std::max<std::int64_t>(1, count)));
    std::atomic<std::int64_t> next{0};
    std::exception_ptr error;
    std::mutex m;
    const auto worker = [&] {
        try {
            for (std::int64_t i; (i = next.fetch_add(1)) < count;) {
                const auto img = pixels.subspan(std::size_t(i) * per, per);
                if (early_margin >= 0) {
                    const Early e = run_early(img, early_margin);
                    out[std::size_t(i)] = e.prediction;
                    if (cycles) (*cycles)[std::size_t(i)] = e.cycles;
                } else {
                    out[std::size_t(i)] = predict(run(img));
                }
                if (on_image) on_image();
            }
        } catch (...) {
            std::lock_guard lock(m);
            if (!error) error = std::current_exception();
            next = count;
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < nt; ++t) pool.emplace_back(worker);
    worker();
    for (auto& th : pool) th.join();
    if (error) std::rethrow_exception(error);
    return out;
}

}  // namespace scnn::sim
