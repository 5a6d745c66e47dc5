// Hardware cost of one design, shared by `scnn area` and `scnn compare --hw`: emit the Verilog into a
// temporary folder, synthesize it with yosys on a liberty (codegen/verilog/run/synth_area.hpp), and pair
// the figures with the clock cycles per inference.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>
#include <vector>

#include "codegen/verilog/run/synth_area.hpp"
#include "engine/int8/quantize.hpp"
#include "engine/ir/network.hpp"
#include "engine/ir/sc_plan.hpp"

namespace scnn::cli {

struct HwCost {
    std::string design;       ///< "SC L=256 fold 1", "int8 P=16"
    codegen::verilog::SynthResult synth;
    std::int64_t cycles = 0;  ///< clock cycles per inference, start to done
    int macs = 0;             ///< int8: P
    [[nodiscard]] double area_cycles() const { return synth.area_um2 * double(cycles); }
};

/// The int8 network the hardware baseline is built from: `net` calibrated on 1000 images of the default
/// calibration split of `data` (as `scnn eval --mode int8`).
int8::QuantizedNetwork quantize_for_hw(const ir::Network& net, const std::string& data);

/// The P in [1, 256] whose int8 design's cycles per inference are closest to `target` (ties: fewer lanes).
int macs_for_cycles(const int8::QuantizedNetwork& qnet, std::int64_t target);

/// Synthesizes the int8 design with P lanes. Throws scnn::Error.
HwCost int8_cost(const int8::QuantizedNetwork& qnet, int macs, const codegen::verilog::SynthOptions& synth);

/// Is the SC Verilog emitter built into this binary?
bool have_sc_rtl();

/// Clock cycles per inference of the SC design of `plan` folded by `fold` (no early exit). Throws scnn::Error
/// if the SC emitter is not built in.
std::int64_t sc_cycles(const ir::ScPlan& plan, int fold);

/// Synthesizes the SC design of `plan` folded by `fold`. Throws scnn::Error (also when the SC emitter is not
/// built in).
HwCost sc_cost(const ir::ScPlan& plan, int fold, const codegen::verilog::SynthOptions& synth);

}  // namespace scnn::cli

namespace scnn::cli {

struct HwComparison {
    nlohmann::json json;  ///< {"sc": [{length, fold, area_um2, cycles_per_inference, area_cycles, int8_macs}], "int8": [...]}
    std::string table;    ///< the same as text
};

/// `scnn compare --hw`: synthesizes the SC design of every plan (folded by `fold`) and, beside each, the int8
/// design whose cycles per inference are closest (each P synthesized once). Throws scnn::Error.
HwComparison compare_hw(const std::vector<ir::ScPlan>& plans, const int8::QuantizedNetwork& qnet, int fold,
                        const codegen::verilog::SynthOptions& synth);

/// `scnn emit-verilog --mode int8`: writes the int8 RTL of `model` (quantized as quantize_for_hw) with P =
/// `macs` lanes into `out`, and prints what it wrote.
void emit_int8_verilog_cli(const std::string& model, const std::string& data, int macs, const std::string& out,
                           const std::string& command);

struct Int8RunCliOptions {
    std::string model, data = "fashion-mnist", cache_dir, command = "scnn run-rtl --mode int8";
    std::int64_t limit = 100;
    int macs = 16;
    bool json = false;
};

/// `scnn run-rtl --mode int8`: runs the int8 RTL in Verilator on `limit` images and compares every image's
/// logits with the int8 executor; prints a table or JSON (images, accuracy, mismatches,
/// clock_cycles_per_inference, simulation_seconds, macs). Exits with status 1 when any image differs.
void run_int8_rtl_cli(const Int8RunCliOptions& o);

}  // namespace scnn::cli
