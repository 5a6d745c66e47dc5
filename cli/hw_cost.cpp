#include "cli/hw_cost.hpp"

#include <fmt/format.h>

#include "cli/evaluate.hpp"
#include "engine/io/dataset.hpp"

namespace scnn::cli {

int8::QuantizedNetwork quantize_for_hw(const ir::Network& net, const std::string& data) {
    const std::int64_t images = 1000;
    const io::Dataset calib = io::load_dataset(default_calibration_data(data), images);
    return quantize_on(net, calib, images, 100.0);
}

HwComparison compare_hw(const std::vector<ir::ScPlan>& plans, const int8::QuantizedNetwork& qnet, int fold,
                        const codegen::verilog::SynthOptions& synth) {
    namespace v = codegen::verilog;
    const v::HwSweep sweep = v::hw_sweep(plans, qnet, fold, synth);
    const auto figures = [](const v::HwCost& c) {
        return nlohmann::json{{"area_um2", c.synth.area_um2},
                              {"cells", c.synth.cells},
                              {"flip_flops", c.synth.flip_flops},
                              {"delay_ps", c.synth.delay_ps >= 0 ? nlohmann::json(c.synth.delay_ps) : nlohmann::json()},
                              {"hierarchical", c.synth.hierarchical},
                              {"synthesis_seconds", c.synth.seconds},
                              {"cycles_per_inference", c.cycles},
                              {"area_cycles", c.area_cycles()}};
    };
    nlohmann::json j{{"sc", nlohmann::json::array()}, {"int8", nlohmann::json::array()}};
    const auto liberty = (synth.liberty.empty() ? v::default_liberty() : synth.liberty).filename().string();
    std::string table =
        fmt::format("\nhardware ({}, fold {})\n{:<18} {:>14} {:>10} {:>16}   {}\n", liberty, fold, "design",
                    "area um^2", "cycles", "area x cycles", "int8 at equal throughput: area, cycles, area x cycles");
    for (const v::HwPair& row : sweep.sc) {
        const v::HwCost& q = sweep.int8.at(row.int8_macs);
        nlohmann::json r = figures(row.sc);
        r.update({{"length", row.length}, {"fold", row.fold}, {"int8_macs", row.int8_macs}});
        j["sc"].push_back(std::move(r));
        table += fmt::format("{:<18} {:>14.0f} {:>10} {:>16.4g}   P={}: {:.0f}, {}, {:.4g}\n", row.sc.design,
                             row.sc.synth.area_um2, row.sc.cycles, row.sc.area_cycles(), row.int8_macs,
                             q.synth.area_um2, q.cycles, q.area_cycles());
    }
    for (const auto& [macs, q] : sweep.int8) {
        nlohmann::json r = figures(q);
        r["macs"] = macs;
        j["int8"].push_back(std::move(r));
    }
    return {std::move(j), std::move(table)};
}

}  // namespace scnn::cli
