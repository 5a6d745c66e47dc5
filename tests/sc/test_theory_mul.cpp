// Multiplication against theory: low-discrepancy accuracy bounds, binomial variance of true-random
// streams, the correlated (shared-generator) case, and exact ends.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include <boost/random/mersenne_twister.hpp>

#include "engine/sc/correlation.hpp"
#include "engine/sc/encoding.hpp"
#include "engine/sc/gates.hpp"
#include "engine/sc/shared_sequence.hpp"
#include "engine/sc/sng.hpp"
#include "engine/sc/theory.hpp"

using namespace scnn::sc;

namespace {
SngConfig sobol(unsigned width, unsigned dim) {
    SngConfig c;
    c.kind = SngKind::sobol;
    c.width = width;
    c.dimension = dim;
    return c;
}
double uniform01(boost::random::mt19937_64& eng) { return static_cast<double>(eng() >> 11) * 0x1.0p-53; }

// MSE of unipolar AND multiply with the given generators over `pairs` random quantized operand pairs.
double and_mse(const SngConfig& ca, const SngConfig& cb, std::size_t length, std::size_t pairs) {
    const SharedSequence a(ca, length), b(cb, length);
    boost::random::mt19937_64 eng(2024);
    PackedStream sa(length), sb(length);
    double sum = 0.0;
    for (std::size_t i = 0; i < pairs; ++i) {
        const std::uint64_t ta = quantize_probability(uniform01(eng), a.range());
        const std::uint64_t tb = quantize_probability(uniform01(eng), b.range());
        a.fill(ta, sa.words);
        b.fill(tb, sb.words);
        const double exact = (static_cast<double>(ta) / a.range()) * (static_cast<double>(tb) / b.range());
        const double e = static_cast<double>(and_count(sa, sb)) / length - exact;
        sum += e * e;
    }
    return sum / pairs;
}
}  // namespace

TEST_CASE("AND multiply with Sobol dimensions 1 and 2 reaches the low-discrepancy bound", "[sc][theory]") {
    const double mse256 = and_mse(sobol(8, 1), sobol(8, 2), 256, 100000);
    const double mse1024 = and_mse(sobol(10, 1), sobol(10, 2), 1024, 100000);
    INFO("mse L=256 " << mse256 << ", L=1024 " << mse1024);
    CHECK(mse256 <= 6e-6);
    CHECK(mse1024 <= 5e-7);
    // No pair can beat the output rounding floor 1/(12 L^2) by much.
    CHECK(mse256 >= 0.5 * theory::rounding_floor(256));
    CHECK(mse1024 >= 0.5 * theory::rounding_floor(1024));
}

TEST_CASE("true-random multiply: MSE equals the binomial variance within a confidence bound", "[sc][theory]") {
    const std::size_t L = 256, pairs = 40000;
    for (Encoding enc : {Encoding::unipolar, Encoding::bipolar}) {
        SngConfig ca, cb;
        ca.kind = cb.kind = SngKind::random;
        ca.width = cb.width = 8;
        ca.seed = 17;
        cb.seed = 99;
        Sng a(ca), b(cb);  // free-running: every pair sees fresh random bits
        boost::random::mt19937_64 eng(5);
        PackedStream sa(L), sb(L);
        double s1 = 0, s2 = 0, s4 = 0, theory_sum = 0;
        for (std::size_t i = 0; i < pairs; ++i) {
            const double lo = enc == Encoding::unipolar ? 0.0 : -1.0;
            const std::uint64_t ta = quantize(lo + (1 - lo) * uniform01(eng), enc, 256);
            const std::uint64_t tb = quantize(lo + (1 - lo) * uniform01(eng), enc, 256);
            const double va = threshold_value(ta, 256, enc), vb = threshold_value(tb, 256, enc);
            a.fill_packed(ta, L, sa.words);
            b.fill_packed(tb, L, sb.words);
            const std::uint64_t ones = enc == Encoding::unipolar ? and_count(sa, sb) : xnor_count(sa, sb);
            const double e = decode(ones, L, enc) - va * vb;
            s1 += e;
            s2 += e * e;
            s4 += e * e * e * e;
            theory_sum += enc == Encoding::unipolar ? theory::and_variance(va, vb, L) : theory::xnor_variance(va, vb, L);
        }
        const double n = static_cast<double>(pairs);
        const double mse = s2 / n, expected = theory_sum / n;
        const double se_mse = std::sqrt((s4 / n - mse * mse) / (n - 1));
        INFO(encoding_name(enc) << ": mse " << mse << " expected " << expected << " se " << se_mse);
        CHECK(std::fabs(mse - expected) <= 4.0 * se_mse);
        CHECK(std::fabs(s1 / n) <= 4.0 * std::sqrt(mse / n));  // unbiased
        if (enc == Encoding::unipolar) CHECK(expected == Approx(5.0 / (36.0 * L)).epsilon(0.03));
    }
}

TEST_CASE("same generator on both operands: SCC = +1, AND = min, OR = max, XOR = |a - b|", "[sc][theory]") {
    for (SngKind kind : {SngKind::lfsr_fibonacci, SngKind::lfsr_galois, SngKind::sobol, SngKind::halton,
                         SngKind::ramp, SngKind::random}) {
        SngConfig c;
        c.kind = kind;
        c.width = 8;
        const SharedSequence shared(c, 300);
        boost::random::mt19937_64 eng(3);
        for (int i = 0; i < 200; ++i) {
            const std::uint64_t ta = 1 + eng() % (shared.range() - 1), tb = 1 + eng() % (shared.range() - 1);
            const PackedStream a = shared.stream(ta), b = shared.stream(tb);
            const std::uint64_t oa = a.count(), ob = b.count();
            if (oa == 0 || ob == 0 || oa == 300 || ob == 300) continue;  // SCC undefined for constants
            INFO(sng_kind_name(kind) << " ta " << ta << " tb " << tb);
            REQUIRE(scc(a, b) == 1.0);
            REQUIRE(and_count(a, b) == std::min(oa, ob));
            REQUIRE(or_count(a, b) == std::max(oa, ob));
            REQUIRE(gate_xor(a, b).count() == (oa > ob ? oa - ob : ob - oa));
        }
    }
}

TEST_CASE("probabilities 0 and 1 are exact through every generator and gate", "[sc][theory]") {
    for (SngKind kind : {SngKind::lfsr_fibonacci, SngKind::lfsr_galois, SngKind::sobol, SngKind::halton,
                         SngKind::ramp, SngKind::random}) {
        SngConfig c;
        c.kind = kind;
        c.width = 9;
        c.dimension = 2;
        const std::uint64_t m = Sng(c).range();
        for (std::size_t L : {1u, 100u, 1000u}) {
            const PackedStream zero = generate_packed(c, quantize(0.0, Encoding::unipolar, m), L);
            const PackedStream one = generate_packed(c, quantize(1.0, Encoding::unipolar, m), L);
            const PackedStream any = generate_packed(c, m / 3, L);
            CHECK(decode(zero, Encoding::unipolar) == 0.0);
            CHECK(decode(one, Encoding::unipolar) == 1.0);
            CHECK(decode(zero, Encoding::bipolar) == -1.0);
            CHECK(decode(one, Encoding::bipolar) == 1.0);
            CHECK(gate_and(any, zero).count() == 0);
            CHECK(gate_and(any, one) == any);
            CHECK(gate_or(any, one) == one);
            CHECK(gate_xnor(any, one) == any);             // x * 1 = x (bipolar)
            CHECK(gate_xnor(any, zero) == gate_not(any));  // x * -1 = -x
        }
    }
}
