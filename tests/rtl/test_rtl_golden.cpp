// The golden cases of tests/golden/ (shared with the C backend) through the emitted RTL, parallel and
// folded, all designs in one Verilator build: per image and class the counts equal the recorded ones, and
// for the first image the traced stage's outputs equal the recorded per-cycle trace on every SC cycle
// (hidden, pooling and gather stages: e(t) = pos − neg of every output; a final stage: Δ(t) of every
// class, from the counts at the start of every SC cycle).
//
// The bench drives each design only through the documented scnn_top interface (pixel port, start, done,
// class_sel / class_count, pred, sc_cycles); the trace reads the top's stage wires s<k>_pos / s<k>_neg and
// `counts` by hierarchical reference.
#include <catch2/catch.hpp>
#include <fmt/core.h>

#include <fstream>
#include <map>
#include <sstream>

#include "codegen/common/code_writer.hpp"
#include "codegen/verilog/sc_emitter.hpp"
#include "engine/sim/simulate.hpp"
#include "tests/firmware/golden.hpp"
#include "tests/rtl/unit_bench.hpp"
#include "tests/support/run_command.hpp"

using namespace scnn;

namespace {

struct Design {
    test::GoldenCase golden;
    int fold;
    codegen::verilog::ScDesign d;
};

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
    return s;
}

// The bench of design k (instance u<k>, names p = d<k>_): load each image, start, wait for done, print the
// counts class by class ("C k image c0 c1 … pred sc_cycles"), and for image 0 the trace ("T k hex hex").
void bench_design(codegen::CodeWriter& w, int k, const Design& x) {
    const auto& d = x.d;
    const auto& plan = x.golden.plan;
    const std::string p = fmt::format("d{}_", k);
    const int nimg = int(x.golden.images.size());
    const std::int64_t npix = d.input_size;
    w.linef("// design {}: golden case {}, fold {}", k, x.golden.name, x.fold);
    w.linef("reg [7:0] {}img [0:{}];", p, nimg * npix - 1);
    w.linef("initial $readmemh(\"{}images.hex\", {}img);", p, p);
    w.linef("reg [3:0] {}st = 0;", p);
    w.linef("reg [31:0] {}i = 0, {}n = 0, {}c = 0;", p, p, p);
    w.linef("reg {}rst = 1'b1, {}we = 1'b0, {}start = 1'b0, {}fin = 1'b0;", p, p, p, p);
    w.linef("reg [{}:0] {}addr = 0;", d.pixel_addr_width - 1, p);
    w.linef("reg [7:0] {}data = 0;", p);
    w.linef("wire signed [{}:0] {}count;", d.count_width - 1, p);
    w.linef("reg signed [{}:0] {}cv [0:{}];  // the counts of the image, read class by class", d.count_width - 1, p,
            d.classes - 1);
    w.linef("wire [{}:0] {}pred;", d.class_width - 1, p);
    w.linef("wire {}busy, {}done;", p, p);
    w.linef("wire [31:0] {}cyc;", p);
    w.linef("g{}_scnn_top u{} (.clk(clk), .rst({}rst), .pix_we({}we), .pix_addr({}addr), .pix_data({}data), "
            ".start({}start), .early_en(1'b0), .margin({}'d0), .class_sel({}c[{}:0]), .class_count({}count), "
            ".pred({}pred), .busy({}busy), .done({}done), .sc_cycles({}cyc));",
            k, k, p, p, p, p, p, d.count_width, p, d.class_width - 1, p, p, p, p, p);
    const int ts = x.golden.trace_stage;
    const bool final_trace = plan.stages[std::size_t(ts)].final;
    w.open("always @(posedge clk) begin");
    if (final_trace)
        w.linef("if ({0}n == 0 && u{1}.running && u{1}.ph == 0) $display(\"T {1} %h\", u{1}.counts);", p, k);
    else
        w.linef("if ({0}n == 0 && u{1}.last) $display(\"T {1} %h %h\", u{1}.s{2}_pos, u{1}.s{2}_neg);", p, k, ts);
    w.linef("case ({}st)", p);
    w.linef("0: begin {0}rst <= 1'b0; {0}st <= 1; {0}i <= 0; end", p);
    w.linef("1: begin {0}we <= 1'b1; {0}addr <= {0}i[{1}:0]; {0}data <= {0}img[{0}n * {2} + {0}i]; {0}i <= {0}i + 1; "
            "if ({0}i == {3}) {0}st <= 2; end",
            p, d.pixel_addr_width - 1, npix, npix - 1);
    w.linef("2: begin {0}we <= 1'b0; {0}start <= 1'b1; {0}st <= 3; end", p);
    w.linef("3: begin {0}start <= 1'b0; {0}st <= 4; end", p);
    w.linef("4: if ({0}done) begin {0}st <= 5; {0}c <= 0; end", p);
    w.linef("5: begin {0}cv[{0}c] <= {0}count; {0}c <= {0}c + 1; if ({0}c == {1}) {0}st <= 6; end", p, d.classes - 1);
    std::string fmt_s = fmt::format("C {} %0d", k), args = fmt::format("{}n", p);
    for (int c = 0; c < d.classes; ++c) {
        fmt_s += " %0d";
        args += fmt::format(", {}cv[{}]", p, c);
    }
    w.linef("6: begin $display(\"{} %0d %0d\", {}, {}pred, {}cyc); {}n <= {}n + 1; {}i <= 0; {}st <= ({}n == {}) ? 7 : 1; end",
            fmt_s, args, p, p, p, p, p, p, p, nimg - 1);
    w.linef("default: {}fin <= 1'b1;", p);
    w.line("endcase");
    w.close("end");
}

