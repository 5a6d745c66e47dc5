// Small random networks for the simulator tests: every stage kind the compiler emits.
#pragma once

#include <random>
#include <vector>

#include "engine/ir/network.hpp"

namespace scnn::test {

inline ir::Network random_net(std::uint32_t seed, bool conv) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> nd(0.0f, 0.5f);
    const auto fill = [&](std::size_t n) {
        std::vector<float> v(n);
        for (auto& x : v) x = nd(rng);
        return v;
    };
    ir::Network net;
    net.name = "random";
    net.input = conv ? ir::Shape{1, 6, 6} : ir::Shape{12, 1, 1};
    std::vector<ir::Op> ops;
    if (conv) {
        ops.push_back(ir::Conv2d{1, 3, 3, 3, 1, 1, 1, 1, 1, 1, fill(27), fill(3)});
        ops.push_back(ir::Relu{});
        ops.push_back(ir::Pool{ir::PoolKind::Max, 2, 2, 2, 2});
        ops.push_back(ir::Conv2d{3, 4, 2, 2, 1, 1, 0, 0, 0, 0, fill(48), fill(4)});
        ops.push_back(ir::Tanh{});
        ops.push_back(ir::Pool{ir::PoolKind::Average, 2, 2, 1, 1});
        ops.push_back(ir::Reshape{ir::Shape{4, 1, 1}});
        ops.push_back(ir::Affine{fill(4), fill(4)});
        ops.push_back(ir::Sigmoid{});
        ops.push_back(ir::Dense{4, 3, fill(12), fill(3)});
    } else {
        ops.push_back(ir::Dense{12, 7, fill(84), fill(7)});
        ops.push_back(ir::Relu{});
        ops.push_back(ir::Dense{7, 5, fill(35), fill(5)});
        ops.push_back(ir::Clip{-0.5f, 0.5f});
        ops.push_back(ir::Dense{5, 4, fill(20), fill(4)});
    }
    ir::Shape cur = net.input;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        std::string name = "layer";
        name += char('a' + i);
        ir::Layer l{name, ops[i], cur, ir::infer_shape(ops[i], cur)};
        cur = l.out;
        net.layers.push_back(std::move(l));
    }
    return net;
}

/// An all-conv network that ends in pooling after its last linear layer (no Dense): conv → ReLU → max pool →
/// conv (one channel per class) → global average or max pool → flatten, as users write classifiers.
inline ir::Network random_pooled_tail_net(std::uint32_t seed, bool max_end) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> nd(0.0f, 0.5f);
    const auto fill = [&](std::size_t n) {
        std::vector<float> v(n);
        for (auto& x : v) x = nd(rng);
        return v;
    };
    ir::Network net;
    net.name = "random_pooled_tail";
    net.input = ir::Shape{1, 8, 8};
    const std::vector<ir::Op> ops{ir::Conv2d{1, 3, 3, 3, 1, 1, 1, 1, 1, 1, fill(27), fill(3)},
                                  ir::Relu{},
                                  ir::Pool{ir::PoolKind::Max, 2, 2, 2, 2},
                                  ir::Conv2d{3, 4, 3, 3, 1, 1, 1, 1, 1, 1, fill(108), fill(4)},
                                  ir::Pool{max_end ? ir::PoolKind::Max : ir::PoolKind::Average, 4, 4, 4, 4},
                                  ir::Reshape{ir::Shape{4, 1, 1}},
                                  ir::Relu{}};
    ir::Shape cur = net.input;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        std::string name = "tail";
        name += char('a' + i);
        ir::Layer l{name, ops[i], cur, ir::infer_shape(ops[i], cur)};
        cur = l.out;
        net.layers.push_back(std::move(l));
    }
    return net;
}

inline std::vector<std::uint8_t> random_pixels(std::uint32_t seed, std::size_t n) {
    std::mt19937 rng(seed);
    std::vector<std::uint8_t> v(n);
    for (auto& p : v) p = std::uint8_t(rng() % 256);
    for (std::size_t i = 0; i < n; i += 5) v[i] = 0;  // some exact zeros, as in real images
    return v;
}

inline std::vector<float> to_input(const std::vector<std::uint8_t>& p) {
    std::vector<float> v;
    for (auto x : p) v.push_back(float(x) / 255.0f);
    return v;
}

}  // namespace scnn::test
