// Every rtl/ module that is not a generator (those are in test_rtl_generators.cpp) against the engine's
// primitives, side by side on every cycle: random parameters, streams of several lengths, all instances in
// one Verilator build (unit_bench.hpp, unit_cases.hpp).
#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>

#include "codegen/verilog/run/rtl_build.hpp"
#include "tests/rtl/unit_bench.hpp"
#include "tests/rtl/unit_cases.hpp"
#include "tests/support/run_command.hpp"

using namespace scnn;

TEST_CASE("rtl/ modules equal engine/sc's primitives on every cycle (Verilator)", "[rtl][cross]") {
    constexpr int kCycles = 700;
    std::mt19937 rng(20261128);
    auto cases = test::rtl::combinational_cases(rng, kCycles, 6);
    const auto more = test::rtl::state_cases(rng, kCycles, 6);
    cases.insert(cases.end(), more.begin(), more.end());
    test::TempDir dir;
    const auto run = test::rtl::run_unit_bench(cases, kCycles, dir.path.string());
    INFO(run.log);
    REQUIRE(run.built);
    CHECK(run.cycles_seen == kCycles);
    for (const auto& m : run.mismatches) {
        INFO(cases[m.case_index].what << ": first difference at cycle " << m.cycle << ", output "
                                      << cases[m.case_index].outputs[std::size_t(m.output)].name << ": engine "
                                      << m.expected << ", rtl " << m.got);
        CHECK(false);
    }
    CHECK(run.mismatches.empty());
}

TEST_CASE("every rtl/ module is verilator --lint-only -Wall clean on its own", "[rtl][cross]") {
    const std::filesystem::path rtl = std::filesystem::path(SCNN_SOURCE_DIR) / "rtl";
    int modules = 0;
    for (const auto& e : std::filesystem::directory_iterator(rtl)) {
        if (e.path().extension() != ".v") continue;
        ++modules;
        const std::string top = e.path().stem().string();
        // A module that instantiates no other module, or only itself (scnn_apc's tree), is linted as the only
        // file, without -y and --top-module: Verilator 5.006 given either reports a recursive top module's
        // inner nets as undriven, while the same module linted alone, or inside any design, is clean.
        const std::string text = test::slurp(e.path().string());
        bool uses_others = false;
        static const std::regex inst(R"((scnn_\w+)\s+#?\s*\(?)");
        for (auto it = std::sregex_iterator(text.begin(), text.end(), inst); it != std::sregex_iterator(); ++it)
            uses_others = uses_others || (*it)[1].str() != top;
        test::TempDir dir;
        const int st = codegen::verilog::run_in(
            dir.path.string(),
            "verilator --lint-only -Wall " +
                (uses_others ? "-y " + rtl.string() + " --top-module " + top + " " : std::string()) +
                e.path().string(),
            120, dir.file("lint.log"));
        INFO(top << ": " << test::slurp(dir.file("lint.log")));
        CHECK(st == 0);
    }
    CHECK(modules >= 17);
}
