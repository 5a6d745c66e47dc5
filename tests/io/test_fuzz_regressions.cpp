// Fuzz regressions: every input a fuzzer (or a review) found to crash, hang, leak or misbehave, replayed
// through the same harnesses the libFuzzer targets use (tests/fuzz/harness.cpp), plus the committed seed
// corpora. A harness lets only scnn::Error through as "bad input" and checks its message is one line; any
// other exception fails the test. See docs/ROBUSTNESS.md.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/fuzz/harness.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kFuzzDir = fs::path(SCNN_SOURCE_DIR) / "tests" / "fuzz";

std::string read_file(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    REQUIRE(f);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

using Harness = std::string (*)(const std::uint8_t*, std::size_t);

std::string run(Harness h, const std::string& bytes) {
    return h(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

Harness harness_of(const std::string& target) {
    if (target == "onnx") return scnn::fuzz::onnx;
    if (target == "idx") return scnn::fuzz::idx;
    if (target == "csv") return scnn::fuzz::csv;
    if (target == "plan_json") return scnn::fuzz::plan_json;
    FAIL("unknown fuzz target " << target);
    return nullptr;
}

std::vector<fs::path> files_in(const fs::path& dir) {
    std::vector<fs::path> out;
    if (fs::is_directory(dir)) {
        for (const auto& e : fs::directory_iterator(dir)) {
            if (e.is_regular_file()) out.push_back(e.path());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

// The message a committed regression input gives now.
std::string regression(const std::string& target, const std::string& name) {
    return run(harness_of(target), read_file(kFuzzDir / "regressions" / target / name));
}

}  // namespace

TEST_CASE("Seed corpora: valid seeds are accepted, broken ones rejected cleanly", "[fuzz]") {
    for (const std::string target : {"onnx", "idx", "csv", "plan_json"}) {
        const auto seeds = files_in(kFuzzDir / "corpus" / target);
        REQUIRE(!seeds.empty());
        for (const auto& p : seeds) {
            INFO(p.string());
            std::string msg;
            REQUIRE_NOTHROW(msg = run(harness_of(target), read_file(p)));
            const std::string name = p.filename().string();
            const bool broken = name == "count_mismatch" || name == "truncated_pixels" || name == "bad_pixel";
            if (broken) CHECK(!msg.empty());
            else CHECK(msg.empty());
        }
    }
}

TEST_CASE("Every committed fuzz regression input is rejected with one line", "[fuzz]") {
    for (const std::string target : {"onnx", "idx", "csv", "plan_json"}) {
        for (const auto& p : files_in(kFuzzDir / "regressions" / target)) {
            INFO(p.string());
            std::string msg;
            REQUIRE_NOTHROW(msg = run(harness_of(target), read_file(p)));
            CHECK(!msg.empty());
        }
    }
}

TEST_CASE("ONNX regressions found by fuzz_onnx give their specific message", "[fuzz][onnx]") {
    // Nodes listing fewer inputs than their op needs were read past the end of the input list (heap overflow
    // or null dereference inside protobuf), for every converter.
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"missing_input_activation", "node Relu_1 (Relu): expects at least 1 input, got 0"},
        {"missing_input_batchnorm", "(BatchNormalization): expects at least 5 inputs, got"},
        {"missing_input_binary", "node Sub_3 (Sub): expects at least 2 inputs, got"},
        {"missing_input_clip", "node Clip_1 (Clip): expects at least 1 input, got 0"},
        {"missing_input_const_reshape", "node Reshape_6 (Reshape): expects at least 2 inputs, got 1"},
        {"missing_input_gather_indices", "node Gather_2 (Gather): expects at least 2 inputs, got 1"},
        {"missing_input_gemm", "(Gemm): expects at least 2 inputs, got"},
        {"missing_input_gemm_weight", "node Gemm_1 (Gemm): expects at least 2 inputs, got 1"},
        {"missing_input_identity", "node Identity_4 (Identity): expects at least 1 input, got 0"},
        {"missing_input_pad", "node Pad_0 (Pad): expects at least 1 input, got 0"},
        {"missing_input_pool", "(AveragePool): expects at least 1 input, got 0"},
        {"missing_input_reshape_shape", "node Reshape_7 (Reshape): expects at least 2 inputs, got 1"},
        {"missing_input_shape", "node Shape_0 (Shape): expects at least 1 input, got 0"},
        {"missing_input_shape_op", "node Gather_2 (Gather): expects at least 2 inputs, got"},
        // A Reshape target of 9.2e18 was cast to int64 (undefined behaviour).
        {"reshape_dim_out_of_range", "node Reshape_6 (Reshape): cannot reshape 6 values per image: target dimension"},
        // A tensor name with a newline made a two-line message; control characters are now escaped.
        {"multiline_name", "fuzz.onnx: output '\\x01y\\x0f\\n\\r"},
    };
    for (const auto& [file, want] : cases) {
        INFO(file);
        CHECK_THAT(regression("onnx", file), Catch::StartsWith("fuzz.onnx: ") && Catch::Contains(want));
    }
}

TEST_CASE("Dataset regressions found by fuzz_idx and fuzz_csv", "[fuzz][dataset]") {
    // An IDX header promising 200 images of 4096x4096 (3.2 GB, under the 4 GiB limit) made read_idx allocate
    // all of it before reading a byte; the pixels are now read in chunks, so a short file fails cheaply.
    CHECK_THAT(regression("idx", "header_promises_3gb"), Catch::EndsWith("file ends early while reading the pixels"));
    // A corrupt deflate stream made gzgets fail without reaching the end of file, and read_csv looped forever.
    CHECK_THAT(regression("csv", "corrupt_gzip_hang"),
               Catch::EndsWith(":1: corrupt gzip data (invalid stored block lengths)"));
}

TEST_CASE("Plan JSON regressions found by fuzz_plan_json", "[fuzz][plan]") {
    // A float where the plan needs an integer (1.2e32 in input_thresholds, in a stage's weights) was cast
    // by nlohmann without a range check: undefined behaviour. Integer fields now require JSON integers in range.
    CHECK_THAT(regression("plan_json", "huge_float_as_int"),
               Catch::Contains("must be an integer in [") && Catch::Contains("plan field '"));
    CHECK_THAT(regression("plan_json", "huge_float_as_int_stage"),
               Catch::Contains("must be an integer in [") && Catch::Contains("plan field '"));
}
