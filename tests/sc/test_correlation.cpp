// SCC (Alaghi & Hayes) on known cases and the independence helper.
#include <catch2/catch.hpp>

#include "engine/ir/error.hpp"
#include "engine/sc/correlation.hpp"
#include "engine/sc/shared_sequence.hpp"
#include "engine/sc/sng.hpp"

using namespace scnn::sc;

namespace {
Bitstream from_string(const char* s) {
    Bitstream b;
    for (const char* p = s; *p; ++p) b.push_back(*p == '1');
    return b;
}
}  // namespace

TEST_CASE("SCC of the Alaghi-Hayes examples", "[sc][correlation]") {
    // Maximal overlap, maximal non-overlap, and the independent overlap pa*pb*L.
    CHECK(scc(from_string("11110000"), from_string("11000000")) == 1.0);
    CHECK(scc(from_string("11110000"), from_string("00001100")) == -1.0);
    CHECK(scc(from_string("11110000"), from_string("10101010")) == 0.0);
    CHECK(scc(from_string("11110000"), from_string("11110000")) == 1.0);
    CHECK(scc(from_string("11110000"), from_string("00001111")) == -1.0);
    // Constant streams: undefined, reported as 0.
    CHECK(scc(from_string("00000000"), from_string("10101010")) == 0.0);
    CHECK(scc(from_string("11111111"), from_string("10101010")) == 0.0);
    // Packed form agrees.
    const Bitstream a = from_string("1101001110100101110"), b = from_string("0111010011101001011");
    CHECK(scc(to_packed(a), to_packed(b)) == scc(a, b));
    const PairCounts k = pair_counts(a, b);
    CHECK(k.a + k.b + k.c + k.d == a.size());
    CHECK_THROWS_AS(pair_counts(5, 3, 4, 10), scnn::Error);
}

TEST_CASE("SCC: -1 for a generator against its complement threshold, ~0 for independent streams",
          "[sc][correlation]") {
    SngConfig c;
    c.kind = SngKind::sobol;
    c.width = 10;
    const SharedSequence s(c, 1024);
    // r < T versus r >= M - T' (NOT of a stream of the same generator) never overlap more than they must.
    const PackedStream x = s.stream(300);
    PackedStream y = s.stream(1024 - 400);
    for (auto& w : y.words) w = ~w;
    y.clear_padding();
    CHECK(scc(x, y) == -1.0);

    SngConfig r1, r2;
    r1.kind = r2.kind = SngKind::random;
    r1.width = r2.width = 16;
    r1.seed = 1;
    r2.seed = 2;
    const PackedStream u = generate_packed(r1, 30000, 65536), v = generate_packed(r2, 20000, 65536);
    CHECK(are_uncorrelated(u, v, 0.02));
    CHECK_FALSE(are_uncorrelated(x, s.stream(500), 0.5));
    CHECK_THROWS_AS(are_uncorrelated(u, v, 1.5), scnn::Error);
}
