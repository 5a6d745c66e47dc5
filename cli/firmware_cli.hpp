// What emit-c and run-c share: where the plan comes from (--model with SC options, or --plan), the target,
// and the compile that keeps a model inside the target's memories.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/common.hpp"
#include "cli/sc_eval.hpp"
#include "codegen/c/sc_emit.hpp"
#include "engine/int8/quantize.hpp"
#include "engine/ir/sc_plan.hpp"

namespace scnn::cli {

struct FirmwareSource {
    std::string model = kDefaultModel;
    std::string plan;
    std::string data = "fashion-mnist";
    std::string mode = "sc";
    std::string target = "host";
    ScOptions sc;
    std::int64_t int8_calib = 1000;  ///< int8: calibration images (as scnn eval)
    double int8_percentile = 100;    ///< int8: activation range percentile (as scnn eval)
};

/// --mode int8: the model quantized as `scnn eval --mode int8` does.
int8::QuantizedNetwork firmware_int8_network(const FirmwareSource& src);

void add_firmware_source_options(CLI::App* cmd, FirmwareSource& o);

/// The plan of --plan, or --model compiled; on a target with limited memory an average pool is kept as
/// an SC stage when folding it into the next dense layer would overflow the target (fit check).
ir::ScPlan firmware_plan(const FirmwareSource& src, const codegen::c::TargetSpec& target);

/// The command line stamped into generated files.
std::string firmware_command(const std::string& name, const FirmwareSource& o, const std::string& extra);

}  // namespace scnn::cli

namespace scnn::cli {

/// `scnn compare --target T`: int8 and every SC length built and run on T for the first `limit` images;
/// returns the JSON array (mode, length, ram_bytes, flash_bytes, stack_bytes, cycles_per_inference,
/// ms_per_inference, mismatches, or error) and appends a table to `table`.
nlohmann::json compare_firmware(const std::string& model, const ScOptions& sc, const std::string& data,
                                const std::vector<std::int64_t>& lengths, const std::string& target,
                                std::int64_t limit, std::string& table);

}  // namespace scnn::cli
