// Post-training quantization: calibration ranges, percentile, weights and biases, fusion rules, fixed params.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <random>

#include "engine/int8/fixed_point.hpp"
#include "engine/int8/quantize.hpp"
#include "engine/ir/error.hpp"
#include "int8_test_util.hpp"

using namespace scnn;
using namespace scnn::int8;
using int8::test::NetBuilder;

namespace {

/// A network whose only layer relabels the input, so that the input is the only calibrated tensor.
ir::Network identity_net(int n) {
    NetBuilder b(ir::Shape{n, 1, 1}, 1);
    b.add(ir::Reshape{ir::Shape{n, 1, 1}});
    return b.net();
}

QuantParams input_params(const std::vector<std::vector<float>>& calib, double percentile = 100.0) {
    return quantize(identity_net(int(calib[0].size())), calib, CalibrationOptions{percentile}).input_params;
}

/// numpy-style linear-interpolated percentile (q in [0, 1]) of a sorted vector.
double percentile_of(const std::vector<float>& sorted, double q) {
    const double pos = q * double(sorted.size() - 1);
    const auto i = std::size_t(std::floor(pos));
    const std::size_t j = std::min(i + 1, sorted.size() - 1);
    return double(sorted[i]) + (pos - double(i)) * (double(sorted[j]) - double(sorted[i]));
}

double real_multiplier(const QLayer& q, std::size_t c) { return std::ldexp(double(q.multiplier[c]), q.shift[c] - 31); }

}  // namespace

TEST_CASE("activation ranges come from min/max and always include zero", "[int8][quantize]") {
    // [-1, 3]: scale 4/255, zero point -128 + 1/(4/255) = -64.25 -> -64
    auto p = input_params({{-1.0f, 0.5f, 3.0f, 2.0f}, {0.0f, 0.0f, 0.0f, 0.0f}});
    CHECK(p.scale == Approx(4.0 / 255.0).epsilon(1e-6));
    CHECK(p.zero_point == -64);

    p = input_params({{2.0f, 5.0f}});  // widened to [0, 5]
    CHECK(p.scale == Approx(5.0 / 255.0).epsilon(1e-6));
    CHECK(p.zero_point == -128);

    p = input_params({{-2.0f, -4.0f}});  // widened to [-4, 0]
    CHECK(p.scale == Approx(4.0 / 255.0).epsilon(1e-6));
    CHECK(p.zero_point == 127);

    p = input_params({{0.0f, 0.0f, 0.0f}});  // zero range: guarded, still a valid positive scale
    CHECK(p.scale > 0.0f);
    CHECK(std::isfinite(1.0f / p.scale));
    CHECK(p.zero_point >= -128);
    CHECK(p.zero_point <= 127);
}

TEST_CASE("percentile calibration equals a full sort with linear interpolation", "[int8][quantize]") {
    SECTION("evenly spaced values split over two inputs") {
        std::vector<std::vector<float>> calib(2, std::vector<float>(5000));
        for (int i = 0; i < 10000; ++i) calib[std::size_t(i % 2)][std::size_t(i / 2)] = float(i - 5000);
        // p = 99 over -5000..4999: lo = -5000 + 0.01 * 9999, hi = -5000 + 0.99 * 9999
        const auto p = input_params(calib, 99.0);
        const double lo = -5000 + 99.99, hi = -5000 + 9899.01;
        CHECK(p.scale == Approx((hi - lo) / 255.0).epsilon(1e-6));
        CHECK(p.zero_point == int(std::round(-128 - lo / ((hi - lo) / 255.0))));
    }
    SECTION("random values with outliers") {
        std::mt19937 rng(42);
        std::normal_distribution<float> normal(0.3f, 1.0f);
        std::vector<std::vector<float>> calib(3, std::vector<float>(2000));
        for (auto& in : calib) {
            for (auto& v : in) v = normal(rng);
        }
        calib[1][17] = 60.0f;  // outliers that min/max would keep
        calib[2][5] = -45.0f;
        std::vector<float> all;
        for (const auto& in : calib) all.insert(all.end(), in.begin(), in.end());
        std::sort(all.begin(), all.end());
        for (const double pct : {99.99, 99.9, 99.0, 90.0}) {
            const double lo = std::min(0.0, percentile_of(all, 1.0 - pct / 100.0));
            const double hi = std::max(0.0, percentile_of(all, pct / 100.0));
            const auto p = input_params(calib, pct);
            INFO("percentile " << pct);
            CHECK(p.scale == Approx((hi - lo) / 255.0).epsilon(1e-6));
            CHECK(p.zero_point == int(std::round(-128 - lo / double(p.scale))));
        }
        const auto full = input_params(calib, 100.0);
        CHECK(full.scale == Approx(105.0 / 255.0).epsilon(1e-6));
        CHECK(input_params(calib, 99.9).scale < full.scale / 10);
    }
}

