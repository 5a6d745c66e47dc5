// Fast SC simulator throughput: synapse-bit-operations per second (images × L × weights / seconds) of a
// 784-128-10 MLP at L = 256 on 2 threads, and its ratio to the AND+popcount peak of the same machine, same
// run, same threads (the peak kernel: and_count_words over every (input stream, weight stream) pair of the
// same network, i.e. a product-and-count with no per-cycle work at all).
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include "engine/compile/compiler.hpp"
#include "engine/sc/bitstream.hpp"
#include "engine/sim/simulate.hpp"

namespace {

constexpr std::int64_t kLength = 256;
constexpr int kThreads = 2;
constexpr int kIn = 784, kHidden = 128, kOut = 10;
constexpr double kWeights = double(kIn) * kHidden + double(kHidden) * kOut;
double g_peak = 0;  // synapse-bit ops/s of the AND+popcount kernel, set by BM_AndPopcountPeak

scnn::ir::Network mlp() {
    std::mt19937 rng(1);
    std::normal_distribution<float> nd(0.0f, 0.05f);
    const auto fill = [&](std::size_t n) {
        std::vector<float> v(n);
        for (auto& x : v) x = nd(rng);
        return v;
    };
    scnn::ir::Network net;
    net.input = {kIn, 1, 1};
    const scnn::ir::Op ops[] = {scnn::ir::Dense{kIn, kHidden, fill(kIn * kHidden), fill(kHidden)}, scnn::ir::Relu{},
                                scnn::ir::Dense{kHidden, kOut, fill(kHidden * kOut), fill(kOut)}};
    scnn::ir::Shape cur = net.input;
    for (const auto& op : ops) {
        net.layers.push_back({"l", op, cur, scnn::ir::infer_shape(op, cur)});
        cur = net.layers.back().out;
    }
    return net;
}

std::vector<std::uint8_t> images(int n) {
    std::mt19937 rng(2);
    std::vector<std::uint8_t> px(std::size_t(n) * kIn);
    for (auto& p : px) p = rng() % 3 == 0 ? 0 : std::uint8_t(rng() % 256);
    return px;
}

void BM_AndPopcountPeak(benchmark::State& state) {
    const std::size_t words = scnn::sc::words_for(kLength);
    std::mt19937_64 rng(3);
    std::vector<scnn::sc::Word> x(std::size_t(kIn) * words), w(std::size_t(kIn) * kHidden * words);
    for (auto& v : x) v = rng();
    for (auto& v : w) v = rng();
    double best = 0;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        std::atomic<std::uint64_t> sink{0};
        std::vector<std::thread> pool;
        const int images_per_thread = 4;
        for (int t = 0; t < kThreads; ++t) {
            pool.emplace_back([&] {
                std::uint64_t s = 0;
                for (int img = 0; img < images_per_thread; ++img)
                    for (int o = 0; o < kHidden; ++o)
                        for (int i = 0; i < kIn; ++i)
                            s += scnn::sc::and_count_words(&x[std::size_t(i) * words],
                                                           &w[(std::size_t(o) * kIn + i) * words], words);
                sink += s;
            });
        }
        for (auto& th : pool) th.join();
        benchmark::DoNotOptimize(sink.load());
        const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        best = std::max(best, double(kThreads * images_per_thread) * kLength * double(kIn) * kHidden / sec);
    }
    g_peak = best;
    state.counters["synapse_bit_ops_per_s"] = best;
}
BENCHMARK(BM_AndPopcountPeak)->Unit(benchmark::kMillisecond)->Iterations(60)->UseRealTime();

void BM_SimMlp784(benchmark::State& state) {
    const auto net = mlp();
    const std::vector<std::vector<float>> calib{std::vector<float>(kIn, 0.5f), std::vector<float>(kIn, 0.2f)};
    scnn::compile::CompileOptions o;
    o.length = kLength;
    const scnn::sim::Simulator sim(scnn::compile::compile(net, calib, o));
    const int n = 64;
    const auto px = images(n);
    double best = 0;
    for (auto _ : state) {
        const auto t0 = std::chrono::steady_clock::now();
        benchmark::DoNotOptimize(sim.predict_all(px, n, kThreads));
        const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        best = std::max(best, double(n) * kLength * kWeights / sec);
    }
    state.counters["synapse_bit_ops_per_s"] = best;
    state.counters["images_per_s"] = best / (kLength * kWeights);
    if (g_peak > 0) state.counters["ratio_to_peak"] = best / g_peak;
}
BENCHMARK(BM_SimMlp784)->Unit(benchmark::kMillisecond)->Iterations(5)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
