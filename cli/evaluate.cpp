#include "cli/evaluate.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/common.hpp"
#include "engine/compile/calibration.hpp"
#include "engine/int8/int8_exec.hpp"
#include "engine/ir/error.hpp"
#include "engine/ref/float_exec.hpp"

namespace scnn::cli {

namespace {

template <class Predict>
EvalResult eval_with(const std::string& mode, const io::Dataset& data, int threads, bool progress, Predict predict) {
    EvalResult r;
    r.mode = mode;
    r.images = data.count;
    r.predictions.assign(std::size_t(data.count), -1);
    Progress bar(fmt::format("{:<5}", mode), data.count, progress);
    const auto start = std::chrono::steady_clock::now();
    parallel_for(data.count, threads, [&](std::int64_t i) {
        r.predictions[std::size_t(i)] = predict(ref::pixels_to_input(data.image(i)));
        bar.advance();
    });
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    bar.finish();
    for (std::int64_t i = 0; i < data.count; ++i) r.correct += r.predictions[std::size_t(i)] == data.labels[std::size_t(i)];
    return r;
}

}  // namespace

void check_compatible(const io::Dataset& data, const ir::Network& net) { compile::check_compatible(data, net); }

EvalResult eval_float(const ir::Network& net, const io::Dataset& data, int threads, bool progress) {
    check_compatible(data, net);
    return eval_with("float", data, threads, progress,
                     [&](const std::vector<float>& x) { return ref::argmax(ref::run(net, x)); });
}

EvalResult eval_int8(const int8::QuantizedNetwork& qnet, const io::Dataset& data, int threads, bool progress) {
    if (data.pixels_per_image() != qnet.input.size()) {
        throw Error(fmt::format("dataset '{}' has {} pixels per image but the model input needs {}", data.name,
                                data.pixels_per_image(), qnet.input.size()));
    }
    return eval_with("int8", data, threads, progress, [&](const std::vector<float>& x) {
        return int8::argmax(int8::run(qnet, int8::quantize_input(qnet, x)));
    });
}

int8::QuantizedNetwork quantize_on(const ir::Network& net, const io::Dataset& calib, std::int64_t count,
                                   double percentile) {
    check_compatible(calib, net);
    if (count <= 0) throw Error(fmt::format("calibration needs at least one image (got {})", count));
    if (!(percentile > 50.0 && percentile <= 100.0)) {
        throw Error(fmt::format("calibration percentile must be in (50, 100], got {}", percentile));
    }
    std::vector<std::vector<float>> inputs;
    for (std::int64_t i = 0; i < std::min(count, calib.count); ++i) inputs.push_back(ref::pixels_to_input(calib.image(i)));
    return int8::quantize(net, inputs, int8::CalibrationOptions{percentile});
}

std::string default_calibration_data(const std::string& data_spec) {
    return compile::default_calibration_data(data_spec);
}

std::optional<std::vector<int>> reference_predictions(const std::string& model_path) {
    std::filesystem::path p(model_path);
    p.replace_extension(".json");
    std::ifstream f(p);
    if (!f) return std::nullopt;
    try {
        const auto j = nlohmann::json::parse(f);
        if (!j.contains("predictions")) return std::nullopt;
        return j.at("predictions").get<std::vector<int>>();
    } catch (const nlohmann::json::exception& e) {
        throw Error(fmt::format("{}: malformed model sidecar JSON ({})", p.string(), e.what()));
    }
}

double agreement(const std::vector<int>& a, const std::vector<int>& b) {
    const std::size_t n = std::min(a.size(), b.size());
    if (n == 0) return 0.0;
    std::size_t same = 0;
    for (std::size_t i = 0; i < n; ++i) same += a[i] == b[i];
    return double(same) / double(n);
}

}  // namespace scnn::cli