TEST_CASE("quantize rejects bad calibration and options", "[int8][quantize]") {
    const auto net = identity_net(3);
    CHECK_THROWS_AS(quantize(net, {}), Error);
    CHECK_THROWS_AS(quantize(net, {{1.0f, 2.0f}}), Error);
    CHECK_THROWS_AS(quantize(net, {{1.0f, 2.0f, 3.0f}}, CalibrationOptions{50.0}), Error);
    CHECK_THROWS_AS(quantize(net, {{1.0f, 2.0f, 3.0f}}, CalibrationOptions{100.5}), Error);
    CHECK_THROWS_AS(quantize(net, {{1.0f, 2.0f, 3.0f}}, CalibrationOptions{std::nan("")}), Error);
    CHECK_THROWS_AS(quantize(net, {{1.0f, std::numeric_limits<float>::infinity(), 3.0f}}), Error);
    CHECK_NOTHROW(quantize(net, {{1.0f, 2.0f, 3.0f}}, CalibrationOptions{99.0}));
}

TEST_CASE("weights are symmetric per output channel, biases int32 at s_in * s_w", "[int8][quantize]") {
    NetBuilder b(ir::Shape{3, 1, 1}, 1);
    ir::Dense d;
    d.in = 3;
    d.out = 3;
    d.w = {0.5f,  -1.0f, 0.25f,    // s_w = 1/127: 63.5 -> 64, -127, 31.75 -> 32
           0.0f,  0.0f,  0.0f,     // all zero: weights 0, any safe scale
           0.01f, 0.02f, -0.04f};  // s_w = 0.04/127: 31.75 -> 32, 63.5 -> 64, -127
    d.b = {0.1f, 0.3f, 0.0f};
    b.add(d);
    const auto qnet = quantize(b.net(), {{1.0f, -1.0f, 0.5f}, {-0.5f, 0.0f, 2.0f}});
    REQUIRE(qnet.layers.size() == 1);
    const QLayer& q = qnet.layers[0];
    CHECK(q.w == std::vector<std::int8_t>{64, -127, 32, 0, 0, 0, 32, 64, -127});
    const double s_in = q.in.scale, s_out = q.out.scale;
    CHECK(q.bias[0] == std::lround(0.1 / (s_in / 127.0)));
    CHECK(q.bias[2] == 0);
    CHECK(real_multiplier(q, 0) == Approx(s_in / 127.0 / s_out).epsilon(1e-8));
    CHECK(real_multiplier(q, 2) == Approx(s_in * double(0.04f) / 127.0 / s_out).epsilon(1e-8));
    // The all-zero channel reproduces its bias finely (not at a coarse step of s_in): bias * multiplier
    // = 0.3 / s_out.
    CHECK(double(q.bias[1]) * real_multiplier(q, 1) == Approx(0.3 / s_out).epsilon(1e-6));
}

TEST_CASE("a bias that dwarfs its weights stays inside the int32 range", "[int8][quantize]") {
    NetBuilder b(ir::Shape{2, 1, 1}, 1);
    b.add(ir::Dense{2, 1, {1e-9f, -1e-9f}, {100.0f}});
    const auto qnet = quantize(b.net(), {{1.0f, 0.0f}, {0.0f, 1.0f}});
    const QLayer& q = qnet.layers[0];
    CHECK(std::abs(q.bias[0]) <= (1 << 30));
    CHECK(double(q.bias[0]) * real_multiplier(q, 0) == Approx(100.0 / q.out.scale).epsilon(1e-3));
}

TEST_CASE("a layer whose int32 accumulator could overflow is refused", "[int8][quantize]") {
    const int n = 70000;  // 70000 * 127 * 255 > 2^31
    NetBuilder b(ir::Shape{n, 1, 1}, 1);
    b.add(ir::Dense{n, 1, std::vector<float>(std::size_t(n), 1.0f), {0.0f}});
    CHECK_THROWS_AS(quantize(b.net(), {std::vector<float>(std::size_t(n), 0.5f)}), Error);
}

