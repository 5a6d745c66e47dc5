// SC Verilog emitter: the test benches in tb/ (not part of the design). Both read images, run each through
// scnn_top and print one line per image: the class counts, the prediction, the SC cycles and the clocks.
//   tb/scnn_tb.cpp  Verilator:  Vscnn_top IMAGES.bin COUNT EARLY_EN MARGIN MAX_CLOCKS [VCD]
//   tb/scnn_tb.v    iverilog:   vvp -n sim.vvp +images=IMAGES.hex +count=N +early=E +margin=M +maxclk=C
#include <fmt/core.h>

#include "codegen/verilog/sc_emit_detail.hpp"

namespace scnn::codegen::verilog::detail {

namespace {

constexpr const char* kVerilatorMain = R"(#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "Vscnn_top.h"
#include "verilated.h"
#if VM_TRACE
#include "verilated_vcd_c.h"
#endif

static VerilatedContext* ctx;
static Vscnn_top* top;
#if VM_TRACE
static VerilatedVcdC* vcd = nullptr;
#endif

static void tick() {
    top->clk = 0;
    top->eval();
#if VM_TRACE
    if (vcd) vcd->dump(ctx->time());
#endif
    ctx->timeInc(1);
    top->clk = 1;
    top->eval();
#if VM_TRACE
    if (vcd) vcd->dump(ctx->time());
#endif
    ctx->timeInc(1);
}

static long long count_of(int c) {
    top->class_sel = c;
    top->eval();
    const unsigned long long raw = (unsigned long long)top->class_count;
    const unsigned long long sign = 1ULL << (CW - 1);
    const unsigned long long mask = CW == 64 ? ~0ULL : ((1ULL << CW) - 1);
    return (long long)(((raw & mask) ^ sign) - sign);
}

int main(int argc, char** argv) {
    if (argc < 6) {
        std::fprintf(stderr, "usage: %s IMAGES.bin COUNT EARLY_EN MARGIN MAX_CLOCKS [VCD]\n", argv[0]);
        return 2;
    }
    const long count = std::atol(argv[2]);
    const int early = std::atoi(argv[3]);
    const long long margin = std::atoll(argv[4]);
    const long long max_clocks = std::atoll(argv[5]);
    const char* trace_env = std::getenv("SCNN_TB_TRACE");  // 1: print the counts after every SC cycle
    const bool trace = trace_env && trace_env[0] == '1';
    std::FILE* f = std::fopen(argv[1], "rb");
    std::vector<unsigned char> pix((size_t)count * NPIX);
    if (!f || std::fread(pix.data(), 1, pix.size(), f) != pix.size()) {
        std::fprintf(stderr, "cannot read %ld images from %s\n", count, argv[1]);
        return 2;
    }
    std::fclose(f);
    ctx = new VerilatedContext;
    top = new Vscnn_top{ctx};
#if VM_TRACE
    if (argc > 6) {
        ctx->traceEverOn(true);
        vcd = new VerilatedVcdC;
        top->trace(vcd, 99);
        vcd->open(argv[6]);
    }
#endif
    top->rst = 1;
    tick();
    top->rst = 0;
    top->early_en = early;
    top->margin = margin;
    for (long i = 0; i < count; ++i) {
        for (int p = 0; p < NPIX; ++p) {
            top->pix_we = 1;
            top->pix_addr = p;
            top->pix_data = pix[(size_t)i * NPIX + p];
            tick();
        }
        top->pix_we = 0;
        top->start = 1;
        tick();
        top->start = 0;
        long long clocks = 0;
        unsigned seen = 0;
        while (!top->done) {
            tick();
            if (trace && top->sc_cycles != seen) {
                seen = top->sc_cycles;
                std::printf("T %u", seen);
                for (int c = 0; c < NCLS; ++c) std::printf(" %lld", count_of(c));
                std::printf("\n");
            }
            if (++clocks > max_clocks) {
                std::printf("TIMEOUT %ld %lld\n", i, clocks);
                return 3;
            }
        }
        for (int c = 0; c < NCLS; ++c) std::printf("%lld ", count_of(c));
        std::printf("%d %u %lld\n", (int)top->pred, (unsigned)top->sc_cycles, clocks);
#if VM_TRACE
        if (vcd) {
            vcd->close();
            vcd = nullptr;
        }
#endif
    }
    top->final();
    delete top;
    delete ctx;
    return 0;
}
)";

}  // namespace

