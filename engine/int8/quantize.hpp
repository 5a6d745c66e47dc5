// Post-training int8 quantization, TFLite semantics:
// - weights int8 symmetric per output channel (zero point 0, range [-127, 127]);
// - activations int8 asymmetric per tensor (scale, zero point), calibrated on float activations of
//   calibration images: min/max, or a central percentile range to clip outliers; the range always
//   includes 0 so that real zero is exactly representable;
// - bias int32 with scale s_in * s_w[c], zero point 0;
// - requantization by a fixed-point multiplier and shift (fixed_point.hpp).
// Per layer kind:
// - Dense, Conv2d: as above. Affine (a BatchNorm with nothing to fold into): a depthwise 1x1 layer with one
//   int8 weight per channel (always ±127 or 0, so the weight itself is exact) and an int32 bias;
// - a run of ReLU/Clip directly after a Dense/Conv2d/Affine is fused into that layer: its output params are
//   calibrated on the tensor after the last fused activation and act_min/act_max hold the activation bounds
//   in that domain (ReLU: [zero_point, 127]). The fused ReLU/Clip layers do not appear in the result;
// - a standalone ReLU/Clip (after a pool, at the input, …), MaxPool, AvgPool, ZeroPad and Reshape keep their
//   input's params (out == in); a standalone ReLU/Clip clamps to act_min/act_max;
// - Tanh and Sigmoid use a 256-entry table built here; their output params are fixed as in TFLite:
//   tanh scale 1/128 zero point 0, sigmoid scale 1/256 zero point -128.
// Float is used here only to choose parameters; int8_exec.hpp runs integer-only.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/ir/network.hpp"

namespace scnn::int8 {

struct QuantParams {
    float scale = 1.0f;           ///< real = scale * (q - zero_point); scale > 0
    std::int32_t zero_point = 0;  ///< in [-128, 127]
};

/// One quantized layer; which fields are used depends on `op` (the same variant as the float IR).
struct QLayer {
    ir::Layer layer;                             ///< the float layer (shapes, attributes)
    QuantParams in, out;                         ///< activation params of this layer's input and output
    std::vector<std::int8_t> w;                  ///< Dense/Conv2d/Affine: int8 weights, same layout as the float ones
    std::vector<std::int32_t> bias;              ///< per output channel, scale in.scale * w_scale[c]
    std::vector<std::int32_t> multiplier;        ///< per output channel: in.scale * w_scale[c] / out.scale
    std::vector<int> shift;                      ///< per output channel
    std::int32_t act_min = -128, act_max = 127;  ///< fused clamp (ReLU/Clip folded into the output range)
    std::vector<std::int8_t> lut;                ///< Tanh/Sigmoid: 256-entry table indexed by q + 128
};

struct QuantizedNetwork {
    ir::Shape input;
    QuantParams input_params;
    std::vector<QLayer> layers;  ///< element-wise ReLU/Clip after Dense/Conv2d/Affine are fused into act_min/act_max
};

struct CalibrationOptions {
    /// Use the [100-p, p] percentile range of each tensor instead of min/max when p < 100 (e.g. 99.99); p in
    /// (50, 100]. The percentiles are exact over all values of the tensor across all calibration inputs, with
    /// linear interpolation between order statistics (numpy's default), computed keeping only the tails.
    double percentile = 100.0;
};

/// Quantizes `net` with activation ranges measured by the float executor on `calibration` inputs
/// (each net.input.size() floats). A calibrated range is widened to include 0 and to at least 1e-6.
/// Throws scnn::Error if `calibration` is empty, an input has the wrong size, the percentile is out of range,
/// a calibration tensor holds a non-finite value, a weight or bias is non-finite, or a layer's worst-case
/// int32 accumulator (255 * sum |w_q| + |bias|) could overflow.
QuantizedNetwork quantize(const ir::Network& net, const std::vector<std::vector<float>>& calibration,
                          const CalibrationOptions& options = {});

}  // namespace scnn::int8
