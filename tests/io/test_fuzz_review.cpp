// Bad inputs found by reading the ONNX importer and the dataset readers while writing the fuzzers (the
// fuzzers had not reached them yet). Each ran into undefined behaviour, a non-scnn exception, an absurd
// allocation or a hang before the fix; all go through the fuzz harnesses, which accept only one-line
// scnn::Error messages. See docs/ROBUSTNESS.md.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>

#include "engine/io/dataset.hpp"
#include "engine/io/onnx_import.hpp"
#include "engine/ir/error.hpp"
#include "tests/fuzz/harness.hpp"
#include "tests/support/onnx_builder.hpp"

using scnn::test::OnnxBuilder;

namespace {

std::string harness_onnx(OnnxBuilder& b, const std::string& out) {
    const std::string bytes = b.finish(out);
    return scnn::fuzz::onnx(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}
std::string harness_csv(const std::string& file, unsigned flags = 0) {
    std::string in(1, char(flags));
    in.append(file);  // (not operator+: g++ 12 -Wrestrict false positive)
    return scnn::fuzz::csv(reinterpret_cast<const std::uint8_t*>(in.data()), in.size());
}
std::string harness_idx(const std::string& images, const std::string& labels) {
    const std::string in = scnn::fuzz::idx_input(images, labels);
    return scnn::fuzz::idx(reinterpret_cast<const std::uint8_t*>(in.data()), in.size());
}
std::string be32(std::uint32_t v) {
    return {char(v >> 24), char((v >> 16) & 0xff), char((v >> 8) & 0xff), char(v & 0xff)};
}

constexpr std::int64_t kHuge = std::int64_t{1} << 40;
const float kNaN = std::numeric_limits<float>::quiet_NaN();

}  // namespace

TEST_CASE("ONNX shape arithmetic: bad constants give scnn::Error and no UB", "[fuzz][onnx]") {
    OnnxBuilder b({-1, 4});
    SECTION("Unsqueeze with a repeated axis (was std::out_of_range)") {
        b.constant_i64("s", {4});
        OnnxBuilder::attr(b.node("Unsqueeze", {"s"}, {"u"}, "unsq"), "axes", std::vector<std::int64_t>{0, 0});
        b.node("Relu", {"input"}, {"y"});
        CHECK_THAT(harness_onnx(b, "y"), Catch::EndsWith("node unsq (Unsqueeze): Unsqueeze: repeated axis"));
    }
    SECTION("constant Reshape whose 0 copies a missing dimension (was std::out_of_range)") {
        b.constant_i64("c", {1, 2, 3});
        b.constant_i64("shape", {3, 0});
        b.node("Reshape", {"c", "shape"}, {"r"}, "rs");
        b.node("Relu", {"input"}, {"y"});
        CHECK_THAT(harness_onnx(b, "y"), Catch::Contains("node rs (Reshape): Reshape: a 0 in the target shape"));
    }
    SECTION("scalar plus empty constant (was a heap read past the empty operand)") {
        b.init("a", {1}, {2.0f});
        b.init("e", {0}, {});
        b.node("Add", {"a", "e"}, {"sum"});
        b.node("Relu", {"input"}, {"y"});
        CHECK(harness_onnx(b, "y").empty());
    }
    SECTION("Slice with a step of INT64_MAX (was signed overflow)") {
        b.constant_i64("s", {1, 2, 3, 4});
        b.init_i64("st", {1}, {0});
        b.init_i64("en", {1}, {4});
        b.init_i64("ax", {1}, {0});
        b.init_i64("step", {1}, {std::numeric_limits<std::int64_t>::max()});
        b.node("Slice", {"s", "st", "en", "ax", "step"}, {"sl"});
        b.node("Relu", {"input"}, {"y"});
        CHECK(harness_onnx(b, "y").empty());
    }
    SECTION("Slice of a shape to INT64_MAX, as PyTorch exports x.shape[1:] (2^63 as a double was cast to int64)") {
        OnnxBuilder c({-1, 6});
        c.node("Shape", {"input"}, {"s"});
        c.init_i64("st", {1}, {1});
        c.init_i64("en", {1}, {std::numeric_limits<std::int64_t>::max()});
        c.node("Slice", {"s", "st", "en"}, {"tail"});
        c.constant_i64("batch", {-1});
        OnnxBuilder::attr(c.node("Concat", {"batch", "tail"}, {"shape"}), "axis", std::int64_t{0});
        c.node("Reshape", {"input", "shape"}, {"y"});
        CHECK(harness_onnx(c, "y").empty());
    }
    SECTION("Gather with a NaN index (was a float-to-int cast of NaN)") {
        b.constant_i64("s", {1, 2, 3, 4});
        b.init("idx", {1}, {kNaN});
        b.node("Gather", {"s", "idx"}, {"g"}, "ga");
        b.node("Relu", {"input"}, {"y"});
        CHECK_THAT(harness_onnx(b, "y"), Catch::Contains("node ga (Gather): Gather: index nan out of range [0, 4)"));
    }
    SECTION("Slice starts from a NaN float constant (was a float-to-int cast of NaN)") {
        b.constant_i64("s", {1, 2, 3, 4});
        b.init("st", {1}, {kNaN});
        b.init_i64("en", {1}, {4});
        b.node("Slice", {"s", "st", "en"}, {"sl"}, "sli");
        b.node("Relu", {"input"}, {"y"});
        CHECK_THAT(harness_onnx(b, "y"), Catch::EndsWith("node sli (Slice): integer operand is NaN"));
    }
    SECTION("Concat of 8192 copies of a 16384-value tensor (was a 1 GiB tensor)") {
        b.init_i64("c", {1 << 14}, std::vector<std::int64_t>(1 << 14, 7));
        auto& n = b.node("Concat", {}, {"big"}, "cat");
        const std::string c = "c";
        for (int i = 0; i < 8192; ++i) n.add_input(c);
        OnnxBuilder::attr(n, "axis", std::int64_t{0});
        b.node("Relu", {"input"}, {"y"});
        CHECK_THAT(harness_onnx(b, "y"),
                   Catch::Contains("node cat (Concat): Concat result is too large (more than 67108864 elements)"));
    }
    SECTION("an empty initializer with absurd dims (each product of its dims could overflow)") {
        b.init("z", {0, kHuge, kHuge}, {});
        b.node("Relu", {"input"}, {"y"});
        CHECK_THAT(harness_onnx(b, "y"),
                   Catch::EndsWith("initializer 'z' is too large (more than 268435456 elements)"));
    }
}

TEST_CASE("ONNX layers: absurd sizes and empty operands give scnn::Error", "[fuzz][onnx]") {
    SECTION("Reshape of an activation whose target dims multiply past int64 (was signed overflow)") {
        OnnxBuilder b({-1, 4096});
        b.init_i64("shape", {7}, {-1, 4096, 4096, 4096, 4096, 4096, 4096});
        b.node("Reshape", {"input", "shape"}, {"y"}, "rs");
        CHECK_THAT(harness_onnx(b, "y"),
                   Catch::EndsWith("node rs (Reshape): cannot reshape 4096 values per image: the target shape holds more"));
    }
    SECTION("Pad of 2^40 (was truncated to int in the layer; near INT64_MAX it overflowed int64)") {
        OnnxBuilder b({-1, 1, 4, 4});
        b.init_i64("pads", {8}, {0, 0, kHuge, 0, 0, 0, 0, 0});
        b.node("Pad", {"input", "pads"}, {"p"}, "pad");
        b.node("Flatten", {"p"}, {"y"});
        CHECK_THAT(harness_onnx(b, "y"), Catch::EndsWith("node pad (Pad): padding 1099511627776 is above the limit of 65536"));
    }
    SECTION("Conv pads of 2^31 (were truncated to int; near INT_MAX they overflowed shape inference)") {
        OnnxBuilder b({-1, 1, 4, 4});
        b.init("w", {1, 1, 1, 1}, {1.0f});
        OnnxBuilder::attr(b.node("Conv", {"input", "w"}, {"c"}, "conv"), "pads",
                          std::vector<std::int64_t>{std::int64_t{1} << 31, 0, 0, 0});
        b.node("Flatten", {"c"}, {"y"});
        CHECK_THAT(harness_onnx(b, "y"), Catch::EndsWith("node conv (Conv): pads value 2147483648 outside 0..65536"));
    }
    SECTION("MaxPool kernel of 2^40 (was truncated to int)") {
        OnnxBuilder b({-1, 1, 4, 4});
        OnnxBuilder::attr(b.node("MaxPool", {"input"}, {"m"}, "mp"), "kernel_shape", std::vector<std::int64_t>{kHuge, 2});
        b.node("Flatten", {"m"}, {"y"});
        CHECK_THAT(harness_onnx(b, "y"), Catch::EndsWith("node mp (MaxPool): kernel_shape value 1099511627776 outside 1..65536"));
    }
    SECTION("Clip with an empty min tensor (was std::out_of_range)") {
        OnnxBuilder b({-1, 4});
        b.init("lo", {0}, {});
        b.node("Clip", {"input", "lo"}, {"y"}, "clip");
        CHECK_THAT(harness_onnx(b, "y"), Catch::EndsWith("node clip (Clip): Clip min is an empty tensor"));
    }
    SECTION("Pad with an empty constant_value (was std::out_of_range)") {
        OnnxBuilder b({-1, 1, 4, 4});
        b.init_i64("pads", {8}, {0, 0, 1, 1, 0, 0, 1, 1});
        b.init("v", {0}, {});
        b.node("Pad", {"input", "pads", "v"}, {"p"}, "pad");
        b.node("Flatten", {"p"}, {"y"});
        CHECK_THAT(harness_onnx(b, "y"), Catch::EndsWith("node pad (Pad): Pad constant_value is an empty tensor"));
    }
}

TEST_CASE("A directory given as the model file", "[fuzz][onnx]") {
    // It was opened, and its size read as 9223372036854775807 bytes ("larger than the limit").
    const std::string dir = std::filesystem::temp_directory_path().string();
    CHECK_THROWS_WITH(scnn::io::import_onnx(dir), Catch::Equals(dir + ": is a directory, not a model file"));
}

TEST_CASE("Dataset readers: binary or empty or corrupt or unreadable files", "[fuzz][dataset]") {
    SECTION("a NUL byte in a CSV (silently dropped the rest of the line; /dev/zero looped forever)") {
        CHECK_THAT(harness_csv(std::string("1,2,3\n4,5", 9) + std::string(1, '\0') + ",6\n"),
                   Catch::EndsWith(":2: NUL byte in a text file"));
    }
    SECTION("a gzip CSV cut inside its trailer (its rows were accepted as if the file were whole)") {
        const unsigned char gz[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x33,
                                    0xd4, 0x31, 0xd2, 0x31, 0xe6, 0x32, 0xd1, 0x31, 0xd5, 0x31, 0xe3,
                                    0x32, 0xd7, 0xb1, 0xd0, 0xb1, 0xe4, 0x02, 0x00, 0xf6, 0xe4};  // 3 rows, 6 bytes cut
        CHECK_THAT(harness_csv(std::string(reinterpret_cast<const char*>(gz), sizeof gz)),
                   Catch::EndsWith(":4: gzip data ends early"));
    }
    SECTION("an IDX pair with zero images (was accepted as an empty dataset)") {
        CHECK_THAT(harness_idx(be32(0x803) + be32(0) + be32(2) + be32(2), be32(0x801) + be32(0)),
                   Catch::EndsWith("-images: no images"));
    }
    SECTION("a directory or /dev/zero given as a dataset file (a directory as CSV looped forever)") {
        const std::string dir = std::filesystem::temp_directory_path().string();
        CHECK_THROWS_WITH(scnn::io::read_csv(dir), Catch::EndsWith(": cannot read (Is a directory)"));
        CHECK_THROWS_WITH(scnn::io::read_idx(dir, dir), Catch::EndsWith(": cannot read (Is a directory)"));
        CHECK_THROWS_WITH(scnn::io::read_csv("/dev/zero"), Catch::Equals("/dev/zero:1: NUL byte in a text file"));
    }
    SECTION("a file name with a newline stays on one line") {
        CHECK_THROWS_WITH(scnn::io::read_csv("/nonexistent/a\nb.csv"),
                          Catch::StartsWith("/nonexistent/a\\nb.csv: cannot open"));
    }
}
