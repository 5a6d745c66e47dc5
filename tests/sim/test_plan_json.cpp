// Plan JSON: lossless round trip; malformed plans give one line naming the field.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "engine/compile/compiler.hpp"
#include "engine/io/plan_json.hpp"
#include "engine/ir/error.hpp"
#include "tests/sim/random_net.hpp"

using namespace scnn;

namespace {

ir::ScPlan small_plan() {
    const auto net = test::random_net(5, true);
    const std::vector<std::vector<float>> calib{test::to_input(test::random_pixels(9, 36))};
    compile::CompileOptions o;
    o.length = 128;
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
    for (const auto& e : {error_of("[]"), error_of("{not json")}) REQUIRE(e.find('\n') == std::string::npos);
}

TEST_CASE("plan JSON rejects an unknown generator kind by name", "[plan]") {
    auto j = nlohmann::json::parse(io::plan_to_json(small_plan()));
    j["generators"][1]["kind"] = "dice";
    const auto e = error_of(j.dump());
    REQUIRE(e.find("generators[1].kind") != std::string::npos);
}
