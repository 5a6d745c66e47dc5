// Plan JSON: lossless round trip; malformed plans give one line naming the field.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "engine/compile/compiler.hpp"
#include "engine/io/plan_json.hpp"
#include "engine/ir/error.hpp"
#include "tests/sim/random_net.hpp"

using namespace scnn;

namespace {

ir::ScPlan small_plan(const std::string& encoding = "split-unipolar", const std::string& adder = "apc",
                      const std::string& neuron = "delta-sigma") {
    const auto net = test::random_net(5, true);
    const std::vector<std::vector<float>> calib{test::to_input(test::random_pixels(9, 36))};
    compile::CompileOptions o;
    o.length = 128;
    o.encoding = encoding, o.adder = adder, o.neuron = neuron;
    return compile::compile(net, calib, o, "random");
}

std::string error_of(const std::string& text) {
    try {
        io::plan_from_json(text);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("plan JSON round trip is lossless", "[plan]") {
    const auto plan = small_plan();
    const auto text = io::plan_to_json(plan);
    const auto back = io::plan_from_json(text);
    REQUIRE(io::plan_to_json(back) == text);
    REQUIRE(back.stages.size() == plan.stages.size());
    REQUIRE(back.stages[0].weights == plan.stages[0].weights);
    REQUIRE(back.generators == plan.generators);
}

TEST_CASE("plan JSON keeps the encoding, adders, select generators and neuron kinds", "[plan]") {
    const auto plan = small_plan("bipolar", "mux", "stanh");
    const auto back = io::plan_from_json(io::plan_to_json(plan));
    REQUIRE(back.encoding == "bipolar");
    for (std::size_t i = 0; i < plan.stages.size(); ++i) {
        REQUIRE(back.stages[i].adder == plan.stages[i].adder);
        REQUIRE(back.stages[i].select_gen == plan.stages[i].select_gen);
        REQUIRE(back.stages[i].neuron == plan.stages[i].neuron);
    }
    REQUIRE(back.stages[0].adder == "mux");
    REQUIRE(back.stages[0].select_gen >= 0);
    REQUIRE(back.stages[0].neuron == "fsm");
}

TEST_CASE("a version 1 plan (before encodings and adders) still loads with the defaults", "[plan]") {
    auto j = nlohmann::json::parse(io::plan_to_json(small_plan()));
    j["version"] = 1;
    j.erase("encoding");
    for (auto& st : j["stages"]) {
        st.erase("adder");
        st.erase("select_gen");
        if (st.contains("neuron")) st["neuron"].erase("kind");
    }
    const auto p = io::plan_from_json(j.dump());
    REQUIRE(p.encoding == "split-unipolar");
    REQUIRE(p.stages.front().adder == "apc");
    // version 2 requires them
    j["version"] = 2;
    REQUIRE(error_of(j.dump()).find("plan field 'encoding' is missing") != std::string::npos);
}

TEST_CASE("a version 2 plan (before the early-exit interval) loads with checks every 64 cycles", "[plan]") {
    auto plan = small_plan();
    plan.early_exit_every = 8;
    auto j = nlohmann::json::parse(io::plan_to_json(plan));
    REQUIRE(io::plan_from_json(j.dump()).early_exit_every == 8);
    j["version"] = 2;
    j.erase("early_exit_every");
    REQUIRE(io::plan_from_json(j.dump()).early_exit_every == 64);
    j["version"] = 3;  // version 3 requires it
    REQUIRE(error_of(j.dump()).find("plan field 'early_exit_every' is missing") != std::string::npos);
    j["early_exit_every"] = 0;
    REQUIRE(error_of(j.dump()).find("early_exit_every") != std::string::npos);
}

TEST_CASE("malformed plan JSON names the field in one line", "[plan]") {
    const auto good = nlohmann::json::parse(io::plan_to_json(small_plan()));
    REQUIRE(error_of("{not json").find("not valid JSON") != std::string::npos);
    auto j = good;
    j.erase("length");
    REQUIRE(error_of(j.dump()).find("'length'") != std::string::npos);
    j = good;
    j["stages"][0]["weights"] = "x";
    REQUIRE(error_of(j.dump()).find("stages[0].weights") != std::string::npos);
    j = good;
    j["stages"][0]["weights"].erase(0);
    REQUIRE(error_of(j.dump()).find("weights") != std::string::npos);
    j = good;
    j["version"] = 99;
    REQUIRE(error_of(j.dump()).find("version") != std::string::npos);
    j = good;
    j["stages"][1]["kind"] = "fft";
    REQUIRE(error_of(j.dump()).find("stages[1].kind") != std::string::npos);
    j = good;
    j["generators"][0]["width"] = 99;
    REQUIRE(error_of(j.dump()).find("width") != std::string::npos);
    j = good;
    j["encoding"] = "tripolar";
    REQUIRE(error_of(j.dump()).find("'encoding' is 'tripolar'") != std::string::npos);
    j = good;
    j["stages"][0]["adder"] = "mux";  // a mux without a select generator
    REQUIRE(error_of(j.dump()).find("select_gen") != std::string::npos);
    j = good;
    j["stages"][0]["neuron"]["kind"] = "magic";
    REQUIRE(error_of(j.dump()).find("'neuron' is 'magic'") != std::string::npos);
    for (const auto& e : {error_of("[]"), error_of("{not json")}) REQUIRE(e.find('\n') == std::string::npos);
}

TEST_CASE("plan JSON rejects an unknown generator kind by name", "[plan]") {
    auto j = nlohmann::json::parse(io::plan_to_json(small_plan()));
    j["generators"][1]["kind"] = "dice";
    const auto e = error_of(j.dump());
    REQUIRE(e.find("generators[1].kind") != std::string::npos);
}
