// Fixed-point helpers: corner cases pinned with hand-derived values, random cases against exact
// 128-bit arithmetic.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

#include "engine/int8/fixed_point.hpp"
#include "engine/ir/error.hpp"

using namespace scnn::int8;

namespace {

constexpr std::int32_t kMin = std::numeric_limits<std::int32_t>::min();
constexpr std::int32_t kMax = std::numeric_limits<std::int32_t>::max();
constexpr std::int32_t k2p30 = std::int32_t{1} << 30;

using i128 = __int128;

/// floor(n / 2^e) for any sign (arithmetic shift of a 128-bit value).
i128 floor_div_pot(i128 n, int e) { return n >> e; }

/// n / 2^e rounded to nearest, ties away from zero, exactly.
i128 round_div_pot(i128 n, int e) {
    if (e == 0) return n;
    const i128 half = i128{1} << (e - 1);
    return n >= 0 ? (n + half) >> e : -((-n + half) >> e);
}

}  // namespace

TEST_CASE("rounding_divide_by_pot rounds to nearest with ties away from zero", "[int8][fixed_point]") {
    CHECK(rounding_divide_by_pot(-5, 1) == -3);  // -2.5
    CHECK(rounding_divide_by_pot(5, 1) == 3);    //  2.5
    CHECK(rounding_divide_by_pot(-4, 1) == -2);
    CHECK(rounding_divide_by_pot(4, 1) == 2);
    CHECK(rounding_divide_by_pot(-3, 1) == -2);  // -1.5
    CHECK(rounding_divide_by_pot(3, 1) == 2);    //  1.5
    CHECK(rounding_divide_by_pot(-1, 1) == -1);  // -0.5
    CHECK(rounding_divide_by_pot(1, 1) == 1);    //  0.5
    CHECK(rounding_divide_by_pot(-5, 2) == -1);  // -1.25
    CHECK(rounding_divide_by_pot(-7, 2) == -2);  // -1.75
    CHECK(rounding_divide_by_pot(-6, 2) == -2);  // -1.5
    CHECK(rounding_divide_by_pot(6, 2) == 2);    //  1.5
    CHECK(rounding_divide_by_pot(0, 5) == 0);
    CHECK(rounding_divide_by_pot(12345, 0) == 12345);
    CHECK(rounding_divide_by_pot(kMin, 0) == kMin);
    CHECK(rounding_divide_by_pot(kMin, 31) == -1);       // exactly -1
    CHECK(rounding_divide_by_pot(kMax, 31) == 1);        // 0.99999...
    CHECK(rounding_divide_by_pot(k2p30, 31) == 1);       // 0.5
    CHECK(rounding_divide_by_pot(-k2p30, 31) == -1);     // -0.5
    CHECK(rounding_divide_by_pot(k2p30 - 1, 31) == 0);   // just under 0.5
    CHECK(rounding_divide_by_pot(-k2p30 + 1, 31) == 0);  // just above -0.5
    CHECK(rounding_divide_by_pot(kMin, 30) == -2);
    CHECK(rounding_divide_by_pot(kMax, 1) == k2p30);  // 1073741823.5 -> 1073741824
    CHECK_THROWS_AS(rounding_divide_by_pot(1, 32), scnn::Error);
    CHECK_THROWS_AS(rounding_divide_by_pot(1, -1), scnn::Error);

    std::mt19937 rng(7);
    std::uniform_int_distribution<std::int32_t> x(kMin, kMax);
    std::uniform_int_distribution<int> e(0, 31);
    for (int i = 0; i < 5000; ++i) {
        const std::int32_t v = x(rng);
        const int ex = e(rng);
        REQUIRE(rounding_divide_by_pot(v, ex) == std::int32_t(round_div_pot(v, ex)));
    }
}

TEST_CASE("saturating_rounding_doubling_high_mul matches gemmlowp", "[int8][fixed_point]") {
    CHECK(saturating_rounding_doubling_high_mul(kMin, kMin) == kMax);  // the one overflow
    CHECK(saturating_rounding_doubling_high_mul(kMin, kMax) == -kMax);
    CHECK(saturating_rounding_doubling_high_mul(kMax, kMax) == kMax - 1);  // (2^31-1)^2 / 2^31 = 2^31 - 2 + 2^-31
    CHECK(saturating_rounding_doubling_high_mul(k2p30, k2p30) == (std::int32_t{1} << 29));
    CHECK(saturating_rounding_doubling_high_mul(kMin, k2p30) == -k2p30);
    CHECK(saturating_rounding_doubling_high_mul(100, k2p30) == 50);  // * 0.5
    CHECK(saturating_rounding_doubling_high_mul(0, kMax) == 0);
    // Ties: the nudge 2^30 (or 1 - 2^30 for a negative product) with truncation rounds ties toward +inf.
    CHECK(saturating_rounding_doubling_high_mul(1, k2p30) == 1);    //  0.5
    CHECK(saturating_rounding_doubling_high_mul(-1, k2p30) == 0);   // -0.5
    CHECK(saturating_rounding_doubling_high_mul(3, k2p30) == 2);    //  1.5
    CHECK(saturating_rounding_doubling_high_mul(-3, k2p30) == -1);  // -1.5
    CHECK(saturating_rounding_doubling_high_mul(-5, k2p30) == -2);  // -2.5
    // 1610612736 = 0.75 * 2^31: 7 * 0.75 = 5.25 -> 5, -7 * 0.75 = -5.25 -> -5
    CHECK(saturating_rounding_doubling_high_mul(7, 1610612736) == 5);
    CHECK(saturating_rounding_doubling_high_mul(-7, 1610612736) == -5);

    std::mt19937 rng(11);
    std::uniform_int_distribution<std::int32_t> x(kMin, kMax);
    for (int i = 0; i < 5000; ++i) {
        const std::int32_t a = x(rng), b = x(rng);
        if (a == kMin && b == kMin) continue;
        const i128 expected = floor_div_pot(i128{a} * b + (i128{1} << 30), 31);  // round half up
        REQUIRE(saturating_rounding_doubling_high_mul(a, b) == std::int32_t(expected));
    }
}

