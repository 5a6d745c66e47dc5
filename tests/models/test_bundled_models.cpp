// The bundled models against torch: the float executor's top-1 predictions on the 10k Fashion-MNIST test
// images agree with the predictions torch saved at training time (models/NAME.json) on >= 99.9 % of images,
// and int8 integer-only inference stays close to float.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "engine/int8/int8_exec.hpp"
#include "engine/int8/quantize.hpp"
#include "engine/io/dataset.hpp"
#include "engine/io/onnx_import.hpp"
#include "engine/ref/float_exec.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<std::string> bundled_models() {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(fs::path(SCNN_SOURCE_DIR) / "models")) {
        if (e.path().extension() == ".json" && fs::exists(fs::path(e.path()).replace_extension(".onnx"))) {
            names.push_back(e.path().stem().string());
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

TEST_CASE("Float executor agrees with torch on the bundled models", "[models][torch]") {
    const auto test = scnn::io::load_dataset("fashion-mnist");
    const auto names = bundled_models();
    REQUIRE(names.size() >= 3);
    for (const auto& name : names) {
        INFO("model " << name);
        const fs::path base = fs::path(SCNN_SOURCE_DIR) / "models" / name;
        const auto meta = nlohmann::json::parse(std::ifstream(fs::path(base).replace_extension(".json")));
        const auto torch_pred = meta.at("predictions").get<std::vector<int>>();
        REQUIRE(torch_pred.size() == std::size_t(test.count));
        const auto net = scnn::io::import_onnx(fs::path(base).replace_extension(".onnx").string());
        std::int64_t same = 0, correct = 0;
        for (std::int64_t i = 0; i < test.count; ++i) {
            const int p = scnn::ref::argmax(scnn::ref::run(net, scnn::ref::pixels_to_input(test.image(i))));
            same += p == torch_pred[std::size_t(i)];
            correct += p == test.labels[std::size_t(i)];
        }
        const double agreement = double(same) / double(test.count);
        const double accuracy = double(correct) / double(test.count);
        CHECK(agreement >= 0.999);
        CHECK(accuracy == Approx(meta.at("torch_float_accuracy").get<double>()).margin(0.001));
    }
}

TEST_CASE("int8 integer-only inference stays within 1 point of float on the bundled models", "[models][int8]") {
    const auto test = scnn::io::load_dataset("fashion-mnist", 2000);
    const auto calib_set = scnn::io::load_dataset("fashion-mnist:train", 500);
    std::vector<std::vector<float>> calib;
    for (std::int64_t i = 0; i < calib_set.count; ++i) calib.push_back(scnn::ref::pixels_to_input(calib_set.image(i)));
    for (const auto& name : bundled_models()) {
        INFO("model " << name);
        const auto net =
            scnn::io::import_onnx((fs::path(SCNN_SOURCE_DIR) / "models" / (name + ".onnx")).string());
        const auto qnet = scnn::int8::quantize(net, calib);
        std::int64_t float_ok = 0, int8_ok = 0;
        for (std::int64_t i = 0; i < test.count; ++i) {
            const auto x = scnn::ref::pixels_to_input(test.image(i));
            float_ok += scnn::ref::argmax(scnn::ref::run(net, x)) == test.labels[std::size_t(i)];
            int8_ok += scnn::int8::argmax(scnn::int8::run(qnet, scnn::int8::quantize_input(qnet, x))) ==
                       test.labels[std::size_t(i)];
        }
        CHECK(double(int8_ok) / double(test.count) >= double(float_ok) / double(test.count) - 0.01);
    }
}
