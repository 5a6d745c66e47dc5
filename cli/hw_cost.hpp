// The CLI side of hardware cost (codegen/verilog/run/hw_cost.hpp does the work): the calibration `scnn area`,
// `scnn compare --hw` and the int8 modes of `scnn emit-verilog` / `scnn run-rtl` share, and their printing.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "codegen/verilog/run/hw_cost.hpp"
#include "engine/int8/quantize.hpp"
#include "engine/ir/network.hpp"
#include "engine/ir/sc_plan.hpp"

namespace CLI {
class App;
}

namespace scnn::cli {

/// The int8 network the hardware baseline is built from: `net` calibrated on 1000 images of the default
/// calibration split of `data` (as `scnn eval --mode int8`).
int8::QuantizedNetwork quantize_for_hw(const ir::Network& net, const std::string& data);

struct HwComparison {
    nlohmann::json
        json;  ///< {"sc": [{length, fold, area_um2, cycles_per_inference, area_cycles, int8_macs}], "int8": [...]}
    std::string table;  ///< the same as text
};

/// `scnn compare --hw`: codegen::verilog::hw_sweep of the plans, as JSON and a table. Throws scnn::Error.
HwComparison compare_hw(const std::vector<ir::ScPlan>& plans, const int8::QuantizedNetwork& qnet, int fold,
                        const codegen::verilog::SynthOptions& synth);

/// `scnn emit-verilog --mode int8`: writes the int8 RTL of `model` (quantized as quantize_for_hw) with P =
/// `macs` lanes into `out`, and prints what it wrote. Throws scnn::Error (macs outside [1, 256] before any work).
void emit_int8_verilog_cli(const std::string& model, const std::string& data, int macs, const std::string& out,
                           const std::string& command);

/// `--mode int8` of a command whose other options are for SC: throws scnn::Error naming the first option given
/// on `cmd`'s command line that is not in `allowed` ("--fold applies to --mode sc, not to --mode int8").
void reject_options_outside(const CLI::App& cmd, const std::vector<std::string>& allowed);

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
