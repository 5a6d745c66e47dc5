// Cross tests (CTest label `cross`): the golden cases and a few dozen Fashion-MNIST images on the
// ATmega328P in simavr (scnn-avr-run) and on the Cortex-M3 in QEMU, equal to the host engine.
#include <catch2/catch.hpp>

#include "tests/firmware/firmware_util.hpp"
#include "tests/firmware/golden.hpp"

using namespace scnn;

namespace {

void golden_on(const std::string& target) {
    for (const auto& path : test::golden_files()) {
        const auto c = test::golden_from_file(path);
        INFO(target << " " << path);
        const auto run = test::run_on(target, c.plan, test::all_images(c), std::int64_t(c.images.size()));
        for (std::size_t i = 0; i < c.images.size(); ++i) REQUIRE(run.images[i].out == c.counts[i]);
        REQUIRE(run.images[0].machine_cycles > 0);
    }
}

test::CommandResult scnn_cmd(const std::string& args) { return test::run_command(std::string(SCNN_BINARY) + " " + args); }

}  // namespace

TEST_CASE("golden cases on the ATmega328P in simavr", "[cross][avr]") { golden_on("avr"); }

TEST_CASE("golden cases on the Cortex-M3 in QEMU", "[cross][cortex-m]") { golden_on("cortex-m"); }

TEST_CASE("the trace build on the ATmega328P follows reference_run cycle by cycle on the golden cases", "[cross][avr]") {
    for (const auto& path : test::golden_files()) {
        const auto c = test::golden_from_file(path);
        INFO(path);
        REQUIRE(codegen::c::first_trace_difference(c.plan, c.images[0], "scnn test", "avr") == "");
    }
}

TEST_CASE("fmnist_tiny (9-bit weight codes) on the AVR and the Cortex-M3: 0 mismatches on 24 test images", "[cross]") {
    for (const char* target : {"avr", "cortex-m"}) {
        const auto r = scnn_cmd(std::string("run-c -m fmnist_tiny -L 64 -n 24 --json --target ") + target);
        INFO(r.err);
        REQUIRE(r.status == 0);
        REQUIRE_THAT(r.out, Catch::Contains("\"mismatches\":0") && Catch::Contains("\"images\":24"));
    }
    const auto e = scnn_cmd("run-c -m fmnist_tiny -L 64 -n 6 --early-exit 10 --early-exit-every 8 --json --target avr");
    INFO(e.err);
    REQUIRE(e.status == 0);
    REQUIRE_THAT(e.out, Catch::Contains("\"mismatches\":0"));
}

TEST_CASE("firmware errors are one line: fit and cycle limit", "[cross]") {
    const auto fit = scnn_cmd("run-c -m fmnist_mlp -n 2 --target avr");
    REQUIRE(fit.status == 2);
    REQUIRE_THAT(fit.err, Catch::Contains("fmnist_mlp does not fit the ATmega328P: flash needs"));
    const auto lim = scnn_cmd("run-c -m fmnist_tiny -L 64 -n 2 --target avr --cycle-limit 1000");
    REQUIRE(lim.status == 2);
    REQUIRE_THAT(lim.err, Catch::Contains("cycle limit"));
}
