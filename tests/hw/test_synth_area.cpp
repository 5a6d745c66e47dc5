// The yosys area flow on a real run of one small module, and its one-line errors.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>

#include "codegen/verilog/run/synth_area.hpp"
#include "engine/ir/error.hpp"

using namespace scnn;
using namespace scnn::codegen::verilog;
namespace fs = std::filesystem;

namespace {

fs::path temp_file(const std::string& name, const std::string& text) {
    const fs::path p = fs::temp_directory_path() / ("scnn-test-synth-" + name);
    std::ofstream(p) << text;
    return p;
}

/// Area of `cell` read from the liberty text (the test's own reading, not the flow's).
double liberty_area(const std::string& lib, const std::string& cell) {
    const std::regex re("cell\\s*\\(\\s*\"?" + cell + "\"?\\s*\\)\\s*\\{[^}]*?area\\s*:\\s*([0-9.]+)");
    std::smatch m;
    REQUIRE(std::regex_search(lib, m, re));
    return std::stod(m[1]);
}

}  // namespace

TEST_CASE("synthesis of one MAC lane on OSU 0.18", "[hw][synth]") {
    // scnn_int8_mac with AW = 20: 17 product flip-flops and 20 accumulator flip-flops, nothing else stored.
    const fs::path wrapper = temp_file("mac20.v",
                                       "module mac20 (input clk, input m, input a, input f, input s, input signed [8:0] d,\n"
                                       "  input signed [7:0] w, input signed [19:0] si, output signed [19:0] acc);\n"
                                       "  scnn_int8_mac #(.AW(20)) u (.clk(clk), .mul_en(m), .d(d), .w(w), .acc_en(a),\n"
                                       "    .acc_first(f), .shift_en(s), .shift_in(si), .acc(acc));\n"
                                       "endmodule\n");
    const SynthResult r =
        synthesize({fs::path(SCNN_SOURCE_DIR) / "rtl/int8/scnn_int8_mac.v", wrapper}, "mac20", SynthOptions{});
    CHECK(r.flip_flops == 37);
    std::int64_t count = 0;
    double area = 0;
    std::ifstream in(default_liberty());
    const std::string lib((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const auto& [cell, n] : r.cell_types) {
        count += n;
        area += double(n) * liberty_area(lib, cell);
    }
    CHECK(count == r.cells);
    CHECK(r.area_um2 == Approx(area).epsilon(1e-9));
    CHECK(r.cells > 100);  // an 8x9-bit multiplier and a 20-bit adder are hundreds of gates
    CHECK(r.delay_ps > 0);
    fs::remove(wrapper);
}

TEST_CASE("a module that keeps its hierarchy (scnn_apc) is counted once per instance", "[hw][synth]") {
    const fs::path apc = fs::path(SCNN_SOURCE_DIR) / "rtl/scnn_apc.v";
    const fs::path two = temp_file("apc_two.v",
                                   "module apc_two (input [39:0] a, input [39:0] b, output [5:0] ca, output [5:0] cb);\n"
                                   "  scnn_apc #(.N(40), .CW(6)) u_a (.in(a), .count(ca));\n"
                                   "  scnn_apc #(.N(40), .CW(6)) u_b (.in(b), .count(cb));\n"
                                   "endmodule\n");
    const fs::path one = temp_file("apc_one.v",
                                   "module apc_one (input [39:0] a, output [5:0] ca);\n"
                                   "  scnn_apc #(.N(40), .CW(6)) u_a (.in(a), .count(ca));\n"
                                   "endmodule\n");
    const SynthResult r2 = synthesize({apc, two}, "apc_two", SynthOptions{});
    const SynthResult r1 = synthesize({apc, one}, "apc_one", SynthOptions{});
    CHECK(r1.hierarchical);
    CHECK(r2.hierarchical);
    CHECK(r1.area_um2 > 0);
    CHECK(r2.area_um2 == Approx(2 * r1.area_um2).epsilon(1e-9));  // the design hierarchy's total, not the top's own
    CHECK(r2.cells == 2 * r1.cells);
    // The tree costs about N - log2(N) full adders; a full adder is a handful of gates. A chain of CW-bit
    // adders, one per input (the counter's old form), is several times more.
    CHECK(r1.cells < 8 * 40);
    fs::remove(two);
    fs::remove(one);
}

TEST_CASE("synthesis errors are one line", "[hw][synth]") {
    const fs::path ok = fs::path(SCNN_SOURCE_DIR) / "rtl/int8/scnn_int8_mac.v";
    SynthOptions missing;
    missing.liberty = "/nonexistent/cells.lib";
    CHECK_THROWS_WITH(synthesize({ok}, "scnn_int8_mac", missing),
                      Catch::Contains("liberty file") && Catch::Contains("not found"));
    SynthOptions not_lib;
    not_lib.liberty = temp_file("notlib.lib", "this is not a liberty file\n");
    CHECK_THROWS_WITH(synthesize({ok}, "scnn_int8_mac", not_lib), Catch::Contains("not a liberty library"));
    const fs::path broken = temp_file("broken.v", "module broken (input a; endmodule\n");
    try {
        synthesize({broken}, "broken", SynthOptions{});
        FAIL("no error");
    } catch (const Error& e) {
        const std::string msg = e.what();
        CHECK(msg.find("yosys failed synthesizing broken") != std::string::npos);
        CHECK(msg.find('\n') == std::string::npos);
    }
    CHECK_THROWS_WITH(synthesize({ok}, "no_such_top", SynthOptions{}), Catch::Contains("yosys failed"));
    CHECK_THROWS_WITH(parse_yosys_log("nothing here", "x", {}), Catch::Contains("no statistics for module x"));
    fs::remove(not_lib.liberty);
    fs::remove(broken);
}
