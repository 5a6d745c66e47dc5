// The SC-aware training recipe on a tiny run (a few batches: the loss falls, the exported ONNX loads and runs
// in scnn), and the early-exit trade-off of `scnn compare --early-exit M1,M2,…` (JSON, CSV, plot script).
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tests/support/run_command.hpp"

using scnn::test::run_command;
using scnn::test::run_scnn;
using scnn::test::TempDir;

namespace {

bool have_torch() {
    return run_command("/usr/bin/python3 -c 'import torch, onnx, numpy'").status == 0 &&
           std::filesystem::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
}

nlohmann::json run_json(const std::string& args) {
    const auto r = run_scnn(args);
    INFO(args << "\nstderr: " << r.err);
    REQUIRE(r.status == 0);
    return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_CASE("sc_train.py: a few SC-aware batches lower the loss and export an ONNX model scnn runs", "[training]") {
    if (!have_torch()) {
        WARN(
            "skipped: /usr/bin/python3 cannot import torch, onnx and numpy, or the Fashion-MNIST data is missing "
            "(scripts/install-deps.sh installs them)");
        return;
    }
    TempDir t;
    // from a random start (no float epochs), 2 epochs of 12 batches of the SC stand-in at L = 32
    const std::string cmd = std::string("/usr/bin/python3 ") + SCNN_SOURCE_DIR +
                            "/models/sc_train.py --model fmnist_tiny --length 32 --float-epochs 0 --epochs 2 "
                            "--batches 12 --lr 2e-3 --train-limit 3000 --test-limit 300 --name tiny_sc --out " +
                            t.path.string();
    const auto r = run_command(cmd);
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(r.status == 0);
    const auto onnx = t.file("tiny_sc.onnx");
    REQUIRE(std::filesystem::exists(onnx));
    const auto meta = nlohmann::json::parse(scnn::test::slurp(t.file("tiny_sc.json")));
    const auto& sc = meta.at("sc_aware");
    CHECK(sc.at("lengths") == nlohmann::json::array({32}));
    CHECK(sc.at("loss_last").get<double>() < sc.at("loss_first").get<double>());
    // scnn imports it (Hardtanh(0, 1) exports as Clip) and runs it in SC
    const auto info = run_json("info " + onnx + " --json");
    CHECK(info.dump().find("Clip") != std::string::npos);
    const auto ev = run_json("eval -m " + onnx + " --mode sc -L 32 -n 40 --sc-calib 20 -q -j 1 --json");
    CHECK(ev.at("images") == 40);
    CHECK(ev.at("accuracy").get<double>() > 0.2);  // better than chance (0.1) after 24 batches
}

TEST_CASE("scnn compare --early-exit with a list of margins reports the whole trade-off", "[training][early-exit]") {
    TempDir t;
    const auto j = run_json(
        "compare -m fmnist_tiny --lengths 64,128 -n 60 --early-exit-every 16 --sc-calib 40 -q -j 1 --json "
        "--early-exit 0,3,1000000000 --out " +
        t.file("cmp"));
    REQUIRE(j.at("sc").size() == 2);
    for (const auto& row : j["sc"]) {
        const auto L = row.at("length").get<double>();
        const auto& ex = row.at("early_exits");
        REQUIRE(ex.size() == 3);
        CHECK(row.at("early_exit") == ex[0]);  // the first margin keeps the single-margin field
        CHECK(row.at("early_exit_every") == 16);
        CHECK(ex[0]["margin"] == 0);
        CHECK(ex[1]["margin"] == 3);
        for (const auto& e : ex) {
            CHECK(e.at("mean_cycles").get<double>() <= L);
            CHECK(e.at("mean_cycles").get<double>() >= 1.0);
        }
        // margin 0 never changes a prediction; a small margin stops earlier; a huge one acts like 0
        CHECK(ex[0]["agreement_with_full"].get<double>() == 1.0);
        CHECK(ex[0]["accuracy"] == row["accuracy"]);
        CHECK(ex[1]["mean_cycles"].get<double>() < ex[0]["mean_cycles"].get<double>());
        CHECK(ex[2]["mean_cycles"] == ex[0]["mean_cycles"]);
    }
    const auto csv = scnn::test::slurp(t.file("cmp/compare_early.csv"));
    std::istringstream lines(csv);
    std::string line;
    std::getline(lines, line);
    CHECK(line == "length,margin,accuracy,agreement_with_float,agreement_with_full,mean_cycles");
    int rows = 0;
    while (std::getline(lines, line)) ++rows;
    CHECK(rows == 6);
    const auto gp = scnn::test::slurp(t.file("cmp/compare_early.gp"));
    CHECK(gp.find("compare_early.csv") != std::string::npos);
    CHECK(gp.find("logscale x") != std::string::npos);
    // the table shows the trade-off section
    const auto r = run_scnn(
        "compare -m fmnist_tiny --lengths 64 -n 30 --early-exit-every 8 --sc-calib 40 -q -j 1 --early-exit 0,3");
    REQUIRE(r.status == 0);
    CHECK(r.out.find("early-exit trade-off") != std::string::npos);
}

TEST_CASE("scnn eval --json reports mean_cycles: L without early exit, fewer with a small margin",
          "[training][early-exit]") {
    const std::string base = "eval -m fmnist_tiny --mode sc -L 128 -n 60 --sc-calib 40 -q -j 1 --json";
    const auto full = run_json(base);
    const auto early = run_json(base + " --early-exit 3");
    const auto every = run_json(base + " --early-exit 3 --early-exit-every 8");
    CHECK(full.at("mean_cycles").get<double>() == 128.0);
    CHECK(early.at("mean_cycles").get<double>() < 128.0);
    CHECK(early.at("early_exit") == 3);
    // checks every 8 cycles instead of 64 can only stop sooner (the same rule at a superset of the cycles)
    CHECK(every.at("early_exit_every") == 8);
    CHECK(every.at("mean_cycles").get<double>() < early.at("mean_cycles").get<double>());
}
