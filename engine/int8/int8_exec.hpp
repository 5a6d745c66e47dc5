// Integer-only int8 inference over a QuantizedNetwork (TFLite reference-kernel semantics). The only float
// operation is quantize_input() at the boundary; every layer computes with int8/int32 integers.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/int8/quantize.hpp"

namespace scnn::int8 {

/// Quantizes a float input with the network's input parameters (round to nearest, saturate to int8).
std::vector<std::int8_t> quantize_input(const QuantizedNetwork& qnet, std::span<const float> input);

/// Runs all layers; returns the int8 output scores (argmax of them = prediction, ties to the lowest index).
std::vector<std::int8_t> run(const QuantizedNetwork& qnet, std::span<const std::int8_t> input);

/// Index of the largest score; ties go to the lowest index.
int argmax(std::span<const std::int8_t> scores);

}  // namespace scnn::int8
