// scnn run-c — emit, build and run C firmware on a target; compare every image with the host engine.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/firmware_cli.hpp"
#include "codegen/c/run/run_c.hpp"
#include "engine/io/dataset.hpp"
#include "engine/ir/error.hpp"

namespace scnn::cli {

namespace {

struct RunOptions {
    FirmwareSource src;
    std::int64_t limit = 100;
    std::int64_t early_exit = -1;
    std::string keep;
    bool json = false;
    bool trace = false;
    std::int64_t cycle_limit = 0;
};

void print_report(const codegen::c::RunCReport& r, std::int64_t length, const RunOptions& o) {
    if (o.json) {
        nlohmann::json j{{"target", r.target},
                         {"mode", r.mode},
                         {"images", r.images},
                         {"accuracy", r.accuracy()},
                         {"mismatches", r.mismatches},
                         {"ram_bytes", r.ram_bytes},
                         {"data_bss_bytes", r.data_bss_bytes},
                         {"flash_bytes", r.flash_bytes},
                         {"stack_bytes", r.stack_bytes},
                         {"cycles_per_inference", r.cycles_per_inference},
                         {"sc_length", length},
                         {"sc_cycles", r.sc_cycles}};
        if (r.target == "avr") j["ms_per_inference"] = r.ms_per_inference;
        if (o.early_exit >= 0) j["early_exit_margin"] = o.early_exit;
        if (!r.first_mismatch.empty()) j["first_mismatch"] = r.first_mismatch;
        if (!r.trace.empty()) j["trace"] = r.trace;
        fmt::print("{}\n", j.dump());
        return;
    }
    fmt::print("target      {}  mode {}{}{}\n", r.target, r.mode, length > 0 ? fmt::format("  L = {}", length) : "",
               o.early_exit >= 0 ? fmt::format("  early exit margin {} (mean {:.1f} SC cycles)", o.early_exit, r.sc_cycles)
                                 : "");
    fmt::print("images      {}\n", r.images);
    fmt::print("accuracy    {:.2f} %\n", 100.0 * r.accuracy());
    fmt::print("mismatches  {}{}\n", r.mismatches, r.first_mismatch.empty() ? "" : "  (first: " + r.first_mismatch + ")");
    if (r.target != "host") {
        fmt::print("ram         {} B (.data+.bss {} B + peak stack {} B)\n", r.ram_bytes, r.data_bss_bytes,
                   r.stack_bytes);
        fmt::print("flash       {} B\n", r.flash_bytes);
        fmt::print("cycles      {:.0f} per inference{}\n", r.cycles_per_inference,
                   r.target == "cortex-m" ? " (instructions, QEMU -icount)" : "");
        if (r.target == "avr") fmt::print("time        {:.2f} ms per inference at 16 MHz\n", r.ms_per_inference);
    }
    if (!r.trace.empty()) fmt::print("trace       {}\n", r.trace);
    if (!r.build_dir.empty()) fmt::print("kept        {}\n", r.build_dir);
}

void run_run_c(const RunOptions& o) {
    const auto target = codegen::c::target_spec(o.src.target);
    codegen::c::RunCOptions ro;
    ro.target = target;
    ro.command = firmware_command("run-c", o.src, o.keep.empty() ? "" : " --keep " + o.keep);
    ro.model_name = o.src.plan.empty() ? o.src.model : o.src.plan;
    ro.early_margin = o.early_exit;
    ro.keep_dir = o.keep;
    ro.cycle_limit = o.cycle_limit;
    ro.trace = o.trace;
    codegen::c::RunCReport r;
    std::int64_t length = 0;
    if (o.src.mode == "int8") {
        if (!codegen::c::have_int8_emitter()) throw Error("--mode int8: the int8 C emitter is not built into this scnn yet");
        if (o.early_exit >= 0) throw Error("--early-exit is SC only");
        const auto qnet = firmware_int8_network(o.src);
        r = codegen::c::run_c_int8(qnet, io::load_dataset(o.src.data, o.limit), ro);
    } else {
        const ir::ScPlan plan = firmware_plan(o.src, target);
        length = plan.length;
        r = codegen::c::run_c_sc(plan, io::load_dataset(o.src.data, o.limit), ro);
    }
    print_report(r, length, o);
    if (r.mismatches > 0)
        throw Error(fmt::format("{} of {} images differ from the host; first: {}{}", r.mismatches, r.images,
                                r.first_mismatch, r.trace.empty() ? "" : "; " + r.trace));
}

}  // namespace

void add_run_c_command(CLI::App& app) {
    auto o = std::make_shared<RunOptions>();
    auto* cmd = app.add_subcommand("run-c", "Build C firmware, run it on a target and compare it with the host engine");
    add_firmware_source_options(cmd, o->src);
    cmd->add_option("--limit,-n", o->limit, "Images to run (0 = all)")->check(kCountOrZero)->capture_default_str();
    cmd->add_option("--early-exit", o->early_exit,
                    "SC: early termination with this margin (0 = only when the lead cannot be overturned)")
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 30));
    cmd->add_option("--keep", o->keep, "Keep the built firmware folder here");
    cmd->add_option("--cycle-limit", o->cycle_limit, "AVR: simulated cycles per image before the run stops (0 = auto)")
        ->check(kCountOrZero);
    cmd->add_flag("--json", o->json, "Print one JSON object");
    cmd->add_flag("--trace", o->trace,
                  "SC: on a mismatch, name the first stage and cycle where the C differs from the reference trace");
    cmd->callback([o] { run_run_c(*o); });
}

}  // namespace scnn::cli
