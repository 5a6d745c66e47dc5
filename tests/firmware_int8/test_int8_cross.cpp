// The generated int8 C on the MCU targets: it compiles clean (-Wall -Wextra -Werror) with avr-gcc for the
// ATmega328P and arm-none-eabi-gcc for a Cortex-M3, and on the ATmega328P in simavr (avr_int8_runner) it gives
// engine/int8's logits and class on Fashion-MNIST test images. Label: cross.
#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <sstream>

#include "engine/int8/fixed_point.hpp"
#include "engine/io/dataset.hpp"
#include "engine/io/onnx_import.hpp"
#include "tests/firmware_int8/int8_c_harness.hpp"
#include "tests/int8/int8_test_util.hpp"

using namespace scnn;
using test::TempDir;

namespace {

const std::string kAvrFlags =
    "-std=gnu11 -Os -mmcu=atmega328p -DF_CPU=16000000UL -DSCNN_TARGET_AVR -Wall -Wextra -Werror";
const std::string kArmFlags = "-std=c99 -Os -mcpu=cortex-m3 -mthumb -DSCNN_TARGET_CORTEX_M -Wall -Wextra -Werror";

std::vector<std::vector<float>> train_inputs(int count) {
    const auto d = io::load_dataset("fashion-mnist:train", count);
    std::vector<std::vector<float>> v;
    for (std::int64_t i = 0; i < d.count; ++i) v.push_back(ref::pixels_to_input(d.image(i)));
    return v;
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

constexpr int SCNN_TINY_PIXELS = 784;

test::CommandResult build_avr(const TempDir& dir, const std::string& extra_flags) {
    return test::run_command("avr-gcc " + kAvrFlags + " " + extra_flags +
                             " -ffunction-sections -fdata-sections -Wl,--gc-sections -I" + dir.path.string() + " -I" +
                             test::kRuntimeDir + " " + dir.file("scnn_model.c") + " " + SCNN_SOURCE_DIR +
                             "/tests/firmware_int8/avr_int8_main.c -o " + dir.file("model.elf"));
}

struct AvrRun {
    std::vector<test::Row> rows;
    long inferences = 0;
    double cycles_per_inference = 0;
    int stack_bytes = 0;
};

/// Runs model.elf of `dir` on the images of `data` in avr_int8_runner and parses its output.
AvrRun run_avr(const TempDir& dir, const io::Dataset& data) {
    std::string input = {char(data.count & 0xff), char(data.count >> 8)};
    input.append(reinterpret_cast<const char*>(data.pixels.data()), data.pixels.size());
    std::ofstream(dir.file("input.bin"), std::ios::binary) << input;
    // ~0.3 M cycles per inference: 10 M per image is a generous limit that still stops a hang
    const auto r = test::run_command(std::string(AVR_INT8_RUNNER) + " " + dir.file("model.elf") + " " +
                                     std::to_string(10'000'000 * (data.count + 1)) + " " + dir.file("input.bin"));
    INFO(r.err);
    REQUIRE(r.status == 0);
    AvrRun run;
    std::istringstream lines(r.out);
    std::vector<int> values;
    std::string line, word;
    while (std::getline(lines, line)) {  // values, the '#' summary, and libsimavr's own "Loaded ..." lines
        if (!line.empty() && (std::isdigit(static_cast<unsigned char>(line[0])) || line[0] == '-')) {
            values.push_back(std::stoi(line));
        } else if (!line.empty() && line[0] == '#') {
            std::istringstream(line) >> word >> word >> run.inferences >> word >> run.cycles_per_inference >> word >>
                run.stack_bytes;
        }
    }
    for (std::size_t i = 0; i + 11 <= values.size(); i += 11) {
        run.rows.push_back(
            test::Row{std::vector<int>(values.begin() + long(i), values.begin() + long(i) + 10), values[i + 10]});
    }
    return run;
}

/// Size of one section of model.elf (avr-size -A).
long long section_bytes(const TempDir& dir, const std::string& section) {
    const auto r = test::run_command("avr-size -A " + dir.file("model.elf"));
    std::istringstream lines(r.out);
    std::string name;
    long long size = 0;
    while (lines >> name) {
        if (name == section && lines >> size) return size;
        lines.ignore(1 << 20, '\n');
    }
    return 0;
}

/// (text + data, data + bss) of scnn_model.o in `dir`, from a Berkeley-format size tool.
std::pair<long long, long long> object_bytes(const std::string& size_tool, const TempDir& dir) {
    const auto r = test::run_command(size_tool + " " + dir.file("scnn_model.o"));
    std::istringstream in(r.out);
    std::string header;
    std::getline(in, header);
    long long text = 0, data = 0, bss = 0;
    in >> text >> data >> bss;
    return {text + data, data + bss};
}

std::string compile_object(const std::string& compiler, const std::string& flags, const TempDir& dir) {
    const auto r = test::run_command(compiler + " " + flags + " -I" + dir.path.string() + " -I" + test::kRuntimeDir +
                                     " -c " + dir.file("scnn_model.c") + " -o " + dir.file("scnn_model.o"));
    return r.status == 0 ? std::string() : r.err + r.out;
}

}  // namespace

TEST_CASE("int8 C compiles clean for the ATmega328P and the Cortex-M3", "[firmware_int8][cross][sizes]") {
    {
        INFO("a network of every kernel");
        TempDir dir;
        test::write_model(every_kernel(), dir);
        CHECK(compile_object("avr-gcc", kAvrFlags, dir).empty());
        CHECK(compile_object("arm-none-eabi-gcc", kArmFlags, dir).empty());
    }
    const auto calib = train_inputs(200);
    for (const char* name : {"fmnist_tiny", "fmnist_mlp", "fmnist_cnn", "fmnist_cnn_sc"}) {
        INFO("model " << name);
        const auto qnet =
            int8::quantize(io::import_onnx(std::string(SCNN_SOURCE_DIR) + "/models/" + name + ".onnx"), calib);
        TempDir dir;
        test::write_model(qnet, dir);
        const auto fp = codegen::c::int8_footprint(qnet);
        std::pair<long long, long long> avr{0, 0};
        if (fp.table_bytes < 32768) {
            CHECK(compile_object("avr-gcc", kAvrFlags, dir).empty());
            avr = object_bytes("avr-size", dir);
        } else {  // more than an AVR array holds: one #error line says so
            const std::string err = compile_object("avr-gcc", kAvrFlags, dir);
            CHECK(err.find("error: #error \"scnn: this int8 model does not fit an AVR") != std::string::npos);
            CHECK(err.find("error:", err.find("error:") + 1) == std::string::npos);
        }
        CHECK(compile_object("arm-none-eabi-gcc", kArmFlags, dir).empty());
        const auto arm = object_bytes("arm-none-eabi-size", dir);
        const std::string avr_text = avr.first > 0 ? fmt::format("flash {} B ram {} B", avr.first, avr.second)
                                                   : std::string("does not fit (#error)");
        std::printf(
            "int8 %s: macs %lld tables %lld B arena %lld B | scnn_model.o ATmega328P %s | Cortex-M3 flash %lld B "
            "ram %lld B\n",
            name, static_cast<long long>(fp.macs), static_cast<long long>(fp.table_bytes),
            static_cast<long long>(fp.arena_bytes), avr_text.c_str(), arm.first, arm.second);
    }
}

TEST_CASE("int8 C of fmnist_tiny on the ATmega328P in simavr equals engine/int8", "[firmware_int8][cross][avr]") {
    // Calibrated as `scnn eval --mode int8` does by default (1000 fashion-mnist:train images); 24 test images
    // in CI, SCNN_INT8_AVR_IMAGES=N for a measurement run (docs/FIRMWARE_INT8.md). Two builds: as
    // generated (assembly hot loops on AVR) and all in C (-DSCNN_INT8_NO_ASM).
    const auto qnet =
        int8::quantize(io::import_onnx(std::string(SCNN_SOURCE_DIR) + "/models/fmnist_tiny.onnx"), train_inputs(1000));
    const char* env = std::getenv("SCNN_INT8_AVR_IMAGES");
    const auto test_set = io::load_dataset("fashion-mnist", env ? std::atoi(env) : 24);
    for (const std::string build_kind : {"default", "all-C"}) {
        INFO("build " << build_kind);
        TempDir dir;
        test::write_model(qnet, dir);
        const auto build = build_avr(dir, build_kind == "all-C" ? "-DSCNN_INT8_NO_ASM" : "");
        INFO(build.err);
        REQUIRE(build.status == 0);

        const AvrRun run = run_avr(dir, test_set);
        REQUIRE(run.inferences == test_set.count);
        REQUIRE(run.rows.size() == std::size_t(test_set.count));
        int mismatched = 0, correct = 0;
        for (std::int64_t i = 0; i < test_set.count; ++i) {
            const std::vector<std::uint8_t> image(test_set.image(i).begin(), test_set.image(i).end());
            mismatched += !(run.rows[std::size_t(i)] == test::expected_row(qnet, image));
            correct += run.rows[std::size_t(i)].best == test_set.labels[std::size_t(i)];
        }
        CHECK(mismatched == 0);

        const auto fp = codegen::c::int8_footprint(qnet);
        const auto text = section_bytes(dir, ".text"), data = section_bytes(dir, ".data");
        const auto bss = section_bytes(dir, ".bss");
        std::printf(
            "int8 fmnist_tiny on ATmega328P (simavr, %s build): images %lld mismatches %d accuracy %.4f "
            "cycles_per_inference %.1f ms_at_16MHz %.3f cycles_per_mac %.2f flash_bytes %lld ram_bytes %lld (data "
            "%lld + bss %lld incl. the %d-byte pixel buffer of the test main + stack %d) arena_bytes %lld\n",
            build_kind.c_str(), static_cast<long long>(test_set.count), mismatched,
            double(correct) / double(test_set.count), run.cycles_per_inference, run.cycles_per_inference / 16000.0,
            run.cycles_per_inference / double(fp.macs), text + data, data + bss + run.stack_bytes, data, bss,
            SCNN_TINY_PIXELS, run.stack_bytes, static_cast<long long>(fp.arena_bytes));
    }
}

namespace {

struct RequantVec {
    std::int32_t acc, mult;
    std::int8_t shift, zp;
};
struct DotVec {
    std::uint16_t offset;
    std::vector<std::uint8_t> x;
};

void put(std::string& s, std::uint32_t v, int bytes) {
    for (int b = 0; b < bytes; ++b) s += char((v >> (8 * b)) & 0xff);
}

std::vector<RequantVec> requant_vectors(std::mt19937& rng) {
    std::vector<RequantVec> vecs;
    const std::vector<std::int32_t> accs = {0, 1, -1, INT32_MAX, INT32_MIN, 1 << 23, -(1 << 23), 12345, -12345};
    const std::vector<std::int32_t> mults = {0, 1 << 30, INT32_MAX, 1518500250, (1 << 30) + 1};
    for (auto a : accs)
        for (auto m : mults) vecs.push_back({a, m, -1, 0});
    std::uniform_int_distribution<std::int32_t> any(INT32_MIN, INT32_MAX), mult(1 << 30, INT32_MAX);
    std::uniform_int_distribution<int> shift(-31, 0), zp(-128, 127), bits(0, 31);
    for (int i = 0; i < 600; ++i) {
        const std::int32_t a = any(rng) >> bits(rng);  // all magnitudes
        vecs.push_back({a, mult(rng), std::int8_t(shift(rng)), std::int8_t(zp(rng))});
    }
    return vecs;
}

/// Lengths 1..9, around the 255-term chunks and up to 600, at random offsets into a table of `table` bytes.
std::vector<DotVec> dot_vectors(std::mt19937& rng, std::size_t table) {
    std::vector<int> lengths = {1, 2, 3, 4, 5, 6, 7, 8, 9, 196, 254, 255, 256, 257, 509, 510, 511, 600};
    std::uniform_int_distribution<int> byte(0, 255), len(1, 600);
    for (int i = 0; i < 12; ++i) lengths.push_back(len(rng));
    std::vector<DotVec> vecs;
    for (int n : lengths) {
        DotVec v;
        v.offset = std::uint16_t(std::uniform_int_distribution<int>(0, int(table) - n)(rng));
        v.x.resize(std::size_t(n));
        for (auto& b : v.x) b = std::uint8_t(byte(rng));
        vecs.push_back(std::move(v));
    }
    return vecs;
}

}  // namespace

TEST_CASE("int8 C helpers on the ATmega328P equal the host: requantization and the MAC loop",
          "[firmware_int8][cross][avr][requant]") {
    // The AVR high multiply and MAC loop are assembly: check them and the whole requantization against the
    // host's fixed-point functions and plain sums, over the full int32 range and every loop length shape.
    const auto qnet =
        int8::quantize(io::import_onnx(std::string(SCNN_SOURCE_DIR) + "/models/fmnist_tiny.onnx"), train_inputs(20));
    const auto& dense = qnet.layers[2].w;  // fmnist_tiny's first dense layer: scnn_l2_w holds these + 128
    TempDir dir;
    test::write_model(qnet, dir);
    for (const std::string flags : {"", "-DSCNN_INT8_NO_ASM"}) {
        INFO("flags " << flags);
        const auto build = test::run_command("avr-gcc " + kAvrFlags + " " + flags + " -I" + dir.path.string() + " -I" +
                                             test::kRuntimeDir + " " + SCNN_SOURCE_DIR +
                                             "/tests/firmware_int8/avr_kernels_main.c -o " + dir.file("model.elf"));
        INFO(build.err);
        REQUIRE(build.status == 0);
        std::mt19937 rng(99);
        const auto rq = requant_vectors(rng);
        const auto dots = dot_vectors(rng, dense.size());
        std::string input;
        put(input, std::uint32_t(rq.size()), 2);
        for (const auto& v : rq) {
            put(input, std::uint32_t(v.acc), 4);
            put(input, std::uint32_t(v.mult), 4);
            put(input, std::uint8_t(v.shift), 1);
            put(input, std::uint8_t(v.zp), 1);
        }
        put(input, std::uint32_t(dots.size()), 2);
        for (const auto& v : dots) {
            put(input, v.offset, 2);
            put(input, std::uint32_t(v.x.size()), 2);
            input.append(v.x.begin(), v.x.end());
        }
        std::ofstream(dir.file("input.bin"), std::ios::binary) << input;
        const auto r = test::run_command(std::string(AVR_INT8_RUNNER) + " " + dir.file("model.elf") + " 100000000 " +
                                         dir.file("input.bin"));
        REQUIRE(r.status == 0);
        std::vector<std::uint32_t> bytes;
        std::istringstream lines(r.out);
        std::string line;
        while (std::getline(lines, line))
            if (!line.empty() && (std::isdigit(static_cast<unsigned char>(line[0])) || line[0] == '-'))
                bytes.push_back(std::uint32_t(std::stoi(line) & 0xff));
        REQUIRE(bytes.size() == 5 * rq.size() + 4 * dots.size());
        const auto u32 = [&](std::size_t at) {
            return bytes[at] | bytes[at + 1] << 8 | bytes[at + 2] << 16 | bytes[at + 3] << 24;
        };
        int bad_high = 0, bad_requant = 0, bad_dot = 0;
        for (std::size_t i = 0; i < rq.size(); ++i) {
            const auto& v = rq[i];
            bad_high += std::int32_t(u32(5 * i)) != int8::saturating_rounding_doubling_high_mul(v.acc, v.mult);
            const std::int32_t q =
                std::clamp(int8::multiply_by_quantized_multiplier(v.acc, v.mult, v.shift) + v.zp, -128, 127);
            bad_requant += bytes[5 * i + 4] != std::uint32_t(q + 128);
        }
        for (std::size_t i = 0; i < dots.size(); ++i) {
            std::uint32_t sum = 0;
            for (std::size_t k = 0; k < dots[i].x.size(); ++k)
                sum += std::uint32_t(dense[dots[i].offset + k] + 128) * dots[i].x[k];
            bad_dot += u32(5 * rq.size() + 4 * i) != sum;
        }
        CHECK(bad_high == 0);
        CHECK(bad_requant == 0);
        CHECK(bad_dot == 0);
    }
}
