// End-to-end agreement of the int8 execution with the float reference on small random networks: the
// dequantized int8 output stays within a few output quantization steps, and the argmax mostly agrees.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "engine/int8/int8_exec.hpp"
#include "engine/int8/quantize.hpp"
#include "engine/ref/float_exec.hpp"
#include "int8_test_util.hpp"

using namespace scnn;
using namespace scnn::int8;
using int8::test::NetBuilder;

namespace {

struct Agreement {
    double max_steps = 0;  ///< worst |int8 - float| over all outputs, in output quantization steps
    double argmax_rate = 0;
};

/// Quantizes `net` on `calib` random inputs in [lo, hi], then measures the error on those same inputs (every
/// tensor inside its calibrated range, so no saturation: the bound is pure rounding) and the argmax agreement
/// on `tests` fresh inputs.
Agreement compare(const ir::Network& net, std::mt19937& rng, float lo, float hi, int calib = 64, int tests = 64) {
    const auto calibration = int8::test::random_inputs(net.input.size(), calib, rng, lo, hi);
    const auto qnet = quantize(net, calibration);
    const QuantParams out = qnet.layers.back().out;
    Agreement a;
    for (const auto& x : calibration) {
        const auto want = ref::run(net, x);
        const auto got = int8::test::dequantize(run(qnet, quantize_input(qnet, x)), out);
        REQUIRE(got.size() == want.size());
        for (std::size_t i = 0; i < got.size(); ++i) {
            a.max_steps = std::max(a.max_steps, std::fabs(double(got[i]) - double(want[i])) / double(out.scale));
        }
    }
    int agree = 0;
    for (const auto& x : int8::test::random_inputs(net.input.size(), tests, rng, lo, hi)) {
        agree += ref::argmax(ref::run(net, x)) == argmax(run(qnet, quantize_input(qnet, x)));
    }
    a.argmax_rate = double(agree) / tests;
    return a;
}

}  // namespace

TEST_CASE("int8 follows float: dense + relu", "[int8][accuracy]") {
    NetBuilder b(ir::Shape{16, 1, 1}, 101);
    b.dense(32).add(ir::Relu{}).dense(10);
    const auto a = compare(b.net(), b.rng(), -1.0f, 1.0f);
    INFO("max steps " << a.max_steps << ", argmax agreement " << a.argmax_rate);
    CHECK(a.max_steps <= 3.0);
    CHECK(a.argmax_rate >= 0.9);
}

TEST_CASE("int8 follows float: conv + relu + maxpool + avgpool + dense", "[int8][accuracy]") {
    NetBuilder b(ir::Shape{1, 10, 10}, 202);
    b.conv(4, 3, 1, 1).add(ir::Relu{}).pool(ir::PoolKind::Max, 2, 2);
    b.conv(6, 3).add(ir::Relu{}).pool(ir::PoolKind::Average, 2, 1);
    b.flatten().dense(10);
    const auto a = compare(b.net(), b.rng(), 0.0f, 1.0f);
    INFO("max steps " << a.max_steps << ", argmax agreement " << a.argmax_rate);
    CHECK(a.max_steps <= 4.0);
    CHECK(a.argmax_rate >= 0.85);
}

TEST_CASE("int8 follows float: affine (batch norm) with fused relu", "[int8][accuracy]") {
    NetBuilder b(ir::Shape{3, 4, 4}, 303);
    b.affine().add(ir::Relu{}).flatten().dense(6);
    const auto a = compare(b.net(), b.rng(), -1.0f, 1.0f);
    INFO("max steps " << a.max_steps << ", argmax agreement " << a.argmax_rate);
    CHECK(a.max_steps <= 3.0);
    CHECK(a.argmax_rate >= 0.9);
}

TEST_CASE("int8 follows float: tanh and sigmoid tables", "[int8][accuracy]") {
    NetBuilder b(ir::Shape{12, 1, 1}, 404);
    b.dense(16).add(ir::Tanh{}).dense(16).add(ir::Sigmoid{});
    const auto a = compare(b.net(), b.rng(), -2.0f, 2.0f);
    INFO("max steps " << a.max_steps << ", argmax agreement " << a.argmax_rate);
    CHECK(a.max_steps <= 3.0);  // steps of 1/256

    NetBuilder c(ir::Shape{12, 1, 1}, 405);
    c.dense(16).add(ir::Sigmoid{}).dense(8).add(ir::Tanh{}).dense(5);
    const auto ac = compare(c.net(), c.rng(), -2.0f, 2.0f);
    INFO("max steps " << ac.max_steps << ", argmax agreement " << ac.argmax_rate);
    CHECK(ac.max_steps <= 4.0);
    CHECK(ac.argmax_rate >= 0.85);
}

TEST_CASE("int8 follows float: zero pad, padded average pool, standalone relu and clip", "[int8][accuracy]") {
    NetBuilder b(ir::Shape{2, 6, 6}, 505);
    b.zero_pad(1, 2, 0, 1).conv(3, 3);
    b.pool(ir::PoolKind::Average, 3, 2, 1, true).add(ir::Relu{});
    b.pool(ir::PoolKind::Max, 2, 1, 1).add(ir::Clip{-0.1f, 0.6f});
    b.flatten().dense(6);
    const auto a = compare(b.net(), b.rng(), -1.0f, 1.0f);
    INFO("max steps " << a.max_steps << ", argmax agreement " << a.argmax_rate);
    CHECK(a.max_steps <= 4.0);
    CHECK(a.argmax_rate >= 0.85);
}

TEST_CASE("int8 follows float with percentile calibration", "[int8][accuracy]") {
    NetBuilder b(ir::Shape{1, 8, 8}, 606);
    b.conv(4, 3).add(ir::Clip{0.0f, 6.0f}).flatten().dense(8).add(ir::Relu{}).dense(4);
    const auto& net = b.net();
    const auto calib = int8::test::random_inputs(net.input.size(), 64, b.rng(), 0.0f, 1.0f);
    const auto qnet = quantize(net, calib, CalibrationOptions{99.9});
    int agree = 0;
    const auto tests = int8::test::random_inputs(net.input.size(), 64, b.rng(), 0.0f, 1.0f);
    for (const auto& x : tests) agree += ref::argmax(ref::run(net, x)) == argmax(run(qnet, quantize_input(qnet, x)));
    CHECK(agree >= 54);
}
