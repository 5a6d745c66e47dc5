// Calibration inputs for the SC compiler and the int8 quantizer, and the defaults every front end shares
// (the `scnn` command and the Python module give the same plan for the same options because both call these).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/io/dataset.hpp"
#include "engine/ir/network.hpp"

namespace scnn::compile {

/// Default number of calibration images of the SC compiler (`--sc-calib`).
inline constexpr std::int64_t kDefaultScCalibImages = 200;
/// Default number of calibration images of the int8 quantizer (`--calib`).
inline constexpr std::int64_t kDefaultInt8CalibImages = 1000;

/// The dataset spec to calibrate on when none is given: the training split for a Fashion-MNIST spec
/// ("fashion-mnist", "fashion-mnist:test", ...), else `data_spec` itself.
std::string default_calibration_data(const std::string& data_spec);

/// Throws scnn::Error if the dataset's images cannot feed the network's input.
void check_compatible(const io::Dataset& data, const ir::Network& net);

/// Model inputs (x/255 floats, net.input.size() each) of the first min(count, N) images of `pixels`, which
/// holds N = pixels.size() / net.input.size() images of 0–255 pixels back to back. count ≤ 0 = all.
std::vector<std::vector<float>> model_inputs(const ir::Network& net, std::span<const std::uint8_t> pixels,
                                             std::int64_t count = 0);

/// The first `count` images (≥ 1) of the dataset `spec` (empty = default_calibration_data(data_spec)) as
/// model inputs. Throws scnn::Error if the data cannot be read or does not fit the model's input.
std::vector<std::vector<float>> calibration_inputs(const ir::Network& net, const std::string& spec, std::int64_t count,
                                                   const std::string& data_spec = "fashion-mnist");

}  // namespace scnn::compile
