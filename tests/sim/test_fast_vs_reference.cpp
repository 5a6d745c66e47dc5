// The fast simulator is bit-exact with the literal reference (docs/SEMANTICS.md §9) for every stage kind,
// generator kind, odd lengths and any thread count.
#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>

#include "engine/compile/compiler.hpp"
#include "engine/ir/error.hpp"
#include "engine/ref/float_exec.hpp"
#include "engine/sim/simulate.hpp"
#include "tests/sim/random_net.hpp"

using namespace scnn;

namespace {

std::vector<std::vector<float>> calibration_for(const ir::Network& net) {
    std::vector<std::vector<float>> calib;
    for (std::uint32_t i = 0; i < 8; ++i)
        calib.push_back(test::to_input(test::random_pixels(100 + i, std::size_t(net.input.size()))));
    return calib;
}

ir::ScPlan plan_for(bool conv, std::int64_t length, const std::string& sng, std::uint32_t seed) {
    const auto net = test::random_net(seed, conv);
    compile::CompileOptions o;
    o.length = length;
    o.sng = sng;
    return compile::compile(net, calibration_for(net), o, "random");
}

// fast == reference on a few images of `plan`
void require_bit_exact(const ir::ScPlan& plan, std::uint32_t first_image) {
    const sim::Simulator fast(plan);
    for (std::uint32_t img = first_image; img < first_image + 3; ++img) {
        const auto px = test::random_pixels(img, std::size_t(plan.input.size()));
        INFO("image " << img);
        REQUIRE(fast.run(px) == sim::reference_run(plan, px));
    }
}

using test::kVariants;
using test::Variant;

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

TEST_CASE("fast simulator equals the reference for every encoding, adder and activation mapping", "[sim]") {
    for (const Variant& v : kVariants) {
        for (bool conv : {false, true}) {
            for (std::int64_t L : {63, 256, 300}) {
                const auto net = test::random_net(21, conv);
                compile::CompileOptions o;
                o.length = L;
                o.encoding = v.encoding, o.adder = v.adder, o.neuron = v.neuron;
                const auto plan = compile::compile(net, calibration_for(net), o, "random");
                REQUIRE(plan.encoding == v.encoding);
                for (const auto& st : plan.stages) {
                    if (!ir::is_linear(st.kind)) continue;
                    REQUIRE(st.adder == v.adder);
                    REQUIRE((st.adder == "mux") == (st.select_gen >= 0));
                    if (!st.final) REQUIRE(st.neuron == (std::string(v.neuron) == "delta-sigma" ? "delta-sigma" : "fsm"));
                }
                INFO(v.encoding << " " << v.adder << " " << v.neuron << " conv=" << conv << " L=" << L);
                require_bit_exact(plan, 70);
            }
        }
    }
}

TEST_CASE("per-layer adder and activation lists", "[sim]") {
    const auto net = test::random_net(5, false);  // three linear stages
    compile::CompileOptions o;
    o.adder = "mux,apc,or", o.neuron = "stanh,btanh,delta-sigma";
    const auto plan = compile::compile(net, calibration_for(net), o, "random");
    REQUIRE(plan.stages[0].adder == "mux");
    REQUIRE(plan.stages[0].neuron == "fsm");
    REQUIRE(plan.stages[1].adder == "apc");
    REQUIRE(plan.stages[2].adder == "or");
    require_bit_exact(plan, 80);
    // generator kind and width per linear stage; the inputs take the first entry
    o = {};
    o.sng = "lfsr,sobol,halton", o.width = "10,8,6", o.adder = "apc,mux,apc";
    const auto mixed = compile::compile(net, calibration_for(net), o, "random");
    REQUIRE(mixed.generators[std::size_t(mixed.input_gen)].kind == "lfsr");
    REQUIRE(mixed.generators[std::size_t(mixed.input_gen)].width == 10);
    const auto gen_of = [&](std::size_t st) { return mixed.generators[std::size_t(mixed.stages[st].weight_gen)]; };
    REQUIRE(gen_of(0).kind == "lfsr");
    REQUIRE(gen_of(0).width == 10);
    REQUIRE(gen_of(1).kind == "sobol");
    REQUIRE(mixed.generators[std::size_t(mixed.stages[1].select_gen)].width == 8);
    REQUIRE(gen_of(2).kind == "halton");
    REQUIRE(gen_of(2).width == 6);
    require_bit_exact(mixed, 85);
}

TEST_CASE("networks that end in pooling after the last linear layer run in SC", "[sim]") {
    for (bool max_end : {false, true}) {
        const auto net = test::random_pooled_tail_net(17, max_end);
        for (const char* enc : {"split-unipolar", "bipolar"}) {
            compile::CompileOptions o;
            o.length = 200;
            o.encoding = enc;
            const auto plan = compile::compile(net, calibration_for(net), o, "random");
            REQUIRE_FALSE(plan.stages.back().final);
            REQUIRE(plan.stages.back().out.size() == 4);
            for (std::size_t i = 0; i + 1 < plan.stages.size(); ++i)  // informative scales chain up
                REQUIRE(plan.stages[i].out_scale == Approx(plan.stages[i + 1].in_scale));
            INFO("max_end=" << max_end << " " << enc);
            require_bit_exact(plan, 90);
            if (std::string(enc) == "bipolar") continue;  // too noisy at this length to compare (SEMANTICS §9.5)
            // the counts follow the float scores: over 30 images the SC argmax mostly agrees with float's
            const sim::Simulator fast(plan);
            int agree = 0;
            for (std::uint32_t img = 0; img < 30; ++img) {
                const auto px = test::random_pixels(500 + img, std::size_t(net.input.size()));
                const auto f = ref::run(net, test::to_input(px));
                agree += sim::predict(fast.run(px)) == int(std::max_element(f.begin(), f.end()) - f.begin());
            }
            REQUIRE(agree >= 20);
        }
    }
}

TEST_CASE("the compiler rejects impossible option combinations, with one line", "[sim]") {
    const auto net = test::random_net(1, false);
    const std::vector<std::vector<float>> calib{std::vector<float>(12, 0.5f)};
    const auto error_of = [&](compile::CompileOptions o) {
        try {
            compile::compile(net, calib, o);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    struct Case {
        const char *encoding, *adder, *neuron;
        std::int64_t length;
        const char* message;
    };
    const Case cases[] = {
        {"bipolar", "or", "delta-sigma", 256, "split-unipolar streams only"},
        {"split-unipolar", "apc,mux", "delta-sigma", 256, "--adder has 2 entries but the network has 3 linear stages"},
        {"split-unipolar", "xor", "delta-sigma", 256, "'xor' is not one of apc, mux, or"},
        {"split-unipolar", "mux", "btanh", 256, "btanh counts an APC"},
        {"split-unipolar", "apc", "stanh", 256, "stanh takes one stream"},
        {"tri-polar", "apc", "delta-sigma", 256, "split-unipolar, bipolar"},
        {"split-unipolar", "apc", "delta-sigma", 0, "--length"},
    };
    const std::pair<std::string, std::string> generator_cases[] = {
        {"sng=foo", "--sng: unknown generator 'foo'"},
        {"width=17", "--width '17' is not an integer in 3 .. 16"},
        {"width=8,x,8", "--width 'x' is not an integer in 3 .. 16"},
        {"width=8,8", "--width has 2 entries but the network has 3 linear stages"},
    };
    for (const auto& [setting, message] : generator_cases) {
        compile::CompileOptions o;
        const auto eq = setting.find('=');
        (setting.substr(0, eq) == "sng" ? o.sng : o.width) = setting.substr(eq + 1);
        REQUIRE_THAT(error_of(o), Catch::Contains(message));
    }
    for (const Case& c : cases) {
        compile::CompileOptions o;
        o.encoding = c.encoding, o.adder = c.adder, o.neuron = c.neuron, o.length = c.length;
        const std::string m = error_of(o);
        REQUIRE_THAT(m, Catch::Contains(c.message));
        REQUIRE(m.find('\n') == std::string::npos);
    }
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

TEST_CASE("early exit never changes a prediction with the mux adder, bipolar streams and a pooled tail", "[sim]") {
    const auto mlp = test::random_net(9, false);
    const auto tail = test::random_pooled_tail_net(9, false);
    compile::CompileOptions mux, bip, plain;
    mux.length = bip.length = plain.length = 1024;
    mux.adder = "mux", bip.encoding = "bipolar";
    for (const auto& [net, o] : {std::pair{mlp, mux}, std::pair{mlp, bip}, std::pair{tail, plain}}) {
        const auto plan = compile::compile(net, calibration_for(net), o, "random");
        const sim::Simulator fast(plan);
        for (std::uint32_t img = 0; img < 10; ++img) {
            const auto px = test::random_pixels(300 + img, std::size_t(plan.input.size()));
            const auto e = fast.run_early(px, 0);
            REQUIRE(e.prediction == sim::predict(fast.run(px)));
            REQUIRE(e.cycles <= 1024);
        }
    }
}

// An independent oracle for early exit: cumulative final counts from reference_run's per-cycle trace,
// checked after every K cycles with the margin rule alone. With 1 ≤ margin ≤ 2K the margin rule fires no
// later than the can-no-longer-be-overturned rule (that one needs lead > 2·F·(L − t_e) ≥ 2K), so the stop
// cycle and prediction must equal run_early's.
TEST_CASE("early exit checks every early_exit_every cycles and stops where the reference trace says", "[sim]") {
    for (const std::int64_t every : {std::int64_t{1}, std::int64_t{8}, std::int64_t{24}, std::int64_t{64}}) {
        auto plan = plan_for(false, 200, "sobol", 3);
        plan.early_exit_every = every;
        const sim::Simulator fast(plan);
        const int final_stage = int(plan.stages.size()) - 1;
        for (std::uint32_t img = 0; img < 6; ++img) {
            const auto px = test::random_pixels(700 + img, std::size_t(plan.input.size()));
            const std::int64_t margin = 1 + std::int64_t(img) * every / 3;  // 1 .. 2K
            std::vector<std::int64_t> cum(plan.stages.back().out.size(), 0);
            std::int64_t stop = plan.length;
            int stop_pred = -1;
            const auto counts = sim::reference_run(plan, px, [&](int stage, std::int64_t t, std::span<const std::int32_t> v) {
                if (stage != final_stage || stop < plan.length) return;
                for (std::size_t o = 0; o < v.size(); ++o) cum[o] += v[o];
                const std::int64_t t_e = t + 1;
                if (t_e % every != 0 || t_e >= plan.length) return;
                const int best = sim::predict(cum);
                std::int64_t second = std::numeric_limits<std::int64_t>::min();
                for (std::size_t o = 0; o < cum.size(); ++o)
                    if (int(o) != best) second = std::max(second, cum[o]);
                if (cum[std::size_t(best)] - second >= margin) stop = t_e, stop_pred = best;
            });
            if (stop_pred < 0) stop_pred = sim::predict(counts);
            const auto e = fast.run_early(px, margin);
            INFO("every " << every << " image " << img << " margin " << margin);
            REQUIRE(e.cycles == stop);
            REQUIRE(e.prediction == stop_pred);
        }
    }
}

TEST_CASE("the reference trace reports every stage on every cycle and sums to the final counts", "[sim]") {
    const auto plan = plan_for(true, 70, "sobol", 4);
    const auto px = test::random_pixels(11, std::size_t(plan.input.size()));
    std::vector<std::int64_t> calls(plan.stages.size(), 0), sum(plan.stages.back().out.size(), 0);
    bool values_ok = true;
    const auto counts = sim::reference_run(plan, px, [&](int stage, std::int64_t t, std::span<const std::int32_t> v) {
        REQUIRE(t == calls[std::size_t(stage)]);
        ++calls[std::size_t(stage)];
        REQUIRE(std::int64_t(v.size()) == plan.stages[std::size_t(stage)].out.size());
        if (stage + 1 == int(plan.stages.size()))
            for (std::size_t o = 0; o < v.size(); ++o) sum[o] += v[o];
        else
            for (auto x : v) values_ok = values_ok && x >= -1 && x <= 1;
    });
    for (auto c : calls) REQUIRE(c == plan.length);
    REQUIRE(values_ok);
    REQUIRE(plan.stages.back().final);
    REQUIRE(std::vector<std::int64_t>(sum.begin(), sum.end()) == counts);
    REQUIRE(counts == sim::reference_run(plan, px));
}
