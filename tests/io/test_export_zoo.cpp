// Models exported from PyTorch the ways users write them (tests/data/make_export_zoo.py): view/reshape/
// flatten idioms, opsets 11-17, BatchNorm kept or folded, Pad+AveragePool, no-bias Linear (Transpose+MatMul),
// constant arithmetic, softmax outputs. Each must import and reproduce torch's output for a fixed input.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "engine/io/onnx_import.hpp"
#include "engine/ref/float_exec.hpp"

namespace fs = std::filesystem;

TEST_CASE("PyTorch export zoo imports and matches torch's outputs", "[onnx][torch]") {
    const fs::path dir = fs::path(SCNN_SOURCE_DIR) / "tests" / "data" / "zoo";
    int checked = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".onnx") continue;
        INFO("model " << entry.path().filename().string());
        const auto meta = nlohmann::json::parse(std::ifstream(fs::path(entry.path()).replace_extension(".json")));
        const auto net = scnn::io::import_onnx(entry.path().string());
        const auto x = meta.at("input").get<std::vector<float>>();
        auto want = meta.at("output").get<std::vector<float>>();
        auto got = scnn::ref::run(net, x);
        if (net.output_softmax) {  // the executor drops a trailing (log-)softmax: compare argmax and differences
            REQUIRE(got.size() == want.size());
            CHECK(scnn::ref::argmax(got) == scnn::ref::argmax(want));
            const bool log = std::any_of(want.begin(), want.end(), [](float v) { return v < 0; });
            if (!log) std::transform(want.begin(), want.end(), want.begin(), [](float v) { return std::log(v); });
            for (std::size_t i = 1; i < got.size(); ++i) CHECK(got[i] - got[0] == Approx(want[i] - want[0]).margin(1e-4));
        } else {
            REQUIRE(got.size() == want.size());
            for (std::size_t i = 0; i < got.size(); ++i) CHECK(got[i] == Approx(want[i]).margin(1e-4));
        }
        ++checked;
    }
    CHECK(checked >= 6);
}
