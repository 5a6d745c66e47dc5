// Sobol, Halton, ramp and random generators against their definitions and independent references.
#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include <boost/random/sobol.hpp>

#include "engine/ir/error.hpp"
#include "engine/sc/halton.hpp"
#include "engine/sc/sng.hpp"
#include "engine/sc/sobol.hpp"

using namespace scnn::sc;

namespace {
std::uint32_t bit_reverse(std::uint32_t x, unsigned width) {
    std::uint32_t r = 0;
    for (unsigned i = 0; i < width; ++i) r |= ((x >> i) & 1u) << (width - 1 - i);
    return r;
}
SngConfig make(SngKind kind, unsigned width, unsigned dimension = 1) {
    SngConfig c;
    c.kind = kind;
    c.width = width;
    c.dimension = dimension;
    return c;
}
}  // namespace

TEST_CASE("Sobol dimension 1 is the bit-reversed counter (van der Corput base 2)", "[sc][sobol]") {
    for (unsigned w : {3u, 8u, 11u}) {
        Sng s(make(SngKind::sobol, w));
        for (std::uint32_t t = 0; t < 3u * (1u << w); ++t) REQUIRE(s.next() == bit_reverse(t & ((1u << w) - 1), w));
    }
}

TEST_CASE("Sobol matches boost::random::sobol (Joe-Kuo) in all 32 dimensions", "[sc][sobol]") {
    // Boost enumerates points in Gray-code order and skips point 0: its k-th point is our r(gray(k + 1)).
    constexpr unsigned w = 16;
    boost::random::sobol_engine<std::uint32_t, w> boost_sobol(kSobolDimensions);
    std::vector<std::array<std::uint32_t, 32>> dirs;
    for (unsigned d = 1; d <= kSobolDimensions; ++d) dirs.push_back(sobol_direction_integers(d, w));
    for (std::uint64_t k = 0; k < 5000; ++k) {
        const std::uint64_t g = (k + 1) ^ ((k + 1) >> 1);
        for (unsigned d = 0; d < kSobolDimensions; ++d) {
            INFO("point " << k << " dimension " << d + 1);
            REQUIRE(boost_sobol() == sobol_value(dirs[d], w, g));
        }
    }
}

TEST_CASE("Sobol: every block of 2^n cycles is a permutation and the incremental step equals the closed form",
          "[sc][sobol]") {
    for (unsigned w : {4u, 10u}) {
        for (unsigned d = 1; d <= kSobolDimensions; ++d) {
            const auto dirs = sobol_direction_integers(d, w);
            Sng s(make(SngKind::sobol, w, d));
            std::vector<int> seen(1u << w, 0);
            for (std::uint32_t t = 0; t < 2u * (1u << w); ++t) {
                const std::uint32_t r = s.next();
                REQUIRE(r == sobol_value(dirs, w, t));
                if (t < (1u << w)) ++seen[r];
            }
            for (int c : seen) REQUIRE(c == 1);
        }
    }
    CHECK_THROWS_AS(Sng(make(SngKind::sobol, 8, 33)), scnn::Error);
    CHECK_THROWS_AS(Sng(make(SngKind::sobol, 8, 0)), scnn::Error);
}

TEST_CASE("Halton: digit-reversed counter in base b, range b^k, base 2 = Sobol dimension 1", "[sc][halton]") {
    CHECK(halton_base(1) == 2);
    CHECK(halton_base(2) == 3);
    CHECK(halton_base(16) == 53);
    CHECK(halton_range(3, 8) == 243);
    CHECK(halton_range(5, 8) == 125);
    CHECK(halton_range(2, 32) == (std::uint64_t{1} << 32));
    {
        Sng h(make(SngKind::halton, 9, 1)), s(make(SngKind::sobol, 9, 1));
        for (int t = 0; t < 2000; ++t) REQUIRE(h.next() == s.next());
    }
    for (unsigned d : {2u, 3u, 7u}) {
        const unsigned b = halton_base(d);
        Sng h(make(SngKind::halton, 10, d));
        const unsigned k = halton_digits(b, 10);
        REQUIRE(h.range() == halton_range(b, 10));
        for (std::uint64_t t = 0; t < 3 * h.range(); ++t) {
            std::uint64_t x = t % h.range(), r = 0;
            for (unsigned i = 0; i < k; ++i, x /= b) r = r * b + x % b;  // reverse the k digits
            REQUIRE(h.next() == r);
        }
    }
    SngConfig rotated = make(SngKind::halton, 8, 2);
    rotated.rotate = 1;
    CHECK_THROWS_AS(Sng(rotated), scnn::Error);
    CHECK_THROWS_AS(Sng(make(SngKind::halton, 8, 17)), scnn::Error);
    CHECK_THROWS_AS(Sng(make(SngKind::halton, 3, 5)), scnn::Error);  // base 11 > 2^3
}

