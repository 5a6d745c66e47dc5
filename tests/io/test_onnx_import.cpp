// Per-op ONNX import tests on models built here with the protobuf API; results are checked by running the
// imported network through the float executor against values computed independently in the test.
#include <catch2/catch.hpp>

#include <cmath>

#include "engine/io/onnx_import.hpp"
#include "engine/ir/error.hpp"
#include "engine/ref/float_exec.hpp"
#include "tests/support/onnx_builder.hpp"

using scnn::test::OnnxBuilder;
using scnn::test::pseudo_random;
namespace ir = scnn::ir;

namespace {

ir::Network import(OnnxBuilder& b, const std::string& out) {
    return scnn::io::import_onnx_bytes(b.finish(out), "test.onnx");
}

std::string import_error(OnnxBuilder& b, const std::string& out) {
    try {
        scnn::io::import_onnx_bytes(b.finish(out), "test.onnx");
    } catch (const scnn::Error& e) {
        return e.what();
    }
    return "";
}

// y = W x + b with W [out][in]
std::vector<float> affine(const std::vector<float>& w, const std::vector<float>& b, const std::vector<float>& x) {
    std::vector<float> y(b);
    for (std::size_t o = 0; o < y.size(); ++o) {
        for (std::size_t i = 0; i < x.size(); ++i) y[o] += w[o * x.size() + i] * x[i];
    }
    return y;
}

void require_close(const std::vector<float>& got, const std::vector<float>& want, float tol = 1e-4f) {
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) REQUIRE(got[i] == Approx(want[i]).margin(tol));
}

}  // namespace

TEST_CASE("Gemm (transB) + Relu + Gemm imports as Dense layers", "[onnx]") {
    OnnxBuilder b({-1, 4});
    const auto w1 = pseudo_random(12, 1), b1 = pseudo_random(3, 2), w2 = pseudo_random(6, 3), b2 = pseudo_random(2, 4);
    b.init("w1", {3, 4}, w1);
    b.init("b1", {3}, b1);
    b.init("w2", {2, 3}, w2);
    b.init("b2", {2}, b2);
    OnnxBuilder::attr(b.node("Gemm", {"input", "w1", "b1"}, {"h"}), "transB", 1);
    b.node("Relu", {"h"}, {"r"});
    OnnxBuilder::attr(b.node("Gemm", {"r", "w2", "b2"}, {"y"}), "transB", 1);
    const auto net = import(b, "y");
    REQUIRE(net.layers.size() == 3);
    CHECK(ir::op_name(net.layers[0].op) == "Dense");
    CHECK(net.input == ir::Shape{4, 1, 1});
    const std::vector<float> x = {0.5f, -1.0f, 0.25f, 2.0f};
    auto h = affine(w1, b1, x);
    for (auto& v : h) v = std::max(v, 0.0f);
    require_close(scnn::ref::run(net, x), affine(w2, b2, h));
}

TEST_CASE("MatMul + Add fold into one Dense with bias; Gemm alpha/beta apply", "[onnx]") {
    OnnxBuilder b({1, 3});
    const auto w = pseudo_random(6, 5);  // [in=3][out=2]
    b.init("w", {3, 2}, w);
    b.init("bias", {2}, {0.5f, -0.25f});
    b.node("MatMul", {"input", "w"}, {"m"});
    b.node("Add", {"m", "bias"}, {"y"});
    const auto net = import(b, "y");
    REQUIRE(net.layers.size() == 1);
    const std::vector<float> x = {1.0f, 2.0f, -1.0f};
    const std::vector<float> want = {w[0] * 1 + w[2] * 2 - w[4] + 0.5f, w[1] * 1 + w[3] * 2 - w[5] - 0.25f};
    require_close(scnn::ref::run(net, x), want);

    OnnxBuilder g({-1, 2});
    g.init("w", {2, 2}, {1, 2, 3, 4});  // [in][out], transB = 0
    g.init("c", {2}, {1, 1});
    auto& n = g.node("Gemm", {"input", "w", "c"}, {"y"});
    OnnxBuilder::attr_f(n, "alpha", 2.0f);
    OnnxBuilder::attr_f(n, "beta", 0.5f);
    require_close(scnn::ref::run(import(g, "y"), std::vector<float>{1, 1}), {2 * (1 + 3) + 0.5f, 2 * (2 + 4) + 0.5f});
}