std::int64_t signed_field(const std::vector<std::uint8_t>& bits, std::size_t at, int width) {
    std::int64_t v = 0;
    for (int b = 0; b < width; ++b) v |= std::int64_t(bits[at + std::size_t(b)]) << b;
    if (bits[at + std::size_t(width - 1)]) v -= std::int64_t{1} << width;
    return v;
}

std::vector<std::uint8_t> hex_bits(const std::string& hex) {
    std::vector<std::uint8_t> bits;
    for (std::size_t i = hex.size(); i-- > 0;) {
        const int v = std::stoi(hex.substr(i, 1), nullptr, 16);
        for (int b = 0; b < 4; ++b) bits.push_back((v >> b) & 1);
    }
    return bits;
}

}  // namespace

TEST_CASE("the golden cases through the RTL: counts and the traced stage on every cycle (Verilator)",
          "[rtl][cross][golden]") {
    std::vector<Design> designs;
    for (const auto& path : test::golden_files()) {
        const auto g = test::golden_from_file(path);
        std::int64_t widest = 1;
        for (const auto& s : g.plan.stages) widest = std::max(widest, s.out.size());
        // the parallel and the folded form, one per case in turn (one more build per form would double the
        // test's time; tests/rtl's random plans run both forms of every stage kind)
        const int fold = designs.size() % 2 == 0 ? 1 : int(std::min<std::int64_t>(3, widest));
        designs.push_back({g, fold, codegen::verilog::emit_sc(g.plan, {fold, "test_rtl_golden"})});
    }
    REQUIRE(designs.size() >= 5);
    test::TempDir dir;
    std::string srcs = "golden_tb.v";
    codegen::CodeWriter w;
    w.line("module golden_tb (input wire clk);");
    w.indent();
    for (std::size_t k = 0; k < designs.size(); ++k) {
        // every module and ROM file of design k gets the prefix g<k>_, so that all designs share one build
        const std::string to = fmt::format("g{}_scnn_", k);
        for (const auto& f : designs[k].d.files) {
            if (f.path.rfind("tb/", 0) == 0) continue;
            std::ofstream(dir.file(replace_all(f.path, "scnn_", to))) << replace_all(f.content, "scnn_", to);
        }
        for (const auto& s : designs[k].d.sources) srcs += fmt::format(" {}", replace_all(s, "scnn_", to));
        std::ofstream img(dir.file(fmt::format("d{}_images.hex", k)));
        for (const auto& im : designs[k].golden.images)
            for (auto px : im) img << fmt::format("{:02x}\n", px);
        bench_design(w, int(k), designs[k]);
    }
    std::string all = "1'b1";
    for (std::size_t k = 0; k < designs.size(); ++k) all += fmt::format(" & d{}_fin", k);
    w.linef("always @(posedge clk) if ({}) $finish;", all);
    w.dedent();
    w.line("endmodule");
    std::ofstream(dir.file("golden_tb.v")) << w.str();
    const std::string log = test::rtl::verilate_and_run(dir.path.string(), "golden_tb", srcs, 300);
    INFO(log);
    REQUIRE(log.empty());
    // parse
    std::map<int, std::vector<std::vector<std::int64_t>>> counts;  // design -> image -> classes (+ pred, cycles)
    std::map<int, std::vector<std::string>> trace;                 // design -> lines
    std::ifstream out(dir.file("out.txt"));
    std::string line;
    while (std::getline(out, line)) {
        std::istringstream ss(line);
        std::string tag;
        int k = 0;
        ss >> tag >> k;
        if (tag == "C") {
            int n = 0;
            ss >> n;
            std::vector<std::int64_t> v;
            for (std::int64_t x; ss >> x;) v.push_back(x);
            counts[k].push_back(v);
        } else if (tag == "T") {
            trace[k].push_back(line.substr(line.find(' ', 2) + 1));
        }
    }
    for (std::size_t k = 0; k < designs.size(); ++k) {
        const auto& x = designs[k];
        const auto& g = x.golden;
        const int ki = int(k);
        INFO("golden case " << g.name << ", fold " << x.fold);
        REQUIRE(counts[ki].size() == g.images.size());
        for (std::size_t i = 0; i < g.images.size(); ++i) {
            std::vector<std::int64_t> got(counts[ki][i].begin(), counts[ki][i].begin() + std::ptrdiff_t(x.d.classes));
            INFO("image " << i);
            CHECK(got == g.counts[i]);
            CHECK(counts[ki][i][std::size_t(x.d.classes)] == sim::predict(g.counts[i]));
            CHECK(counts[ki][i][std::size_t(x.d.classes) + 1] == g.plan.length);
        }
        const auto& stage = g.plan.stages[std::size_t(g.trace_stage)];
        const std::size_t n = std::size_t(stage.out.size());
        const auto& lines = trace[ki];
        REQUIRE(lines.size() == g.trace.size() + (stage.final ? 1 : 0));
        std::vector<std::int64_t> prev(n, 0);
        if (stage.final) {  // C(0): the counts at the start of SC cycle 0
            const auto bits = hex_bits(lines[0]);
            for (std::size_t o = 0; o < n; ++o) prev[o] = signed_field(bits, o * std::size_t(x.d.count_width), x.d.count_width);
        }
        for (std::size_t t = 0; t < g.trace.size(); ++t) {
            std::vector<std::int32_t> got(n);
            if (stage.final) {  // Δ(t) = C(t + 1) − C(t)
                const auto bits = hex_bits(lines[t + 1]);
                for (std::size_t o = 0; o < n; ++o) {
                    const std::int64_t c = signed_field(bits, o * std::size_t(x.d.count_width), x.d.count_width);
                    got[o] = std::int32_t(c - prev[o]);
                    prev[o] = c;
                }
            } else {
                std::istringstream ss(lines[t]);
                std::string hp, hn;
                ss >> hp >> hn;
                const auto bp = hex_bits(hp), bn = hex_bits(hn);
                for (std::size_t o = 0; o < n; ++o) got[o] = std::int32_t(bp[o]) - std::int32_t(bn[o]);
            }
            INFO("traced stage " << g.trace_stage << ", SC cycle " << t);
            REQUIRE(got == g.trace[t]);
        }
    }
}
