// scnn run-rtl — emits the SC design of a plan, simulates it in Verilator (or iverilog) on N images and
// checks the per-class counts of every image against the host simulator (codegen/verilog/run/rtl_runner.hpp).
// Exit status 1 when any image differs.
#include <fmt/core.h>

#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/hw_cost.hpp"
#include "cli/sc_eval.hpp"
#include "codegen/verilog/run/rtl_runner.hpp"
#include "engine/io/onnx_import.hpp"
#include "engine/ir/error.hpp"
#include "engine/io/plan_json.hpp"

namespace scnn::cli {

namespace {

struct RunRtlOptions {
    std::string model = kDefaultModel;
    std::string plan;
    std::string data = "fashion-mnist";
    std::int64_t limit = 100;
    bool json = false;
    codegen::verilog::RtlRunOptions rtl;
    ScOptions sc;
    std::string mode = "sc";
    int macs = 16;
    std::string form = "sim";  ///< --form, parsed into rtl.form
};

void print_table(const codegen::verilog::RtlRunResult& r, const RunRtlOptions& o, const std::string& model) {
    fmt::print("model      {}\n", model);
    fmt::print("design     {} ({})\n", r.design_dir,
               r.built ? fmt::format("built in {:.1f} s", r.build_seconds) : std::string("cached build"));
    fmt::print("simulator  {}, fold {}, {} form{}\n", o.rtl.simulator, o.rtl.fold, codegen::verilog::form_name(o.rtl.form),
               o.rtl.early_margin >= 0 ? fmt::format(", early exit margin {}", o.rtl.early_margin) : "");
    fmt::print("images     {}\n", r.images);
    fmt::print("accuracy   {:.2f}%\n", 100.0 * r.accuracy());
    if (r.mismatches == 0) {
        fmt::print("mismatches 0 ({} equal to the host simulator on every image)\n",
                   o.rtl.early_margin >= 0 ? "predictions and stop cycles" : "per-class counts");
    } else if (r.first_class >= 0) {
        fmt::print("mismatches {} (first: image {}, class {}: host {}, RTL {})\n", r.mismatches, r.first_image,
                   r.first_class, r.expected, r.got);
    } else {
        fmt::print("mismatches {} (first: image {}, prediction or SC cycles differ: host {}, RTL {})\n", r.mismatches,
                   r.first_image, r.expected, r.got);
    }
    if (!r.trace_report.empty()) fmt::print("trace      {}\n", r.trace_report);
    fmt::print("clock cycles per inference {:.1f} (SC cycles {:.1f})\n", r.clock_cycles_per_inference,
               r.sc_cycles_per_inference);
    const double ips = r.simulation_seconds > 0 ? double(r.images) / r.simulation_seconds : 0.0;
    fmt::print("simulation {:.2f} s ({:.1f} images/s simulated)\n", r.simulation_seconds, ips);
}

void run(const RunRtlOptions& o) {
    ir::ScPlan plan;
    std::string model;
    if (!o.plan.empty()) {
        plan = io::read_plan(o.plan);
        model = o.plan;
    } else {
        model = resolve_model(o.model);
        plan = compile_with(io::import_onnx(model), o.sc, o.data, model);
    }
    const io::Dataset data = io::load_dataset(o.data, o.limit);
    const auto r = codegen::verilog::run_rtl(plan, data, o.rtl);
    if (o.json) {
        nlohmann::json j{{"model", model},
                         {"simulator", o.rtl.simulator},
                         {"fold", o.rtl.fold},
                         {"form", codegen::verilog::form_name(o.rtl.form)},
                         {"images", r.images},
                         {"accuracy", r.accuracy()},
                         {"mismatches", r.mismatches},
                         {"clock_cycles_per_inference", r.clock_cycles_per_inference},
                         {"sc_cycles_per_inference", r.sc_cycles_per_inference},
                         {"simulation_seconds", r.simulation_seconds},
                         {"images_per_second", r.simulation_seconds > 0 ? double(r.images) / r.simulation_seconds : 0.0},
                         {"build_seconds", r.build_seconds},
                         {"cached_build", !r.built},
                         {"design_dir", r.design_dir}};
        if (o.rtl.early_margin >= 0) j["early_exit_margin"] = o.rtl.early_margin;
        if (r.mismatches > 0)
            j["first_mismatch"] = {{"image", r.first_image}, {"class", r.first_class}, {"expected", r.expected},
                                   {"got", r.got}};
        if (!r.trace_report.empty()) j["trace"] = r.trace_report;
        fmt::print("{}\n", j.dump(2));
    } else {
        print_table(r, o, model);
    }
    if (r.mismatches > 0) {
        std::fflush(stdout);
        std::exit(1);
    }
}

}  // namespace

void add_run_rtl_command(CLI::App& app) {
    auto o = std::make_shared<RunRtlOptions>();
    auto* cmd = app.add_subcommand("run-rtl", "Simulate the SC Verilog of a plan and check it against the host simulator");
    cmd->add_option("--model,-m", o->model, "ONNX file or bundled model name")->capture_default_str();
    cmd->add_option("--plan", o->plan, "Compiled SC plan (scnn compile) instead of --model");
    cmd->add_option("--data,-d", o->data, "Dataset of the images to run")->capture_default_str();
    cmd->add_option("--limit,-n", o->limit, "Images to run")->capture_default_str()->check(kPositiveCount);
    cmd->add_option("--fold", o->rtl.fold, "Clocks per SC cycle (each stage in F groups)")->capture_default_str();
    cmd->add_option("--form", o->form,
                    "sim: constants in ROMs (quick build); synth: wired into gates, the form scnn area synthesizes")
        ->capture_default_str()
        ->check(CLI::IsMember({"sim", "synth"}));
    cmd->add_option("--simulator", o->rtl.simulator, "verilator or iverilog")
        ->capture_default_str()
        ->check(CLI::IsMember({"verilator", "iverilog"}));
    cmd->add_option("--vcd", o->rtl.vcd, "Write a waveform of the first image (Verilator)");
    cmd->add_option("--early-exit", o->rtl.early_margin,
                    "Early termination margin in counts (0: only when the result can no longer change)")
        ->check(kCountOrZero);
    cmd->add_flag("--trace", o->rtl.trace, "On a mismatch, name the first cycle and signal that differ");
    cmd->add_option("--cache-dir", o->rtl.cache_dir, "Build cache (default $XDG_CACHE_HOME/scnn/rtl)");
    cmd->add_option("--jobs,-j", o->rtl.jobs, "Parallel compiles of the Verilator build")->capture_default_str();
    cmd->add_flag("--json", o->json, "JSON instead of the table");
    add_sc_options(cmd, o->sc);
    auto* macs = cmd->add_option("--macs", o->macs, "int8: multiply-accumulate lanes P")->capture_default_str();
    cmd->add_option("--mode", o->mode, "sc: the SC design; int8: the int8 baseline (docs/HARDWARE_COST.md)")
        ->check(CLI::IsMember({"sc", "int8"}))
        ->capture_default_str();
    cmd->callback([o, cmd, macs] {
        if (o->mode == "int8") {
            reject_options_outside(*cmd, {"--model", "--data", "--limit", "--cache-dir", "--json", "--macs", "--mode"});
            return run_int8_rtl_cli({.model = o->model, .data = o->data, .cache_dir = o->rtl.cache_dir,
                                     .limit = o->limit, .macs = o->macs, .json = o->json});
        }
        if (macs->count() > 0) throw Error("--macs applies to --mode int8 (the int8 baseline's MAC lanes)");
        o->rtl.command = "scnn run-rtl";
        o->rtl.form = codegen::verilog::parse_form(o->form);
        run(*o);
    });
}

}  // namespace scnn::cli
