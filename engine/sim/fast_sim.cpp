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
    std::vector<std::pair<std::int32_t, std::int32_t>> pos, neg;  // (input element, weight stream slot)
};

struct PreparedStage {
    std::vector<NeuronWiring> wiring;  // linear: per output element (bias included as input −1)
    std::vector<Word> streams;         // linear: weight streams, one per distinct |threshold| (slot)
    std::vector<Window> windows;       // pooling
    int planes = 1;
    bool in_signed = false;
};

int bits_for(std::size_t n) {
    int b = 1;
    while ((std::size_t{1} << b) <= n) ++b;
    return b;
}

}  // namespace

struct Simulator::Impl {
    ir::ScPlan plan;
    std::size_t words = 0;  // per stream, a multiple of kBlockWords
    int blocks = 0;
    std::vector<Word> input_streams;  // 256 × words
    std::vector<Word> ones;           // the constant-1 stream of biases
    std::vector<PreparedStage> stages;

    void fill(const sc::SharedSequence& seq, std::uint64_t threshold, Word* dst) const {
        std::fill(dst, dst + words, Word{0});
        seq.fill(threshold, std::span<Word>(dst, sc::words_for(std::size_t(plan.length))));
    }

    void prepare() {
        const auto L = std::size_t(plan.length);
        blocks = int((L + 255) / 256);
        words = std::size_t(blocks) * kernels::kBlockWords;
        {
            const sc::SharedSequence seq(to_sng_config(plan.generators[std::size_t(plan.input_gen)]), L);
            input_streams.assign(256 * words, 0);
            for (int p = 0; p < 256; ++p)
                fill(seq, std::uint64_t(plan.input_thresholds[std::size_t(p)]), &input_streams[std::size_t(p) * words]);
        }
        ones.assign(words, 0);
        for (std::size_t t = 0; t < L; ++t) ones[t / 64] |= Word{1} << (t % 64);
        bool sig = false;
        for (const auto& s : plan.stages) {
            PreparedStage ps;
            ps.in_signed = sig;
            if (s.kind == ir::StageKind::max_pool || s.kind == ir::StageKind::avg_pool) {
                ps.windows = pool_windows(s);
            } else if (s.kind != ir::StageKind::gather) {
                const sc::SharedSequence seq(to_sng_config(plan.generators[std::size_t(s.weight_gen)]), L);
                std::map<std::int32_t, std::int32_t> slot;  // |T| -> slot
                const auto slot_of = [&](std::int32_t t) {
                    const std::int32_t a = t < 0 ? -t : t;
                    auto [it, fresh] = slot.emplace(a, std::int32_t(slot.size()));
                    if (fresh) {
                        ps.streams.resize(slot.size() * words);
                        fill(seq, std::uint64_t(a), &ps.streams[std::size_t(it->second) * words]);
                    }
                    return it->second;
                };
                const auto conns = linear_connections(s);
                ps.wiring.resize(conns.size());
                std::size_t most = 1;
                for (std::size_t o = 0; o < conns.size(); ++o) {
                    auto& nw = ps.wiring[o];
                    for (const Conn& c : conns[o]) {
                        const std::int32_t t = s.weights[std::size_t(c.weight)];
                        if (t == 0) continue;
                        (t > 0 ? nw.pos : nw.neg).push_back({c.input, slot_of(t)});
                    }
                    const std::int32_t tb = s.bias[std::size_t(channel_of(s, std::int64_t(o)))];
                    if (tb != 0) (tb > 0 ? nw.pos : nw.neg).push_back({-1, slot_of(tb)});
                    most = std::max({most, nw.pos.size() + nw.neg.size()});
                }
                ps.planes = bits_for(most);
                if (ps.planes > 15)
                    throw Error(fmt::format("stage '{}': fan-in {} is too large for the fast simulator (max 32767)",
                                            s.name, most));
            }
            sig = s.kind == ir::StageKind::gather || s.kind == ir::StageKind::max_pool ||
                          s.kind == ir::StageKind::avg_pool
                      ? sig
                      : s.signed_out;
            stages.push_back(std::move(ps));
        }
    }

