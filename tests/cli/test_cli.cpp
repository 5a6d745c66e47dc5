// The scnn command end to end: output formats, exit codes, and one-line errors that leave no file behind.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/support/onnx_builder.hpp"
#include "tests/support/run_command.hpp"

using scnn::test::run_scnn;
using scnn::test::TempDir;
namespace fs = std::filesystem;

namespace {

void require_one_line_error(const scnn::test::CommandResult& r, const std::string& needle) {
    INFO("stderr: " << r.err);
    CHECK(r.status > 0);
    CHECK(r.status < 128);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK_THAT(r.err, Catch::Contains(needle));
}

}  // namespace

TEST_CASE("scnn --help and sub-command help", "[cli]") {
    const auto r = run_scnn("--help");
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("eval") && Catch::Contains("info"));
    const auto e = run_scnn("eval --help");
    CHECK(e.status == 0);
    CHECK_THAT(e.out, Catch::Contains("--mode") && Catch::Contains("--predictions"));
}

TEST_CASE("scnn info prints the layers of the default model, as text and JSON", "[cli]") {
    const auto r = run_scnn("info");
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("Dense"));
    const auto j = nlohmann::json::parse(run_scnn("info fmnist_mlp --json").out);
    CHECK(j.at("weights").get<int>() == 784 * 128 + 128 + 128 * 10 + 10);
    CHECK(j.at("macs").get<int>() == 784 * 128 + 128 * 10);
}

TEST_CASE("scnn eval --json and --predictions in float and int8", "[cli]") {
    TempDir t;
    for (const char* mode : {"float", "int8"}) {
        const auto r = run_scnn(std::string("eval --limit 300 --calib 200 --json -q --mode ") + mode +
                                " --predictions " + t.file(mode));
        REQUIRE(r.status == 0);
        const auto j = nlohmann::json::parse(r.out);
        CHECK(j.at("mode") == mode);
        CHECK(j.at("images") == 300);
        CHECK(j.at("accuracy").get<double>() > 0.75);
        CHECK(j.at("seconds").get<double>() >= 0.0);
        std::ifstream f(t.file(mode));
        int lines = 0, v = 0;
        while (f >> v) {
            CHECK((v >= 0 && v < 10));
            ++lines;
        }
        CHECK(lines == 300);
    }
}

TEST_CASE("Results do not depend on the thread count", "[cli][determinism]") {
    TempDir t;
    REQUIRE(run_scnn("eval --limit 400 -q --mode int8 --calib 100 -j 1 --predictions " + t.file("a")).status == 0);
    REQUIRE(run_scnn("eval --limit 400 -q --mode int8 --calib 100 -j 3 --predictions " + t.file("b")).status == 0);
    CHECK(scnn::test::slurp(t.file("a")) == scnn::test::slurp(t.file("b")));
}

TEST_CASE("Bad input: one line on stderr, exit code below 128, no output file", "[cli][bad-input]") {
    TempDir t;
    const std::string pred = " --predictions " + t.file("pred.txt");
    {
        std::ofstream(t.file("garbage.onnx"), std::ios::binary) << "this is not a model at all";
        require_one_line_error(run_scnn("eval -m " + t.file("garbage.onnx") + pred), "garbage.onnx");
    }
    {
        const auto model = scnn::test::slurp(std::string(SCNN_SOURCE_DIR) + "/models/fmnist_mlp.onnx");
        std::ofstream(t.file("cut.onnx"), std::ios::binary) << model.substr(0, model.size() / 2);
        require_one_line_error(run_scnn("eval -m " + t.file("cut.onnx") + pred), "cut.onnx");
    }
    {
        scnn::test::OnnxBuilder b({-1, 1, 28, 28});
        b.node("Relu", {"input"}, {"a"}, "r");
        b.node("NonMaxSuppression", {"a"}, {"b"}, "nms1");
        b.node("TopK", {"b"}, {"y"}, "topk1");
        std::ofstream(t.file("unsupported.onnx"), std::ios::binary) << b.finish("y");
        require_one_line_error(run_scnn("info " + t.file("unsupported.onnx")), "nms1 (NonMaxSuppression), topk1 (TopK)");
    }
    {
        scnn::test::OnnxBuilder b({-1, 100});
        b.init("w", {10, 100}, scnn::test::pseudo_random(1000, 3));
        scnn::test::OnnxBuilder::attr(b.node("Gemm", {"input", "w"}, {"y"}), "transB", 1);
        std::ofstream(t.file("small.onnx"), std::ios::binary) << b.finish("y");
        require_one_line_error(run_scnn("eval -m " + t.file("small.onnx") + pred), "needs 100 values");
    }
    require_one_line_error(run_scnn("eval -m /nonexistent/model.onnx" + pred), "/nonexistent/model.onnx");
    require_one_line_error(run_scnn("eval --data idx:/nonexistent/a,/nonexistent/b" + pred), "/nonexistent/a");
    require_one_line_error(run_scnn("eval --data csv:/nonexistent.csv" + pred), "nonexistent.csv");
    require_one_line_error(run_scnn("eval --mode quantum" + pred), "--mode");
    require_one_line_error(run_scnn("eval --limit -5" + pred), "--limit");
    require_one_line_error(run_scnn("eval --calib 0 --mode int8" + pred), "--calib");
    require_one_line_error(run_scnn("eval --threads abc" + pred), "--threads");
    require_one_line_error(run_scnn("eval --predictions /nonexistent-dir/p.txt --limit 5"), "/nonexistent-dir/p.txt");
    CHECK_FALSE(fs::exists(t.file("pred.txt")));
    for (const auto& e : fs::directory_iterator(t.path)) CHECK_THAT(e.path().filename().string(), !Catch::Contains("tmp"));
}
