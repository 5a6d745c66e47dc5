// scnn::ir — the network graph: a sequential list of layers with float weights.
//
// Tensors carry no batch dimension. Every activation is a row-major C×H×W block of floats; a plain vector
// of n features is {n, 1, 1}. Flatten and Reshape only relabel the shape, because the flat order of a
// row-major tensor does not change. No I/O here: ONNX import lives in engine/io.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace scnn::ir {

/// Shape of one activation without the batch dimension. All fields >= 1.
struct Shape {
    int c = 1;  ///< channels (or features for a vector)
    int h = 1;  ///< rows
    int w = 1;  ///< columns
    [[nodiscard]] std::int64_t size() const { return std::int64_t{c} * h * w; }
    bool operator==(const Shape&) const = default;
};

std::string to_string(const Shape& s);

/// Fully connected: y[o] = sum_i w[o*in + i] * x[i] + b[o]. Weight layout [out][in].
struct Dense {
    int in = 0, out = 0;
    std::vector<float> w;  ///< out*in
    std::vector<float> b;  ///< out (zeros when the model has no bias)
};

/// 2-D convolution, group 1, dilation 1. Weight layout [oc][ic][kh][kw]. Padding is zero padding.
struct Conv2d {
    int in_c = 0, out_c = 0, kh = 0, kw = 0;
    int stride_h = 1, stride_w = 1;
    int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
    std::vector<float> w;  ///< out_c*in_c*kh*kw
    std::vector<float> b;  ///< out_c
};

/// Per-channel affine y = scale[c]*x + shift[c] (a BatchNormalization with nothing to fold into).
struct Affine {
    std::vector<float> scale, shift;  ///< one per channel
};

struct Relu {};
/// Clamp to [lo, hi]; ReLU6 and hard-tanh arrive as Clip.
struct Clip {
    float lo = 0, hi = 0;
};
struct Tanh {};
struct Sigmoid {};

enum class PoolKind { Max, Average };

/// Max or average pooling over kh×kw windows. Average pooling divides by the window area including
/// padded cells when count_include_pad is set (ONNX attribute), else by the number of real cells.
/// A global average pool is an Average pool whose window is the whole plane.
struct Pool {
    PoolKind kind = PoolKind::Max;
    int kh = 1, kw = 1, stride_h = 1, stride_w = 1;
    int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;
    bool count_include_pad = false;
};

/// Constant-zero padding of the H and W dimensions.
struct ZeroPad {
    int top = 0, left = 0, bottom = 0, right = 0;
};

/// Flatten / Reshape: the data is unchanged, only the shape is relabelled to `to`.
struct Reshape {
    Shape to;
};

using Op = std::variant<Dense, Conv2d, Affine, Relu, Clip, Tanh, Sigmoid, Pool, ZeroPad, Reshape>;

struct Layer {
    std::string name;  ///< ONNX node name (or a generated one), for messages
    Op op;
    Shape in;   ///< input shape
    Shape out;  ///< output shape
};

/// A sequential network. The output is a vector of class scores (logits); a trailing Softmax or
/// LogSoftmax in the model is recorded in `output_softmax` and not executed (argmax is unchanged).
struct Network {
    std::string name;
    std::string input_name;
    std::vector<std::int64_t> input_dims;  ///< as declared by the model, batch first (-1 if symbolic)
    Shape input;
    std::vector<Layer> layers;
    bool output_softmax = false;

    [[nodiscard]] Shape output() const { return layers.empty() ? input : layers.back().out; }
};

/// Short op name ("Dense", "Conv2d", …) for tables and messages.
std::string op_name(const Op& op);

/// Number of weights (including biases and affine parameters) of a layer.
std::int64_t weight_count(const Layer& layer);

/// Multiply-accumulates of one inference through a layer (0 for element-wise layers).
std::int64_t mac_count(const Layer& layer);

/// Output shape of `op` applied to `in`. Throws scnn::Error on an inconsistent layer.
Shape infer_shape(const Op& op, const Shape& in);

}  // namespace scnn::ir
