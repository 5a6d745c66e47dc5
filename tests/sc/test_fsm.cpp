// State machines against their documented step rules and stationary transfer functions.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/ir/error.hpp"
#include "engine/sc/adders.hpp"
#include "engine/sc/encoding.hpp"
#include "engine/sc/fsm.hpp"
#include "engine/sc/pooling.hpp"
#include "engine/sc/sng.hpp"
#include "engine/sc/theory.hpp"

using namespace scnn::sc;

namespace {
constexpr unsigned kWidth = 16;
constexpr std::size_t kLong = 65536;

// Bipolar stream of value x from a true-random generator with its own seed.
PackedStream random_stream(double x, std::uint32_t seed, std::size_t length = kLong) {
    SngConfig c;
    c.kind = SngKind::random;
    c.width = kWidth;
    c.seed = seed;
    return generate_packed(c, quantize(x, Encoding::bipolar, 1u << kWidth), length);
}
}  // namespace

TEST_CASE("Stanh follows the documented step rule and packed equals bitset form", "[sc][fsm]") {
    Stanh m(4);
    CHECK(m.state() == 2);
    CHECK(m.next(false) == true);  // y(0) = [s(0) = 2 ≥ 2]
    CHECK(m.state() == 1);
    CHECK(m.next(false) == false);
    CHECK(m.next(false) == false);  // saturates at 0
    CHECK(m.state() == 0);
    for (int i = 0; i < 5; ++i) m.step(true);
    CHECK(m.state() == 3);  // saturates at K-1
    CHECK_THROWS_AS(Stanh(5), scnn::Error);
    CHECK_THROWS_AS(Stanh(0), scnn::Error);

    const PackedStream in = random_stream(0.3, 5, 1000);
    CHECK(to_bitstream(stanh(in, 8)) == stanh(to_bitstream(in), 8));
    CHECK(to_bitstream(sc_relu(in, 8)) == sc_relu(to_bitstream(in), 8));
    // Constant inputs: all ones stays all ones; all zeros shows only the reset cycle's one.
    CHECK(stanh(PackedStream(to_packed(Bitstream(500).set())), 8).count() == 500);
    CHECK(stanh(PackedStream(500), 8).count() == 1);
}

TEST_CASE("Stanh matches tanh(K/2 atanh x) within 0.05 (and Brown-Card tanh(Kx/2) within 0.06)", "[sc][fsm]") {
    for (std::uint32_t K : {4u, 8u, 16u}) {
        for (double x = -0.8; x <= 0.81; x += 0.2) {
            const double y = decode(stanh(random_stream(x, 11 + K, kLong), K), Encoding::bipolar);
            INFO("K " << K << " x " << x << " y " << y);
            CHECK(std::fabs(y - theory::stanh_stationary(x, K)) <= 0.05);
            CHECK(std::fabs(y - theory::stanh_approx(x, K)) <= 0.06);
        }
    }
}

TEST_CASE("SC-ReLU matches x (1 + Stanh_K(x)) / 2 within 0.05 and tends to max(x, 0)", "[sc][fsm]") {
    for (std::uint32_t K : {4u, 16u}) {
        for (double x = -0.8; x <= 0.81; x += 0.2) {
            const double y = decode(sc_relu(random_stream(x, 21 + K), K), Encoding::bipolar);
            INFO("K " << K << " x " << x << " y " << y);
            CHECK(std::fabs(y - theory::sc_relu_stationary(x, K)) <= 0.05);
            if (K == 16 && std::fabs(x) >= 0.39) CHECK(std::fabs(y - std::max(x, 0.0)) <= 0.05);
        }
    }
}

