// Small random networks for the simulator tests: every stage kind the compiler emits.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "engine/ir/network.hpp"

namespace scnn::test {

/// Normal(0, 0.5) weights from a seeded generator.
struct RandomWeights {
    std::mt19937 rng;
    std::normal_distribution<float> nd{0.0f, 0.5f};
    explicit RandomWeights(std::uint32_t seed) : rng(seed) {}
    std::vector<float> operator()(std::size_t n) {
        std::vector<float> v(n);
        for (auto& x : v) x = nd(rng);
        return v;
    }
};

/// A sequential network of `ops` on `input`, layers named prefix + a, b, c, …
inline ir::Network sequential(const std::string& name, ir::Shape input, const std::vector<ir::Op>& ops,
                              const std::string& prefix) {
    ir::Network net;
    net.name = name;
    net.input = input;
    ir::Shape cur = input;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        ir::Layer l{prefix + char('a' + i), ops[i], cur, ir::infer_shape(ops[i], cur)};
        cur = l.out;
        net.layers.push_back(std::move(l));
    }
    return net;
}

inline ir::Network random_net(std::uint32_t seed, bool conv) {
    RandomWeights fill(seed);
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
    return sequential("random", conv ? ir::Shape{1, 6, 6} : ir::Shape{12, 1, 1}, ops, "layer");
}

/// An all-conv network that ends in pooling after its last linear layer (no Dense): conv → ReLU → max pool →
/// conv (one channel per class) → global average or max pool → flatten, as users write classifiers.
inline ir::Network random_pooled_tail_net(std::uint32_t seed, bool max_end) {
    RandomWeights fill(seed);
    const std::vector<ir::Op> ops{ir::Conv2d{1, 3, 3, 3, 1, 1, 1, 1, 1, 1, fill(27), fill(3)},
                                  ir::Relu{},
                                  ir::Pool{ir::PoolKind::Max, 2, 2, 2, 2},
                                  ir::Conv2d{3, 4, 3, 3, 1, 1, 1, 1, 1, 1, fill(108), fill(4)},
                                  ir::Pool{max_end ? ir::PoolKind::Max : ir::PoolKind::Average, 4, 4, 4, 4},
                                  ir::Reshape{ir::Shape{4, 1, 1}},
                                  ir::Relu{}};
    return sequential("random_pooled_tail", ir::Shape{1, 8, 8}, ops, "tail");
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

/// Every encoding × adder × activation mapping the compiler accepts: the simulator and firmware tests run
/// each of them.
struct Variant {
    const char* encoding;
    const char* adder;
    const char* neuron;
};
inline constexpr Variant kVariants[] = {
    {"split-unipolar", "apc", "delta-sigma"}, {"split-unipolar", "mux", "delta-sigma"},
    {"split-unipolar", "or", "delta-sigma"},  {"split-unipolar", "apc", "btanh"},
    {"split-unipolar", "mux", "stanh"},       {"split-unipolar", "or", "stanh"},
    {"bipolar", "apc", "delta-sigma"},        {"bipolar", "mux", "delta-sigma"},
    {"bipolar", "apc", "btanh"},              {"bipolar", "mux", "stanh"},
};

}  // namespace scnn::test
