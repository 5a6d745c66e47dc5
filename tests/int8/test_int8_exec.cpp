// Integer kernels: each layer against a straightforward per-element formula (bit-exact), plus hand cases.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "engine/int8/fixed_point.hpp"
#include "engine/int8/int8_exec.hpp"
#include "engine/int8/quantize.hpp"
#include "engine/ir/error.hpp"
#include "int8_test_util.hpp"

using namespace scnn;
using namespace scnn::int8;
using int8::test::NetBuilder;

namespace {

/// One-layer network with hand-set params.
QuantizedNetwork single(const ir::Op& op, ir::Shape in, QuantParams params) {
    QLayer q;
    q.layer.name = "l";
    q.layer.op = op;
    q.layer.in = in;
    q.layer.out = ir::infer_shape(op, in);
    q.in = q.out = params;
    return QuantizedNetwork{in, params, {q}};
}

/// Restricts `qnet` to its layer `i` (input params = that layer's input params).
QuantizedNetwork only_layer(const QuantizedNetwork& qnet, std::size_t i) {
    return QuantizedNetwork{qnet.layers[i].layer.in, qnet.layers[i].in, {qnet.layers[i]}};
}

std::vector<std::int8_t> random_q(std::int64_t n, std::mt19937& rng) {
    std::uniform_int_distribution<int> u(-128, 127);
    std::vector<std::int8_t> v(static_cast<std::size_t>(n));
    for (auto& x : v) x = std::int8_t(u(rng));
    return v;
}

/// The requantization every weighted layer must apply, written out once per element.
std::int8_t requant_ref(const QLayer& q, std::size_t c, std::int64_t acc) {
    REQUIRE(acc >= INT32_MIN);
    REQUIRE(acc <= INT32_MAX);
    const std::int32_t scaled = multiply_by_quantized_multiplier(std::int32_t(acc), q.multiplier[c], q.shift[c]);
    // The fixed-point result is within 1 of the exact rational product acc * M * 2^(shift-31).
    const long double exact = std::ldexp((long double)acc * q.multiplier[c], q.shift[c] - 31);
    REQUIRE(std::fabs((long double)scaled - exact) <= 1.5L);
    return std::int8_t(std::clamp(scaled + q.out.zero_point, q.act_min, q.act_max));
}

}  // namespace

TEST_CASE("quantize_input rounds and saturates", "[int8][exec]") {
    const auto qnet = single(ir::Reshape{ir::Shape{6, 1, 1}}, ir::Shape{6, 1, 1}, QuantParams{0.5f, 10});
    const std::vector<float> x = {1.0f, -100.0f, 100.0f, 0.25f, -0.25f, 0.74f};
    // 2+10, saturate, saturate, round(0.5)=1 -> 11, round(-0.5)=-1 -> 9, round(1.48)=1 -> 11
    CHECK(quantize_input(qnet, x) == std::vector<std::int8_t>{12, -128, 127, 11, 9, 11});
    CHECK(run(qnet, quantize_input(qnet, x)) == quantize_input(qnet, x));  // reshape is a no-op
    CHECK_THROWS_AS(quantize_input(qnet, std::vector<float>(5)), Error);
    CHECK_THROWS_AS(run(qnet, std::vector<std::int8_t>(7)), Error);
}

TEST_CASE("argmax takes the lowest index on ties", "[int8][exec]") {
    CHECK(argmax(std::vector<std::int8_t>{3, 7, 7, -1}) == 1);
    CHECK(argmax(std::vector<std::int8_t>{-128, -128}) == 0);
    CHECK(argmax(std::vector<std::int8_t>{5}) == 0);
}

TEST_CASE("dense kernel equals the per-element reference formula", "[int8][exec]") {
    NetBuilder b(ir::Shape{24, 1, 1}, 21);
    b.dense(9).add(ir::Relu{}).dense(5);
    std::mt19937 rng(1);
    const auto qnet = quantize(b.net(), int8::test::random_inputs(24, 8, rng, -1.0f, 1.0f));
    for (std::size_t li = 0; li < qnet.layers.size(); ++li) {
        const QLayer& q = qnet.layers[li];
        const auto& d = std::get<ir::Dense>(q.layer.op);
        for (int trial = 0; trial < 20; ++trial) {
            const auto x = random_q(d.in, rng);  // full int8 range, beyond the calibrated one
            std::vector<std::int8_t> want(std::size_t(d.out));
            for (int o = 0; o < d.out; ++o) {
                std::int64_t acc = q.bias[std::size_t(o)];
                for (int i = 0; i < d.in; ++i) {
                    acc += (std::int64_t{x[std::size_t(i)]} - q.in.zero_point) * q.w[std::size_t(o * d.in + i)];
                }
                want[std::size_t(o)] = requant_ref(q, std::size_t(o), acc);
            }
            REQUIRE(run(only_layer(qnet, li), x) == want);
        }
    }
}

