// Running a network over a dataset in float or int8, shared by `eval` (and later `compare`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/int8/quantize.hpp"
#include "engine/io/dataset.hpp"
#include "engine/ir/network.hpp"

namespace scnn::cli {

struct EvalResult {
    std::string mode;
    std::int64_t images = 0, correct = 0;
    double seconds = 0;
    std::vector<int> predictions;  ///< one class per image, dataset order
    double mean_cycles = 0;        ///< SC: average stream cycles used per image (< L with early exit)
    [[nodiscard]] double accuracy() const { return images > 0 ? double(correct) / double(images) : 0.0; }
};

/// Throws scnn::Error if the dataset's images cannot feed the network's input.
void check_compatible(const io::Dataset& data, const ir::Network& net);

EvalResult eval_float(const ir::Network& net, const io::Dataset& data, int threads, bool progress);
EvalResult eval_int8(const int8::QuantizedNetwork& qnet, const io::Dataset& data, int threads, bool progress);

/// Quantizes `net` calibrated on the first `count` images of `calib`.
int8::QuantizedNetwork quantize_on(const ir::Network& net, const io::Dataset& calib, std::int64_t count,
                                   double percentile);

/// The dataset to calibrate on by default: the training split for fashion-mnist, else the data itself.
std::string default_calibration_data(const std::string& data_spec);

/// torch's per-image predictions from a model's sidecar JSON (MODEL.json beside MODEL.onnx), if present.
std::optional<std::vector<int>> reference_predictions(const std::string& model_path);

/// Fraction of equal entries over the first min(a.size(), b.size()) entries.
double agreement(const std::vector<int>& a, const std::vector<int>& b);

}  // namespace scnn::cli
