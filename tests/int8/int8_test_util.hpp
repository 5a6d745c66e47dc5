// Helpers for the int8 tests: small random networks built directly in the IR, random inputs, dequantization.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "engine/int8/quantize.hpp"
#include "engine/ir/network.hpp"

namespace scnn::int8::test {

/// Appends layers to a network, inferring shapes; weights are uniform with a fan-in scaled range so that
/// activations stay O(1), biases uniform in [-0.1, 0.1].
class NetBuilder {
public:
    NetBuilder(ir::Shape input, unsigned seed) : rng_(seed) {
        net_.name = "random";
        net_.input = input;
    }

    NetBuilder& dense(int out) {
        ir::Dense d;
        d.in = int(shape().size());
        d.out = out;
        d.w = uniform(std::size_t(d.in) * std::size_t(out), std::sqrt(3.0f / float(d.in)));
        d.b = uniform(std::size_t(out), 0.1f);
        return add(d);
    }
    NetBuilder& conv(int out_c, int k, int stride = 1, int pad = 0) {
        ir::Conv2d c;
        c.in_c = shape().c;
        c.out_c = out_c;
        c.kh = c.kw = k;
        c.stride_h = c.stride_w = stride;
        c.pad_top = c.pad_left = c.pad_bottom = c.pad_right = pad;
        c.w = uniform(std::size_t(out_c * c.in_c * k * k), std::sqrt(3.0f / float(c.in_c * k * k)));
        c.b = uniform(std::size_t(out_c), 0.1f);
        return add(c);
    }
    NetBuilder& affine() {
        ir::Affine a;
        a.scale = uniform(std::size_t(shape().c), 2.0f);
        a.shift = uniform(std::size_t(shape().c), 0.5f);
        return add(a);
    }
    NetBuilder& pool(ir::PoolKind kind, int k, int stride, int pad = 0, bool count_include_pad = false) {
        ir::Pool p;
        p.kind = kind;
        p.kh = p.kw = k;
        p.stride_h = p.stride_w = stride;
        p.pad_top = p.pad_left = p.pad_bottom = p.pad_right = pad;
        p.count_include_pad = count_include_pad;
        return add(p);
    }
    NetBuilder& zero_pad(int top, int left, int bottom, int right) {
        return add(ir::ZeroPad{top, left, bottom, right});
    }
    NetBuilder& flatten() { return add(ir::Reshape{ir::Shape{int(shape().size()), 1, 1}}); }

    template <class Op>
    NetBuilder& add(Op op) {
        ir::Layer l;
        l.name = ir::op_name(op) + std::to_string(net_.layers.size());
        l.in = shape();
        l.out = ir::infer_shape(op, l.in);
        l.op = std::move(op);
        net_.layers.push_back(std::move(l));
        return *this;
    }

    [[nodiscard]] ir::Shape shape() const { return net_.output(); }
    [[nodiscard]] const ir::Network& net() const { return net_; }
    std::mt19937& rng() { return rng_; }

private:
    std::vector<float> uniform(std::size_t n, float bound) {
        std::uniform_real_distribution<float> u(-bound, bound);
        std::vector<float> v(n);
        for (auto& x : v) x = u(rng_);
        return v;
    }

    ir::Network net_;
    std::mt19937 rng_;
};

inline std::vector<std::vector<float>> random_inputs(std::int64_t size, int count, std::mt19937& rng, float lo = 0.0f,
                                                     float hi = 1.0f) {
    std::uniform_real_distribution<float> u(lo, hi);
    std::vector<std::vector<float>> inputs(static_cast<std::size_t>(count),
                                           std::vector<float>(static_cast<std::size_t>(size)));
    for (auto& in : inputs) {
        for (auto& x : in) x = u(rng);
    }
    return inputs;
}

inline std::vector<float> dequantize(std::span<const std::int8_t> q, const QuantParams& p) {
    std::vector<float> v(q.size());
    for (std::size_t i = 0; i < q.size(); ++i) v[i] = p.scale * float(int(q[i]) - p.zero_point);
    return v;
}

}  // namespace scnn::int8::test