    // early: when not null, the final stage keeps its counts per 64-cycle word in early->per_word
    std::vector<std::int64_t> run(std::span<const std::uint8_t> pixels,
                                  std::vector<std::int64_t>* per_word = nullptr) const;
};

std::vector<std::int64_t> Simulator::Impl::run(std::span<const std::uint8_t> pixels,
                                               std::vector<std::int64_t>* per_word) const {
    if (std::int64_t(pixels.size()) != plan.input.size()) throw Error("simulator: wrong number of pixels");
    const auto L = std::size_t(plan.length);
    std::vector<Word> xp(pixels.size() * words), xn(pixels.size() * words, 0), yp, yn;
    for (std::size_t i = 0; i < pixels.size(); ++i)
        std::copy_n(&input_streams[std::size_t(pixels[i]) * words], words, &xp[i * words]);
    std::vector<std::int32_t> delta(256);
    std::vector<kernels::Term> pos, neg;
    for (std::size_t k = 0; k < plan.stages.size(); ++k) {
        const auto& s = plan.stages[k];
        const auto& ps = stages[k];
        const auto n = std::size_t(s.out.size());
        const auto at = [&](std::vector<Word>& v, std::int64_t i) { return &v[std::size_t(i) * words]; };
        const auto set = [](Word* w, std::size_t t) { w[t / 64] |= Word{1} << (t % 64); };
        const auto bit = [](const Word* w, std::size_t t) { return std::int64_t((w[t / 64] >> (t % 64)) & 1U); };
        yp.assign(n * words, 0);
        yn.assign(n * words, 0);
        if (s.kind == ir::StageKind::gather) {
            for (std::size_t o = 0; o < n; ++o) {
                if (s.index[o] < 0) continue;
                std::copy_n(at(xp, s.index[o]), words, at(yp, std::int64_t(o)));
                std::copy_n(at(xn, s.index[o]), words, at(yn, std::int64_t(o)));
            }
        } else if (s.kind == ir::StageKind::max_pool || s.kind == ir::StageKind::avg_pool) {
            const bool mx = s.kind == ir::StageKind::max_pool;
            std::vector<std::int64_t> in_count(std::size_t(s.in.size()), 0), acc(n, 0);
            for (std::size_t t = 0; t < L; ++t) {
                for (std::size_t o = 0; o < n; ++o) {
                    const Window& w = ps.windows[o];
                    std::int64_t y = 0;
                    if (mx) {
                        if (!w.inputs.empty()) {
                            std::int64_t m = in_count[std::size_t(w.inputs[0])];
                            for (auto i : w.inputs) m = std::max(m, in_count[std::size_t(i)]);
                            y = (m > acc[o]) - (m < acc[o]);
                        }
                        acc[o] += y;
                    } else {
                        y = 2 * acc[o] >= w.divisor ? 1 : (2 * acc[o] < -w.divisor ? -1 : 0);
                        std::int64_t sum = 0;
                        for (auto i : w.inputs)
                            sum += bit(&xp[std::size_t(i) * words], t) - bit(&xn[std::size_t(i) * words], t);
                        acc[o] += sum - w.divisor * y;
                    }
                    if (y > 0) set(at(yp, std::int64_t(o)), t);
                    if (y < 0) set(at(yn, std::int64_t(o)), t);
                }
                if (mx)
                    for (std::size_t i = 0; i < in_count.size(); ++i)
                        in_count[i] += bit(&xp[i * words], t) - bit(&xn[i * words], t);
            }
        } else {
            std::vector<std::int64_t> counts;
            for (std::size_t o = 0; o < n; ++o) {
                const auto& nw = ps.wiring[o];
                pos.clear();
                neg.clear();
                const auto term = [&](std::int32_t in, std::int32_t slot, bool negative_half) -> kernels::Term {
                    const Word* x = in < 0 ? (negative_half ? nullptr : ones.data())
                                           : &(negative_half ? xn : xp)[std::size_t(in) * words];
                    return {x, &ps.streams[std::size_t(slot) * words]};
                };
                for (auto [in, slot] : nw.pos) pos.push_back(term(in, slot, false));
                for (auto [in, slot] : nw.neg) neg.push_back(term(in, slot, false));
                if (ps.in_signed) {  // x− · w+ goes to neg, x− · w− to pos
                    for (auto [in, slot] : nw.pos)
                        if (in >= 0) neg.push_back(term(in, slot, true));
                    for (auto [in, slot] : nw.neg)
                        if (in >= 0) pos.push_back(term(in, slot, true));
                }
                if (s.final && per_word) {  // counts of every word w: per_word[w * n + o]
                    const std::size_t nw = sc::words_for(L);
                    per_word->resize(nw * n, 0);
                    for (std::size_t w = 0; w < nw; ++w) {
                        std::int64_t c = 0;
                        for (const auto& tm : pos) c += __builtin_popcountll(tm.x[w] & tm.w[w]);
                        for (const auto& tm : neg) c -= __builtin_popcountll(tm.x[w] & tm.w[w]);
                        (*per_word)[w * n + o] = c;
                    }
                }
                if (s.final) {
                    std::int64_t c = 0;
                    for (const auto& tm : pos) c += std::int64_t(sc::and_count_words(tm.x, tm.w, words));
                    for (const auto& tm : neg) c -= std::int64_t(sc::and_count_words(tm.x, tm.w, words));
                    counts.push_back(c);
                    continue;
                }
                const int planes = ps.in_signed ? std::min(15, ps.planes + 1) : ps.planes;
                const std::int64_t kk = s.k[std::size_t(channel_of(s, std::int64_t(o)))];
                std::int64_t acc = 0;
                Word* op = at(yp, std::int64_t(o));
                Word* on = at(yn, std::int64_t(o));
                for (int b = 0; b < blocks; ++b) {
                    kernels::block_delta(pos, neg, b, planes, delta.data());
                    const std::size_t end = std::min<std::size_t>(256, L - std::size_t(b) * 256);
                    for (std::size_t j = 0; j < end; ++j) {
                        const std::size_t t = std::size_t(b) * 256 + j;
                        const std::int64_t y = 2 * acc >= kk ? 1 : (s.signed_out && 2 * acc < -kk ? -1 : 0);
                        if (y > 0) set(op, t);
                        if (y < 0) set(on, t);
                        acc = std::clamp(acc + s.d * delta[j] - kk * y, s.acc_min, s.acc_max);
                    }
                }
            }
            if (s.final) return counts;
        }
        std::swap(xp, yp);
        std::swap(xn, yn);
    }
    throw Error("plan has no final stage");
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
    std::vector<std::int64_t> per_word;
    const auto full = impl_->run(pixels, &per_word);
    const std::int64_t L = impl_->plan.length;
    const std::size_t n = full.size(), nw = per_word.size() / std::max<std::size_t>(1, n);
    const auto& fin = impl_->stages.back();
    std::int64_t fanin = 0;  // |Δ_a − Δ_b| ≤ 2·(largest fan-in + 1) per cycle
    for (const auto& w : fin.wiring) fanin = std::max<std::int64_t>(fanin, std::int64_t(w.pos.size() + w.neg.size()));
    const std::int64_t per_cycle = 2 * fanin * (fin.in_signed ? 2 : 1);
    std::vector<std::int64_t> cum(n, 0);
    for (std::size_t w = 0; w < nw; ++w) {
        for (std::size_t o = 0; o < n; ++o) cum[o] += per_word[w * n + o];
        const std::int64_t t_end = std::min<std::int64_t>(L, std::int64_t(w + 1) * 64);
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
