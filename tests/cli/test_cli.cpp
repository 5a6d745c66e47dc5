// The scnn command end to end: output formats, exit codes, and one-line errors that leave no file behind.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <cstdio>
#include <fstream>
#include <sstream>

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

// scnn compare --early-exit: every length runs twice (all L cycles, then early exit); a few images of the
// small model at lengths above 64 (the first early-exit check is at cycle 64) keep these fast.
namespace {

const std::string kCompareArgs = "compare -m fmnist_tiny --limit 120 --sc-calib 50 --lengths 256,512 -q -j 2";

nlohmann::json compare_json(const std::string& extra) {
    const auto r = run_scnn(kCompareArgs + " --json " + extra);
    INFO("stderr: " << r.err);
    REQUIRE(r.status == 0);
    return nlohmann::json::parse(r.out);
}

std::string fmt_cycles(double c) {  // as the table prints mean cycles
    char buf[32];
    std::snprintf(buf, sizeof buf, " %.1f ", c);
    return buf;
}

/// The first `n` comma-separated fields of a CSV line.
std::string first_fields(const std::string& line, int n) {
    std::size_t pos = 0;
    for (int i = 0; i < n && pos != std::string::npos; ++i) pos = line.find(',', pos + (i > 0 ? 1 : 0));
    return line.substr(0, pos);
}

}  // namespace

TEST_CASE("scnn compare --early-exit 0 keeps every prediction and never uses more than L cycles", "[cli][early-exit]") {
    const auto j = compare_json("--early-exit 0");
    REQUIRE(j.at("sc").size() == 2);
    for (const auto& row : j.at("sc")) {
        const auto& e = row.at("early_exit");
        CHECK(e.at("margin") == 0);
        CHECK(e.at("accuracy") == row.at("accuracy"));
        CHECK(e.at("agreement") == row.at("agreement"));
        CHECK(e.at("agreement_with_full").get<double>() == 1.0);
        CHECK(e.at("mean_cycles").get<double>() >= 64.0);
        CHECK(e.at("mean_cycles").get<double>() <= row.at("length").get<double>());
        CHECK(row.at("cycles") == row.at("length"));
    }
}

TEST_CASE("scnn compare --early-exit: a margin of 1 stops early, a huge margin acts like 0", "[cli][early-exit]") {
    const auto plain = compare_json("");
    const auto zero = compare_json("--early-exit 0");
    const auto one = compare_json("--early-exit 1");
    const auto huge = compare_json("--early-exit 1000000000");
    for (std::size_t i = 0; i < 2; ++i) {
        const double L = plain["sc"][i]["length"].get<double>();
        // The full-length rows do not depend on the option.
        for (const auto* j : {&zero, &one, &huge}) {
            CHECK((*j)["sc"][i]["accuracy"] == plain["sc"][i]["accuracy"]);
            CHECK((*j)["sc"][i]["agreement"] == plain["sc"][i]["agreement"]);
            CHECK((*j)["sc"][i]["cycles"] == plain["sc"][i]["cycles"]);
        }
        // Margin 1 stops every image with a unique leader at the first check (cycle 64).
        const auto& e1 = one["sc"][i]["early_exit"];
        CHECK(e1["mean_cycles"].get<double>() < 0.5 * L);
        CHECK(e1["mean_cycles"].get<double>() < zero["sc"][i]["early_exit"]["mean_cycles"].get<double>());
        CHECK(e1["agreement_with_full"].get<double>() < 1.0);  // at 64 cycles some predictions differ
        // A margin no count can reach leaves only the exact rule: the same as margin 0.
        const auto& eh = huge["sc"][i]["early_exit"];
        CHECK(eh["margin"] == 1000000000);
        CHECK(eh["mean_cycles"] == zero["sc"][i]["early_exit"]["mean_cycles"]);
        CHECK(eh["accuracy"] == plain["sc"][i]["accuracy"]);
    }
    // The table shows the early columns, and the cycles column the early-exit mean.
    const auto t = run_scnn(kCompareArgs + " --early-exit 1");
    REQUIRE(t.status == 0);
    CHECK_THAT(t.out, Catch::Contains("early acc.") && Catch::Contains("mean cycles") &&
                          Catch::Contains(fmt_cycles(one["sc"][0]["early_exit"]["mean_cycles"].get<double>())));
}

