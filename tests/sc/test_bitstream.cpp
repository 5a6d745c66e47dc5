// Bitstream forms, gates and encodings: packed form bit-exact with dynamic_bitset, ends exact.
#include <catch2/catch.hpp>

#include <cmath>

#include <boost/random/mersenne_twister.hpp>

#include "engine/ir/error.hpp"
#include "engine/sc/bitstream.hpp"
#include "engine/sc/encoding.hpp"
#include "engine/sc/gates.hpp"

using namespace scnn::sc;

namespace {
Bitstream random_bits(std::size_t n, boost::random::mt19937& eng) {
    Bitstream b(n);
    for (std::size_t i = 0; i < n; ++i) b[i] = (eng() & 1u) != 0;
    return b;
}
}  // namespace

TEST_CASE("packed form and dynamic_bitset form are bit-exact", "[sc][bitstream]") {
    boost::random::mt19937 eng(7);
    for (std::size_t n : {0u, 1u, 63u, 64u, 65u, 127u, 128u, 1000u}) {
        const Bitstream a = random_bits(n, eng), b = random_bits(n, eng);
        const PackedStream pa = to_packed(a), pb = to_packed(b);
        REQUIRE(pa.length == n);
        REQUIRE(pa.words.size() == words_for(n));
        for (std::size_t t = 0; t < n; ++t) REQUIRE(pa.bit(t) == a[t]);
        REQUIRE(to_bitstream(pa) == a);
        REQUIRE(pa.count() == a.count());
        CHECK(to_bitstream(gate_and(pa, pb)) == gate_and(a, b));
        CHECK(to_bitstream(gate_or(pa, pb)) == gate_or(a, b));
        CHECK(to_bitstream(gate_xor(pa, pb)) == gate_xor(a, b));
        CHECK(to_bitstream(gate_xnor(pa, pb)) == gate_xnor(a, b));
        CHECK(to_bitstream(gate_not(pa)) == gate_not(a));
        CHECK(and_count(pa, pb) == (a & b).count());
        CHECK(or_count(pa, pb) == (a | b).count());
        CHECK(xnor_count(pa, pb) == gate_xnor(a, b).count());
        // Padding bits stay zero after NOT / XNOR.
        if (n % 64 != 0) {
            CHECK((gate_not(pa).words.back() & ~tail_mask(n)) == 0);
            CHECK((gate_xnor(pa, pb).words.back() & ~tail_mask(n)) == 0);
        }
    }
}

TEST_CASE("gates reject operands of different lengths", "[sc][bitstream]") {
    CHECK_THROWS_AS(gate_and(PackedStream(10), PackedStream(11)), scnn::Error);
    CHECK_THROWS_AS(gate_xnor(Bitstream(3), Bitstream(4)), scnn::Error);
    CHECK_THROWS_AS(and_count(PackedStream(64), PackedStream(65)), scnn::Error);
}

TEST_CASE("quantization: ends exact, round half up, saturation, NaN", "[sc][encoding]") {
    for (std::uint64_t m : {std::uint64_t{8}, std::uint64_t{256}, std::uint64_t{243}, std::uint64_t{1} << 32}) {
        CHECK(quantize_probability(0.0, m) == 0);
        CHECK(quantize_probability(1.0, m) == m);
        CHECK(quantize(-1.0, Encoding::bipolar, m) == 0);
        CHECK(quantize(1.0, Encoding::bipolar, m) == m);
        CHECK(quantize(-3.0, Encoding::unipolar, m) == 0);
        CHECK(quantize(7.0, Encoding::bipolar, m) == m);
    }
    CHECK(quantize_probability(0.5 / 256, 256) == 1);          // half rounds up
    CHECK(quantize_probability(0.49 / 256, 256) == 0);
    CHECK(quantize_probability(100.5 / 256, 256) == 101);
    CHECK(quantize(0.0, Encoding::bipolar, 256) == 128);
    CHECK(threshold_value(64, 256, Encoding::unipolar) == 0.25);
    CHECK(threshold_value(64, 256, Encoding::bipolar) == -0.5);
    CHECK_THROWS_AS(quantize_probability(std::nan(""), 256), scnn::Error);
    CHECK_THROWS_AS(quantize_probability(0.5, 0), scnn::Error);
}

TEST_CASE("decoders and split-unipolar multiply", "[sc][encoding]") {
    CHECK(decode(std::uint64_t{64}, 256, Encoding::unipolar) == 0.25);
    CHECK(decode(std::uint64_t{64}, 256, Encoding::bipolar) == -0.5);
    CHECK_THROWS_AS(decode(std::uint64_t{0}, 0, Encoding::unipolar), scnn::Error);
    CHECK(decode_split(30, 10, 100) == Approx(0.2));

    const SplitThresholds tn = quantize_split(-0.25, 256), tp = quantize_split(0.5, 256);
    CHECK(tn.pos == 0);
    CHECK(tn.neg == 64);
    CHECK(tp.pos == 128);
    CHECK(tp.neg == 0);
    // (-0.5) * 0.5 with streams built so the magnitudes multiply exactly: a = first half ones, b = every
    // other cycle ones.
    const std::size_t L = 256;
    SplitStream a{PackedStream(L), PackedStream(L)}, b{PackedStream(L), PackedStream(L)};
    for (std::size_t t = 0; t < L; ++t) {
        a.neg.set(t, t < L / 2);
        b.pos.set(t, t % 2 == 0);
    }
    const SplitStream p = split_multiply(a, b);
    CHECK(p.pos.count() == 0);
    CHECK(decode(p) == -0.25);
}