void emit_testbenches(Ctx& ctx, const ScDesign& d) {
    CodeWriter c = ctx.writer();
    c.line("// Verilator harness for scnn_top: loads each image through the pixel write port, pulses start, clocks");
    c.line("// until done and prints the class counts, the prediction, the SC cycles and the clocks per image.");
    c.linef("#define NPIX {}", d.input_size);
    c.linef("#define NCLS {}", d.classes);
    c.linef("#define CW {}", d.count_width);
    c.lines(kVerilatorMain);
    ctx.files.push_back({"tb/scnn_tb.cpp", c.take()});

    CodeWriter v = ctx.writer();
    v.line("// iverilog test bench for scnn_top: the same protocol and output as tb/scnn_tb.cpp.");
    v.line("`timescale 1ns / 1ps");
    v.line("module scnn_tb;");
    v.indent();
    v.linef("localparam integer NPIX = {}, NCLS = {}, CW = {};", d.input_size, d.classes, d.count_width);
    v.line("reg clk = 1'b0, rst = 1'b1, pix_we = 1'b0, start = 1'b0, early_en = 1'b0;");
    v.linef("reg [{}:0] pix_addr = 0;", d.pixel_addr_width - 1);
    v.line("reg [7:0] pix_data = 8'd0;");
    v.line("reg [CW-1:0] margin = 0;");
    v.linef("reg [{}:0] class_sel = 0;", d.class_width - 1);
    v.line("wire signed [CW-1:0] class_count;");
    v.linef("wire [{}:0] pred;", d.class_width - 1);
    v.line("wire busy, done;");
    v.line("wire [31:0] sc_cycles;");
    v.line("scnn_top dut (.clk(clk), .rst(rst), .pix_we(pix_we), .pix_addr(pix_addr), .pix_data(pix_data),");
    v.line("    .start(start), .early_en(early_en), .margin(margin), .class_sel(class_sel), .class_count(class_count),");
    v.line("    .pred(pred), .busy(busy), .done(done), .sc_cycles(sc_cycles));");
    v.line("reg [1023:0] path;");
    v.line("integer count, early, marg, i, p, c, clocks, maxclk, fd, got, value;");
    v.line("task tick; begin #1 clk = 1'b1; #1 clk = 1'b0; end endtask");
    v.open("initial begin");
    v.line("if (!$value$plusargs(\"images=%s\", path)) path = \"images.hex\";");
    v.line("if (!$value$plusargs(\"count=%d\", count)) count = 1;");
    v.line("if (!$value$plusargs(\"early=%d\", early)) early = 0;");
    v.line("if (!$value$plusargs(\"margin=%d\", marg)) marg = 0;");
    v.line("if (!$value$plusargs(\"maxclk=%d\", maxclk)) maxclk = 100000000;");
    v.line("fd = $fopen(path, \"r\");");
    v.line("if (fd == 0) begin $display(\"cannot open the images\"); $finish; end");
    v.line("early_en = early[0];");
    v.line("margin = marg;");
    v.line("tick;");
    v.line("rst = 1'b0;");
    v.open("for (i = 0; i < count; i = i + 1) begin");
    v.open("for (p = 0; p < NPIX; p = p + 1) begin");
    v.line("got = $fscanf(fd, \"%h\", value);");
    v.line("pix_we = 1'b1; pix_addr = p; pix_data = value[7:0];");
    v.line("tick;");
    v.close("end");
    v.line("pix_we = 1'b0; start = 1'b1;");
    v.line("tick;");
    v.line("start = 1'b0;");
    v.line("clocks = 0;");
    v.open("while (!done) begin");
    v.line("tick;");
    v.line("clocks = clocks + 1;");
    v.line("if (clocks > maxclk) begin $display(\"TIMEOUT %0d %0d\", i, clocks); $finish; end");
    v.close("end");
    v.open("for (c = 0; c < NCLS; c = c + 1) begin");
    v.line("class_sel = c; #0.5;");
    v.line("$write(\"%0d \", class_count);");
    v.close("end");
    v.line("$display(\"%0d %0d %0d\", pred, sc_cycles, clocks);");
    v.close("end");
    v.line("$finish;");
    v.close("end");
    v.dedent();
    v.line("endmodule");
    ctx.files.push_back({"tb/scnn_tb.v", v.take()});
}

}  // namespace scnn::codegen::verilog::detail