TEST_CASE("Conv with stride and pads, BatchNormalization folded into it", "[onnx]") {
    OnnxBuilder b({-1, 1, 5, 5});
    const auto w = pseudo_random(2 * 9, 7);
    b.init("w", {2, 1, 3, 3}, w);
    b.init("cb", {2}, {0.1f, -0.2f});
    b.init("gamma", {2}, {2.0f, 0.5f});
    b.init("beta", {2}, {0.0f, 1.0f});
    b.init("mean", {2}, {0.5f, -0.5f});
    b.init("var", {2}, {4.0f, 0.25f});
    auto& c = b.node("Conv", {"input", "w", "cb"}, {"c"});
    OnnxBuilder::attr(c, "strides", std::vector<std::int64_t>{2, 2});
    OnnxBuilder::attr(c, "pads", std::vector<std::int64_t>{1, 1, 1, 1});
    OnnxBuilder::attr(c, "kernel_shape", std::vector<std::int64_t>{3, 3});
    auto& bn = b.node("BatchNormalization", {"c", "gamma", "beta", "mean", "var"}, {"bn"});
    OnnxBuilder::attr_f(bn, "epsilon", 0.0f);
    b.node("Flatten", {"bn"}, {"y"});
    const auto net = import(b, "y");
    REQUIRE(net.layers.size() == 2);  // Conv (BN folded) + Reshape
    REQUIRE(net.layers[0].out == ir::Shape{2, 3, 3});
    const auto x = pseudo_random(25, 9);
    std::vector<float> want;
    const float gamma[2] = {2.0f, 0.5f}, beta[2] = {0.0f, 1.0f}, mean[2] = {0.5f, -0.5f}, sd[2] = {2.0f, 0.5f};
    for (int oc = 0; oc < 2; ++oc) {
        for (int oy = 0; oy < 3; ++oy) {
            for (int ox = 0; ox < 3; ++ox) {
                float acc = oc == 0 ? 0.1f : -0.2f;
                for (int ky = 0; ky < 3; ++ky) {
                    for (int kx = 0; kx < 3; ++kx) {
                        const int iy = oy * 2 - 1 + ky, ix = ox * 2 - 1 + kx;
                        if (iy >= 0 && iy < 5 && ix >= 0 && ix < 5) acc += w[std::size_t(oc * 9 + ky * 3 + kx)] * x[std::size_t(iy * 5 + ix)];
                    }
                }
                want.push_back(gamma[oc] * (acc - mean[oc]) / sd[oc] + beta[oc]);
            }
        }
    }
    require_close(scnn::ref::run(net, x), want);
}

TEST_CASE("BatchNormalization with nothing before it stays an affine layer", "[onnx]") {
    OnnxBuilder b({-1, 2});
    b.init("g", {2}, {2, 3});
    b.init("bt", {2}, {1, 0});
    b.init("m", {2}, {0, 1});
    b.init("v", {2}, {1, 1});
    OnnxBuilder::attr_f(b.node("BatchNormalization", {"input", "g", "bt", "m", "v"}, {"y"}), "epsilon", 0.0f);
    const auto net = import(b, "y");
    REQUIRE(net.layers.size() == 1);
    CHECK(ir::op_name(net.layers[0].op) == "Affine");
    require_close(scnn::ref::run(net, std::vector<float>{1, 1}), {3, 0});
}

TEST_CASE("Clip from inputs (opset 13) and from attributes (opset 9); Tanh, Sigmoid", "[onnx]") {
    OnnxBuilder b({-1, 3});
    b.init("lo", {}, {-0.5f});
    b.init("hi", {}, {0.5f});
    b.node("Clip", {"input", "lo", "hi"}, {"c"});
    b.node("Tanh", {"c"}, {"t"});
    b.node("Sigmoid", {"t"}, {"y"});
    const auto net = import(b, "y");
    auto f = [](float v) { return 1.0f / (1.0f + std::exp(-std::tanh(std::clamp(v, -0.5f, 0.5f)))); };
    require_close(scnn::ref::run(net, std::vector<float>{-2, 0.25f, 3}), {f(-2), f(0.25f), f(3)});

    OnnxBuilder old({-1, 3}, 9);
    auto& c = old.node("Clip", {"input"}, {"y"});
    OnnxBuilder::attr_f(c, "min", 0.0f);
    OnnxBuilder::attr_f(c, "max", 6.0f);
    require_close(scnn::ref::run(import(old, "y"), std::vector<float>{-1, 3, 9}), {0, 3, 6});
}

TEST_CASE("MaxPool, AveragePool (with and without count_include_pad), GlobalAveragePool", "[onnx]") {
    const std::vector<float> x = {1, 2, 3, 4, 5, 6, 7, 8, 9};  // 1x3x3
    auto pool = [&](const char* op, bool include_pad) {
        OnnxBuilder b({-1, 1, 3, 3});
        auto& n = b.node(op, {"input"}, {"p"});
        if (std::string(op) != "GlobalAveragePool") {
            OnnxBuilder::attr(n, "kernel_shape", std::vector<std::int64_t>{2, 2});
            OnnxBuilder::attr(n, "pads", std::vector<std::int64_t>{0, 0, 1, 1});
            OnnxBuilder::attr(n, "strides", std::vector<std::int64_t>{2, 2});
            OnnxBuilder::attr(n, "count_include_pad", include_pad ? 1 : 0);
        }
        b.node("Flatten", {"p"}, {"y"});
        return scnn::ref::run(import(b, "y"), x);
    };
    require_close(pool("MaxPool", false), {5, 6, 8, 9});
    require_close(pool("AveragePool", false), {3, 4.5f, 7.5f, 9});
    require_close(pool("AveragePool", true), {3, 2.25f, 3.75f, 2.25f});
    require_close(pool("GlobalAveragePool", false), {5});
}

