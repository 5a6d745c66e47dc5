// The generated SC C, built natively, equals the host simulators on every image for every stage kind,
// encoding, adder, neuron mapping, generator kind, odd lengths and early exit (docs/SEMANTICS.md §9).
#include <catch2/catch.hpp>

#include <set>

#include "engine/ir/error.hpp"
#include "engine/sim/simulate.hpp"
#include "tests/firmware/firmware_util.hpp"

using namespace scnn;

namespace {

// every image's counts and prediction equal the fast simulator's (and the literal reference's for image 0)
void require_equal(const ir::ScPlan& plan, int images = 3) {
    test::quick_host_builds();
    const auto px = test::random_images(plan, 40, images);
    const auto run = test::run_on("host", plan, px, images);
    const sim::Simulator fast(plan);
    for (int i = 0; i < images; ++i) {
        const std::span<const std::uint8_t> img(px.data() + std::size_t(i) * std::size_t(plan.input.size()),
                                                std::size_t(plan.input.size()));
        const auto counts = fast.run(img);
        INFO("image " << i);
        REQUIRE(run.images[std::size_t(i)].out == counts);
        REQUIRE(run.images[std::size_t(i)].prediction == sim::predict(counts));
        if (i == 0) REQUIRE(sim::reference_run(plan, img) == counts);
    }
}

using test::kVariants;

}  // namespace

TEST_CASE("host firmware equals the simulator: every encoding and adder and neuron on MLP and conv nets", "[firmware]") {
    for (const auto& v : kVariants) {
        for (bool conv : {false, true}) {
            compile::CompileOptions o;
            o.length = conv ? 37 : 70;
            o.encoding = v.encoding;
            o.adder = v.adder;
            o.neuron = v.neuron;
            o.fold_pools = false;
            INFO(v.encoding << " " << v.adder << " " << v.neuron << (conv ? " conv" : " mlp"));
            require_equal(test::compile_random(test::random_net(conv ? 11 : 7, conv), o));
        }
    }
}

TEST_CASE("host firmware equals the simulator: every generator kind and width and odd lengths", "[firmware]") {
    const std::pair<const char*, const char*> gens[] = {
        {"sobol", "8"}, {"lfsr", "9"}, {"lfsr-galois", "7"}, {"halton", "8"}, {"ramp", "6"}, {"lfsr", "13"}, {"sobol", "16"}};
    for (const auto& [sng, width] : gens) {
        for (std::int64_t L : {std::int64_t{9}, std::int64_t{130}, sng == std::string("sobol") ? std::int64_t{1} : std::int64_t{64}}) {
            compile::CompileOptions o;
            o.length = L;
            o.sng = sng;
            o.width = width;
            INFO(sng << " width " << width << " L " << L);
            require_equal(test::compile_random(test::random_net(5, false), o), 2);
        }
    }
}

TEST_CASE("host firmware equals the simulator: pooled tails (global max and average pool)", "[firmware]") {
    for (bool max_end : {true, false}) {
        for (const char* enc : {"split-unipolar", "bipolar"}) {
            compile::CompileOptions o;
            o.length = 45;
            o.encoding = enc;
            INFO((max_end ? "max" : "avg") << " " << enc);
            require_equal(test::compile_random(test::random_pooled_tail_net(3, max_end), o));
        }
    }
}

TEST_CASE("host firmware stops on the simulator's cycle with early exit", "[firmware]") {
    struct Case {
        bool pooled;
        std::int64_t every, margin;
        const char* adder;
    };
    for (const Case c : {Case{false, 64, 0, "apc"}, Case{false, 8, 3, "apc"}, Case{false, 3, 2, "apc"},
                         Case{false, 5, 1, "mux"}, Case{true, 8, 2, "apc"}, Case{true, 7, 1, "apc"}}) {
        compile::CompileOptions o;
        o.length = 200;
        o.adder = c.adder;
        o.early_exit_every = c.every;
        const auto plan = c.pooled ? test::compile_random(test::random_pooled_tail_net(9, true), o)
                                   : test::compile_random(test::random_net(7, false), o);
        const int images = 4;
        const auto px = test::random_images(plan, 60, images);
        test::quick_host_builds();
        const auto run = test::run_on("host", plan, px, images, c.margin);
        const sim::Simulator fast(plan);
        for (int i = 0; i < images; ++i) {
            const std::span<const std::uint8_t> img(px.data() + std::size_t(i) * std::size_t(plan.input.size()),
                                                    std::size_t(plan.input.size()));
            const auto e = fast.run_early(img, c.margin);
            INFO("every " << c.every << " margin " << c.margin << " pooled " << c.pooled << " image " << i);
            REQUIRE(run.images[std::size_t(i)].sc_cycles == e.cycles);
            REQUIRE(run.images[std::size_t(i)].prediction == e.prediction);
        }
    }
}

