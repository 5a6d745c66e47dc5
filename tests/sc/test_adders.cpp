// MUX adder, APC and counters against their transfer functions.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include <boost/random/mersenne_twister.hpp>

#include "engine/ir/error.hpp"
#include "engine/sc/adders.hpp"
#include "engine/sc/encoding.hpp"
#include "engine/sc/pooling.hpp"
#include "engine/sc/shared_sequence.hpp"
#include "engine/sc/sng.hpp"

using namespace scnn::sc;

namespace {
SngConfig gen(SngKind kind, unsigned width, unsigned dim, std::uint32_t seed = 1) {
    SngConfig c;
    c.kind = kind;
    c.width = width;
    c.dimension = dim;
    c.seed = seed;
    return c;
}
double uniform01(boost::random::mt19937_64& eng) { return static_cast<double>(eng() >> 11) * 0x1.0p-53; }
}  // namespace

TEST_CASE("MUX select: each input chosen floor/ceil(M/n) times per select period", "[sc][adders]") {
    for (std::uint32_t n : {2u, 3u, 4u, 5u, 9u}) {
        const auto s = mux_select_sequence(gen(SngKind::sobol, 8, 3), n, 256);
        std::vector<int> hits(n, 0);
        for (std::uint32_t v : s) ++hits[v];
        for (int h : hits) {
            CHECK(h >= static_cast<int>(256 / n));
            CHECK(h <= static_cast<int>((256 + n - 1) / n));
        }
    }
    CHECK_THROWS_AS(mux_select_sequence(gen(SngKind::ramp, 3, 1), 9, 10), scnn::Error);
    CHECK_THROWS_AS(mux_select_sequence(gen(SngKind::ramp, 3, 1), 0, 10), scnn::Error);
}

TEST_CASE("MUX adder: packed and dynamic_bitset forms agree and the output bit is the selected input", "[sc][adders]") {
    std::vector<PackedStream> p;
    std::vector<Bitstream> b;
    for (unsigned i = 0; i < 3; ++i) {
        p.push_back(generate_packed(gen(SngKind::sobol, 8, i + 1), 40 + 60 * i, 300));
        b.push_back(to_bitstream(p.back()));
    }
    const SngConfig sel = gen(SngKind::lfsr_galois, 8, 1, 77);
    const PackedStream out = mux_add(p, sel);
    CHECK(to_bitstream(out) == mux_add(b, sel));
    const auto s = mux_select_sequence(sel, 3, 300);
    for (std::size_t t = 0; t < 300; ++t) REQUIRE(out.bit(t) == p[s[t]].bit(t));
    CHECK(avg_pool(p, sel) == out);
}

TEST_CASE("MUX adder with random streams: MSE equals the Bernoulli variance m(1-m)/L", "[sc][adders]") {
    const std::size_t L = 256, n = 4, sets = 20000;
    std::vector<Sng> in;
    for (unsigned i = 0; i < n; ++i) in.emplace_back(gen(SngKind::random, 8, 1, 100 + i));
    Sng sel(gen(SngKind::random, 8, 1, 999));
    boost::random::mt19937_64 eng(8);
    std::vector<PackedStream> s(n, PackedStream(L));
    std::vector<std::uint32_t> r(L);
    double s2 = 0, s4 = 0, expected = 0;
    for (std::size_t k = 0; k < sets; ++k) {
        double mean = 0;
        for (unsigned i = 0; i < n; ++i) {
            const std::uint64_t t = quantize_probability(uniform01(eng), 256);
            mean += static_cast<double>(t) / 256 / n;
            in[i].fill_packed(t, L, s[i].words);
        }
        sel.generate(r);
        for (auto& v : r) v = mux_select(v, n, 256);
        const double e = static_cast<double>(mux_add(s, std::span<const std::uint32_t>(r)).count()) / L - mean;
        s2 += e * e;
        s4 += e * e * e * e;
        expected += mean * (1 - mean) / L;
    }
    const double mse = s2 / sets, exp_mse = expected / sets;
    const double se = std::sqrt((s4 / sets - mse * mse) / (sets - 1));
    INFO("mse " << mse << " expected " << exp_mse << " se " << se);
    CHECK(std::fabs(mse - exp_mse) <= 4 * se);
}

TEST_CASE("MUX adder with Sobol inputs and select: within the documented low-discrepancy bound", "[sc][adders]") {
    // 4 inputs on Sobol dimensions 1..4, select on dimension 5, width 10, L = 1024.
    const std::size_t L = 1024, n = 4, sets = 5000;
    std::vector<SharedSequence> in;
    for (unsigned i = 0; i < n; ++i) in.emplace_back(gen(SngKind::sobol, 10, i + 1), L);
    const auto sel = mux_select_sequence(gen(SngKind::sobol, 10, 5), n, L);
    boost::random::mt19937_64 eng(9);
    std::vector<PackedStream> s(n, PackedStream(L));
    double s2 = 0, worst = 0;
    for (std::size_t k = 0; k < sets; ++k) {
        double mean = 0;
        for (unsigned i = 0; i < n; ++i) {
            const std::uint64_t t = quantize_probability(uniform01(eng), 1024);
            mean += static_cast<double>(t) / 1024 / n;
            in[i].fill(t, s[i].words);
        }
        const double e = static_cast<double>(mux_add(s, std::span<const std::uint32_t>(sel)).count()) / L - mean;
        s2 += e * e;
        worst = std::max(worst, std::fabs(e));
    }
    INFO("mse " << s2 / sets << " worst " << worst);
    CHECK(s2 / sets <= 5e-6);  // measured 2.2e-6; random streams would give ~2.2e-4 (m(1-m)/L)
    CHECK(worst <= 0.01);
}

TEST_CASE("APC counts ones per cycle exactly", "[sc][adders]") {
    std::vector<PackedStream> p;
    std::vector<Bitstream> b;
    for (unsigned i = 0; i < 5; ++i) {
        p.push_back(generate_packed(gen(SngKind::lfsr_fibonacci, 9, 1, 3 + 50 * i), 100 * i + 7, 777));
        b.push_back(to_bitstream(p.back()));
    }
    const auto c = apc_counts(p);
    CHECK(c == apc_counts(b));
    std::uint64_t total = 0;
    for (std::size_t t = 0; t < 777; ++t) {
        std::uint32_t expect = 0;
        for (const auto& s : p) expect += s.bit(t);
        REQUIRE(c[t] == expect);
        total += expect;
    }
    CHECK(apc_total(p) == total);
    CHECK(decode_apc(total, 5, 777, Encoding::unipolar) == Approx(static_cast<double>(total) / 777));
    CHECK(decode_apc(777 * 5, 5, 777, Encoding::bipolar) == 5.0);
    CHECK(decode_apc(0, 5, 777, Encoding::bipolar) == -5.0);
}

TEST_CASE("saturating up/down counter", "[sc][adders]") {
    SaturatingCounter c(-3, 4, 0);
    for (int i = 0; i < 10; ++i) c.step(true);
    CHECK(c.value() == 4);
    for (int i = 0; i < 10; ++i) c.step(false);
    CHECK(c.value() == -3);
    c.add(5);
    CHECK(c.value() == 2);
    c.reset();
    CHECK(c.value() == 0);
    CHECK_THROWS_AS(SaturatingCounter(3, 2, 2), scnn::Error);
    CHECK_THROWS_AS(SaturatingCounter(0, 2, 5), scnn::Error);
}
