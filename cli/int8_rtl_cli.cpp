// The int8 modes of `scnn emit-verilog` and `scnn run-rtl` (cli/hw_cost.hpp): parsing lives in those
// commands, this file quantizes, calls the int8 emitter or runner, and prints.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "cli/common.hpp"
#include "cli/hw_cost.hpp"
#include "codegen/verilog/int8_emit.hpp"
#include "codegen/verilog/run/int8_verilator.hpp"
#include "engine/io/onnx_import.hpp"
#include "engine/ir/error.hpp"

namespace scnn::cli {

void reject_options_outside(const CLI::App& cmd, const std::vector<std::string>& allowed) {
    for (const auto* opt : cmd.get_options()) {
        const std::string name = opt->get_name();
        if (opt->count() == 0 || name == "--help") continue;
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
            throw Error(fmt::format("{} applies to --mode sc, not to --mode int8", name));
    }
}

void emit_int8_verilog_cli(const std::string& model, const std::string& data, int macs, const std::string& out,
                           const std::string& command) {
    namespace v = codegen::verilog;
    v::check_int8_macs(macs);  // before the model is read and quantized
    const std::string path = resolve_model(model);
    const auto qnet = quantize_for_hw(io::import_onnx(path), data);
    const v::Int8Rtl plan = v::plan_int8_rtl(qnet, macs);
    const auto files = v::int8_verilog_files(plan, command);
    v::emit_int8_verilog(plan, command, out);
    fmt::print("wrote {} ({} files; top module {})\n", out, files.size(), v::kInt8Top);
    fmt::print("int8, P = {} MAC lanes{}: {} clocks per inference\n", macs,
               plan.input_pool.fused ? ", input pooling folded into the pixel port" : "", plan.cycles);
}

void run_int8_rtl_cli(const Int8RunCliOptions& o) {
    namespace v = codegen::verilog;
    v::check_int8_macs(o.macs);
    const std::string path = resolve_model(o.model);
    const auto qnet = quantize_for_hw(io::import_onnx(path), o.data);
    const v::Int8Rtl plan = v::plan_int8_rtl(qnet, o.macs);
    const io::Dataset data = io::load_dataset(o.data, o.limit);
    v::Int8RtlRunOptions ro;
    ro.cache_dir = o.cache_dir;
    ro.command = o.command;
    const v::Int8RtlRunResult r = v::run_int8_rtl(qnet, plan, data, o.limit, ro);
    const double ips = r.simulation_seconds > 0 ? double(r.images) / r.simulation_seconds : 0.0;
    if (o.json) {
        nlohmann::json j{{"model", path},
                         {"mode", "int8"},
                         {"simulator", "verilator"},
                         {"macs", o.macs},
                         {"images", r.images},
                         {"accuracy", r.accuracy()},
                         {"mismatches", r.mismatches},
                         {"clock_cycles_per_inference", r.cycles_per_inference},
                         {"simulation_seconds", r.simulation_seconds},
                         {"images_per_second", ips},
                         {"build_seconds", r.build_seconds},
                         {"cached_build", r.cached}};
        if (r.mismatches > 0) {
            j["first_mismatch"] = {{"image", r.first_mismatch_image},
                                   {"class", r.first_mismatch_class},
                                   {"expected", r.first_mismatch_expected},
                                   {"got", r.first_mismatch_rtl}};
        }
        fmt::print("{}\n", j.dump(2));
    } else {
        fmt::print("model      {}\n", path);
        fmt::print("design     int8, P = {} MAC lanes ({})\n", o.macs,
                   r.cached ? std::string("cached build") : fmt::format("built in {:.1f} s", r.build_seconds));
        fmt::print("images     {}\n", r.images);
        fmt::print("accuracy   {:.2f}%\n", 100.0 * r.accuracy());
        if (r.mismatches == 0) {
            fmt::print("mismatches 0 (logits equal to the int8 executor on every image)\n");
        } else {
            fmt::print("mismatches {} (first: image {}, {} {}: int8 executor {}, RTL {})\n", r.mismatches,
                       r.first_mismatch_image, r.first_mismatch_class < plan.classes ? "class" : "prediction",
                       r.first_mismatch_class, r.first_mismatch_expected, r.first_mismatch_rtl);
        }
        fmt::print("clock cycles per inference {}\n", r.cycles_per_inference);
        fmt::print("simulation {:.2f} s ({:.1f} images/s simulated)\n", r.simulation_seconds, ips);
    }
    if (r.mismatches > 0) {
        std::fflush(stdout);
        std::exit(1);
    }
}

}  // namespace scnn::cli