TEST_CASE("the emitter rejects what firmware cannot run, in one line", "[firmware]") {
    compile::CompileOptions o;
    o.sng = "random";
    const auto plan = test::compile_random(test::random_net(7, false), o);
    REQUIRE_THROWS_WITH(codegen::c::emit_sc_model(plan, "x"), Catch::Contains("'random'") && Catch::Contains("host only"));
    REQUIRE_THROWS_WITH(codegen::c::target_spec("pdp11"), Catch::Contains("unknown target"));
}

TEST_CASE("the fit check names what does not fit the ATmega328P and by how much", "[firmware]") {
    test::RandomWeights fill(3);
    const auto net = test::sequential("big", ir::Shape{400, 1, 1},
                                      {ir::Dense{400, 120, fill(48000), fill(120)}, ir::Relu{},
                                       ir::Dense{120, 10, fill(1200), fill(10)}},
                                      "big");
    const auto plan = test::compile_random(net, compile::CompileOptions{});
    const auto code = codegen::c::emit_sc_model(plan, "x");
    REQUIRE_NOTHROW(codegen::c::check_fit(code, codegen::c::target_spec("host"), "big"));
    REQUIRE_NOTHROW(codegen::c::check_fit(code, codegen::c::target_spec("cortex-m"), "big"));
    REQUIRE_THROWS_WITH(codegen::c::check_fit(code, codegen::c::target_spec("avr"), "big"),
                        Catch::Contains("big does not fit the ATmega328P: flash needs") && Catch::Contains("B over"));
}

namespace {

std::int64_t distinct_magnitudes(const ir::PlanStage& s) {
    std::set<std::int64_t> all;
    for (auto t : s.weights) all.insert(t < 0 ? -std::int64_t{t} : t);
    for (auto t : s.bias) all.insert(t < 0 ? -std::int64_t{t} : t);
    return std::int64_t(all.size());
}

// the C declaration of stage k's weight-code table, e.g. "static const uint8_t SCNN_FLASH scnn_s0_w["
std::string weight_table(int k, const char* type) {
    return std::string("static const ") + type + " SCNN_FLASH scnn_s" + std::to_string(k) + "_w[";
}

}  // namespace

TEST_CASE("host firmware equals the simulator with 9-bit weight codes (257..512 distinct magnitudes)", "[firmware]") {
    struct Case {
        const char* encoding;
        const char* adder;
        bool conv;
    };
    for (const Case c : {Case{"split-unipolar", "apc", false}, Case{"bipolar", "apc", false},
                         Case{"split-unipolar", "mux", false}, Case{"split-unipolar", "apc", true}}) {
        test::RandomWeights fill(21);
        const auto net =
            c.conv ? test::sequential("wide", ir::Shape{6, 6, 6},
                                      {ir::Conv2d{6, 12, 3, 3, 1, 1, 1, 1, 1, 1, fill(648), fill(12)}, ir::Relu{},
                                       ir::Reshape{ir::Shape{432, 1, 1}}, ir::Dense{432, 3, fill(1296), fill(3)}},
                                      "wide")
                   : test::sequential("wide", ir::Shape{40, 1, 1},
                                      {ir::Dense{40, 30, fill(1200), fill(30)}, ir::Relu{},
                                       ir::Dense{30, 4, fill(120), fill(4)}},
                                      "wide");
        compile::CompileOptions o;
        o.length = 40;
        o.width = "9";  // thresholds 0..512: up to 513 distinct magnitudes
        o.encoding = c.encoding;
        o.adder = c.adder;
        const auto plan = test::compile_random(net, o);
        INFO(c.encoding << " " << c.adder << (c.conv ? " conv" : " dense"));
        const auto codes = distinct_magnitudes(plan.stages[0]);
        INFO("stage 0 has " << codes << " distinct magnitudes");
        REQUIRE(codes > 256);
        REQUIRE(codes <= 512);
        // the code table stays one byte per weight, with bit 8 in a bit plane
        const auto code = codegen::c::emit_sc_model(plan, "x");
        const std::string& src = code.files[1].text;
        REQUIRE(src.find(weight_table(0, "uint8_t")) != std::string::npos);
        REQUIRE(src.find("scnn_s0_wh[") != std::string::npos);
        require_equal(plan, 3);
    }
}

TEST_CASE("host firmware equals the simulator with 16-bit weight codes (more than 512 distinct magnitudes)", "[firmware]") {
    test::RandomWeights fill(22);
    const auto net = test::sequential("wider", ir::Shape{60, 1, 1},
                                      {ir::Dense{60, 40, fill(2400), fill(40)}, ir::Relu{},
                                       ir::Dense{40, 4, fill(160), fill(4)}},
                                      "wider");
    compile::CompileOptions o;
    o.length = 24;
    o.width = "11";
    const auto plan = test::compile_random(net, o);
    REQUIRE(distinct_magnitudes(plan.stages[0]) > 512);
    const auto code = codegen::c::emit_sc_model(plan, "x");
    REQUIRE(code.files[1].text.find(weight_table(0, "uint16_t")) != std::string::npos);
    require_equal(plan, 2);
}