TEST_CASE("quantize_multiplier splits a real multiplier like TFLite", "[int8][fixed_point]") {
    std::int32_t m = -1;
    int s = -99;
    const auto q = [&](double v) {
        quantize_multiplier(v, &m, &s);
        return std::pair{m, s};
    };
    CHECK(q(0.0) == std::pair{0, 0});
    CHECK(q(0.5) == std::pair{k2p30, 0});
    CHECK(q(1.0) == std::pair{k2p30, 1});
    CHECK(q(0.75) == std::pair{1610612736, 0});
    CHECK(q(0.25) == std::pair{k2p30, -1});
    CHECK(q(3.0) == std::pair{1610612736, 2});
    CHECK(q(1e-12) == std::pair{0, 0});                              // ~2^-39.9: flushed to zero
    CHECK(q(std::ldexp(1.0, -32)) == std::pair{k2p30, -31});         // smallest exponent kept
    CHECK(q(std::ldexp(1.0, -33)) == std::pair{0, 0});               // shift -32: flushed
    CHECK(q(std::ldexp(1.0, 29)) == std::pair{k2p30, 30});           // largest exponent kept
    CHECK(q(std::ldexp(1.0, 30)) == std::pair{kMax, 30});            // saturated
    CHECK(q(1.0 - std::ldexp(1.0, -40)) == std::pair{k2p30, 1});     // mantissa rounds up to 2^31
    CHECK(q(0.5 - std::ldexp(1.0, -40)) == std::pair{k2p30, 0});     // same, one octave lower
    CHECK(q(1.0 - std::ldexp(1.0, -30)) == std::pair{kMax - 1, 0});  // (2^31 - 2) * 2^-31: no round-up
    CHECK(q(1.0 - std::ldexp(1.0, -32)) == std::pair{k2p30, 1});     // 2^31 - 0.5 rounds (away) up to 2^31
    CHECK_THROWS_AS(q(-0.5), scnn::Error);
    CHECK_THROWS_AS(q(std::nan("")), scnn::Error);
    CHECK_THROWS_AS(q(INFINITY), scnn::Error);

    std::mt19937 rng(3);
    std::uniform_real_distribution<double> log2m(-30.0, 29.0);
    for (int i = 0; i < 2000; ++i) {
        const double v = std::exp2(log2m(rng));
        quantize_multiplier(v, &m, &s);
        REQUIRE(m >= k2p30);
        REQUIRE(s >= -31);
        REQUIRE(s <= 30);
        const double back = std::ldexp(double(m), s - 31);
        REQUIRE(std::fabs(back - v) <= std::ldexp(v, -31));  // half an ulp of a Q0.31 mantissa in [0.5, 1)
    }
}

TEST_CASE("multiply_by_quantized_multiplier is within 1 of the exact product", "[int8][fixed_point]") {
    CHECK(multiply_by_quantized_multiplier(100, k2p30, 0) == 50);          // * 0.5
    CHECK(multiply_by_quantized_multiplier(-7, k2p30, 1) == -7);           // * 1.0 exact
    CHECK(multiply_by_quantized_multiplier(-5, k2p30, 0) == -2);           // -2.5: the high-mul tie goes up
    CHECK(multiply_by_quantized_multiplier(-5, k2p30, -1) == -1);          // -1.25
    CHECK(multiply_by_quantized_multiplier(-6, k2p30, -1) == -2);          // -1.5: -3 then -3/2 away from zero
    CHECK(multiply_by_quantized_multiplier(1000, 1610612736, 2) == 3000);  // * 3.0
    CHECK(multiply_by_quantized_multiplier(12345, 0, 0) == 0);
    // x * 2^30 overflows: the shifted value saturates to INT32_MAX/MIN before the * 0.5 high-mul
    CHECK(multiply_by_quantized_multiplier(kMax, k2p30, 30) == k2p30);
    CHECK(multiply_by_quantized_multiplier(kMin, k2p30, 30) == -k2p30);
    CHECK(multiply_by_quantized_multiplier(kMax, kMax, -31) == 1);  // ~0.99999... rounds to 1
    CHECK_THROWS_AS(multiply_by_quantized_multiplier(1, k2p30, 31), scnn::Error);
    CHECK_THROWS_AS(multiply_by_quantized_multiplier(1, k2p30, -32), scnn::Error);

    std::mt19937 rng(5);
    std::uniform_real_distribution<double> log2m(-31.0, 12.0);
    std::uniform_int_distribution<std::int32_t> x(kMin, kMax);
    int exact = 0;
    const int n = 10000;
    for (int i = 0; i < n; ++i) {
        std::int32_t mult = 0;
        int shift = 0;
        quantize_multiplier(std::exp2(log2m(rng)), &mult, &shift);
        std::int32_t v = x(rng);
        if (shift > 0) v >>= shift;  // keep x * 2^shift inside int32 (no saturation)
        // exact x * mult * 2^(shift - 31), rounded once
        const i128 want = round_div_pot(i128{v} * mult, 31 - shift);
        if (want > kMax || want < kMin) continue;
        const std::int32_t got = multiply_by_quantized_multiplier(v, mult, shift);
        REQUIRE(i128{got} - want <= 1);
        REQUIRE(want - i128{got} <= 1);
        exact += got == want;
    }
    CHECK(exact > n * 9 / 10);  // double rounding only rarely differs from single rounding
}