TEST_CASE("Pad (zero) folds into a following Conv and stays before a pool", "[onnx]") {
    OnnxBuilder b({-1, 1, 2, 2});
    b.init_i64("pads", {8}, {0, 0, 1, 1, 0, 0, 1, 1});
    b.init("w", {1, 1, 1, 1}, {2.0f});
    b.node("Pad", {"input", "pads"}, {"p"});
    b.node("Conv", {"p", "w"}, {"c"});
    b.node("Flatten", {"c"}, {"y"});
    const auto net = import(b, "y");
    REQUIRE(net.layers.size() == 2);
    const auto* conv = std::get_if<ir::Conv2d>(&net.layers[0].op);
    REQUIRE(conv != nullptr);
    CHECK(conv->pad_top == 1);
    require_close(scnn::ref::run(net, std::vector<float>{1, 2, 3, 4}),
                  {0, 0, 0, 0, 0, 2, 4, 0, 0, 6, 8, 0, 0, 0, 0, 0});

    OnnxBuilder a({-1, 1, 2, 2});
    a.init_i64("pads", {8}, {0, 0, 0, 0, 0, 0, 1, 1});
    a.node("Pad", {"input", "pads"}, {"p"});
    auto& ap = a.node("AveragePool", {"p"}, {"q"});
    OnnxBuilder::attr(ap, "kernel_shape", std::vector<std::int64_t>{3, 3});
    a.node("Flatten", {"q"}, {"y"});
    require_close(scnn::ref::run(import(a, "y"), std::vector<float>{9, 9, 9, 9}), {4});
}

TEST_CASE("x.view(x.size(0), -1) shape subgraph folds into a Reshape", "[onnx]") {
    OnnxBuilder b({-1, 2, 2, 2});
    b.node("Shape", {"input"}, {"s"});
    b.init_i64("zero", {}, {0});
    b.node("Gather", {"s", "zero"}, {"n"});
    b.init_i64("axes", {1}, {0});
    b.node("Unsqueeze", {"n", "axes"}, {"n1"});
    b.constant_i64("minus1", {-1});
    OnnxBuilder::attr(b.node("Concat", {"n1", "minus1"}, {"shape"}), "axis", 0);
    b.node("Reshape", {"input", "shape"}, {"flat"});
    b.init("w", {1, 8}, {1, 1, 1, 1, 1, 1, 1, 1});
    OnnxBuilder::attr(b.node("Gemm", {"flat", "w"}, {"y"}), "transB", 1);
    const auto net = import(b, "y");
    REQUIRE(net.layers.size() == 2);
    CHECK(net.layers[0].out == ir::Shape{8, 1, 1});
    require_close(scnn::ref::run(net, std::vector<float>{1, 2, 3, 4, 5, 6, 7, 8}), {36});
}

TEST_CASE("Shape, Slice, Squeeze, Cast and a constant reshape target", "[onnx]") {
    OnnxBuilder b({-1, 4, 2});
    b.node("Shape", {"input"}, {"s"});
    b.init_i64("st", {1}, {0});
    b.init_i64("en", {1}, {1});
    b.node("Slice", {"s", "st", "en"}, {"n1"});
    b.init_i64("ax", {1}, {0});
    b.node("Squeeze", {"n1", "ax"}, {"n"});
    OnnxBuilder::attr(b.node("Cast", {"n"}, {"nc"}), "to", onnx::TensorProto::INT64);
    b.node("Unsqueeze", {"nc", "ax"}, {"nu"});
    b.init_i64("rest", {2}, {2, 4});
    OnnxBuilder::attr(b.node("Concat", {"nu", "rest"}, {"shape"}), "axis", 0);
    b.node("Reshape", {"input", "shape"}, {"r"});
    b.node("Identity", {"r"}, {"i"});
    b.init_i64("flat", {2}, {-1, 8});
    b.node("Reshape", {"i", "flat"}, {"y"});
    const auto net = import(b, "y");
    CHECK(net.input == ir::Shape{1, 4, 2});
    CHECK(net.layers.front().out == ir::Shape{1, 2, 4});
    CHECK(net.output() == ir::Shape{8, 1, 1});
}

