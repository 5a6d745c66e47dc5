// rtl/ generator modules (LFSR Fibonacci and Galois, Sobol, Halton, ramp) against engine/sc's Sng, cycle by
// cycle: random widths, seeds, dimensions, offsets and rotations, all instances in one iverilog build.
#include <catch2/catch.hpp>
#include <fmt/core.h>

#include <fstream>
#include <random>
#include <sstream>

#include "codegen/verilog/run/rtl_build.hpp"
#include "codegen/verilog/sc_emit_detail.hpp"
#include "engine/sc/sng.hpp"
#include "engine/sim/simulate.hpp"
#include "tests/support/run_command.hpp"

using namespace scnn;

TEST_CASE("rtl/ generators step exactly as engine/sc's Sng", "[rtl][cross]") {
    std::mt19937 rng(2024);
    ir::ScPlan plan;
    const char* kinds[] = {"lfsr", "lfsr-galois", "sobol", "halton", "ramp"};
    for (const char* kind : kinds) {
        for (unsigned width : {3u, 4u, 6u, 8u, 11u, 16u, 21u, 32u}) {
            ir::PlanGenerator g;
            g.kind = kind;
            g.width = width;
            const std::uint32_t mask = width == 32 ? 0xFFFFFFFFu : ((1u << width) - 1u);
            g.seed = std::max<std::uint32_t>(1, std::uint32_t(rng()) & mask);
            g.dimension = g.kind == "sobol" ? 1 + rng() % 32 : (g.kind == "halton" ? 1 + rng() % 16 : 1);
            while (g.kind == "halton" && g.dimension > 1 && (std::uint64_t{sc::halton_base(g.dimension)} >> width) != 0)
                --g.dimension;  // the base must fit the width
            g.offset = rng() % 3000;
            g.rotate = g.kind == "halton" ? 0 : unsigned(rng() % width);
            plan.generators.push_back(g);
        }
    }
    const int cycles = 300;
    std::vector<codegen::verilog::EmittedFile> files;
    codegen::verilog::detail::Ctx ctx{plan, 1, false, false, "test_rtl_generators", files, {}};
    codegen::CodeWriter w;
    w.line("module gen_tb;");
    w.indent();
    w.line("reg clk = 1'b0, clr = 1'b1, last = 1'b1;");
    for (std::size_t g = 0; g < plan.generators.size(); ++g) codegen::verilog::detail::emit_generator(ctx, w, int(g));
    w.line("integer t;");
    w.open("initial begin");
    w.line("#1 clk = 1'b1; #1 clk = 1'b0; clr = 1'b0;");
    w.open(fmt::format("for (t = 0; t < {}; t = t + 1) begin", cycles));
    for (std::size_t g = 0; g < plan.generators.size(); ++g) w.linef("$write(\"%0d \", r_gen{});", g);
    w.line("$display(\"\");");
    w.line("#1 clk = 1'b1; #1 clk = 1'b0;");
    w.close("end");
    w.line("$finish;");
    w.close("end");
    w.dedent();
    w.line("endmodule");
    test::TempDir dir;
    std::string srcs;
    for (const auto& m : ctx.modules) {
        std::ifstream in(std::string(SCNN_SOURCE_DIR) + "/rtl/" + m + ".v");
        std::stringstream ss;
        ss << in.rdbuf();
        std::ofstream(dir.file(m + ".v")) << ss.str();
        srcs += " " + m + ".v";
    }
    std::ofstream(dir.file("gen_tb.v")) << w.str();
    REQUIRE(codegen::verilog::run_in(dir.path.string(), "iverilog -g2005 -Wall -o gen.vvp -s gen_tb gen_tb.v" + srcs,
                                     300, dir.file("build.log")) == 0);
    REQUIRE(codegen::verilog::run_in(dir.path.string(), "vvp -n gen.vvp", 300, dir.file("out.txt")) == 0);
    std::vector<sc::Sng> sngs;
    for (const auto& g : plan.generators) sngs.emplace_back(sim::to_sng_config(g));
    std::ifstream out(dir.file("out.txt"));
    std::string line;
    int t = 0;
    while (t < cycles && std::getline(out, line)) {
        std::istringstream ss(line);
        for (std::size_t g = 0; g < sngs.size(); ++g) {
            std::uint64_t r = 0;
            ss >> r;
            INFO("generator " << g << " (" << plan.generators[g].kind << ", width " << plan.generators[g].width
                              << ") at cycle " << t);
            REQUIRE(r == sngs[g].output());
            sngs[g].step();
        }
        ++t;
    }
    CHECK(t == cycles);
}
