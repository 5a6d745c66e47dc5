#include "engine/sc/error_study.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include <boost/random/mersenne_twister.hpp>
#include <fmt/core.h>

#include "engine/ir/error.hpp"
#include "engine/sc/adders.hpp"
#include "engine/sc/correlation.hpp"
#include "engine/sc/fsm.hpp"
#include "engine/sc/sng.hpp"

namespace scnn::sc {
namespace {

// The r(t) of one operand for the current pair: computed once for deterministic generators, drawn anew for
// every pair from a free-running true-random generator.
class Source {
public:
    Source(const SngConfig& config, std::size_t length) : sng_(config), values_(length) {
        free_running_ = config.kind == SngKind::random;
        sng_.generate(values_);
        fresh_ = true;
    }
    std::uint64_t range() const { return sng_.range(); }
    void next_pair() {
        if (free_running_ && !fresh_) sng_.generate(values_);
        fresh_ = false;
    }
    const std::uint32_t* data() const { return values_.data(); }

private:
    Sng sng_;
    std::vector<std::uint32_t> values_;
    bool free_running_ = false;
    bool fresh_ = false;
};

double uniform01(boost::random::mt19937_64& eng) { return static_cast<double>(eng() >> 11) * 0x1.0p-53; }

}  // namespace

std::string_view study_op_name(StudyOp op) {
    switch (op) {
        case StudyOp::mul: return "mul";
        case StudyOp::add: return "add";
        case StudyOp::mux_add: return "mux-add";
        case StudyOp::stanh: return "stanh";
    }
    return "?";
}

StudyOp parse_study_op(std::string_view name) {
    if (name == "mul") return StudyOp::mul;
    if (name == "add") return StudyOp::add;
    if (name == "mux-add") return StudyOp::mux_add;
    if (name == "stanh") return StudyOp::stanh;
    throw Error(fmt::format("unknown operation '{}' (expected mul, add, mux-add or stanh)", name));
}

unsigned default_width(std::uint64_t length) {
    unsigned w = 0;
    while (w < kMaxWidth && (std::uint64_t{1} << w) < length) ++w;
    return std::clamp(w, kMinWidth, kMaxWidth);
}

SngConfig study_generator(SngKind kind, unsigned width, unsigned role, std::uint64_t seed) {
    if (role > 2) throw Error("study_generator: role must be 0, 1 or 2");
    SngConfig c;
    c.kind = kind;
    c.width = width;
    switch (kind) {
        case SngKind::sobol:
        case SngKind::halton: c.dimension = role + 1; break;
        case SngKind::ramp: c.rotate = role == 0 ? 0 : (role == 1 ? width / 2 : width - 1); break;
        case SngKind::random: c.seed = static_cast<std::uint32_t>(seed) + role + 1; break;
        case SngKind::lfsr_fibonacci:
        case SngKind::lfsr_galois: {
            // Same polynomial and seed; operand b runs a third of the period ahead, the select two thirds
            // (an offset is only a different reset state, so each is its own cheap register).
            const std::uint64_t period = (std::uint64_t{1} << width) - 1;
            c.seed = 1;
            c.offset = role * (period / 3);
            break;
        }
    }
    validate(c);
    return c;
}

ErrorStudyResult run_error_study(const ErrorStudyConfig& cfg) {
    if (cfg.length < 1 || cfg.length > (std::uint64_t{1} << 24))
        throw Error(fmt::format("stream length {} is outside 1 .. 16777216", cfg.length));
    if (cfg.pairs < 1 || cfg.pairs > 100'000'000)
        throw Error(fmt::format("pair count {} is outside 1 .. 100000000", cfg.pairs));
    if (static_cast<double>(cfg.pairs) * static_cast<double>(cfg.length) > 1e12)
        throw Error("pairs x length exceeds 10^12 cycles");
    if (cfg.op == StudyOp::stanh && cfg.encoding != Encoding::bipolar)
        throw Error("stanh works on bipolar streams: use --encoding bipolar");
    if (cfg.op == StudyOp::stanh) static_cast<void>(Stanh(cfg.states));  // validates the state count

    const std::size_t L = cfg.length;
    const std::size_t nw = words_for(L);
    const Encoding enc = cfg.encoding;
    Source src_a(cfg.sng_a, L);
    std::optional<Source> src_b, src_sel;
    if (cfg.op != StudyOp::stanh && !cfg.share) src_b.emplace(cfg.sng_b, L);
    if (cfg.op == StudyOp::mux_add) {
        src_sel.emplace(cfg.sng_select, L);
        if (src_sel->range() < 2) throw Error("MUX select generator range is below 2");
    }
    Source& sb = src_b ? *src_b : src_a;

    boost::random::mt19937_64 eng(cfg.seed);
    std::vector<Word> wa(nw), wb(nw), ws(nw), wo(nw);
    std::vector<std::uint32_t> sel(L);
    double sum_e = 0.0, sum_e2 = 0.0, sum_e4 = 0.0, sum_scc = 0.0;
    std::uint64_t scc_pairs = 0;
    const double lo = enc == Encoding::unipolar ? 0.0 : -1.0;

    for (std::uint64_t pair = 0; pair < cfg.pairs; ++pair) {
        src_a.next_pair();
        if (src_b) src_b->next_pair();
        const std::uint64_t ta = quantize(lo + (1.0 - lo) * uniform01(eng), enc, src_a.range());
        const std::uint64_t tb = quantize(lo + (1.0 - lo) * uniform01(eng), enc, sb.range());
        const double va = threshold_value(ta, src_a.range(), enc);
        const double vb = threshold_value(tb, sb.range(), enc);
        compare_to_words(src_a.data(), L, ta, wa.data());
        compare_to_words(sb.data(), L, tb, wb.data());

        std::uint64_t ones = 0;
        double exact = 0.0;
        switch (cfg.op) {
            case StudyOp::mul:
                ones = enc == Encoding::unipolar ? and_count_words(wa.data(), wb.data(), nw)
                                                 : L - xor_count_words(wa.data(), wb.data(), nw);
                exact = va * vb;
                break;
            case StudyOp::add:
                for (std::size_t i = 0; i < nw; ++i) ones += static_cast<std::uint64_t>(__builtin_popcountll(wa[i] | wb[i]));
                exact = std::clamp(va + vb, lo, 1.0);
                break;
            case StudyOp::mux_add: {
                src_sel->next_pair();
                for (std::size_t t = 0; t < L; ++t) sel[t] = mux_select(src_sel->data()[t], 2, src_sel->range());
                std::fill(ws.begin(), ws.end(), 0);
                for (std::size_t t = 0; t < L; ++t) ws[t / kWordBits] |= static_cast<Word>(sel[t]) << (t % kWordBits);
                for (std::size_t i = 0; i < nw; ++i)
                    ones += static_cast<std::uint64_t>(__builtin_popcountll((wa[i] & ~ws[i]) | (wb[i] & ws[i])));
                exact = (va + vb) / 2.0;
                break;
            }
            case StudyOp::stanh: {
                Stanh m(cfg.states);
                for (std::size_t t = 0; t < L; ++t) ones += m.next(((wa[t / kWordBits] >> (t % kWordBits)) & 1u) != 0);
                exact = std::tanh(0.5 * cfg.states * va);
                break;
            }
        }
        const double e = decode(ones, L, enc) - exact;
        sum_e += e;
        sum_e2 += e * e;
        sum_e4 += e * e * e * e;
        if (cfg.op != StudyOp::stanh) {
            // SCC is undefined when a stream is constant; such pairs are left out of the mean.
            const std::uint64_t oa = popcount_words(wa.data(), nw), ob = popcount_words(wb.data(), nw);
            if (oa != 0 && ob != 0 && oa != L && ob != L) {
                sum_scc += std::fabs(scc(pair_counts(oa, ob, and_count_words(wa.data(), wb.data(), nw), L)));
                ++scc_pairs;
            }
        }
    }
    const double n = static_cast<double>(cfg.pairs);
    ErrorStudyResult r;
    r.mse = sum_e2 / n;
    r.bias = sum_e / n;
    r.mse_stderr = n > 1 ? std::sqrt(std::max(0.0, sum_e4 / n - r.mse * r.mse) / (n - 1)) : 0.0;
    r.mean_abs_scc = cfg.op == StudyOp::stanh || scc_pairs == 0 ? std::numeric_limits<double>::quiet_NaN()
                                                                 : sum_scc / static_cast<double>(scc_pairs);
    r.length = cfg.length;
    r.pairs = cfg.pairs;
    return r;
}

}  // namespace scnn::sc