TEST_CASE("conv kernel equals a pad-then-convolve reference", "[int8][exec]") {
    NetBuilder b(ir::Shape{3, 7, 6}, 5);
    b.conv(4, 3, 2, 1);  // stride 2, padding 1
    std::mt19937 rng(2);
    const auto qnet = quantize(b.net(), int8::test::random_inputs(b.net().input.size(), 8, rng, -1.0f, 2.0f));
    const QLayer& q = qnet.layers[0];
    const auto& c = std::get<ir::Conv2d>(q.layer.op);
    const ir::Shape in = q.layer.in, out = q.layer.out;
    const int ph = in.h + 2, pw = in.w + 2;
    for (int trial = 0; trial < 10; ++trial) {
        const auto x = random_q(in.size(), rng);
        // Explicitly padded input: padding holds the zero point, i.e. real 0.
        std::vector<std::int32_t> padded(std::size_t(in.c * ph * pw), q.in.zero_point);
        for (int ch = 0; ch < in.c; ++ch)
            for (int y = 0; y < in.h; ++y)
                for (int xx = 0; xx < in.w; ++xx)
                    padded[std::size_t((ch * ph + y + 1) * pw + xx + 1)] = x[std::size_t((ch * in.h + y) * in.w + xx)];
        std::vector<std::int8_t> want;
        for (int oc = 0; oc < c.out_c; ++oc) {
            for (int oy = 0; oy < out.h; ++oy) {
                for (int ox = 0; ox < out.w; ++ox) {
                    std::int64_t acc = q.bias[std::size_t(oc)];
                    for (int ic = 0; ic < c.in_c; ++ic)
                        for (int ky = 0; ky < 3; ++ky)
                            for (int kx = 0; kx < 3; ++kx)
                                acc += (padded[std::size_t((ic * ph + oy * 2 + ky) * pw + ox * 2 + kx)] -
                                        q.in.zero_point) *
                                       std::int64_t{q.w[std::size_t(((oc * c.in_c + ic) * 3 + ky) * 3 + kx)]};
                    want.push_back(requant_ref(q, std::size_t(oc), acc));
                }
            }
        }
        REQUIRE(run(qnet, x) == want);
    }
}

TEST_CASE("affine kernel is a per-channel 1x1 multiply-add", "[int8][exec]") {
    NetBuilder b(ir::Shape{5, 3, 2}, 8);
    b.affine();
    std::mt19937 rng(4);
    const auto qnet = quantize(b.net(), int8::test::random_inputs(b.net().input.size(), 8, rng, -1.0f, 1.0f));
    const QLayer& q = qnet.layers[0];
    for (const auto w : q.w) CHECK(std::abs(int(w)) == 127);  // one weight per channel: always exact
    const auto x = random_q(q.layer.in.size(), rng);
    std::vector<std::int8_t> want;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const std::size_t ch = i / 6;
        want.push_back(requant_ref(q, ch, q.bias[ch] + (std::int64_t{x[i]} - q.in.zero_point) * q.w[ch]));
    }
    CHECK(run(qnet, x) == want);
}

TEST_CASE("average pooling rounds half away from zero", "[int8][exec]") {
    // Six channels of 1x2, each averaged to 1x1.
    const ir::Pool avg{ir::PoolKind::Average, 1, 2, 1, 2};
    const auto qnet = single(avg, ir::Shape{6, 1, 2}, QuantParams{0.1f, 3});
    const std::vector<std::int8_t> x = {1, 2, -1, -2, -1, 2, -3, 0, 127, 127, -128, -127};
    // 1.5 -> 2, -1.5 -> -2, 0.5 -> 1, -1.5 -> -2, 127, -127.5 -> -128
    CHECK(run(qnet, x) == std::vector<std::int8_t>{2, -2, 1, -2, 127, -128});
}

