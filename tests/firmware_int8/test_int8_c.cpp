// The generated int8 C, built with the host gcc (-std=c99 -Wall -Wextra -Werror) and run on images, gives
// the same int8 logits and class as engine/int8 on every image: the bundled models on Fashion-MNIST test
// images, and small random networks that use every layer kind the int8 executor runs.
#include <catch2/catch.hpp>
#include <random>

#include "engine/io/dataset.hpp"
#include "engine/io/onnx_import.hpp"
#include "engine/ir/error.hpp"
#include "tests/firmware_int8/int8_c_harness.hpp"
#include "tests/int8/int8_test_util.hpp"

using namespace scnn;
using test::TempDir;

namespace {

using Images = std::vector<std::vector<std::uint8_t>>;

Images dataset_images(const io::Dataset& d) {
    Images v;
    for (std::int64_t i = 0; i < d.count; ++i) v.emplace_back(d.image(i).begin(), d.image(i).end());
    return v;
}

Images random_images(std::int64_t size, int count, std::mt19937& rng) {
    std::uniform_int_distribution<int> u(0, 255);
    Images v(static_cast<std::size_t>(count), std::vector<std::uint8_t>(static_cast<std::size_t>(size)));
    for (auto& im : v)
        for (auto& p : im) p = std::uint8_t(u(rng));
    return v;
}

std::vector<std::vector<float>> as_inputs(const Images& images) {
    std::vector<std::vector<float>> v;
    for (const auto& im : images) v.push_back(ref::pixels_to_input(im));
    return v;
}

/// Emits, builds and runs `qnet` on `images`; requires every row to equal engine/int8's.
void require_equal(const int8::QuantizedNetwork& qnet, const Images& images) {
    TempDir dir;
    test::write_model(qnet, dir);
    const auto build = test::build_native(dir);
    INFO(build.err);
    REQUIRE(build.status == 0);
    const auto rows = test::run_native(dir, images, std::size_t(qnet.layers.back().layer.out.size()));
    REQUIRE(rows.size() == images.size());
    int first = -1;
    const int bad = test::mismatches(qnet, images, rows, &first);
    INFO("first mismatching image " << first);
    CHECK(bad == 0);
}

/// A random network of the int8 test helpers, quantized on random pixel images.
int8::QuantizedNetwork quantized(const ir::Network& net, std::mt19937& rng, double percentile = 100.0) {
    return int8::quantize(net, as_inputs(random_images(net.input.size(), 40, rng)),
                          int8::CalibrationOptions{percentile});
}

}  // namespace

TEST_CASE("int8 C equals engine/int8 on the bundled models", "[firmware_int8][models]") {
    const auto test_set = io::load_dataset("fashion-mnist", 300);
    const auto calib = as_inputs(dataset_images(io::load_dataset("fashion-mnist:train", 200)));
    const Images images = dataset_images(test_set);
    for (const char* name : {"fmnist_tiny", "fmnist_mlp", "fmnist_cnn", "fmnist_cnn_sc"}) {
        INFO("model " << name);
        const auto net = io::import_onnx(std::string(SCNN_SOURCE_DIR) + "/models/" + name + ".onnx");
        require_equal(int8::quantize(net, calib), images);
    }
}