TEST_CASE("ramp is a counter: threshold T gives T ones then zeros (unary)", "[sc][ramp]") {
    const SngConfig c = make(SngKind::ramp, 8);
    const Bitstream b = generate_bitstream(c, 100, 256);
    for (std::size_t t = 0; t < 256; ++t) REQUIRE(b[t] == (t < 100));
}

TEST_CASE("random SNG is mt19937, top n bits, reproducible from its seed", "[sc][random]") {
    SngConfig c = make(SngKind::random, 12);
    c.seed = 4242;
    std::mt19937 ref(4242);
    Sng s(c);
    for (int t = 0; t < 1000; ++t) REQUIRE(s.next() == (static_cast<std::uint32_t>(ref()) >> 20));
    CHECK(generate_packed(c, 1234, 999) == generate_packed(c, 1234, 999));
    SngConfig c2 = c;
    c2.seed = 4243;
    CHECK(generate_packed(c, 2048, 999) != generate_packed(c2, 2048, 999));
}

TEST_CASE("offset shifts time and rotate rotates the n-bit output, for every kind", "[sc][sng]") {
    for (SngKind kind : {SngKind::lfsr_fibonacci, SngKind::lfsr_galois, SngKind::sobol, SngKind::halton,
                         SngKind::ramp, SngKind::random}) {
        SngConfig base = make(kind, 7, 2);
        base.seed = 9;
        SngConfig shifted = base;
        shifted.offset = 37;
        Sng a(base), b(shifted);
        for (int i = 0; i < 37; ++i) a.step();
        for (int t = 0; t < 500; ++t) REQUIRE(a.next() == b.next());
        if (kind == SngKind::halton) continue;
        SngConfig rot = base;
        rot.rotate = 3;
        Sng plain(base), r(rot);
        const std::uint32_t sub = (kind == SngKind::lfsr_fibonacci || kind == SngKind::lfsr_galois) ? 1u : 0u;
        for (int t = 0; t < 500; ++t) REQUIRE(r.next() == rotl_width(plain.next() + sub, 3, 7) - sub);
    }
}

TEST_CASE("reset returns to cycle 0 and names round-trip and bad configs throw", "[sc][sng]") {
    Sng s(make(SngKind::sobol, 8, 3));
    std::vector<std::uint32_t> first(100), again(100);
    s.generate(first);
    CHECK(s.cycle() == 100);
    s.reset();
    CHECK(s.cycle() == 0);
    s.generate(again);
    CHECK(first == again);
    for (SngKind k : {SngKind::lfsr_fibonacci, SngKind::lfsr_galois, SngKind::sobol, SngKind::halton, SngKind::ramp,
                      SngKind::random})
        CHECK(parse_sng_kind(sng_kind_name(k)) == k);
    CHECK_THROWS_AS(parse_sng_kind("mersenne"), scnn::Error);
    SngConfig c = make(SngKind::ramp, 8);
    c.rotate = 8;
    CHECK_THROWS_AS(Sng(c), scnn::Error);
    c.rotate = 0;
    c.offset = (std::uint64_t{1} << 32) + 1;
    CHECK_THROWS_AS(Sng(c), scnn::Error);
    CHECK(describe(make(SngKind::sobol, 8, 2)) == "sobol(width=8, dimension=2)");
}
