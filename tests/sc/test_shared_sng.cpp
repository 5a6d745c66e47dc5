// Bulk generation (fill_packed, SharedSequence) is bit-exact with the single-step reference.
#include <catch2/catch.hpp>

#include <vector>

#include <boost/random/mersenne_twister.hpp>

#include "engine/ir/error.hpp"
#include "engine/sc/correlation.hpp"
#include "engine/sc/shared_sequence.hpp"
#include "engine/sc/sng.hpp"

using namespace scnn::sc;

namespace {
std::vector<SngConfig> sample_configs() {
    std::vector<SngConfig> out;
    boost::random::mt19937 eng(11);
    for (SngKind kind : {SngKind::lfsr_fibonacci, SngKind::lfsr_galois, SngKind::sobol, SngKind::halton,
                         SngKind::ramp, SngKind::random}) {
        for (unsigned width : {3u, 8u, 13u, 32u}) {
            SngConfig c;
            c.kind = kind;
            c.width = width;
            c.seed = 1 + static_cast<std::uint32_t>(eng() % ((std::uint64_t{1} << width) - 1));
            c.dimension = 1 + eng() % 5;
            c.offset = eng() % 1000;
            c.rotate = kind == SngKind::halton ? 0 : eng() % width;
            if (kind == SngKind::halton && width == 3) c.dimension = 1 + eng() % 3;  // base must fit
            out.push_back(c);
        }
    }
    return out;
}
}  // namespace

TEST_CASE("fill_packed and SharedSequence equal the single-step stream for every kind", "[sc][sng][bulk]") {
    for (const SngConfig& c : sample_configs()) {
        INFO(describe(c));
        const std::uint64_t m = Sng(c).range();
        for (std::size_t length : {1u, 63u, 64u, 100u, 1000u, 1025u}) {
            const SharedSequence shared(c, length);
            for (std::uint64_t T : {std::uint64_t{0}, std::uint64_t{1}, m / 3, m / 2 + 1, m - 1, m}) {
                const Bitstream ref = generate_bitstream(c, T, length);
                const PackedStream bulk = generate_packed(c, T, length);
                REQUIRE(to_bitstream(bulk) == ref);
                REQUIRE(shared.stream(T) == bulk);
                if (T == 0) REQUIRE(bulk.count() == 0);
                if (T == m) REQUIRE(bulk.count() == length);
            }
        }
    }
}

TEST_CASE("fill_packed continues the sequence across calls", "[sc][sng][bulk]") {
    SngConfig c;
    c.kind = SngKind::lfsr_galois;
    c.width = 10;
    Sng sng(c);
    PackedStream first(640), second(640);
    sng.fill_packed(300, 640, first.words);
    sng.fill_packed(300, 640, second.words);
    CHECK(sng.cycle() == 1280);
    const Bitstream whole = generate_bitstream(c, 300, 1280);
    for (std::size_t t = 0; t < 640; ++t) {
        REQUIRE(first.bit(t) == whole[t]);
        REQUIRE(second.bit(t) == whole[640 + t]);
    }
    CHECK_THROWS_AS(sng.fill_packed(1025, 64, first.words), scnn::Error);
}

TEST_CASE("streams from one shared generator are maximally correlated and nested", "[sc][sng][bulk]") {
    SngConfig c;
    c.kind = SngKind::sobol;
    c.width = 8;
    const SharedSequence shared(c, 256);
    const std::vector<std::uint64_t> thresholds = {0, 10, 77, 128, 200, 256};
    const auto streams = shared.streams(thresholds);
    REQUIRE(streams.size() == thresholds.size());
    for (std::size_t i = 1; i + 1 < streams.size(); ++i) {
        for (std::size_t j = i + 1; j + 1 < streams.size(); ++j) {
            CHECK(scc(streams[i], streams[j]) == 1.0);
            // The smaller stream's ones are a subset of the larger one's: AND = min, OR = max.
            CHECK(and_count(streams[i], streams[j]) == thresholds[i]);
            CHECK(or_count(streams[i], streams[j]) == thresholds[j]);
        }
    }
    CHECK_THROWS_AS(shared.stream(257), scnn::Error);
}

TEST_CASE("vectorized comparator equals the scalar reference", "[sc][sng][bulk]") {
    boost::random::mt19937 eng(5);
    std::vector<std::uint32_t> r(1000);
    for (auto& v : r) v = eng();
    r[3] = 0;
    r[4] = 0xFFFFFFFFu;
    for (std::uint64_t T : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{0x7FFFFFFF}, std::uint64_t{0x80000000},
                            std::uint64_t{0x80000001}, std::uint64_t{0xFFFFFFFF}, std::uint64_t{1} << 32,
                            std::uint64_t{eng()}}) {
        for (std::size_t length : {0u, 5u, 64u, 130u, 1000u}) {
            std::vector<Word> fast(words_for(length), 123), slow(words_for(length), 456);
            compare_to_words(r.data(), length, T, fast.data());
            compare_to_words_scalar(r.data(), length, T, slow.data());
            REQUIRE(fast == slow);
        }
    }
}