TEST_CASE("scnn compare: early-exit fields and CSV columns only with --early-exit", "[cli][early-exit]") {
    TempDir t;
    const auto plain = compare_json("--out " + t.file("plain"));
    for (const auto& row : plain.at("sc")) {
        CHECK_FALSE(row.contains("early_exit"));
        CHECK(row.size() == 6);  // length, accuracy, agreement, cycles, seconds, mean_abs_scc
    }
    const std::string header = "mode,length,accuracy,agreement_with_float,cycles_per_inference";
    const auto plain_csv = scnn::test::slurp(t.file("plain/compare.csv"));
    CHECK(plain_csv.substr(0, plain_csv.find('\n')) == header);

    const auto early = compare_json("--early-exit 20 --out " + t.file("early"));
    for (std::size_t i = 0; i < 2; ++i) {
        const auto& e = early["sc"][i].at("early_exit");
        for (const char* k : {"margin", "accuracy", "agreement", "agreement_with_full", "mean_cycles", "seconds"})
            CHECK(e.contains(k));
        CHECK(e.at("margin") == 20);
        // Keys of the full-length row are unchanged.
        for (const auto& [k, v] : plain["sc"][i].items()) CHECK(early["sc"][i].contains(k));
    }
    const auto csv = scnn::test::slurp(t.file("early/compare.csv"));
    std::istringstream lines(csv);
    std::string line;
    REQUIRE(std::getline(lines, line));
    CHECK(line == header + ",early_exit_margin,early_accuracy,early_agreement_with_float,early_mean_cycles");
    // Columns 1-5 of every row are those of the run without the option.
    std::istringstream plain_lines(plain_csv);
    std::string plain_line;
    std::getline(plain_lines, plain_line);
    int rows = 0;
    while (std::getline(lines, line)) {
        REQUIRE(std::getline(plain_lines, plain_line));
        CHECK(std::count(line.begin(), line.end(), ',') == 8);
        CHECK(std::count(plain_line.begin(), plain_line.end(), ',') == 4);
        CHECK(first_fields(line, 5) == plain_line);
        ++rows;
    }
    CHECK(rows == 4);  // float, int8, two lengths
    CHECK_FALSE(std::getline(plain_lines, plain_line));
    // The plot still reads length and full accuracy from columns 2 and 3, the early curve from column 7.
    const auto gp = scnn::test::slurp(t.file("early/compare.gp"));
    CHECK_THAT(gp, Catch::Contains("using (log($2)/log(2)):($3*100)") && Catch::Contains("($7*100)"));
    CHECK_THAT(scnn::test::slurp(t.file("plain/compare.gp")), !Catch::Contains("$7"));
}

TEST_CASE("scnn compare --early-exit rejects a bad margin with one line and exit 2", "[cli][early-exit][bad-input]") {
    for (const char* bad : {"-1", "-5", "abc", "1.5"}) {
        const auto r = run_scnn(kCompareArgs + " --early-exit " + bad);
        INFO("margin " << bad);
        CHECK(r.status == 2);
        require_one_line_error(r, "--early-exit");
        CHECK_THAT(r.err, Catch::StartsWith("scnn: error: "));
        CHECK(r.out.empty());
    }
    const auto r = run_scnn("compare --early-exit");
    CHECK(r.status == 2);
    require_one_line_error(r, "--early-exit");
}

TEST_CASE("scnn compare --help documents --early-exit", "[cli][early-exit]") {
    const auto r = run_scnn("compare --help");
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("--early-exit") && Catch::Contains("doubles"));
}
