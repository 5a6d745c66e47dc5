// Float reference executor: one image at a time, plain loops, no tricks. It is the ground truth that the
// int8 and SC executions are compared against, so it stays simple and readable.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/ir/network.hpp"

namespace scnn::ref {

/// Applies one layer to `in` (layer.in.size() floats, C×H×W row-major); returns layer.out.size() floats.
std::vector<float> run_layer(const ir::Layer& layer, std::span<const float> in);

/// Runs the whole network on one input (net.input.size() floats); returns the class scores (logits).
std::vector<float> run(const ir::Network& net, std::span<const float> input);

/// Runs the network and returns the output of every layer (element i = output of layer i).
std::vector<std::vector<float>> run_all(const ir::Network& net, std::span<const float> input);

/// Index of the largest score; ties go to the lowest index.
int argmax(std::span<const float> scores);

/// Converts 0–255 pixels to the model input x/255 (the scaling the bundled models were trained with).
std::vector<float> pixels_to_input(std::span<const std::uint8_t> pixels);

}  // namespace scnn::ref
