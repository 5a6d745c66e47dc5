// The int8 RTL baseline against the int8 executor, in Verilator: equal logits and class on every image,
// and the controller's cycle count equal to the plan's formula.
#include <catch2/catch.hpp>

#include "codegen/verilog/int8_emit.hpp"
#include "codegen/verilog/run/int8_verilator.hpp"
#include "engine/ir/error.hpp"
#include "tests/hw/hw_test_util.hpp"
#include "tests/int8/int8_test_util.hpp"

#include <random>

using namespace scnn;
using namespace scnn::codegen::verilog;

namespace {

Int8RtlRunResult run_model(const int8::QuantizedNetwork& qnet, int macs, std::int64_t images) {
    const Int8Rtl plan = plan_int8_rtl(qnet, macs);
    const io::Dataset data = io::load_dataset("fashion-mnist", images);
    Int8RtlRunOptions o;
    o.cache_dir = hw::test::test_cache();
    o.command = "test_hw_int8_rtl";
    return run_int8_rtl(qnet, plan, data, 0, o);
}

}  // namespace

TEST_CASE("int8 RTL of fmnist_tiny equals the int8 executor", "[hw][int8][rtl]") {
    const auto qnet = hw::test::quantized_model("fmnist_tiny");
    const int macs = 7;  // an odd P: the last group of the 64-output layer has one lane
    const auto r = run_model(qnet, macs, 30);
    INFO("first mismatch: image " << r.first_mismatch_image << " class " << r.first_mismatch_class << ": RTL "
                                  << r.first_mismatch_rtl << ", expected " << r.first_mismatch_expected);
    CHECK(r.images == 30);
    CHECK(r.mismatches == 0);
    CHECK(r.cycles_per_inference == r.predicted_cycles);
}

TEST_CASE("int8 RTL of fmnist_mlp equals the int8 executor", "[hw][int8][rtl]") {
    const auto qnet = hw::test::quantized_model("fmnist_mlp", 100);
    const auto r = run_model(qnet, 40, 12);  // 128 outputs in 4 groups, the last of 8 lanes
    INFO("first mismatch: image " << r.first_mismatch_image << " class " << r.first_mismatch_class << ": RTL "
                                  << r.first_mismatch_rtl << ", expected " << r.first_mismatch_expected);
    CHECK(r.images == 12);
    CHECK(r.mismatches == 0);
    CHECK(r.cycles_per_inference == r.predicted_cycles);
}

namespace {

/// `count` random images of `size` pixels (one row each), labels 0.
io::Dataset random_pixels(std::int64_t size, std::int64_t count, std::mt19937& rng) {
    io::Dataset d;
    d.name = "random";
    d.height = 1;
    d.width = int(size);
    d.count = count;
    std::uniform_int_distribution<int> u(0, 255);
    d.pixels.resize(std::size_t(size * count));
    for (auto& p : d.pixels) p = std::uint8_t(u(rng));
    d.labels.assign(std::size_t(count), 0);
    return d;
}

void check_random_net(const int8::test::NetBuilder& b, int macs, std::mt19937& rng) {
    const ir::Network& net = b.net();
    const io::Dataset calib = random_pixels(net.input.size(), 40, rng);
    std::vector<std::vector<float>> inputs;
    for (std::int64_t i = 0; i < calib.count; ++i) inputs.push_back(ref::pixels_to_input(calib.image(i)));
    const auto qnet = int8::quantize(net, inputs);
    const Int8Rtl plan = plan_int8_rtl(qnet, macs);
    Int8RtlRunOptions o;
    o.cache_dir = hw::test::test_cache();
    o.command = "test_hw_int8_rtl";
    const auto r = run_int8_rtl(qnet, plan, random_pixels(net.input.size(), 25, rng), 0, o);
    INFO("P = " << macs << ", first mismatch: image " << r.first_mismatch_image << " class " << r.first_mismatch_class
                << ": RTL " << r.first_mismatch_rtl << ", expected " << r.first_mismatch_expected);
    CHECK(r.images == 25);
    CHECK(r.mismatches == 0);
    CHECK(r.cycles_per_inference == r.predicted_cycles);
}

}  // namespace