TEST_CASE("pooling with padding: max skips it, average may count it as real zero", "[int8][exec]") {
    // 1x3 window, stride 1, one cell of padding on each side of a 1x2 row: two outputs.
    ir::Pool p{ir::PoolKind::Average, 1, 3, 1, 1, 0, 1, 0, 1, false};
    const std::vector<std::int8_t> x = {10, 20};
    CHECK(run(single(p, ir::Shape{1, 1, 2}, QuantParams{0.1f, -4}), x) == std::vector<std::int8_t>{15, 15});
    p.count_include_pad = true;  // (10 + 20 + zp) / 3 = 26 / 3 = 8.67 -> 9
    CHECK(run(single(p, ir::Shape{1, 1, 2}, QuantParams{0.1f, -4}), x) == std::vector<std::int8_t>{9, 9});
    p.kind = ir::PoolKind::Max;
    CHECK(run(single(p, ir::Shape{1, 1, 2}, QuantParams{0.1f, 50}), std::vector<std::int8_t>{-7, -9}) ==
          std::vector<std::int8_t>{-7, -7});
    // 2x2 max pool, stride 2
    const ir::Pool mp{ir::PoolKind::Max, 2, 2, 2, 2};
    const std::vector<std::int8_t> img = {1, -5, 3, 4, 9, -128, 0, 2, -1, -2, -3, -4, 127, 6, 5, -6};
    CHECK(run(single(mp, ir::Shape{1, 4, 4}, QuantParams{}), img) == std::vector<std::int8_t>{9, 4, 127, 5});
}

TEST_CASE("zero padding fills with the zero point", "[int8][exec]") {
    const auto qnet = single(ir::ZeroPad{1, 0, 0, 2}, ir::Shape{1, 1, 2}, QuantParams{0.2f, -17});
    CHECK(run(qnet, std::vector<std::int8_t>{5, 6}) == std::vector<std::int8_t>{-17, -17, -17, -17, 5, 6, -17, -17});
}

TEST_CASE("standalone ReLU/Clip clamp and Tanh/Sigmoid look up their table", "[int8][exec]") {
    auto qnet = single(ir::Relu{}, ir::Shape{4, 1, 1}, QuantParams{0.1f, -20});
    qnet.layers[0].act_min = -20;
    CHECK(run(qnet, std::vector<std::int8_t>{-128, -21, -20, 100}) == std::vector<std::int8_t>{-20, -20, -20, 100});
    qnet.layers[0].act_max = 30;
    CHECK(run(qnet, std::vector<std::int8_t>{-128, 29, 31, 127}) == std::vector<std::int8_t>{-20, 29, 30, 30});

    NetBuilder b(ir::Shape{5, 1, 1}, 1);
    b.add(ir::Tanh{});
    const auto t = quantize(b.net(), {{-2.0f, 4.0f, 0.0f, 1.0f, 1.0f}});  // scale 6/255, zero point -43
    const auto x = std::vector<std::int8_t>{-128, -1, 0, 1, 127};
    const auto y = run(t, x);
    for (std::size_t i = 0; i < x.size(); ++i) CHECK(y[i] == t.layers[0].lut[std::size_t(x[i] + 128)]);
    // -2 -> q -128 -> tanh(-2) * 128 = -123.4; -0.5 -> q -64 (real -0.4941) -> -58.56; 1.1 -> q 4 (real 1.1059)
    // -> 102.7; 4 -> q 127 -> tanh(4) * 128 = 127.9 -> saturates at 127
    CHECK(run(t, quantize_input(t, std::vector<float>{-2.0f, -0.5f, 0.0f, 1.1f, 4.0f})) ==
          std::vector<std::int8_t>{-123, -59, 0, 103, 127});
}

TEST_CASE("run rejects a quantized layer whose parameters do not match its shape", "[int8][exec]") {
    auto qnet = single(ir::Dense{2, 1, {0.5f, 0.5f}, {0.0f}}, ir::Shape{2, 1, 1}, QuantParams{});
    CHECK_THROWS_AS(run(qnet, std::vector<std::int8_t>{1, 2}), Error);  // no int8 weights at all
    qnet.layers[0].w = {1, 1};
    qnet.layers[0].bias = {0};
    qnet.layers[0].multiplier = {1 << 30};
    qnet.layers[0].shift = {1};  // * 1.0
    CHECK(run(qnet, std::vector<std::int8_t>{3, 4}) == std::vector<std::int8_t>{7});
    auto tanh = single(ir::Tanh{}, ir::Shape{2, 1, 1}, QuantParams{});
    CHECK_THROWS_AS(run(tanh, std::vector<std::int8_t>{1, 2}), Error);  // no table
}
