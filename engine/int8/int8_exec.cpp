#include "engine/int8/int8_exec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "engine/int8/fixed_point.hpp"
#include "engine/ir/error.hpp"

namespace scnn::int8 {

namespace {

using ir::Shape;
using std::size_t;
using Tensor = std::vector<std::int8_t>;

size_t index(const Shape& s, int c, int y, int x) {
    return (size_t(c) * size_t(s.h) + size_t(y)) * size_t(s.w) + size_t(x);
}

/// acc (scale in.scale * w_scale[c]) -> int8 in the output domain, clamped to the fused activation range.
std::int8_t requantize(const QLayer& q, size_t channel, std::int32_t acc) {
    std::int32_t v = multiply_by_quantized_multiplier(acc, q.multiplier[channel], q.shift[channel]);
    v += q.out.zero_point;
    return static_cast<std::int8_t>(std::min(std::max(v, q.act_min), q.act_max));
}

Tensor dense(const QLayer& q, const ir::Dense& d, std::span<const std::int8_t> x) {
    Tensor y(size_t(d.out));
    const std::int32_t zp_in = q.in.zero_point;
    for (size_t o = 0; o < size_t(d.out); ++o) {
        const std::int8_t* w = &q.w[o * size_t(d.in)];
        std::int32_t acc = q.bias[o];
        for (size_t i = 0; i < size_t(d.in); ++i) acc += (std::int32_t{x[i]} - zp_in) * std::int32_t{w[i]};
        y[o] = requantize(q, o, acc);
    }
    return y;
}

Tensor conv(const QLayer& q, const ir::Conv2d& c, std::span<const std::int8_t> x) {
    const Shape& in = q.layer.in;
    const Shape& out = q.layer.out;
    Tensor y(size_t(out.size()));
    const std::int32_t zp_in = q.in.zero_point;
    for (int oc = 0; oc < c.out_c; ++oc) {
        for (int oy = 0; oy < out.h; ++oy) {
            for (int ox = 0; ox < out.w; ++ox) {
                std::int32_t acc = q.bias[size_t(oc)];
                for (int ic = 0; ic < c.in_c; ++ic) {
                    for (int ky = 0; ky < c.kh; ++ky) {
                        const int iy = oy * c.stride_h - c.pad_top + ky;
                        if (iy < 0 || iy >= in.h) continue;  // padding is real 0, i.e. x - zp_in = 0
                        for (int kx = 0; kx < c.kw; ++kx) {
                            const int ix = ox * c.stride_w - c.pad_left + kx;
                            if (ix < 0 || ix >= in.w) continue;
                            const size_t wi = ((size_t(oc) * size_t(c.in_c) + size_t(ic)) * size_t(c.kh) + size_t(ky)) *
                                                  size_t(c.kw) +
                                              size_t(kx);
                            acc += (std::int32_t{x[index(in, ic, iy, ix)]} - zp_in) * std::int32_t{q.w[wi]};
                        }
                    }
                }
                y[index(out, oc, oy, ox)] = requantize(q, size_t(oc), acc);
            }
        }
    }
    return y;
}

/// Per-channel scale and shift: a depthwise 1x1 convolution with one int8 weight per channel.
Tensor affine(const QLayer& q, std::span<const std::int8_t> x) {
    const Shape& s = q.layer.in;
    const size_t plane = size_t(s.h) * size_t(s.w);
    Tensor y(x.size());
    for (size_t ch = 0; ch < size_t(s.c); ++ch) {
        for (size_t i = ch * plane; i < (ch + 1) * plane; ++i) {
            const std::int32_t acc = q.bias[ch] + (std::int32_t{x[i]} - q.in.zero_point) * std::int32_t{q.w[ch]};
            y[i] = requantize(q, ch, acc);
        }
    }
    return y;
}

/// Integer average rounded to nearest, ties away from zero (TFLite's (sum +- count/2) / count).
std::int32_t rounded_average(std::int32_t sum, std::int32_t count) {
    return sum >= 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
}

/// Max or average pooling; input and output share their quantization params. Cells in the padding are
/// skipped, except that an average with count_include_pad counts them as real 0 (the zero point).
Tensor pool(const QLayer& q, const ir::Pool& p, std::span<const std::int8_t> x) {
    const Shape& in = q.layer.in;
    const Shape& out = q.layer.out;
    Tensor y(size_t(out.size()));
    for (int ch = 0; ch < in.c; ++ch) {
        for (int oy = 0; oy < out.h; ++oy) {
            for (int ox = 0; ox < out.w; ++ox) {
                std::int32_t sum = 0, best = -128, cells = 0;
                for (int ky = 0; ky < p.kh; ++ky) {
                    const int iy = oy * p.stride_h - p.pad_top + ky;
                    if (iy < 0 || iy >= in.h) continue;
                    for (int kx = 0; kx < p.kw; ++kx) {
                        const int ix = ox * p.stride_w - p.pad_left + kx;
                        if (ix < 0 || ix >= in.w) continue;
                        const std::int32_t v = x[index(in, ch, iy, ix)];
                        sum += v;
                        best = std::max(best, v);
                        ++cells;
                    }
                }
                std::int32_t v = best;
                if (p.kind == ir::PoolKind::Average) {
                    std::int32_t count = cells;
                    if (p.count_include_pad) {
                        count = p.kh * p.kw;
                        sum += (count - cells) * q.in.zero_point;
                    }
                    v = count > 0 ? rounded_average(sum, count) : q.in.zero_point;
                }
                y[index(out, ch, oy, ox)] =
                    static_cast<std::int8_t>(std::clamp(v, std::int32_t{-128}, std::int32_t{127}));
            }
        }
    }
    return y;
}

Tensor zero_pad(const QLayer& q, const ir::ZeroPad& z, std::span<const std::int8_t> x) {
    const Shape& in = q.layer.in;
    const Shape& out = q.layer.out;
    Tensor y(size_t(out.size()), static_cast<std::int8_t>(q.in.zero_point));
    for (int ch = 0; ch < in.c; ++ch) {
        for (int iy = 0; iy < in.h; ++iy) {
            for (int ix = 0; ix < in.w; ++ix) y[index(out, ch, iy + z.top, ix + z.left)] = x[index(in, ch, iy, ix)];
        }
    }
    return y;
}

Tensor clamp(const QLayer& q, std::span<const std::int8_t> x) {
    Tensor y(x.size());
    for (size_t i = 0; i < x.size(); ++i) {
        y[i] = static_cast<std::int8_t>(std::min(std::max(std::int32_t{x[i]}, q.act_min), q.act_max));
    }
    return y;
}

Tensor lookup(const QLayer& q, std::span<const std::int8_t> x) {
    if (q.lut.size() != 256) throw Error(fmt::format("layer '{}': missing 256-entry lookup table", q.layer.name));
    Tensor y(x.size());
    for (size_t i = 0; i < x.size(); ++i) y[i] = q.lut[size_t(std::int32_t{x[i]} + 128)];
    return y;
}

/// A weighted layer must carry `weights` int8 weights and `channels` biases, multipliers and shifts.
void check_weights(const QLayer& q, std::int64_t weights, std::int64_t channels) {
    const auto n = [](const auto& v) { return std::int64_t(v.size()); };
    if (n(q.w) != weights || n(q.bias) != channels || n(q.multiplier) != channels || n(q.shift) != channels) {
        throw Error(fmt::format("layer '{}': quantized parameters do not match its shape", q.layer.name));
    }
}

Tensor run_layer(const QLayer& q, std::span<const std::int8_t> x) {
    const ir::Op& op = q.layer.op;
    if (const auto* d = std::get_if<ir::Dense>(&op)) {
        check_weights(q, std::int64_t{d->in} * d->out, d->out);
        return dense(q, *d, x);
    }
    if (const auto* c = std::get_if<ir::Conv2d>(&op)) {
        check_weights(q, std::int64_t{c->out_c} * c->in_c * c->kh * c->kw, c->out_c);
        return conv(q, *c, x);
    }
    if (std::holds_alternative<ir::Affine>(op)) {
        check_weights(q, q.layer.in.c, q.layer.in.c);
        return affine(q, x);
    }
    if (const auto* p = std::get_if<ir::Pool>(&op)) return pool(q, *p, x);
    if (const auto* z = std::get_if<ir::ZeroPad>(&op)) return zero_pad(q, *z, x);
    if (std::holds_alternative<ir::Relu>(op) || std::holds_alternative<ir::Clip>(op)) return clamp(q, x);
    if (std::holds_alternative<ir::Tanh>(op) || std::holds_alternative<ir::Sigmoid>(op)) return lookup(q, x);
    return {x.begin(), x.end()};  // Reshape: the data is unchanged
}

}  // namespace

std::vector<std::int8_t> quantize_input(const QuantizedNetwork& qnet, std::span<const float> input) {
    if (std::int64_t(input.size()) != qnet.input.size()) {
        throw Error(fmt::format("input has {} values but the network takes {} ({})", input.size(), qnet.input.size(),
                                ir::to_string(qnet.input)));
    }
    const float scale = qnet.input_params.scale;
    const double zp = qnet.input_params.zero_point;
    std::vector<std::int8_t> q(input.size());
    for (size_t i = 0; i < input.size(); ++i) {
        // float division as TFLite's reference Quantize; NaN maps to the zero point
        const double v = double(std::round(input[i] / scale)) + zp;
        q[i] = static_cast<std::int8_t>(std::isnan(v) ? qnet.input_params.zero_point : std::clamp(v, -128.0, 127.0));
    }
    return q;
}

std::vector<std::int8_t> run(const QuantizedNetwork& qnet, std::span<const std::int8_t> input) {
    if (std::int64_t(input.size()) != qnet.input.size()) {
        throw Error(fmt::format("input has {} values but the network takes {} ({})", input.size(), qnet.input.size(),
                                ir::to_string(qnet.input)));
    }
    std::vector<std::int8_t> x(input.begin(), input.end());
    for (const QLayer& q : qnet.layers) {
        if (std::int64_t(x.size()) != q.layer.in.size()) {
            throw Error(
                fmt::format("layer '{}' expects {} values but receives {}", q.layer.name, q.layer.in.size(), x.size()));
        }
        x = run_layer(q, x);
    }
    return x;
}

int argmax(std::span<const std::int8_t> scores) {
    return int(std::max_element(scores.begin(), scores.end()) - scores.begin());
}

}  // namespace scnn::int8