TEST_CASE("int8 RTL of small random networks equals the int8 executor", "[hw][int8][rtl]") {
    std::mt19937 rng(20261128);
    SECTION("padded average pool counting the padding, 3x3 stride 2; two Dense layers") {
        int8::test::NetBuilder b(ir::Shape{1, 8, 8}, 11);
        b.pool(ir::PoolKind::Average, 3, 2, 1, true).flatten().dense(10).add(ir::Relu{});
        b.dense(5);
        check_random_net(b, 4, rng);
    }
    SECTION("max pool, a standalone Clip, a group with one lane, a fused Clip") {
        int8::test::NetBuilder b(ir::Shape{2, 6, 6}, 12);
        b.pool(ir::PoolKind::Max, 2, 2).add(ir::Clip{0.2f, 0.7f}).flatten().dense(9).add(ir::Clip{0.0f, 1.0f});
        b.dense(3);
        check_random_net(b, 4, rng);
    }
    SECTION("average pool over 9 cells (not a power of two), padded max pool, one MAC lane") {
        int8::test::NetBuilder b(ir::Shape{1, 9, 9}, 13);
        b.pool(ir::PoolKind::Average, 3, 3).pool(ir::PoolKind::Max, 2, 1, 1).flatten().dense(6).add(ir::Relu{});
        b.dense(4);
        check_random_net(b, 1, rng);
    }
    SECTION("convolutions: padded 3x3, strided 2x2 with padding, more lanes than channels; a max pool between") {
        int8::test::NetBuilder b(ir::Shape{2, 7, 7}, 16);
        b.conv(5, 3, 1, 1).add(ir::Relu{}).pool(ir::PoolKind::Max, 2, 2).conv(3, 2, 2, 1).add(ir::Relu{});
        b.flatten().dense(4);
        check_random_net(b, 4, rng);
    }
}

TEST_CASE("int8 RTL rejects what it cannot build, in one line", "[hw][int8]") {
    int8::test::NetBuilder b(ir::Shape{2, 6, 6}, 15);
    b.affine().flatten().dense(3);
    std::mt19937 rng(1);
    const auto qnet = int8::quantize(b.net(), int8::test::random_inputs(72, 5, rng));
    CHECK_THROWS_WITH(plan_int8_rtl(qnet, 4), Catch::Contains("Affine") && Catch::Contains("not supported"));
    const auto tiny = hw::test::quantized_model("fmnist_tiny", 20);
    CHECK_THROWS_WITH(plan_int8_rtl(tiny, 0), Catch::Contains("--macs must be in [1, 256]"));
    CHECK_THROWS_WITH(plan_int8_rtl(tiny, 257), Catch::Contains("--macs must be in [1, 256]"));
    const io::Dataset wrong = random_pixels(10, 2, rng);
    CHECK_THROWS_WITH(run_int8_rtl(tiny, plan_int8_rtl(tiny, 4), wrong, 0, {}), Catch::Contains("pixels per image"));
}

// The done criterion of the int8 RTL, run by hand (hidden from CI, about a minute):
//   build/tests/hw/test_hw_int8_rtl "[.int8-1000]"
TEST_CASE("int8 RTL of fmnist_tiny on 1000 test images", "[.int8-1000]") {
    const auto qnet = hw::test::quantized_model("fmnist_tiny", 1000);
    const auto r = run_model(qnet, 16, 1000);
    INFO("first mismatch: image " << r.first_mismatch_image << " class " << r.first_mismatch_class);
    CHECK(r.images == 1000);
    CHECK(r.mismatches == 0);
    CHECK(r.cycles_per_inference == r.predicted_cycles);
    WARN("1000 images: accuracy " << r.accuracy() << ", " << r.cycles_per_inference << " cycles per inference, "
                                  << r.simulation_seconds << " s simulated");
}

// fmnist_cnn (two padded 3x3 convolutions, max pools, two Dense layers) by hand, hidden from CI (minutes):
//   build/tests/hw/test_hw_int8_rtl "[.int8-cnn]"
TEST_CASE("int8 RTL of fmnist_cnn equals the int8 executor", "[.int8-cnn]") {
    const auto qnet = hw::test::quantized_model("fmnist_cnn", 1000);
    const auto r = run_model(qnet, 16, 200);
    INFO("first mismatch: image " << r.first_mismatch_image << " class " << r.first_mismatch_class);
    CHECK(r.images == 200);
    CHECK(r.mismatches == 0);
    CHECK(r.cycles_per_inference == r.predicted_cycles);
    WARN("200 images: accuracy " << r.accuracy() << ", " << r.cycles_per_inference << " cycles per inference, "
                                 << r.simulation_seconds << " s simulated");
}