TEST_CASE("Btanh over an APC matches its Markov chain within 0.05", "[sc][fsm]") {
    const std::vector<std::vector<double>> cases = {
        {0.1, -0.2, 0.05, 0.0}, {0.5, 0.3, -0.1, 0.2}, {-0.6, -0.3, 0.2, -0.4}, {0.9, 0.8, 0.7, 0.9}};
    for (std::uint32_t S : {4u, 8u, 16u}) {
        for (const auto& x : cases) {
            std::vector<PackedStream> in;
            for (std::size_t i = 0; i < x.size(); ++i) in.push_back(random_stream(x[i], 31 + 7 * i + S));
            const auto counts = apc_counts(in);
            const double y = decode(btanh(counts, 4, S), Encoding::bipolar);
            INFO("S " << S << " x0 " << x[0] << " y " << y);
            CHECK(std::fabs(y - theory::btanh_stationary(x, S)) <= 0.05);
            CHECK(std::fabs(theory::btanh_stationary(x, S) - theory::btanh_approx(x, S)) <= 0.12);
        }
    }
    CHECK_THROWS_AS(Btanh(7, 4), scnn::Error);
    CHECK_THROWS_AS(btanh(std::vector<std::uint32_t>{5}, 4, 8), scnn::Error);
}

TEST_CASE("hard tanh (saturating accumulator) gives clamp(sum x, -1, 1)", "[sc][fsm]") {
    const std::size_t L = 16384;
    const std::int64_t S = 16;
    const std::vector<std::vector<double>> cases = {
        {0.1, 0.2, 0.3}, {-0.5, 0.1, -0.2}, {0.6, 0.7, 0.5}, {-0.9, -0.4, -0.3}, {0.3, -0.3, 0.0}};
    for (const auto& x : cases) {
        std::vector<PackedStream> in;
        for (std::size_t i = 0; i < x.size(); ++i) in.push_back(random_stream(x[i], 41 + i, L));
        const auto counts = apc_counts(in);
        const double measured_sum = decode_apc(apc_total(in), 3, L, Encoding::bipolar);
        const double y = decode(hard_tanh(counts, 3, S), Encoding::bipolar);
        INFO("sum " << measured_sum << " y " << y);
        CHECK(std::fabs(y - std::clamp(measured_sum, -1.0, 1.0)) <= 0.01);
        CHECK(std::fabs(y - theory::hard_tanh(x)) <= 0.03);
    }
    // Deterministic bound without saturation: |y - sum| ≤ S / L.
    HardTanh h(1, 8);
    std::size_t ones = 0;
    for (std::size_t t = 0; t < 1000; ++t) ones += h.next(t % 3 == 0 ? 1 : 0);  // x = -1/3 exactly per 3 cycles
    CHECK(std::fabs((2.0 * ones - 1000) / 1000 - (-1.0 / 3.0)) <= 8.0 / 1000 + 2.0 / 1000);
}

TEST_CASE("max pooling approximation selects the largest input", "[sc][pooling]") {
    const std::vector<std::vector<double>> cases = {{0.2, 0.7, 0.4, 0.5}, {0.9, 0.1, 0.3, 0.2}, {0.3, 0.35, 0.6, 0.8}};
    for (const auto& p : cases) {
        std::vector<PackedStream> in;
        std::vector<Bitstream> ref;
        for (std::size_t i = 0; i < p.size(); ++i) {
            in.push_back(random_stream(2 * p[i] - 1, 51 + i, 8192));
            ref.push_back(to_bitstream(in.back()));
        }
        const PackedStream out = max_pool(in, 32);
        CHECK(to_bitstream(out) == max_pool(ref, 32));
        const double y = decode(out, Encoding::unipolar), mx = *std::max_element(p.begin(), p.end());
        INFO("max " << mx << " y " << y);
        CHECK(y <= mx + 0.02);
        CHECK(y >= mx - 0.05);
    }
    MaxPoolApprox m(2, 2);
    CHECK(m.next(0b10) == false);  // first segment passes input 0
    CHECK(m.next(0b10) == false);
    CHECK(m.selected() == 1);      // input 1 had more ones
    CHECK(m.next(0b10) == true);
    CHECK_THROWS_AS(MaxPoolApprox(65, 4), scnn::Error);
}
