// `scnn area` and `scnn compare --hw`: bad input is one line on stderr and exit status 2, before any synthesis.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "tests/support/run_command.hpp"

using scnn::test::run_scnn;

namespace {

void check_one_line_error(const scnn::test::CommandResult& r, const std::string& needle) {
    INFO(r.err);
    CHECK(r.status == 2);
    CHECK(r.err.rfind("scnn: error: ", 0) == 0);
    CHECK(r.err.find(needle) != std::string::npos);
    CHECK(r.err.find('\n') == r.err.size() - 1);
    CHECK(r.out.empty());
}

}  // namespace

TEST_CASE("scnn area rejects bad input in one line", "[hw][cli]") {
    scnn::test::TempDir t;
    check_one_line_error(run_scnn("area --liberty " + t.file("missing.lib")), "not found");
    std::ofstream(t.file("text.lib")) << "cell (X) { area : 1; }\n";
    check_one_line_error(run_scnn("area --liberty " + t.file("text.lib")), "not a liberty library");
    check_one_line_error(run_scnn("area --macs 0"), "--macs");
    check_one_line_error(run_scnn("area --macs 257"), "--macs");
    check_one_line_error(run_scnn("area --fold 0"), "--fold");
    check_one_line_error(run_scnn("area --only both3"), "--only");
    check_one_line_error(run_scnn("area --plan " + t.file("missing.json")), "missing.json");
    check_one_line_error(run_scnn("compare --hw --hw-fold 0"), "--hw-fold");
}

TEST_CASE("run-rtl and emit-verilog reject bad --mode, --macs and --form input in one line, before any work", "[hw][cli]") {
    scnn::test::TempDir t;
    const std::string out = t.file("rtl");
    check_one_line_error(run_scnn("run-rtl --mode int8 --macs 0 -n 1"), "--macs must be in [1, 256], got 0");
    check_one_line_error(run_scnn("run-rtl --mode int8 --macs 257 -n 1"), "--macs must be in [1, 256], got 257");
    check_one_line_error(run_scnn("emit-verilog --mode int8 --macs 0 -o " + out), "--macs must be in [1, 256]");
    check_one_line_error(run_scnn("run-rtl --mode int8 --fold 4 -n 1"), "--fold applies to --mode sc");
    check_one_line_error(run_scnn("emit-verilog --mode int8 --length 64 -o " + out), "--length applies to --mode sc");
    check_one_line_error(run_scnn("emit-verilog --macs 8 -o " + out), "--macs applies to --mode int8");
    check_one_line_error(run_scnn("run-rtl --macs 8 -n 1"), "--macs applies to --mode int8");
    check_one_line_error(run_scnn("run-rtl --mode int4 -n 1"), "--mode");
    check_one_line_error(run_scnn("run-rtl --form gates -n 1"), "--form");
    check_one_line_error(run_scnn("emit-verilog --form gates -o " + out), "--form");
    check_one_line_error(run_scnn("run-rtl --mode int8 --form synth -n 1"), "--form applies to --mode sc");
    CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("emit-verilog --mode int8 writes the int8 design with the clocks it states", "[hw][cli]") {
    scnn::test::TempDir t;
    const std::string out = t.file("rtl");
    const auto a = run_scnn("emit-verilog --mode int8 --macs 64 -o " + out);
    INFO(a.err);
    REQUIRE(a.status == 0);
    CHECK(a.out.find("top module scnn_int8_top") != std::string::npos);
    CHECK(a.out.find("P = 64 MAC lanes") != std::string::npos);
    REQUIRE(std::filesystem::exists(out + "/scnn_int8_top.v"));
    const std::string top = scnn::test::slurp(out + "/scnn_int8_top.v");
    CHECK(top.find("command: scnn emit-verilog") != std::string::npos);
    CHECK(top.find("--mode int8") != std::string::npos);
    // fewer lanes, more clocks: P = 8 takes more clocks per inference than P = 64
    const auto b = run_scnn("emit-verilog --mode int8 --macs 8 -o " + t.file("rtl8"));
    REQUIRE(b.status == 0);
    const auto clocks = [](const std::string& s) {  // "...: N clocks per inference"
        const auto end = s.find(" clocks per inference");
        REQUIRE(end != std::string::npos);
        const auto begin = s.rfind(' ', end - 1) + 1;
        return std::stol(s.substr(begin, end - begin));
    };
    CHECK(clocks(b.out) > clocks(a.out));
}
