// scnn::codegen::verilog::emit_sc — an SC plan (docs/SEMANTICS.md §9) as synthesizable Verilog-2005 that is
// bit-exact with the host simulator cycle for cycle. docs/RTL.md describes the design.
//
// The emitted folder: `scnn_top.v` (the top module), one `scnn_stage<k>.v` per plan stage, the hand-written
// primitives of rtl/ it instantiates (copied, unchanged), ROM contents as `*.hex` ($readmemh, read from the
// simulator's or synthesizer's working directory), `scnn_files.f` (the design sources in compile order) and
// `tb/` (a Verilator C++ harness and an iverilog test bench; not part of the design).
//
// Interface of `scnn_top` (all synchronous to the rising edge of clk):
//   input  clk
//   input  rst                     synchronous reset, active high (idle, done = 0)
//   input  pix_we                  pixel write port: at a rising edge with pix_we = 1, element pix_addr
//   input  [PAW-1:0] pix_addr        (flat C×H×W index, 0 .. SCNN_INPUT_SIZE-1) takes pixel pix_data
//   input  [7:0] pix_data            (0 .. 255); write only while busy = 0
//   input  start                   one-clock pulse: clears every stage, generator and count, then runs
//   input  early_en                early termination (§9.8) on (1) or off (0, all L SC cycles)
//   input  [CW-1:0] margin         early-termination margin in count units (0 = only the sure rule)
//   input  [CLW-1:0] class_sel     read port: class_count = the count of class class_sel
//   output signed [CW-1:0] class_count
//   output [CLW-1:0] pred          argmax of the counts, ties to the lowest class (valid when done = 1)
//   output busy                    1 from the clock after start until done rises
//   output done                    1 after an inference finished, until the next start or rst
//   output [31:0] sc_cycles        SC cycles the inference used (L, or t_e after an early stop)
// Timing: one SC cycle takes `fold` clocks; an inference takes fold·sc_cycles + 1 clocks from the edge
// that samples start to the edge that raises done. Widths are in ScDesign.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/ir/sc_plan.hpp"

namespace scnn::codegen::verilog {

/// How the linear stages hold their constants (docs/RTL.md "Two forms of one design"). Both forms are the
/// same circuit cycle for cycle and bit for bit; they differ in what their tools can digest.
enum class ScForm {
    /// Per stage, the weight thresholds, slot wiring and k in ROMs ($readmemh) read by one loop over the
    /// processing elements: compact source, quick to build in Verilator.
    simulation,
    /// Every constant wired into gates: one comparator per distinct threshold, per PE one vector of its
    /// nonzero products (a case over the phase when folded) into a scnn_apc tree of that width. What yosys
    /// synthesizes (`scnn area`); its Verilator build takes about 3 times longer.
    synthesis,
};

struct ScEmitOptions {
    int fold = 1;  ///< F ≥ 1: each stage computes its outputs in F groups over F clocks per SC cycle
    std::string command = "scnn emit-verilog";  ///< written into every generated file's stamp
    ScForm form = ScForm::simulation;
};

/// "sim" / "synth" (the CLI's --form words) and back; parse throws scnn::Error for another word.
const char* form_name(ScForm form);
ScForm parse_form(const std::string& word);

struct EmittedFile {
    std::string path;  ///< relative to the design folder ("scnn_top.v", "tb/scnn_tb.cpp")
    std::string content;
};

struct ScDesign {
    std::string top = "scnn_top";
    std::vector<EmittedFile> files;          ///< everything of the folder
    std::vector<std::string> sources;        ///< design .v files in compile order (no test bench)
    int fold = 1;
    ScForm form = ScForm::simulation;
    std::int64_t length = 0;                 ///< L, SC cycles per inference
    std::int64_t input_size = 0;             ///< pixels
    int classes = 0;
    int pixel_addr_width = 1;                ///< PAW
    int count_width = 1;                     ///< CW (signed counts)
    int class_width = 1;                     ///< CLW
    std::int64_t early_every = 64;           ///< K of §9.8 (plan.early_exit_every)
    /// Clocks from the edge that samples start to the one that raises done, without early termination.
    std::int64_t clocks_per_inference() const { return std::int64_t{fold} * length + 1; }
};

/// Builds the design. Throws scnn::Error (one line) for a plan it cannot express (a `random` generator, a
/// width past 64 bits) or a fold that does not make sense (F < 1, or F larger than every stage).
ScDesign emit_sc(const ir::ScPlan& plan, const ScEmitOptions& options);

/// Clocks per inference of the design emit_sc would build with `fold` (F·L + 1, no early termination),
/// without building it. Throws scnn::Error for a fold the plan cannot take (as emit_sc does).
std::int64_t sc_clocks_per_inference(const ir::ScPlan& plan, int fold);

/// Writes the design into `dir` all or nothing (codegen::OutputDir).
void write_design(const ScDesign& design, const std::filesystem::path& dir);

}  // namespace scnn::codegen::verilog
