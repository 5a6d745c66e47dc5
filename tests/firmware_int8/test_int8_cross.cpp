// The generated int8 C on the MCU targets: it compiles clean (-Wall -Wextra -Werror) with avr-gcc for the
// ATmega328P and arm-none-eabi-gcc for a Cortex-M3, and on the ATmega328P in simavr (avr_int8_runner) it gives
// engine/int8's logits and class on Fashion-MNIST test images. Label: cross.
#include <catch2/catch.hpp>

#include <cctype>
#include <random>
#include <sstream>

#include "engine/io/dataset.hpp"
#include "engine/io/onnx_import.hpp"
#include "tests/firmware_int8/int8_c_harness.hpp"
#include "tests/int8/int8_test_util.hpp"

using namespace scnn;
using test::TempDir;

namespace {

const std::string kAvrFlags = "-std=gnu11 -Os -mmcu=atmega328p -DF_CPU=16000000UL -DSCNN_TARGET_AVR -Wall -Wextra -Werror";
const std::string kArmFlags = "-std=c99 -Os -mcpu=cortex-m3 -mthumb -DSCNN_TARGET_CORTEX_M -Wall -Wextra -Werror";

std::vector<std::vector<float>> train_inputs(int count) {
    const auto d = io::load_dataset("fashion-mnist:train", count);
    std::vector<std::vector<float>> v;
    for (std::int64_t i = 0; i < d.count; ++i) v.push_back(ref::pixels_to_input(d.image(i)));
    return v;
}

int8::QuantizedNetwork tiny() {
    return int8::quantize(io::import_onnx(std::string(SCNN_SOURCE_DIR) + "/models/fmnist_tiny.onnx"), train_inputs(200));
}

/// A small network with every kernel: conv (padded, so with tap sums), affine, both pools, zero padding,
/// clamps, tanh table, dense, a left shift, and an input table (percentile calibration).
int8::QuantizedNetwork every_kernel() {
    int8::test::NetBuilder b({2, 10, 10}, 11);
    b.zero_pad(1, 0, 1, 0).conv(3, 3, 1, 1).pool(ir::PoolKind::Max, 2, 2, 1).affine().add(ir::Relu{});
    b.pool(ir::PoolKind::Average, 2, 2, 1, true).add(ir::Tanh{}).flatten().dense(10);
    std::mt19937 rng(3);
    auto qnet = int8::quantize(b.net(), int8::test::random_inputs(200, 30, rng), int8::CalibrationOptions{95.0});
    qnet.layers.back().shift[0] = 2;
    return qnet;
}

std::string compile_object(const std::string& compiler, const std::string& flags, const TempDir& dir) {
    const auto r = test::run_command(compiler + " " + flags + " -I" + dir.path.string() + " -I" + test::kRuntimeDir +
                                     " -c " + dir.file("scnn_model.c") + " -o " + dir.file("scnn_model.o"));
    return r.status == 0 ? std::string() : r.err + r.out;
}

}  // namespace

TEST_CASE("int8 C compiles clean for the ATmega328P and the Cortex-M3", "[firmware_int8][cross]") {
    for (const auto& qnet : {tiny(), every_kernel()}) {
        TempDir dir;
        test::write_model(qnet, dir);
        CHECK(compile_object("avr-gcc", kAvrFlags, dir).empty());
        CHECK(compile_object("arm-none-eabi-gcc", kArmFlags, dir).empty());
    }
}

TEST_CASE("int8 C of fmnist_tiny on the ATmega328P in simavr equals engine/int8", "[firmware_int8][cross][avr]") {
    const auto qnet = tiny();
    TempDir dir;
    test::write_model(qnet, dir);
    const auto build = test::run_command("avr-gcc " + kAvrFlags + " -ffunction-sections -fdata-sections -Wl,--gc-sections -I" +
                                         dir.path.string() + " -I" + test::kRuntimeDir + " " + dir.file("scnn_model.c") +
                                         " " + SCNN_SOURCE_DIR + "/tests/firmware_int8/avr_int8_main.c -o " +
                                         dir.file("model.elf"));
    INFO(build.err);
    REQUIRE(build.status == 0);

    const auto test_set = io::load_dataset("fashion-mnist", 24);
    std::string input = {char(test_set.count & 0xff), char(test_set.count >> 8)};
    input.append(reinterpret_cast<const char*>(test_set.pixels.data()), test_set.pixels.size());
    std::ofstream(dir.file("input.bin"), std::ios::binary) << input;
    // 24 inferences of ~0.3 M cycles each: 100 M cycles is a generous limit that still stops a hang
    const auto run = test::run_command(std::string(AVR_INT8_RUNNER) + " " + dir.file("model.elf") + " 100000000 " +
                                       dir.file("input.bin"));
    INFO(run.err);
    REQUIRE(run.status == 0);

    std::istringstream lines(run.out);
    std::string values, summary, line;
    while (std::getline(lines, line)) {  // skip libsimavr's own "Loaded ..." lines
        if (!line.empty() && (std::isdigit(static_cast<unsigned char>(line[0])) || line[0] == '-')) values += line + "\n";
        if (!line.empty() && line[0] == '#') summary = line;
    }
    std::istringstream out(values);
    int mismatched = 0;
    for (std::int64_t i = 0; i < test_set.count; ++i) {
        const std::vector<std::uint8_t> image(test_set.image(i).begin(), test_set.image(i).end());
        test::Row row;
        row.logits.resize(10);
        for (auto& v : row.logits) out >> v;
        out >> row.best;
        mismatched += !(row == test::expected_row(qnet, image));
    }
    CHECK(mismatched == 0);
    std::istringstream sum(summary);
    std::string hash, word;
    long inferences = 0;
    sum >> hash >> word >> inferences;
    CHECK(inferences == test_set.count);
}
