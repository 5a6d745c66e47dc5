// scnn emit-c — a plan (or a model compiled on the spot) as a self-contained C firmware folder.
#include <fmt/core.h>

#include <sstream>

#include "cli/commands.hpp"
#include "cli/firmware_cli.hpp"
#include "cli/common.hpp"
#include "cli/sc_eval.hpp"
#include "codegen/c/project.hpp"
#include "codegen/c/run/run_c.hpp"
#include "codegen/c/sc_emit.hpp"
#include "codegen/common/output_dir.hpp"
#include "engine/io/dataset.hpp"
#include "engine/io/onnx_import.hpp"
#include "engine/io/plan_json.hpp"
#include "engine/ir/error.hpp"

namespace scnn::cli {


ir::ScPlan firmware_plan(const FirmwareSource& src, const codegen::c::TargetSpec& target) {
    if (!src.plan.empty()) return io::read_plan(src.plan);
    const std::string path = resolve_model(src.model);
    const ir::Network net = io::import_onnx(path);
    ir::ScPlan plan = compile_with(net, src.sc, src.data, path);
    if (target.ram_bytes == 0 || !src.sc.compile.fold_pools) return plan;
    try {
        codegen::c::check_fit(codegen::c::emit_sc_model(plan, ""), target, src.model);
        return plan;
    } catch (const Error&) {
        // folding an average pool into the next dense layer multiplies its weights; try without
        ScOptions unfolded = src.sc;
        unfolded.compile.fold_pools = false;
        ir::ScPlan alt = compile_with(net, unfolded, src.data, path);
        codegen::c::check_fit(codegen::c::emit_sc_model(alt, ""), target, src.model);
        return alt;
    }
}

int8::QuantizedNetwork firmware_int8_network(const FirmwareSource& src) {
    if (!src.plan.empty()) throw Error("--mode int8 needs --model (a plan is SC only)");
    const std::string path = resolve_model(src.model);
    const ir::Network net = io::import_onnx(path);
    const std::string spec = default_calibration_data(src.data);
    const io::Dataset calib = io::load_dataset(spec, src.int8_calib);
    return quantize_on(net, calib, src.int8_calib, src.int8_percentile);
}

void add_firmware_source_options(CLI::App* cmd, FirmwareSource& o) {
    cmd->add_option("--model,-m", o.model, "ONNX file or bundled model name (compiled with the SC options)")
        ->capture_default_str();
    cmd->add_option("--plan", o.plan, "A compiled SC plan (scnn compile) instead of --model");
    cmd->add_option("--data,-d", o.data, "Dataset (its default calibration split compiles --model)")
        ->capture_default_str();
    cmd->add_option("--mode", o.mode, "Firmware arithmetic: sc (bit-serial) or int8")
        ->check(CLI::IsMember({"sc", "int8"}))
        ->capture_default_str();
    cmd->add_option("--target", o.target, "host, avr (ATmega328P at 16 MHz) or cortex-m (Cortex-M3, lm3s6965)")
        ->check(CLI::IsMember({"host", "avr", "cortex-m"}))
        ->capture_default_str();
    cmd->add_option("--calib", o.int8_calib, "int8: calibration images")->check(kPositiveCount)->capture_default_str();
    cmd->add_option("--percentile", o.int8_percentile, "int8: activation range percentile")
        ->check(CLI::Range(50.0, 100.0))
        ->capture_default_str();
    add_sc_options(cmd, o.sc);
}

std::string firmware_command(const std::string& name, const FirmwareSource& o, const std::string& extra) {
    std::string c = "scnn " + name;
    if (o.mode == "int8") return c + fmt::format(" -m {} --calib {} --percentile {} --mode int8 --target {}{}", o.model,
                                                 o.int8_calib, o.int8_percentile, o.target, extra);
    if (!o.plan.empty()) c += " --plan " + o.plan;
    else c += fmt::format(" -m {} -L {} --sng {} --width {} --encoding {} --adder {} --neuron {}", o.model,
                          o.sc.compile.length, o.sc.compile.sng, o.sc.compile.width, o.sc.compile.encoding,
                          o.sc.compile.adder, o.sc.compile.neuron);
    if (o.plan.empty()) c += fmt::format(" --early-exit-every {}", o.sc.compile.early_exit_every);
    return c + fmt::format(" --mode {} --target {}{}", o.mode, o.target, extra);
}

namespace {

struct EmitOptions {
    FirmwareSource src;
    std::string out;
};

void run_emit(const EmitOptions& o) {
    const auto target = codegen::c::target_spec(o.src.target);
    const std::string command = firmware_command("emit-c", o.src, " -o " + o.out);
    if (o.src.mode == "int8") {
        const auto files = codegen::c::emit_int8_model(firmware_int8_network(o.src), command, target, o.src.model);
        codegen::OutputDir dir(o.out);
        codegen::c::write_project(dir, files, target, command);
        dir.commit();
        fmt::print("wrote {} ({} target, int8); build with: make -C {}\n", o.out, target.name, o.out);
        return;
    }
    const ir::ScPlan plan = firmware_plan(o.src, target);
    const auto code = codegen::c::emit_sc_model(plan, command);
    codegen::c::check_fit(code, target, o.src.plan.empty() ? o.src.model : o.src.plan);
    codegen::OutputDir dir(o.out);
    codegen::c::write_project(dir, code.files, target, command);
    dir.commit();
    const auto& e = code.estimate;
    fmt::print("wrote {} ({} target, SC L = {}, {} stages); build with: make -C {}\n", o.out, target.name, plan.length,
               plan.stages.size(), o.out);
    fmt::print("estimate: RAM {} B (state {}, generators {}, input {}, stack allowance {}), flash {} B (tables {}, "
               "code allowance {})\n",
               e.ram(), e.state, e.generators, e.input, e.stack, e.flash(), e.tables, e.code);
}

}  // namespace

void add_emit_c_command(CLI::App& app) {
    auto o = std::make_shared<EmitOptions>();
    auto* cmd = app.add_subcommand("emit-c", "Generate C firmware (a folder with a Makefile) from a model or an SC plan");
    add_firmware_source_options(cmd, o->src);
    cmd->add_option("--out,-o", o->out, "Output folder")->required();
    cmd->callback([o] { run_emit(*o); });
}

}  // namespace scnn::cli
