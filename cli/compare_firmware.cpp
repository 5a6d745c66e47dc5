// scnn compare --target avr|cortex-m: measured firmware columns (RAM, flash, cycles, ms) for int8 and every
// SC length, each row built and run on the target and checked against the host engine.
#include <fmt/core.h>

#include "cli/firmware_cli.hpp"
#include "codegen/c/run/run_c.hpp"
#include "engine/io/dataset.hpp"
#include "engine/ir/error.hpp"

namespace scnn::cli {

nlohmann::json compare_firmware(const std::string& model, const ScOptions& sc, const std::string& data,
                                const std::vector<std::int64_t>& lengths, const std::string& target,
                                std::int64_t limit, std::string& table) {
    const auto spec = codegen::c::target_spec(target);
    const io::Dataset images = io::load_dataset(data, limit);
    nlohmann::json rows = nlohmann::json::array();
    table += fmt::format("\nfirmware on {} ({}), first {} images:\n", spec.name, spec.chip, images.count);
    table += fmt::format("{:<6} {:>6} {:>9} {:>9} {:>14} {:>10} {:>10}\n", "mode", "L", "RAM B", "flash B", "cycles",
                         "ms", "mismatches");
    const auto add = [&](const std::string& mode, std::int64_t L, const auto& run) {
        nlohmann::json row{{"mode", mode}, {"length", L}};
        const std::string len = L > 0 ? std::to_string(L) : "-";
        try {
            const codegen::c::RunCReport r = run();
            row.update({{"ram_bytes", r.ram_bytes},
                        {"flash_bytes", r.flash_bytes},
                        {"stack_bytes", r.stack_bytes},
                        {"cycles_per_inference", r.cycles_per_inference},
                        {"mismatches", r.mismatches}});
            if (spec.name == "avr") row["ms_per_inference"] = r.ms_per_inference;
            table += fmt::format("{:<6} {:>6} {:>9} {:>9} {:>14.0f} {:>10} {:>10}\n", mode, len, r.ram_bytes,
                                 r.flash_bytes, r.cycles_per_inference,
                                 spec.name == "avr" ? fmt::format("{:.2f}", r.ms_per_inference) : "-", r.mismatches);
        } catch (const Error& e) {
            row["error"] = e.what();
            table += fmt::format("{:<6} {:>6}   {}\n", mode, len, e.what());
        }
        rows.push_back(row);
    };
    FirmwareSource src;
    src.model = model;
    src.data = data;
    src.sc = sc;
    src.target = target;
    codegen::c::RunCOptions ro;
    ro.target = spec;
    ro.model_name = model;
    if (codegen::c::have_int8_emitter()) {
        src.mode = "int8";
        ro.command = firmware_command("compare", src, "");
        add("int8", 0, [&] { return codegen::c::run_c_int8(firmware_int8_network(src), images, ro); });
    }
    src.mode = "sc";
    for (std::int64_t L : lengths) {
        src.sc.compile.length = L;
        ro.command = firmware_command("compare", src, "");
        add("sc", L, [&] { return codegen::c::run_c_sc(firmware_plan(src, spec), images, ro); });
    }
    return rows;
}

}  // namespace scnn::cli
