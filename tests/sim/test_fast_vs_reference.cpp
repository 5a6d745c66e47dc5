// The fast simulator is bit-exact with the literal reference (docs/SEMANTICS.md §9) for every stage kind,
// generator kind, odd lengths and any thread count.
#include <catch2/catch.hpp>

#include "engine/compile/compiler.hpp"
#include "engine/sim/simulate.hpp"
#include "tests/sim/random_net.hpp"

using namespace scnn;

namespace {

ir::ScPlan plan_for(bool conv, std::int64_t length, const std::string& sng, std::uint32_t seed) {
    const auto net = test::random_net(seed, conv);
    std::vector<std::vector<float>> calib;
    for (std::uint32_t i = 0; i < 8; ++i)
        calib.push_back(test::to_input(test::random_pixels(100 + i, std::size_t(net.input.size()))));
    compile::CompileOptions o;
    o.length = length;
    o.sng = sng;
    return compile::compile(net, calib, o, "random");
}

}  // namespace

TEST_CASE("fast simulator equals the reference: MLP with ReLU and hard tanh", "[sim]") {
    for (std::int64_t L : {1, 63, 64, 200, 256, 700}) {
        for (const char* sng : {"sobol", "lfsr", "halton", "random"}) {
            const auto plan = plan_for(false, L, sng, 7);
            const sim::Simulator fast(plan);
            for (std::uint32_t img = 0; img < 3; ++img) {
                const auto px = test::random_pixels(img, std::size_t(plan.input.size()));
                INFO("L=" << L << " sng=" << sng << " image " << img);
                REQUIRE(fast.run(px) == sim::reference_run(plan, px));
            }
        }
    }
}

TEST_CASE("fast simulator equals the reference: conv, max pool, tanh, avg pool, affine, sigmoid", "[sim]") {
    for (std::int64_t L : {5, 256, 300}) {
        for (const char* sng : {"sobol", "lfsr-galois", "ramp"}) {
            const auto plan = plan_for(true, L, sng, 11);
            const sim::Simulator fast(plan);
            for (std::uint32_t img = 0; img < 3; ++img) {
                const auto px = test::random_pixels(50 + img, std::size_t(plan.input.size()));
                INFO("L=" << L << " sng=" << sng << " image " << img);
                REQUIRE(fast.run(px) == sim::reference_run(plan, px));
            }
        }
    }
}

TEST_CASE("predictions do not depend on the thread count", "[sim]") {
    const auto plan = plan_for(true, 128, "sobol", 3);
    const sim::Simulator fast(plan);
    std::vector<std::uint8_t> px;
    for (std::uint32_t i = 0; i < 40; ++i) {
        const auto p = test::random_pixels(1000 + i, std::size_t(plan.input.size()));
        px.insert(px.end(), p.begin(), p.end());
    }
    const auto one = fast.predict_all(px, 40, 1);
    REQUIRE(fast.predict_all(px, 40, 2) == one);
    REQUIRE(fast.predict_all(px, 40, 5) == one);
}

TEST_CASE("argmax ties go to the lowest index", "[sim]") {
    const std::vector<std::int64_t> c{3, 7, 7, -1};
    REQUIRE(sim::predict(c) == 1);
    const std::vector<std::int64_t> z{0, 0};
    REQUIRE(sim::predict(z) == 0);
}

TEST_CASE("the compiler rejects options it does not implement, with one line", "[sim]") {
    const auto net = test::random_net(1, false);
    const std::vector<std::vector<float>> calib{std::vector<float>(12, 0.5f)};
    compile::CompileOptions o;
    o.encoding = "bipolar";
    REQUIRE_THROWS_WITH(compile::compile(net, calib, o), Catch::Contains("bipolar"));
    o = {};
    o.length = 0;
    REQUIRE_THROWS_WITH(compile::compile(net, calib, o), Catch::Contains("--length"));
}

TEST_CASE("early exit with margin 0 never changes a prediction and may save cycles", "[sim]") {
    const auto plan = plan_for(false, 1024, "sobol", 9);
    const sim::Simulator fast(plan);
    for (std::uint32_t img = 0; img < 20; ++img) {
        const auto px = test::random_pixels(300 + img, std::size_t(plan.input.size()));
        const auto e = fast.run_early(px, 0);
        REQUIRE(e.prediction == sim::predict(fast.run(px)));
        REQUIRE(e.cycles >= 1);
        REQUIRE(e.cycles <= 1024);
        const auto loose = fast.run_early(px, 1);  // any lead of 1 count stops at the first check
        REQUIRE(loose.cycles <= e.cycles);
    }
}
