#include "engine/ref/float_exec.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace scnn::ref {

namespace {

using ir::Shape;
using std::size_t;

std::vector<float> dense(const ir::Dense& d, std::span<const float> x) {
    std::vector<float> y(size_t(d.out));
    for (int o = 0; o < d.out; ++o) {
        const float* w = &d.w[size_t(o) * size_t(d.in)];
        double acc = d.b[size_t(o)];
        for (int i = 0; i < d.in; ++i) acc += double(w[i]) * double(x[size_t(i)]);
        y[size_t(o)] = float(acc);
    }
    return y;
}

std::vector<float> conv(const ir::Conv2d& c, const Shape& in, const Shape& out, std::span<const float> x) {
    std::vector<float> y(size_t(out.size()));
    for (int oc = 0; oc < c.out_c; ++oc) {
        for (int oy = 0; oy < out.h; ++oy) {
            for (int ox = 0; ox < out.w; ++ox) {
                double acc = c.b[size_t(oc)];
                for (int ic = 0; ic < c.in_c; ++ic) {
                    for (int ky = 0; ky < c.kh; ++ky) {
                        const int iy = oy * c.stride_h - c.pad_top + ky;
                        if (iy < 0 || iy >= in.h) continue;
                        for (int kx = 0; kx < c.kw; ++kx) {
                            const int ix = ox * c.stride_w - c.pad_left + kx;
                            if (ix < 0 || ix >= in.w) continue;
                            const float w = c.w[((size_t(oc) * size_t(c.in_c) + size_t(ic)) * size_t(c.kh) + size_t(ky)) *
                                                    size_t(c.kw) +
                                                size_t(kx)];
                            acc += double(w) * double(x[(size_t(ic) * size_t(in.h) + size_t(iy)) * size_t(in.w) + size_t(ix)]);
                        }
                    }
                }
                y[(size_t(oc) * size_t(out.h) + size_t(oy)) * size_t(out.w) + size_t(ox)] = float(acc);
            }
        }
    }
    return y;
}

std::vector<float> pool(const ir::Pool& p, const Shape& in, const Shape& out, std::span<const float> x) {
    std::vector<float> y(size_t(out.size()));
    for (int ch = 0; ch < in.c; ++ch) {
        for (int oy = 0; oy < out.h; ++oy) {
            for (int ox = 0; ox < out.w; ++ox) {
                double sum = 0;
                float best = -std::numeric_limits<float>::infinity();
                int cells = 0;
                for (int ky = 0; ky < p.kh; ++ky) {
                    for (int kx = 0; kx < p.kw; ++kx) {
                        const int iy = oy * p.stride_h - p.pad_top + ky, ix = ox * p.stride_w - p.pad_left + kx;
                        if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
                        const float v = x[(size_t(ch) * size_t(in.h) + size_t(iy)) * size_t(in.w) + size_t(ix)];
                        sum += v;
                        best = std::max(best, v);
                        ++cells;
                    }
                }
                const int div = p.count_include_pad ? p.kh * p.kw : std::max(cells, 1);
                y[(size_t(ch) * size_t(out.h) + size_t(oy)) * size_t(out.w) + size_t(ox)] =
                    p.kind == ir::PoolKind::Max ? best : float(sum / div);
            }
        }
    }
    return y;
}

std::vector<float> zero_pad(const ir::ZeroPad& z, const Shape& in, const Shape& out, std::span<const float> x) {
    std::vector<float> y(size_t(out.size()), 0.0f);
    for (int ch = 0; ch < in.c; ++ch) {
        for (int iy = 0; iy < in.h; ++iy) {
            for (int ix = 0; ix < in.w; ++ix) {
                y[(size_t(ch) * size_t(out.h) + size_t(iy + z.top)) * size_t(out.w) + size_t(ix + z.left)] =
                    x[(size_t(ch) * size_t(in.h) + size_t(iy)) * size_t(in.w) + size_t(ix)];
            }
        }
    }
    return y;
}

template <class F>
std::vector<float> map(std::span<const float> x, F f) {
    std::vector<float> y(x.size());
    std::transform(x.begin(), x.end(), y.begin(), f);
    return y;
}

}  // namespace

std::vector<float> run_layer(const ir::Layer& layer, std::span<const float> in) {
    const Shape& is = layer.in;
    const Shape& os = layer.out;
    if (const auto* d = std::get_if<ir::Dense>(&layer.op)) return dense(*d, in);
    if (const auto* c = std::get_if<ir::Conv2d>(&layer.op)) return conv(*c, is, os, in);
    if (const auto* p = std::get_if<ir::Pool>(&layer.op)) return pool(*p, is, os, in);
    if (const auto* z = std::get_if<ir::ZeroPad>(&layer.op)) return zero_pad(*z, is, os, in);
    if (const auto* a = std::get_if<ir::Affine>(&layer.op)) {
        std::vector<float> y(in.begin(), in.end());
        const size_t plane = size_t(is.h) * size_t(is.w);
        for (size_t i = 0; i < y.size(); ++i) y[i] = a->scale[i / plane] * y[i] + a->shift[i / plane];
        return y;
    }
    if (std::holds_alternative<ir::Relu>(layer.op)) return map(in, [](float v) { return std::max(v, 0.0f); });
    if (const auto* c = std::get_if<ir::Clip>(&layer.op)) {
        return map(in, [c](float v) { return std::clamp(v, c->lo, c->hi); });
    }
    if (std::holds_alternative<ir::Tanh>(layer.op)) return map(in, [](float v) { return std::tanh(v); });
    if (std::holds_alternative<ir::Sigmoid>(layer.op)) {
        return map(in, [](float v) { return 1.0f / (1.0f + std::exp(-v)); });
    }
    return {in.begin(), in.end()};  // Reshape: the data is unchanged
}

std::vector<std::vector<float>> run_all(const ir::Network& net, std::span<const float> input) {
    std::vector<std::vector<float>> outs;
    outs.reserve(net.layers.size());
    std::span<const float> x = input;
    for (const auto& layer : net.layers) {
        outs.push_back(run_layer(layer, x));
        x = outs.back();
    }
    return outs;
}

std::vector<float> run(const ir::Network& net, std::span<const float> input) {
    std::vector<float> x(input.begin(), input.end());
    for (const auto& layer : net.layers) x = run_layer(layer, x);
    return x;
}

int argmax(std::span<const float> scores) {
    return int(std::max_element(scores.begin(), scores.end()) - scores.begin());
}

std::vector<float> pixels_to_input(std::span<const std::uint8_t> pixels) {
    std::vector<float> x(pixels.size());
    for (size_t i = 0; i < x.size(); ++i) x[i] = float(pixels[i]) / 255.0f;
    return x;
}

}  // namespace scnn::ref
