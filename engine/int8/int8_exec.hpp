// Integer-only int8 inference over a QuantizedNetwork (TFLite reference-kernel semantics). The only float
// operation is quantize_input() at the boundary; every layer computes with int8/int32 integers.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/int8/quantize.hpp"

namespace scnn::int8 {

/// Quantizes a float input with the network's input parameters: round(x / scale) + zero_point (ties away from
/// zero), saturated to [-128, 127]; NaN maps to the zero point. Throws scnn::Error on a size mismatch.
std::vector<std::int8_t> quantize_input(const QuantizedNetwork& qnet, std::span<const float> input);

/// Runs all layers; returns the int8 output scores (argmax of them = prediction, ties to the lowest index);
/// dequantize with qnet.layers.back().out (or qnet.input_params for an empty network). Per layer: int32
/// accumulation of (x - zp_in) * w plus bias, requantization by multiply_by_quantized_multiplier, + zp_out,
/// clamp to [act_min, act_max]. Pooling and padding skip padded cells (an average with count_include_pad
/// counts them as the zero point); averages round half away from zero. Throws scnn::Error on a size mismatch.
std::vector<std::int8_t> run(const QuantizedNetwork& qnet, std::span<const std::int8_t> input);

/// Index of the largest score; ties go to the lowest index.
int argmax(std::span<const std::int8_t> scores);

}  // namespace scnn::int8
