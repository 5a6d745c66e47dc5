// scnn::codegen::verilog — the hardware plan of the int8 RTL baseline: how a QuantizedNetwork (engine/int8)
// maps onto one folded datapath of P multiply-accumulate lanes, one shared requantizer, a pooling unit, two
// ping-pong activation buffers and constant ROMs. Pure data computed from the network; int8_emit.cpp writes
// it as Verilog. The datapath is bit-exact with int8::run (TFLite integer-only semantics).
//
// Steps (one per quantized layer that moves data; Reshape is free):
//   Mac  : Dense and Conv2d (fused ReLU/Clip): for each group of P output channels and each output pixel,
//          one clock per tap (input channel x window cell; a Dense layer is a 1x1 convolution of a 1x1 image)
//          on P MACs, then the P accumulators shift out through the requantizer, one per clock.
//   Pool : MaxPool/AvgPool and standalone ReLU/Clip (a 1x1 max pool with a clamp): one input cell per clock.
// Affine, Tanh/Sigmoid and ZeroPad are not supported yet (scnn::Error naming the layer).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/int8/quantize.hpp"

namespace scnn::codegen::verilog {

enum class Int8StepKind { Mac, Pool };

struct Int8Step {
    Int8StepKind kind = Int8StepKind::Mac;
    std::string name;   ///< the layer's name
    int src = 0;        ///< activation buffer read (0 or 1; step 0 reads the input array); it writes the other
    std::int64_t outputs = 0;
    // Mac: taps per output pixel (in_c * kh * kw), output channels, groups = ceil(out / P)
    int in = 0, out = 0, groups = 0;
    std::int32_t zp_in = 0;           ///< input zero point, [-128, 127]
    // Mac and Pool: output zero point and clamp, int8
    std::int32_t zp_out = 0, act_min = -128, act_max = 127;
    // Pool and Mac: input and output shapes, window (a Mac step's kernel, stride and top/left padding)
    ir::Shape pin, pout;
    ir::Pool pool;     ///< a standalone clamp is a 1x1 max pool
    bool average = false;
    int divisor = 1;   ///< average: kh*kw (padding is either absent or counted)
    bool count_pad = false;  ///< average: padded cells count as the zero point
};

struct Int8ChannelWord {
    std::int32_t bias = 0;
    std::int32_t mult = 0;  ///< Q0.31, [2^30, 2^31) or 0
    int rsh = 0, lsh = 0;   ///< right shift 0..31, left shift 0..30
};

/// A leading pooling layer with non-overlapping windows (stride = kernel, no padding; max, or an average over
/// a power-of-two window) is folded into the pixel write port: each written pixel is quantized and combined
/// into its window's entry of the input array (sum or max), and the first step reads the finished window
/// (the sum rounded half away from zero and shifted, as int8::run averages). It costs no cycles and keeps
/// one entry per window instead of one per pixel.
struct Int8InputPool {
    bool fused = false;
    bool average = false;
    int shift = 0;         ///< average: log2(kh * kw)
    ir::Shape in, out;     ///< the pixels and the windows
    int kh = 1, kw = 1;
    int width = 8;         ///< bits of an input-array entry (8 for max, the sum width for an average)
};

struct Int8Rtl {
    int macs = 1;                  ///< P, 1..256
    int input_size = 0, classes = 0;
    Int8InputPool input_pool;      ///< a leading pool folded into the write port (see above)
    std::int64_t input_words = 0;  ///< depth of the input array (pixels, or windows when fused)
    std::vector<Int8Step> steps;   ///< steps[0] reads the input array, later ones the ping-pong buffers
    std::array<std::int64_t, 2> buf_words{};  ///< depth of the two activation buffers (at least 1)
    int acc_w = 18, bias_w = 2, sum_w = 19;   ///< bit widths (two's complement)
    bool left_shift = false;                  ///< some channel has a left shift
    int pool_sum_w = 10;                      ///< pooling sum width
    std::vector<std::vector<std::int8_t>> wrom;  ///< rows of P weights, in the order the Mac steps read them
    std::vector<Int8ChannelWord> crom;           ///< one word per Mac output channel, in order
    std::array<std::int8_t, 256> in_lut{};       ///< pixel 0..255 -> int8 input (int8::quantize_input)
    std::int64_t cycles = 0;  ///< clock cycles from the start pulse to done (see cycles_of)
};

/// The most MAC lanes a design may have.
inline constexpr int kInt8MaxMacs = 256;

/// Throws scnn::Error ("--macs must be in [1, 256], got P") unless 1 <= macs <= kInt8MaxMacs.
void check_int8_macs(int macs);

/// Builds the plan for P = `macs` lanes. Throws scnn::Error for an unsupported layer (naming it and why),
/// macs outside [1, 256], an empty network, or an output that is not a vector of at most 256 classes.
Int8Rtl plan_int8_rtl(const int8::QuantizedNetwork& qnet, int macs);

/// Clock cycles per inference of the plan's controller, counted from the clock that samples start to the
/// first clock at which done is high: per step 1 (begin) + work + 4 (drain); Mac work = sum over groups of
/// pixels * (taps + 2 + lanes in the group), Pool work = outputs * kh * kw.
std::int64_t int8_cycles(const Int8Rtl& plan);

/// Bits to hold every value of [lo, hi] in two's complement (at least 1).
int signed_bits(std::int64_t lo, std::int64_t hi);

}  // namespace scnn::codegen::verilog
