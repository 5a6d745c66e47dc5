// The constant parts of the int8 RTL: weight ROM, channel ROM and pixel table, as case statements.
#include <fmt/format.h>

#include "codegen/common/code_writer.hpp"
#include "codegen/verilog/int8_emit.hpp"

namespace scnn::codegen::verilog {

namespace {

/// Two's complement of v in `bits` bits, as hex digits (bits rounded up to whole digits, then masked).
std::string hex_bits(std::int64_t v, int bits) {
    const std::uint64_t mask = bits >= 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << bits) - 1);
    return fmt::format("{:x}", std::uint64_t(v) & mask);
}

}  // namespace

std::string int8_wrom_file(const Int8Rtl& plan, const std::string& command) {
    CodeWriter w;
    w.stamp("//", command);
    const int p = plan.macs;
    const int aw = index_bits(std::int64_t(plan.wrom.size()));
    w.line("// Weight ROM of the int8 datapath: one row of P int8 weights per address (lane k in bits [8k+7:8k]),");
    w.line("// in the order the Mac steps read them; registered output (one clock of latency).");
    w.open("module scnn_int8_wrom (");
    w.line("input  wire clk,");
    w.linef("input  wire [{}:0] addr,", aw - 1);
    w.linef("output reg  [{}:0] q", 8 * p - 1);
    w.close(");");
    w.indent();
    w.open("always @(posedge clk) begin");
    w.open("case (addr)");
    for (std::size_t a = 0; a < plan.wrom.size(); ++a) {
        std::string row;
        for (int k = p - 1; k >= 0; --k) row += fmt::format("{:02x}", std::uint8_t(plan.wrom[a][std::size_t(k)]));
        w.linef("{}'d{}: q <= {}'h{};", aw, a, 8 * p, row);
    }
    if ((std::size_t{1} << aw) != plan.wrom.size()) w.linef("default: q <= {}'h0;", 8 * p);
    w.close("endcase");
    w.close("end");
    w.dedent();
    w.line("endmodule");
    return w.take();
}

std::string int8_crom_file(const Int8Rtl& plan, const std::string& command) {
    CodeWriter w;
    w.stamp("//", command);
    const int aw = index_bits(std::int64_t(plan.crom.size()));
    const int bw = plan.bias_w;
    w.line("// Channel ROM of the int8 requantizer, one word per output channel in the order they are requantized:");
    w.line("// {bias (two's complement), multiplier (Q0.31), right shift, left shift}; registered output.");
    w.open("module scnn_int8_crom (");
    w.line("input  wire clk,");
    w.linef("input  wire [{}:0] addr,", aw - 1);
    w.linef("output reg  signed [{}:0] bias,", bw - 1);
    w.line("output reg  [30:0] mult,");
    w.line("output reg  [4:0] rsh,");
    w.line("output reg  [4:0] lsh");
    w.close(");");
    w.indent();
    w.open("always @(posedge clk) begin");
    w.open("case (addr)");
    for (std::size_t a = 0; a < plan.crom.size(); ++a) {
        const Int8ChannelWord& c = plan.crom[a];
        w.linef("{}'d{}: begin bias <= {}'h{}; mult <= 31'h{:x}; rsh <= 5'd{}; lsh <= 5'd{}; end", aw, a, bw,
                hex_bits(c.bias, bw), c.mult, c.rsh, c.lsh);
    }
    if ((std::size_t{1} << aw) != plan.crom.size()) {
        w.linef("default: begin bias <= {}'h0; mult <= 31'h0; rsh <= 5'd0; lsh <= 5'd0; end", bw);
    }
    w.close("endcase");
    w.close("end");
    w.dedent();
    w.line("endmodule");
    return w.take();
}

std::string int8_lut_file(const Int8Rtl& plan, const std::string& command) {
    CodeWriter w;
    w.stamp("//", command);
    w.line("// Input quantization: pixel 0..255 -> int8, round(pixel / 255 / scale) + zero_point, saturated");
    w.line("// (computed by int8::quantize_input, so the table is exactly the host's rounding).");
    w.open("module scnn_int8_in_lut (");
    w.line("input  wire [7:0] pixel,");
    w.line("output reg  [7:0] q");
    w.close(");");
    w.indent();
    w.open("always @* begin");
    w.open("case (pixel)");
    for (int v = 0; v < 256; ++v) w.linef("8'd{}: q = 8'h{:02x};", v, std::uint8_t(plan.in_lut[std::size_t(v)]));
    w.close("endcase");
    w.close("end");
    w.dedent();
    w.line("endmodule");
    return w.take();
}

}  // namespace scnn::codegen::verilog