TEST_CASE("int8 C equals engine/int8 on random networks of every layer kind", "[firmware_int8][random]") {
    std::mt19937 rng(20261128);
    using int8::test::NetBuilder;
    SECTION("conv with padding, ReLU, max pool, affine, padded average pool counting the padding, tanh") {
        NetBuilder b({1, 12, 12}, 1);
        b.conv(4, 3, 1, 1).add(ir::Relu{}).pool(ir::PoolKind::Max, 2, 2).affine();
        b.pool(ir::PoolKind::Average, 3, 2, 1, true).flatten().dense(16).add(ir::Tanh{}).dense(10);
        require_equal(quantized(b.net(), rng), random_images(144, 60, rng));
    }
    SECTION("zero padding, strided conv, clip, padded max pool, standalone ReLU, average pool, sigmoid") {
        NetBuilder b({2, 9, 9}, 2);
        b.zero_pad(1, 2, 0, 1).conv(3, 3, 2, 0).add(ir::Clip{-0.5f, 0.5f}).pool(ir::PoolKind::Max, 2, 1, 1);
        b.add(ir::Relu{}).pool(ir::PoolKind::Average, 2, 2).flatten().dense(12).add(ir::Sigmoid{}).dense(10);
        require_equal(quantized(b.net(), rng), random_images(162, 60, rng));
    }
    SECTION("an input table (percentile calibration), 5x5 conv, padded average pool without the padding") {
        NetBuilder b({3, 8, 8}, 3);
        b.conv(5, 5, 1, 2).pool(ir::PoolKind::Average, 2, 2, 1, false).add(ir::Clip{-1.0f, 1.0f}).flatten().dense(10);
        const auto qnet = quantized(b.net(), rng, 90.0);
        REQUIRE_FALSE(codegen::c::int8_footprint(qnet).reads_pixels_directly);
        require_equal(qnet, random_images(192, 60, rng));
    }
    SECTION("asymmetric padding, non-square kernels and strides; an element-wise first layer on the pixels") {
        NetBuilder b({2, 11, 9}, 5);
        b.add(ir::Tanh{});
        ir::Conv2d c;
        c.in_c = 2;
        c.out_c = 3;
        c.kh = 3;
        c.kw = 2;
        c.stride_h = 2;
        c.stride_w = 1;
        c.pad_top = 1, c.pad_left = 0, c.pad_bottom = 2, c.pad_right = 1;
        std::uniform_real_distribution<float> u(-0.5f, 0.5f);
        for (int i = 0; i < 3 * 2 * 3 * 2; ++i) c.w.push_back(u(b.rng()));
        for (int i = 0; i < 3; ++i) c.b.push_back(u(b.rng()));
        b.add(c);
        ir::Pool p;
        p.kind = ir::PoolKind::Max;
        p.kh = 3, p.kw = 2, p.stride_h = 1, p.stride_w = 2;
        p.pad_top = 0, p.pad_left = 1, p.pad_bottom = 2, p.pad_right = 0;
        b.add(p).add(ir::Sigmoid{});
        p.kind = ir::PoolKind::Average;
        p.count_include_pad = true;
        b.add(p).flatten().dense(10);
        require_equal(quantized(b.net(), rng), random_images(198, 60, rng));
    }
    SECTION("a dense layer of 300 inputs and a Reshape-only tail") {
        NetBuilder b({300, 1, 1}, 4);
        b.dense(7).add(ir::Reshape{ir::Shape{7, 1, 1}});
        require_equal(quantized(b.net(), rng), random_images(300, 60, rng));
    }
}

namespace {

/// A random stack of the layer kinds on a small random input, ending in one or two dense layers.
ir::Network random_architecture(std::mt19937& rng, unsigned seed) {
    const auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
    int8::test::NetBuilder b({1 + pick(3), 6 + pick(8), 6 + pick(8)}, seed);
    for (int l = 0, layers = 2 + pick(5); l < layers; ++l) {
        const int kind = b.shape().h < 3 || b.shape().w < 3 ? 8 : pick(9);
        if (kind == 0) b.conv(1 + pick(4), 1 + 2 * pick(2), 1 + pick(2), pick(2));
        if (kind == 1) b.pool(ir::PoolKind::Max, 2 + pick(2), 1 + pick(2), pick(2));
        if (kind == 2) b.pool(ir::PoolKind::Average, 2 + pick(2), 1 + pick(2), pick(2), pick(2) == 1);
        if (kind == 3) b.affine();
        if (kind == 4) b.add(ir::Relu{});
        if (kind == 5) b.add(ir::Tanh{});
        if (kind == 6) b.add(ir::Sigmoid{});
        if (kind == 7) b.zero_pad(pick(2), pick(3), pick(2), pick(2));
        if (kind == 8) b.add(ir::Clip{-0.5f, 1.0f});
    }
    b.flatten().dense(4 + pick(12));
    if (pick(2)) b.add(ir::Relu{}).dense(10);
    return b.net();
}

}  // namespace