TEST_CASE("Softmax at the output is recorded and dropped; Dropout is identity", "[onnx]") {
    OnnxBuilder b({-1, 2});
    b.init("w", {2, 2}, {1, 0, 0, 1});
    b.node("MatMul", {"input", "w"}, {"m"});
    b.node("Dropout", {"m"}, {"d"});
    OnnxBuilder::attr(b.node("LogSoftmax", {"d"}, {"y"}), "axis", 1);
    const auto net = import(b, "y");
    CHECK(net.output_softmax);
    require_close(scnn::ref::run(net, std::vector<float>{3, -1}), {3, -1});
}

TEST_CASE("Unsupported operators are all listed with their node names", "[onnx][bad-input]") {
    OnnxBuilder b({-1, 4});
    b.node("Relu", {"input"}, {"a"}, "relu0");
    b.node("LSTM", {"a"}, {"b"}, "my_lstm");
    b.node("Resize", {"b"}, {"c"}, "my_resize");
    const auto msg = import_error(b, "c");
    CHECK_THAT(msg, Catch::Contains("2 unsupported nodes"));
    CHECK_THAT(msg, Catch::Contains("my_lstm (LSTM)"));
    CHECK_THAT(msg, Catch::Contains("my_resize (Resize)"));
    CHECK_THAT(msg, !Catch::Contains("relu0"));
}

TEST_CASE("Structural errors: branches, shape mismatches, unsupported attributes", "[onnx][bad-input]") {
    SECTION("residual add of two activations") {
        OnnxBuilder b({-1, 4});
        b.node("Relu", {"input"}, {"a"});
        b.node("Add", {"a", "input"}, {"y"}, "res_add");
        CHECK_THAT(import_error(b, "y"), Catch::Contains("res_add"));
    }
    SECTION("Gemm weight does not match the input width") {
        OnnxBuilder b({-1, 4});
        b.init("w", {3, 5}, pseudo_random(15, 1));
        OnnxBuilder::attr(b.node("Gemm", {"input", "w"}, {"y"}, "fc"), "transB", 1);
        CHECK_THAT(import_error(b, "y"), Catch::Contains("fc") && Catch::Contains("5 inputs"));
    }
    SECTION("grouped convolution") {
        OnnxBuilder b({-1, 2, 4, 4});
        b.init("w", {2, 1, 3, 3}, pseudo_random(18, 1));
        OnnxBuilder::attr(b.node("Conv", {"input", "w"}, {"c"}, "dw"), "group", 2);
        b.node("Flatten", {"c"}, {"y"});
        CHECK_THAT(import_error(b, "y"), Catch::Contains("dw") && Catch::Contains("group"));
    }
    SECTION("initializer data shorter than its shape") {
        OnnxBuilder b({-1, 4});
        b.init("w", {3, 4}, pseudo_random(5, 1));
        OnnxBuilder::attr(b.node("Gemm", {"input", "w"}, {"y"}), "transB", 1);
        CHECK_THAT(import_error(b, "y"), Catch::Contains("initializer 'w'") && Catch::Contains("needs 12"));
    }
    SECTION("opset out of range") {
        OnnxBuilder b({-1, 4}, 5);
        b.node("Relu", {"input"}, {"y"});
        CHECK_THAT(import_error(b, "y"), Catch::Contains("opset 5"));
    }
    SECTION("absurd input dimensions") {
        OnnxBuilder b({-1, 100000, 100000});
        b.node("Relu", {"input"}, {"y"});
        CHECK_THAT(import_error(b, "y"), Catch::Contains("too large"));
    }
}

TEST_CASE("Garbage model bytes give one clear error", "[onnx][bad-input]") {
    CHECK_THROWS_WITH(scnn::io::import_onnx_bytes(std::string("\x0a\xff\xff\xff\x0f garbage", 13), "x.onnx"),
                      Catch::Contains("x.onnx") && Catch::Contains("not a valid ONNX model"));
    onnx::TensorProto t;  // a valid protobuf that is not a model
    t.set_name("weights");
    t.add_dims(2);
    CHECK_THROWS_WITH(scnn::io::import_onnx_bytes(t.SerializeAsString(), "t.onnx"), Catch::Contains("t.onnx"));
    CHECK_THROWS_WITH(scnn::io::import_onnx("/nonexistent/model.onnx"), Catch::Contains("cannot open"));
    OnnxBuilder b({-1, 4});
    b.init("w", {3, 4}, pseudo_random(12, 1));
    OnnxBuilder::attr(b.node("Gemm", {"input", "w"}, {"y"}), "transB", 1);
    const std::string bytes = b.finish("y");
    for (std::size_t cut : {bytes.size() / 4, bytes.size() / 2, bytes.size() - 3}) {
        CHECK_THROWS_AS(scnn::io::import_onnx_bytes(bytes.substr(0, cut), "cut.onnx"), scnn::Error);
    }
}
