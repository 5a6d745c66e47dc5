// SC engine throughput: generators (single-step, bulk, comparator fill from a shared sequence) and the
// fused AND + popcount of the packed form, beside a plain loop over uint64_t words compiled in this same
// binary as the machine's peak. At the end a table gives each benchmark's rate relative to that peak.
//
//   build-sc/bench/bench_sc --benchmark_min_time=0.2 --benchmark_repetitions=5
// (the closing table uses the median of the repetitions).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <boost/random/mersenne_twister.hpp>

#include "engine/sc/bitstream.hpp"
#include "engine/sc/shared_sequence.hpp"
#include "engine/sc/sng.hpp"

using namespace scnn::sc;

namespace {

std::vector<Word> random_words(std::size_t n, std::uint32_t seed) {
    boost::random::mt19937_64 eng(seed);
    std::vector<Word> w(n);
    for (auto& x : w) x = eng();
    return w;
}

void set_bits(benchmark::State& state, std::size_t bits_per_iter) {
    state.counters["bits/s"] =
        benchmark::Counter(static_cast<double>(bits_per_iter), benchmark::Counter::kIsIterationInvariantRate);
}

// ---- AND + popcount ------------------------------------------------------------------------------
// The peak: the simplest possible loop over two arrays of words.
void BM_and_popcount_plain_loop(benchmark::State& state) {
    const auto bits = static_cast<std::size_t>(state.range(0));
    const auto a = random_words(words_for(bits), 1), b = random_words(words_for(bits), 2);
    for (auto _ : state) {
        const Word* pa = a.data();
        const Word* pb = b.data();
        std::uint64_t c = 0;
        for (std::size_t i = 0; i < a.size(); ++i) c += static_cast<std::uint64_t>(__builtin_popcountll(pa[i] & pb[i]));
        benchmark::DoNotOptimize(c);
    }
    set_bits(state, bits);
}

// The same plain loop with four accumulators (what an optimizing programmer would write by hand).
void BM_and_popcount_plain_loop_x4(benchmark::State& state) {
    const auto bits = static_cast<std::size_t>(state.range(0));
    const auto a = random_words(words_for(bits), 1), b = random_words(words_for(bits), 2);
    for (auto _ : state) {
        const Word* pa = a.data();
        const Word* pb = b.data();
        std::uint64_t c0 = 0, c1 = 0, c2 = 0, c3 = 0;
        for (std::size_t i = 0; i + 4 <= a.size(); i += 4) {
            c0 += static_cast<std::uint64_t>(__builtin_popcountll(pa[i] & pb[i]));
            c1 += static_cast<std::uint64_t>(__builtin_popcountll(pa[i + 1] & pb[i + 1]));
            c2 += static_cast<std::uint64_t>(__builtin_popcountll(pa[i + 2] & pb[i + 2]));
            c3 += static_cast<std::uint64_t>(__builtin_popcountll(pa[i + 3] & pb[i + 3]));
        }
        benchmark::DoNotOptimize(c0 + c1 + c2 + c3);
    }
    set_bits(state, bits);
}

void BM_and_popcount_packed(benchmark::State& state) {
    const auto bits = static_cast<std::size_t>(state.range(0));
    PackedStream a(bits), b(bits);
    a.words = random_words(a.words.size(), 1);
    b.words = random_words(b.words.size(), 2);
    a.clear_padding();
    b.clear_padding();
    for (auto _ : state) benchmark::DoNotOptimize(and_count(a, b));
    set_bits(state, bits);
}

void BM_and_popcount_dynamic_bitset(benchmark::State& state) {
    const auto bits = static_cast<std::size_t>(state.range(0));
    PackedStream pa(bits), pb(bits);
    pa.words = random_words(pa.words.size(), 1);
    pb.words = random_words(pb.words.size(), 2);
    pa.clear_padding();
    pb.clear_padding();
    const Bitstream a = to_bitstream(pa), b = to_bitstream(pb);
    for (auto _ : state) benchmark::DoNotOptimize((a & b).count());
    set_bits(state, bits);
}

// ---- generators ----------------------------------------------------------------------------------
SngConfig config_for(int kind) {
    SngConfig c;
    c.kind = static_cast<SngKind>(kind);
    c.width = 16;
    c.dimension = 2;
    c.seed = 12345;
    return c;
}

void label(benchmark::State& state) { state.SetLabel(std::string(sng_kind_name(config_for(static_cast<int>(state.range(0))).kind))); }

// Single-step interface: one output() + step() per cycle.
void BM_sng_single_step(benchmark::State& state) {
    Sng sng(config_for(static_cast<int>(state.range(0))));
    constexpr std::size_t n = 1 << 16;
    for (auto _ : state) {
        std::uint32_t acc = 0;
        for (std::size_t i = 0; i < n; ++i) acc ^= sng.next();
        benchmark::DoNotOptimize(acc);
    }
    label(state);
    set_bits(state, n);
}

// Bulk r(t) values.
void BM_sng_generate(benchmark::State& state) {
    Sng sng(config_for(static_cast<int>(state.range(0))));
    std::vector<std::uint32_t> out(1 << 16);
    for (auto _ : state) {
        sng.generate(out);
        benchmark::DoNotOptimize(out.data());
    }
    label(state);
    set_bits(state, out.size());
}

// Comparator SNG: generator + compare into packed words (one stream, generator not shared).
void BM_sng_fill_packed(benchmark::State& state) {
    Sng sng(config_for(static_cast<int>(state.range(0))));
    constexpr std::size_t n = 1 << 16;
    std::vector<Word> words(words_for(n));
    for (auto _ : state) {
        sng.fill_packed(sng.range() / 3, n, words);
        benchmark::DoNotOptimize(words.data());
    }
    label(state);
    set_bits(state, n);
}

// Shared generator: compare a precomputed sequence against one more threshold (the per-stream cost when one
// generator feeds many streams).
void BM_shared_sequence_fill(benchmark::State& state) {
    const SharedSequence shared(config_for(static_cast<int>(SngKind::sobol)), static_cast<std::size_t>(state.range(0)));
    std::vector<Word> words(words_for(shared.length()));
    std::uint64_t t = 1;
    for (auto _ : state) {
        shared.fill(t, words);
        t = (t * 7 + 1) % shared.range();
        benchmark::DoNotOptimize(words.data());
    }
    set_bits(state, shared.length());
}

constexpr int kKinds = 6;

void kinds(benchmark::internal::Benchmark* b) {
    for (int k = 0; k < kKinds; ++k) b->Arg(k);
}

BENCHMARK(BM_and_popcount_plain_loop)->Arg(256)->Arg(1 << 20);
BENCHMARK(BM_and_popcount_plain_loop_x4)->Arg(256)->Arg(1 << 20);
BENCHMARK(BM_and_popcount_packed)->Arg(256)->Arg(1 << 20);
BENCHMARK(BM_and_popcount_dynamic_bitset)->Arg(256)->Arg(1 << 20);
BENCHMARK(BM_sng_single_step)->Apply(kinds);
BENCHMARK(BM_sng_generate)->Apply(kinds);
BENCHMARK(BM_sng_fill_packed)->Apply(kinds);
BENCHMARK(BM_shared_sequence_fill)->Arg(256)->Arg(1 << 16);

// Console output plus a closing table of rates relative to the peak: the faster of the two plain AND +
// popcount loops of the same size (1M bits for generators).
class RatioReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        for (const Run& r : runs) {
            if (r.run_type != Run::RT_Iteration || r.error_occurred) continue;
            const auto it = r.counters.find("bits/s");
            if (it == r.counters.end()) continue;
            std::string name = r.benchmark_name();
            if (!r.report_label.empty()) name += " [" + r.report_label + "]";
            auto found = std::find_if(rates_.begin(), rates_.end(), [&](const auto& e) { return e.first == name; });
            if (found == rates_.end()) found = rates_.insert(rates_.end(), {name, {}});
            found->second.push_back(it->second.value);
        }
        ConsoleReporter::ReportRuns(runs);
    }
    void print_ratios() {
        // Median over --benchmark_repetitions.
        std::vector<std::pair<std::string, double>> medians;
        for (auto& [name, v] : rates_) {
            std::sort(v.begin(), v.end());
            medians.emplace_back(name, v[v.size() / 2]);
        }
        std::map<std::string, double> peak;
        for (const auto& [name, rate] : medians)
            if (name.rfind("BM_and_popcount_plain_loop", 0) == 0) {
                double& p = peak[name.substr(name.find('/'))];
                p = std::max(p, rate);
            }
        if (peak.empty()) return;
        std::printf("\nrate / peak (faster plain AND+popcount loop of the same size; 1048576 bits for generators)\n");
        for (const auto& [name, rate] : medians) {
            std::string size = name.substr(name.find('/'));
            size = size.substr(0, size.find(' '));
            const bool sized = name.rfind("BM_and_popcount", 0) == 0;
            const auto p = peak.find(sized ? size : "/1048576");
            if (p == peak.end()) continue;
            std::printf("  %-50s %10.2f Gbit/s  ratio %.3f\n", name.c_str(), rate / 1e9, rate / p->second);
        }
    }

private:
    std::vector<std::pair<std::string, std::vector<double>>> rates_;
};

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    RatioReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    reporter.print_ratios();
    benchmark::Shutdown();
    return 0;
}
