// Determinism: the same seed gives the same plan (thresholds, generators), the same per-class counts and
// the same predictions on 1 and N threads and across runs; another seed of the true-random generator gives
// another plan.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "engine/io/dataset.hpp"
#include "engine/io/plan_json.hpp"
#include "engine/sim/simulate.hpp"
#include "tests/support/run_command.hpp"

using scnn::test::run_scnn;
using scnn::test::slurp;
using scnn::test::TempDir;

TEST_CASE("Same seed, same plan, counts and predictions on any thread count and across runs",
          "[determinism][sim]") {
    TempDir t;
    for (const char* sng : {"sobol", "random"}) {
        INFO("generator " << sng);
        const std::string opts = std::string(" -m fmnist_tiny -L 128 --sng ") + sng + " --seed 7";
        REQUIRE(run_scnn("compile" + opts + " -o " + t.file("a.json")).status == 0);
        REQUIRE(run_scnn("compile" + opts + " -o " + t.file("b.json")).status == 0);
        CHECK(slurp(t.file("a.json")) == slurp(t.file("b.json")));

        // Counts, image by image, from two simulators built from the two plan files.
        const auto data = scnn::io::load_dataset("fashion-mnist", 20);
        const scnn::sim::Simulator sa(scnn::io::read_plan(t.file("a.json")));
        const scnn::sim::Simulator sb(scnn::io::read_plan(t.file("b.json")));
        for (std::int64_t i = 0; i < data.count; ++i) CHECK(sa.run(data.image(i)) == sb.run(data.image(i)));

        // Predictions through the CLI on 1 and 3 threads.
        const std::string eval = "eval -q -n 300 --plan " + t.file("a.json") + " --predictions ";
        REQUIRE(run_scnn(eval + t.file("p1") + " -j 1").status == 0);
        REQUIRE(run_scnn(eval + t.file("p3") + " -j 3").status == 0);
        CHECK(slurp(t.file("p1")) == slurp(t.file("p3")));
        CHECK(slurp(t.file("p1")).size() >= 600);
    }
    REQUIRE(run_scnn("compile -m fmnist_tiny -L 128 --sng random --seed 8 -o " + t.file("c.json")).status == 0);
    CHECK(slurp(t.file("a.json")) != slurp(t.file("c.json")));
}