TEST_CASE("ReLU and Clip right after Dense/Conv2d/Affine are fused", "[int8][quantize]") {
    NetBuilder b(ir::Shape{2, 5, 5}, 3);
    b.conv(4, 3).add(ir::Relu{}).add(ir::Clip{-1.0f, 0.8f});           // fused (both)
    b.pool(ir::PoolKind::Max, 2, 1).add(ir::Relu{});                   // standalone ReLU after a pool
    b.affine().add(ir::Clip{-0.25f, 0.5f});                            // fused
    b.flatten().dense(6).add(ir::Tanh{}).dense(3).add(ir::Sigmoid{});  // not fused
    std::mt19937 rng(9);
    const auto calib = int8::test::random_inputs(b.net().input.size(), 16, rng, -1.0f, 1.0f);
    const auto qnet = quantize(b.net(), calib);
    const auto& L = qnet.layers;
    REQUIRE(L.size() == 9);
    CHECK(std::holds_alternative<ir::Conv2d>(L[0].layer.op));
    CHECK(std::holds_alternative<ir::Pool>(L[1].layer.op));
    CHECK(std::holds_alternative<ir::Relu>(L[2].layer.op));
    CHECK(std::holds_alternative<ir::Affine>(L[3].layer.op));
    CHECK(std::holds_alternative<ir::Reshape>(L[4].layer.op));
    CHECK(std::holds_alternative<ir::Dense>(L[5].layer.op));
    CHECK(std::holds_alternative<ir::Tanh>(L[6].layer.op));
    CHECK(std::holds_alternative<ir::Dense>(L[7].layer.op));
    CHECK(std::holds_alternative<ir::Sigmoid>(L[8].layer.op));

    // Conv+ReLU+Clip: output params measured after the clip (range [0, 0.8]), clamp at quantized 0 and 0.8.
    CHECK(L[0].out.zero_point == -128);
    CHECK(L[0].out.scale == Approx(0.8 / 255.0).epsilon(1e-5));
    CHECK(L[0].act_min == -128);
    CHECK(L[0].act_max == 127);
    // Pool and the standalone ReLU keep their input's params; the ReLU clamps at the zero point.
    CHECK(L[1].in.scale == L[0].out.scale);
    CHECK(L[1].out.scale == L[1].in.scale);
    CHECK(L[1].out.zero_point == L[1].in.zero_point);
    CHECK(L[2].out.zero_point == L[2].in.zero_point);
    CHECK(L[2].act_min == L[2].in.zero_point);
    CHECK(L[2].act_max == 127);
    // Affine+Clip: the fused clamp is the clip's bounds in the output domain.
    const auto& a = L[3];
    CHECK(a.w.size() == 4);
    CHECK(a.act_min == std::max(-128, int(std::lround(a.out.zero_point - 0.25 / a.out.scale))));
    CHECK(a.act_max == std::min(127, int(std::lround(a.out.zero_point + 0.5 / a.out.scale))));
    CHECK(L[4].in.scale == L[4].out.scale);  // reshape
    // Fixed output params of Tanh and Sigmoid, and their tables.
    CHECK(L[6].out.scale == 1.0f / 128.0f);
    CHECK(L[6].out.zero_point == 0);
    CHECK(L[8].out.scale == 1.0f / 256.0f);
    CHECK(L[8].out.zero_point == -128);
    for (const auto* q : {&L[6], &L[8]}) {
        REQUIRE(q->lut.size() == 256);
        CHECK(std::is_sorted(q->lut.begin(), q->lut.end()));
        CHECK(q->lut[std::size_t(q->in.zero_point + 128)] == 0);  // tanh(0) = 0 -> 0; sigmoid(0) = 0.5 -> 0
    }
    CHECK(L[6].in.scale == L[5].out.scale);
    for (std::size_t i = 1; i < L.size(); ++i) CHECK(L[i].in.scale == L[i - 1].out.scale);
}

TEST_CASE("standalone Clip clamps at its bounds in the input's domain", "[int8][quantize]") {
    NetBuilder b(ir::Shape{4, 1, 1}, 1);
    b.add(ir::Clip{-0.5f, 0.25f});
    const auto qnet = quantize(b.net(), {{-1.0f, 1.0f, 0.0f, 0.5f}});
    const QLayer& q = qnet.layers[0];
    CHECK(q.in.scale == q.out.scale);
    CHECK(q.in.zero_point == q.out.zero_point);
    CHECK(q.act_min == int(std::lround(q.in.zero_point - 0.5 / q.in.scale)));
    CHECK(q.act_max == int(std::lround(q.in.zero_point + 0.25 / q.in.scale)));
}
