// Helpers for the hardware tests: the bundled models quantized the way the CLI does it (calibration on the
// first images of the training split), and a private cache folder for verilated models.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/int8/quantize.hpp"
#include "engine/io/dataset.hpp"
#include "engine/io/onnx_import.hpp"
#include "engine/ref/float_exec.hpp"

namespace scnn::hw::test {

inline int8::QuantizedNetwork quantized_model(const std::string& name, int calibration_images = 200) {
    const ir::Network net = io::import_onnx(std::string(SCNN_SOURCE_DIR) + "/models/" + name + ".onnx");
    const io::Dataset calib = io::load_dataset("fashion-mnist:train", calibration_images);
    std::vector<std::vector<float>> inputs;
    for (std::int64_t i = 0; i < calib.count; ++i) inputs.push_back(ref::pixels_to_input(calib.image(i)));
    return int8::quantize(net, inputs);
}

/// A cache folder shared by the tests of one build tree (verilated models are reused across runs).
inline std::filesystem::path test_cache() {
    return std::filesystem::temp_directory_path() / "scnn-test-hw-cache";
}

}  // namespace scnn::hw::test
