// LFSRs: maximal period for every tabled width up to 20, state set, seeds, output mapping.
#include <catch2/catch.hpp>

#include <vector>

#include "engine/ir/error.hpp"
#include "engine/sc/lfsr.hpp"
#include "engine/sc/sng.hpp"

using namespace scnn::sc;

TEST_CASE("LFSR period is 2^n - 1 for every tabled width 3..20 (Fibonacci and Galois)", "[sc][lfsr]") {
    for (unsigned w = 3; w <= 20; ++w) {
        const std::uint64_t full = (std::uint64_t{1} << w) - 1;
        INFO("width " << w);
        CHECK(lfsr_period(LfsrForm::fibonacci, w, lfsr_default_poly(w), 1, full + 1) == full);
        CHECK(lfsr_period(LfsrForm::galois, w, lfsr_default_poly(w), 1, full + 1) == full);
    }
}

TEST_CASE("LFSR visits every non-zero state once per period, from any seed", "[sc][lfsr]") {
    for (unsigned w : {3u, 8u, 12u}) {
        const std::uint32_t full = (1u << w) - 1;
        for (std::uint32_t seed : {1u, 2u, full / 2, full}) {
            LfsrFibonacci f(w, lfsr_default_poly(w), seed);
            LfsrGalois g(w, lfsr_default_poly(w), seed);
            std::vector<int> seen_f(full + 1, 0), seen_g(full + 1, 0);
            for (std::uint32_t i = 0; i < full; ++i) {
                ++seen_f[f.state()];
                ++seen_g[g.state()];
                f.step();
                g.step();
            }
            CHECK(seen_f[0] == 0);
            CHECK(seen_g[0] == 0);
            for (std::uint32_t s = 1; s <= full; ++s) {
                REQUIRE(seen_f[s] == 1);
                REQUIRE(seen_g[s] == 1);
            }
            CHECK(f.state() == seed);
            CHECK(g.state() == seed);
        }
    }
}

TEST_CASE("LFSR step rules are the documented integer formulas", "[sc][lfsr]") {
    // Width 4, taps (4, 3): poly = 0b1100.
    const std::uint32_t poly = lfsr_default_poly(4);
    REQUIRE(poly == 0xC);
    LfsrFibonacci f(4, poly, 0b0001);
    f.step();  // f = parity(0001 & 1100) = 0 -> 0010
    CHECK(f.state() == 0b0010);
    LfsrFibonacci f2(4, poly, 0b0100);
    f2.step();  // f = parity(0100 & 1100) = 1 -> (1000 | 1) = 1001
    CHECK(f2.state() == 0b1001);
    LfsrGalois g(4, poly, 0b0001);
    g.step();  // lsb 1: (0001 >> 1) ^ 1100 = 1100
    CHECK(g.state() == 0b1100);
    g.step();  // lsb 0: 0110
    CHECK(g.state() == 0b0110);
}

TEST_CASE("LFSR SNG: r = s - 1, so T = 0 and T = 2^n give exact all-zero / all-one streams", "[sc][lfsr]") {
    for (auto kind : {SngKind::lfsr_fibonacci, SngKind::lfsr_galois}) {
        SngConfig c;
        c.kind = kind;
        c.width = 6;
        c.seed = 5;
        Sng sng(c);
        CHECK(sng.range() == 64);
        std::vector<int> seen(64, 0);
        for (int t = 0; t < 63; ++t) ++seen[sng.next()];
        for (int r = 0; r < 63; ++r) CHECK(seen[r] == 1);
        CHECK(seen[63] == 0);
        CHECK(generate_packed(c, 0, 500).count() == 0);
        CHECK(generate_packed(c, 64, 500).count() == 500);
        // Over one period, threshold T gives exactly T ones for T ≤ 63.
        for (std::uint64_t T : {1u, 17u, 32u, 63u}) CHECK(generate_packed(c, T, 63).count() == T);
    }
}

TEST_CASE("LFSR configuration is validated", "[sc][lfsr]") {
    SngConfig c;
    c.width = 8;
    c.seed = 0;
    CHECK_THROWS_AS(Sng(c), scnn::Error);
    c.seed = 256;
    CHECK_THROWS_AS(Sng(c), scnn::Error);
    c.seed = 255;
    CHECK_NOTHROW(Sng(c));
    c.poly = 0x1F;  // bit 7 (tap 8) missing
    CHECK_THROWS_AS(Sng(c), scnn::Error);
    c.poly = 0x1B8;  // bit above width
    CHECK_THROWS_AS(Sng(c), scnn::Error);
    c.poly = 0;
    c.width = 2;
    CHECK_THROWS_AS(Sng(c), scnn::Error);
    c.width = 33;
    CHECK_THROWS_AS(Sng(c), scnn::Error);
    CHECK_THROWS_AS(lfsr_default_poly(40), scnn::Error);
}
