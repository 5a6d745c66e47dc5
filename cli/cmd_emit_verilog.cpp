// scnn emit-verilog — an SC plan (compiled from --model, or read with --plan) as a synthesizable Verilog
// folder (codegen/verilog/sc_emitter.hpp, docs/RTL.md).
#include <fmt/core.h>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/hw_cost.hpp"
#include "cli/sc_eval.hpp"
#include "codegen/verilog/sc_emitter.hpp"
#include "engine/io/onnx_import.hpp"
#include "engine/ir/error.hpp"
#include "engine/io/plan_json.hpp"

namespace scnn::cli {

namespace {

struct EmitVerilogOptions {
    std::string model = kDefaultModel;
    std::string plan;
    std::string data = "fashion-mnist";
    std::string out;
    int fold = 1;
    std::string form = "sim";
    ScOptions sc;
    std::string command;
    std::string mode = "sc";
    int macs = 16;
};

void run_emit_verilog(const EmitVerilogOptions& o) {
    ir::ScPlan plan;
    if (!o.plan.empty()) {
        plan = io::read_plan(o.plan);
    } else {
        const std::string path = resolve_model(o.model);
        plan = compile_with(io::import_onnx(path), o.sc, o.data, path);
    }
    const auto design = codegen::verilog::emit_sc(plan, {o.fold, o.command, codegen::verilog::parse_form(o.form)});
    codegen::verilog::write_design(design, o.out);
    fmt::print("wrote {} ({} files; top module {}, {} design sources in {}/scnn_files.f)\n", o.out,
               design.files.size(), design.top, design.sources.size(), o.out);
    fmt::print("L = {} SC cycles, fold {}, {} form: {} clocks per inference\n", design.length, design.fold,
               codegen::verilog::form_name(design.form), design.clocks_per_inference());
}

}  // namespace

void add_emit_verilog_command(CLI::App& app) {
    auto o = std::make_shared<EmitVerilogOptions>();
    auto* cmd = app.add_subcommand("emit-verilog", "Write an SC plan as synthesizable Verilog (scnn_top)");
    cmd->add_option("--model,-m", o->model, "ONNX file or bundled model name")->capture_default_str();
    cmd->add_option("--plan", o->plan, "Compiled SC plan (scnn compile) instead of --model");
    cmd->add_option("--data,-d", o->data, "Dataset whose default calibration split is used")->capture_default_str();
    cmd->add_option("--fold", o->fold, "Clocks per SC cycle: each stage computes its outputs in F groups")
        ->capture_default_str();
    cmd->add_option("--form", o->form,
                    "sim: constants in ROMs, quick to build in Verilator; synth: constants wired into gates, what scnn area "
                    "synthesizes (the same circuit bit for bit)")
        ->check(CLI::IsMember({"sim", "synth"}))
        ->capture_default_str();
    cmd->add_option("--out,-o", o->out, "Folder to write (replaced only if it is a previous scnn output)")->required();
    add_sc_options(cmd, o->sc);
    auto* macs = cmd->add_option("--macs", o->macs, "int8: multiply-accumulate lanes P")->capture_default_str();
    cmd->add_option("--mode", o->mode, "sc: the SC design; int8: the int8 baseline (docs/HARDWARE_COST.md)")
        ->check(CLI::IsMember({"sc", "int8"}))
        ->capture_default_str();
    cmd->callback([o, cmd, macs] {
        o->command = "scnn emit-verilog";
        for (auto* opt : cmd->get_options())
            if (opt->count() > 0 && opt->get_name() != "--help")
                o->command += fmt::format(" {} {}", opt->get_name(), opt->as<std::string>());
        if (o->mode == "int8") {
            reject_options_outside(*cmd, {"--model", "--data", "--out", "--macs", "--mode"});
            return emit_int8_verilog_cli(o->model, o->data, o->macs, o->out, o->command);
        }
        if (macs->count() > 0) throw Error("--macs applies to --mode int8 (the int8 baseline's MAC lanes)");
        run_emit_verilog(*o);
    });
}

}  // namespace scnn::cli
