// scnn::codegen::verilog — Verilog-2005 writer of the int8 RTL baseline (plan: int8_rtl_plan.hpp).
//
// Top module `scnn_int8_top` (file scnn_int8_top.v):
//   clk, rst (synchronous, active high)
//   pix_we, pix_addr [clog2(INPUT_SIZE)-1:0], pix_data [7:0]: write one 0..255 pixel (row-major) while idle;
//     it is quantized to int8 on the way in (a 256-entry table, the same rounding as int8::quantize_input)
//   start: a one-clock pulse while idle runs one inference on the loaded image
//   busy: high while running; done: high from the end of an inference until the next start
//   logits [8*CLASSES-1:0]: int8 logits, class k in bits [8k+7:8k]; pred_class: their argmax, ties to the
//     lowest index
// Other files: scnn_int8_wrom.v (weight ROM, one row of P int8 weights per address), scnn_int8_crom.v
// (per-channel bias, multiplier and shifts), scnn_int8_in_lut.v (pixel table), and copies of the hand-written
// rtl/int8/ modules (scnn_int8_mac.v, scnn_int8_requant.v). ROMs are case statements: no vendor primitives.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "codegen/common/code_writer.hpp"
#include "codegen/verilog/int8_rtl_plan.hpp"

namespace scnn::codegen::verilog {

/// (file name, content) of every file of the design; generated files start with the stamp naming `command`.
std::vector<std::pair<std::string, std::string>> int8_verilog_files(const Int8Rtl& plan, const std::string& command);

/// Writes the design's files into `dir` through an OutputDir (all or nothing). Throws scnn::Error.
void emit_int8_verilog(const Int8Rtl& plan, const std::string& command, const std::filesystem::path& dir);

/// Name of the top module.
inline constexpr const char* kInt8Top = "scnn_int8_top";

/// Bits to index n things (clog2(n), at least 1).
int index_bits(std::int64_t n);

// Internal pieces of the writer (int8_emit.cpp, int8_emit_top.cpp, int8_emit_roms.cpp).
/// Bit widths of the top module's buses and counters.
struct Int8Widths {
    int abw, b0w, b1w;  ///< read address (the deepest array), buffer 0 and buffer 1 address widths
    int inw;            ///< input array address width
    int paw, stw, waw, caw;  ///< pixel address, step, weight ROM and channel ROM address widths
    int iw, gw, lw;     ///< Mac input index, group and lane counters
    int nw, tw, cw;     ///< pooling coordinates, output tag (= max(b0w, b1w)), class index
    bool padded_count;  ///< some average pool counts padded cells (the pooling unit counts real cells)
};
Int8Widths int8_widths(const Int8Rtl& plan);
/// A sized two's complement constant: sdec(9, -3) = "9'h1fd".
std::string sdec(int bits, std::int64_t v);
/// Datapath and controller of the top module, after its ports, declarations and step constants.
void int8_top_body(CodeWriter& o, const Int8Rtl& plan, const Int8Widths& w);
/// The controller's state machine (int8_emit_control.cpp).
void int8_controller(CodeWriter& o, const Int8Rtl& plan, const Int8Widths& w);
std::string int8_wrom_file(const Int8Rtl& plan, const std::string& command);
std::string int8_crom_file(const Int8Rtl& plan, const std::string& command);
std::string int8_lut_file(const Int8Rtl& plan, const std::string& command);
/// Widths of the channel ROM fields: bias (plan.bias_w), mult 31, rsh 5, lsh 5.
inline constexpr int kInt8CromFixedBits = 31 + 5 + 5;

}  // namespace scnn::codegen::verilog
