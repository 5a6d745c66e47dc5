// scnn area — hardware cost of the SC design of a model against its int8 baseline at equal throughput:
// both synthesized with yosys on one liberty (cells, flip-flops, area, ABC's delay), with clock cycles per
// inference and area × cycles (codegen/verilog/run/hw_cost.hpp does the work; this file parses and prints).
#include <fmt/core.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/hw_cost.hpp"
#include "cli/sc_eval.hpp"
#include "engine/io/onnx_import.hpp"
#include "engine/io/plan_json.hpp"
#include "engine/ir/error.hpp"

namespace scnn::cli {

namespace {

using codegen::verilog::HwCost;

struct AreaOptions {
    std::string model = "fmnist_tiny";
    CLI::Option* model_opt = nullptr;
    std::string plan;
    std::string data = "fashion-mnist";
    int fold = 1;
    int macs = 0;  ///< 0: equal throughput
    std::string liberty;
    std::string only = "both";
    double timeout = 3600;
    bool json = false;
    std::vector<std::string> verilog;  ///< --verilog: synthesize these files alone (with --top)
    std::string top;
    ScOptions sc;
};

nlohmann::json side_json(const HwCost& c) {
    nlohmann::json j = {{"design", c.design},
                        {"cells", c.synth.cells},
                        {"flip_flops", c.synth.flip_flops},
                        {"area_um2", c.synth.area_um2},
                        {"cycles_per_inference", c.cycles},
                        {"area_cycles", c.area_cycles()},
                        {"synthesis_seconds", c.synth.seconds},
                        // modules kept apart (scnn_apc): counted per instance; the delay is the slowest module's
                        {"hierarchical", c.synth.hierarchical}};
    j["delay_ps"] = c.synth.delay_ps >= 0 ? nlohmann::json(c.synth.delay_ps) : nlohmann::json();
    return j;
}

void print_row(const HwCost& c) {
    const std::string delay = c.synth.delay_ps >= 0 ? fmt::format("{:.2f}", c.synth.delay_ps / 1000.0) : "-";
    fmt::print("{:<18} {:>9} {:>10} {:>14.0f} {:>8} {:>10} {:>16.4g} {:>9.1f}\n", c.design, c.synth.cells,
               c.synth.flip_flops, c.synth.area_um2, delay, c.cycles, c.area_cycles(), c.synth.seconds);
}

void report(const AreaOptions& o, const std::string& model, const std::optional<HwCost>& sc,
            const std::optional<HwCost>& q, const std::string& liberty) {
    if (o.json) {
        nlohmann::json j = {{"model", model}, {"liberty", liberty}};
        if (sc) j["sc"] = side_json(*sc);
        if (q) {
            j["int8"] = side_json(*q);
            j["int8"]["macs"] = q->macs;
        }
        if (sc && q) {
            j["ratio_sc_over_int8"] = {{"area", sc->synth.area_um2 / q->synth.area_um2},
                                       {"cycles", double(sc->cycles) / double(q->cycles)},
                                       {"area_cycles", sc->area_cycles() / q->area_cycles()}};
        }
        fmt::print("{}\n", j.dump(2));
        return;
    }
    fmt::print("model    {}\nliberty  {}\n", model, liberty);
    if (q && o.macs == 0 && sc)
        fmt::print("int8     P = {} MAC lanes: cycles per inference closest to SC's\n", q->macs);
    fmt::print("\n{:<18} {:>9} {:>10} {:>14} {:>8} {:>10} {:>16} {:>9}\n", "design", "cells", "flip-flops", "area um^2",
               "delay ns", "cycles", "area x cycles", "synth s");
    if (sc) print_row(*sc);
    if (q) print_row(*q);
    if (sc && q) {
        fmt::print("{:<18} {:>9} {:>10} {:>14.3f} {:>8} {:>10.3f} {:>16.3f}\n", "SC / int8", "", "",
                   sc->synth.area_um2 / q->synth.area_um2, "", double(sc->cycles) / double(q->cycles),
                   sc->area_cycles() / q->area_cycles());
    }
    if ((sc && sc->synth.hierarchical) || (q && q->synth.hierarchical))
        fmt::print("\nscnn_apc counters kept as modules: counted once per instance; the delay is the slowest module's "
                   "(docs/HARDWARE_COST.md)\n");
}

/// --verilog FILE... --top T: one module of the user's, synthesized by the same flow.
void run_module(const AreaOptions& o, const codegen::verilog::SynthOptions& synth) {
    if (o.top.empty()) throw Error("--verilog needs --top (the module to synthesize)");
    std::vector<std::filesystem::path> files(o.verilog.begin(), o.verilog.end());
    HwCost c;
    c.design = o.top;
    if (files.size() == 1 && std::filesystem::is_directory(files[0])) {  // a design folder ($readmemh files in it)
        c.synth = codegen::verilog::synthesize_dir(files[0], o.top, synth);
    } else {
        c.synth = codegen::verilog::synthesize(files, o.top, synth);
    }
    if (o.json) {
        nlohmann::json j = side_json(c);
        j.erase("cycles_per_inference");
        j.erase("area_cycles");
        j["liberty"] = synth.liberty.string();
        fmt::print("{}\n", j.dump(2));
        return;
    }
    fmt::print("{:<18} {:>9} {:>10} {:>14} {:>8} {:>9}\n", "module", "cells", "flip-flops", "area um^2", "delay ns",
               "synth s");
    fmt::print("{:<18} {:>9} {:>10} {:>14.0f} {:>8.2f} {:>9.1f}\n", c.design, c.synth.cells, c.synth.flip_flops,
               c.synth.area_um2, c.synth.delay_ps / 1000.0, c.synth.seconds);
}

void run(const AreaOptions& o) {
    codegen::verilog::SynthOptions synth;
    synth.liberty = o.liberty.empty() ? codegen::verilog::default_liberty() : std::filesystem::path(o.liberty);
    synth.timeout_s = o.timeout;
    codegen::verilog::liberty_sequential_cells(synth.liberty);  // a bad liberty fails before any work
    if (!o.verilog.empty()) return run_module(o, synth);
    const bool want_sc = o.only != "int8", want_int8 = o.only != "sc";
    std::optional<ir::ScPlan> plan;
    std::string model_path = o.plan.empty() || o.model_opt->count() > 0 ? resolve_model(o.model) : "";
    if (!o.plan.empty()) {
        plan = io::read_plan(o.plan);
        apply_run_options(*plan, o.sc);
        if (model_path.empty()) model_path = resolve_model(plan->model);
    }
    const ir::Network net = io::import_onnx(model_path);
    if (!plan && (want_sc || o.macs == 0)) plan = compile_with(net, o.sc, o.data, model_path);
    namespace v = codegen::verilog;
    std::optional<HwCost> sc, q;
    Progress bar("yosys designs", std::int64_t{want_sc} + std::int64_t{want_int8});  // minutes per design
    if (want_sc) {
        sc = v::sc_cost(*plan, o.fold, synth);
        bar.advance();
    }
    if (want_int8) {
        const auto qnet = quantize_for_hw(net, o.data);
        const int macs = o.macs != 0 ? o.macs : v::macs_for_cycles(qnet, sc ? sc->cycles : v::sc_cycles(*plan, o.fold));
        q = v::int8_cost(qnet, macs, synth);
        bar.advance();
    }
    bar.finish();
    report(o, model_path, sc, q, synth.liberty.string());
}

}  // namespace

void add_area_command(CLI::App& app) {
    auto o = std::make_shared<AreaOptions>();
    auto* cmd = app.add_subcommand(
        "area", "Synthesized area (yosys, standard cells) and cycles of the SC design against its int8 baseline");
    o->model_opt = cmd->add_option("--model,-m", o->model, "ONNX file or bundled model name")->capture_default_str();
    cmd->add_option("--plan", o->plan, "SC plan JSON (instead of compiling --model; int8 uses the plan's model)");
    cmd->add_option("--data,-d", o->data, "Dataset whose default calibration split is used")->capture_default_str();
    cmd->add_option("--fold", o->fold, "SC: outputs of each stage computed in F groups, F clocks per SC cycle")
        ->check(CLI::Range(1, 1 << 20))
        ->capture_default_str();
    cmd->add_option("--macs", o->macs, "int8: multiply-accumulate lanes P (default: cycles closest to SC's)")
        ->check(CLI::Range(1, 256));
    cmd->add_option("--liberty", o->liberty, "Liberty file (default: OSU 0.18 um of qflow-tech-osu018)");
    cmd->add_option("--only", o->only, "Synthesize only one side")
        ->check(CLI::IsMember({"both", "sc", "int8"}))
        ->capture_default_str();
    cmd->add_option("--timeout", o->timeout, "Seconds allowed for each yosys run")
        ->check(CLI::Range(1.0, 1e6))
        ->capture_default_str();
    cmd->add_option(
           "--verilog", o->verilog,
           "Synthesize these Verilog files (or every .v of one folder, yosys working in it) instead, with --top")
        ->check(CLI::ExistingPath);
    cmd->add_option("--top", o->top, "--verilog: the top module");
    cmd->add_flag("--json", o->json, "Print JSON instead of a table");
    add_sc_options(cmd, o->sc);
    cmd->callback([o] { run(*o); });
}

}  // namespace scnn::cli