TEST_CASE("int8 C equals engine/int8 on random architectures", "[firmware_int8][random]") {
    // Seeds 0..59 were run once with this generator (all equal, 41 s); CI runs the first 6.
    for (unsigned seed = 0; seed < 6; ++seed) {
        INFO("seed " << seed);
        std::mt19937 rng(1000 + seed);
        const ir::Network net = random_architecture(rng, seed);
        const double percentile = rng() % 2 ? 100.0 : 95.0;
        const auto qnet = int8::quantize(net, as_inputs(random_images(net.input.size(), 20, rng)),
                                         int8::CalibrationOptions{percentile});
        require_equal(qnet, random_images(net.input.size(), 30, rng));
    }
}

TEST_CASE("int8 C follows every requantization corner: left shifts that saturate, shift -31, zero multiplier",
          "[firmware_int8][requant]") {
    std::mt19937 rng(7);
    int8::test::NetBuilder b({1, 6, 6}, 5);
    b.conv(3, 3, 1, 1).flatten().dense(10);
    auto qnet = quantized(b.net(), rng);
    auto& dense = qnet.layers.back();
    const std::vector<int> shifts = {1, 3, 30, -31, 0, 2, -1, 5, 12, 0};
    for (std::size_t c = 0; c < 10; ++c) dense.shift[c] = shifts[c];
    dense.multiplier[4] = 0;
    dense.multiplier[9] = INT32_MAX;
    qnet.layers.front().shift[0] = 4;  // a conv channel too
    require_equal(qnet, random_images(36, 80, rng));
}

TEST_CASE("int8 C arena: the largest input + output of an out-of-place layer", "[firmware_int8][arena]") {
    const auto calib = as_inputs(dataset_images(io::load_dataset("fashion-mnist:train", 50)));
    for (const char* name : {"fmnist_tiny", "fmnist_mlp", "fmnist_cnn"}) {
        INFO("model " << name);
        const auto qnet =
            int8::quantize(io::import_onnx(std::string(SCNN_SOURCE_DIR) + "/models/" + name + ".onnx"), calib);
        const auto fp = codegen::c::int8_footprint(qnet);
        std::int64_t pair = 0, macs = 0;
        for (const auto& q : qnet.layers) {
            pair = std::max(pair, q.layer.in.size() + q.layer.out.size());
            macs += ir::mac_count(q.layer);
        }
        CHECK(fp.arena_bytes <= pair);
        CHECK(fp.macs == macs);
        if (std::string(name) == "fmnist_tiny") {
            // pixels are read in place of an input copy; the average pool writes 196 bytes, then the
            // dense 196 -> 64 layer needs both its input and output
            REQUIRE(fp.reads_pixels_directly);
            CHECK(fp.arena_bytes == qnet.layers[2].layer.in.size() + qnet.layers[2].layer.out.size());
        }
    }
}

TEST_CASE("int8 C emitter rejects inconsistent quantized networks with one line", "[firmware_int8][errors]") {
    std::mt19937 rng(9);
    int8::test::NetBuilder b({4, 1, 1}, 6);
    b.dense(3);
    auto qnet = quantized(b.net(), rng);
    auto bad = qnet;
    bad.layers[0].w.pop_back();
    CHECK_THROWS_AS(codegen::c::emit_int8(bad), Error);
    bad = qnet;
    bad.layers[0].shift[1] = 31;
    CHECK_THROWS_AS(codegen::c::emit_int8(bad), Error);
    bad = qnet;
    bad.layers[0].act_min = 100;
    bad.layers[0].act_max = 50;
    CHECK_THROWS_AS(codegen::c::emit_int8(bad), Error);
    const auto files = codegen::c::emit_int8(qnet, {"scnn emit-c --mode int8 -o x"});
    REQUIRE(files.size() == 2);
    for (const auto& [name, text] : files)
        CHECK(text.rfind("// generated by scnn - do not edit; command: scnn emit-c", 0) == 0);
}
