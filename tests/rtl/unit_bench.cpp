#include "tests/rtl/unit_bench.hpp"

#include <fmt/core.h>

#include <fstream>
#include <set>
#include <sstream>

#include "codegen/common/code_writer.hpp"
#include "codegen/verilog/run/rtl_build.hpp"
#include "tests/support/run_command.hpp"

namespace scnn::test::rtl {

int ubits(std::uint64_t v) {
    int b = 1;
    while (b < 64 && (v >> b) != 0) ++b;
    return b;
}

std::vector<int> segment_lengths(std::mt19937& rng, int cycles) {
    static const int kLengths[] = {1, 2, 7, 63, 64, 65, 100, 127, 256};
    std::vector<int> out;
    for (int total = 0; total < cycles;) {
        const int l = std::min(kLengths[rng() % std::size(kLengths)], cycles - total);
        out.push_back(l);
        total += l;
    }
    return out;
}

void mark_segments(UnitCase& c, const std::vector<int>& lengths) {
    c.seg_end.clear();
    for (int l : lengths)
        for (int i = 0; i < l; ++i) c.seg_end.push_back(i == l - 1);
}

namespace {

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
    return s;
}

int row_width(const UnitCase& c) {
    int w = 1;  // seg_end
    for (const auto& f : c.inputs) w += f.width;
    return w;
}

// One stimulus row as hex: the fields packed from bit 0 in order, seg_end last.
std::string row_hex(const UnitCase& c, int t) {
    const int width = row_width(c);
    std::vector<std::uint8_t> bits(std::size_t(width + 3), 0);
    int at = 0;
    for (std::size_t i = 0; i < c.inputs.size(); ++i) {
        for (int b = 0; b < c.inputs[i].width; ++b) bits[std::size_t(at + b)] = (c.stim[std::size_t(t)][i] >> b) & 1U;
        at += c.inputs[i].width;
    }
    bits[std::size_t(at)] = c.seg_end[std::size_t(t)];
    std::string hex;
    for (int d = (width + 3) / 4 - 1; d >= 0; --d) {
        const int v = bits[std::size_t(4 * d)] | bits[std::size_t(4 * d + 1)] << 1 | bits[std::size_t(4 * d + 2)] << 2 |
                      bits[std::size_t(4 * d + 3)] << 3;
        hex += "0123456789abcdef"[v];
    }
    return hex;
}

std::string bench_verilog(const std::vector<UnitCase>& cases, int cycles) {
    codegen::CodeWriter w;
    w.line("module unit_tb (input wire clk);");
    w.indent();
    w.line("reg [31:0] t = 0;");
    for (std::size_t k = 0; k < cases.size(); ++k) {
        const auto& c = cases[k];
        const std::string p = fmt::format("c{}_", k);
        const int rw = row_width(c);
        w.linef("// case {}: {}", k, c.what);
        w.linef("reg [{}:0] {}mem [0:{}];", rw - 1, p, cycles - 1);
        w.linef("initial $readmemh(\"c{}.hex\", {}mem);", k, p);
        w.linef("wire [{}:0] {}row = {}mem[t];", rw - 1, p, p);
        int at = 0;
        for (const auto& f : c.inputs) {
            w.linef("wire [{}:0] {}{} = {}row[{} +: {}];", f.width - 1, p, f.name, p, at, f.width);
            at += f.width;
        }
        w.linef("wire {}seg_end = {}row[{}];", p, p, at);
        for (std::size_t o = 0; o < c.outputs.size(); ++o) w.linef("wire [{}:0] {}o{};", c.outputs[o].width - 1, p, o);
        w.lines(replace_all(c.body, "PFX_", p));
    }
    w.open("always @(posedge clk) begin");
    for (std::size_t k = 0; k < cases.size(); ++k)
        for (std::size_t o = 0; o < cases[k].outputs.size(); ++o) w.linef("$write(\"%h \", c{}_o{});", k, o);
    w.line("$write(\"\\n\");");
    w.linef("if (t == {}) $finish;", cycles - 1);
    w.line("t <= t + 1;");
    w.close("end");
    w.dedent();
    w.line("endmodule");
    return w.str();
}

constexpr const char* kMain = R"(#include "V@TOP@.h"
#include "verilated.h"
int main(int argc, char** argv) {
    VerilatedContext ctx;
    ctx.commandArgs(argc, argv);
    V@TOP@ top{&ctx};
    for (long i = 0; i < 100000000L && !ctx.gotFinish(); ++i) {
        top.clk = 0;
        top.eval();
        top.clk = 1;
        top.eval();
    }
    top.final();
    return ctx.gotFinish() ? 0 : 3;
}
)";

std::uint64_t mask_of(int width) { return width >= 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << width) - 1); }

}  // namespace

std::string verilate_and_run(const std::string& dir, const std::string& top, const std::string& sources, int timeout_s) {
    std::ofstream(dir + "/main.cpp") << replace_all(kMain, "@TOP@", top);
    const std::string cmd = fmt::format("verilator --cc --exe --build -j 2 -Wno-fatal -Wno-lint -Wno-style "
                                        "--top-module {0} -Mdir obj -o V{0} -MAKEFLAGS 'OPT_FAST=-O0 OPT_SLOW=-O0 OPT_GLOBAL=-O0' "
                                        "main.cpp {1}",
                                        top, sources);
    if (codegen::verilog::run_in(dir, cmd, 900, dir + "/build.log") != 0) return "build: " + slurp(dir + "/build.log");
    if (codegen::verilog::run_in(dir, "obj/V" + top, timeout_s, dir + "/out.txt") != 0)
        return "run: " + slurp(dir + "/out.txt");
    return "";
}

BenchRun run_unit_bench(const std::vector<UnitCase>& cases, int cycles, const std::string& dir) {
    BenchRun run;
    std::set<std::string> modules;
    for (std::size_t k = 0; k < cases.size(); ++k) {
        std::ofstream hex(dir + fmt::format("/c{}.hex", k));
        for (int t = 0; t < cycles; ++t) hex << row_hex(cases[k], t) << "\n";
        modules.insert(cases[k].modules.begin(), cases[k].modules.end());
    }
    std::ofstream(dir + "/unit_tb.v") << bench_verilog(cases, cycles);
    std::string srcs = "unit_tb.v";
    for (const auto& m : modules) srcs += fmt::format(" {}/rtl/{}.v", SCNN_SOURCE_DIR, m);
    run.log = verilate_and_run(dir, "unit_tb", srcs, 300);
    run.built = run.log.empty() || run.log.rfind("run:", 0) == 0;
    if (!run.log.empty()) return run;
    std::ifstream out(dir + "/out.txt");
    std::vector<bool> failed(cases.size(), false);
    std::string line;
    for (int t = 0; t < cycles && std::getline(out, line); ++t) {
        std::istringstream ss(line);
        for (std::size_t k = 0; k < cases.size(); ++k) {
            for (std::size_t o = 0; o < cases[k].outputs.size(); ++o) {
                std::string tok;
                ss >> tok;
                const std::uint64_t got = tok.empty() ? ~std::uint64_t{0} : std::stoull(tok, nullptr, 16);
                const int width = cases[k].outputs[o].width;
                const std::uint64_t want = std::uint64_t(cases[k].expect[std::size_t(t)][o]) & mask_of(width);
                if (!failed[k] && (got & mask_of(width)) != want) {
                    failed[k] = true;
                    run.mismatches.push_back({k, t, int(o), want, got});
                }
            }
        }
        run.cycles_seen = t + 1;
    }
    return run;
}

}  // namespace scnn::test::rtl
