#include "cli/hw_cost.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "cli/evaluate.hpp"
#include "codegen/verilog/int8_emit.hpp"
#include "engine/io/dataset.hpp"
#include "engine/ir/error.hpp"
#if __has_include("codegen/verilog/sc_emitter.hpp")
#include "codegen/verilog/sc_emitter.hpp"
#define SCNN_HAVE_SC_RTL 1
#endif

namespace fs = std::filesystem;

namespace scnn::cli {

namespace {

/// A temporary folder removed when it goes out of scope.
class TempDir {
public:
    explicit TempDir(const std::string& tag)
        : path_(fs::temp_directory_path() / fmt::format("scnn-area-{}-{}", ::getpid(), tag)) {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

}  // namespace

int8::QuantizedNetwork quantize_for_hw(const ir::Network& net, const std::string& data) {
    const std::int64_t images = 1000;
    const io::Dataset calib = io::load_dataset(default_calibration_data(data), images);
    return quantize_on(net, calib, images, 100.0);
}

int macs_for_cycles(const int8::QuantizedNetwork& qnet, std::int64_t target) {
    int best = 1;
    std::int64_t best_gap = -1;
    for (int p = 1; p <= 256; ++p) {
        const std::int64_t gap = std::llabs(codegen::verilog::plan_int8_rtl(qnet, p).cycles - target);
        if (best_gap < 0 || gap < best_gap) {
            best = p;
            best_gap = gap;
        }
    }
    return best;
}

HwCost int8_cost(const int8::QuantizedNetwork& qnet, int macs, const codegen::verilog::SynthOptions& synth) {
    namespace v = codegen::verilog;
    const v::Int8Rtl plan = v::plan_int8_rtl(qnet, macs);
    TempDir dir("int8");
    v::emit_int8_verilog(plan, "scnn area", dir.path());
    HwCost c;
    c.design = fmt::format("int8 P={}", macs);
    c.synth = v::synthesize_dir(dir.path(), v::kInt8Top, synth);
    c.cycles = plan.cycles;
    c.macs = macs;
    return c;
}

HwComparison compare_hw(const std::vector<ir::ScPlan>& plans, const int8::QuantizedNetwork& qnet, int fold,
                        const codegen::verilog::SynthOptions& synth) {
    nlohmann::json j{{"sc", nlohmann::json::array()}, {"int8", nlohmann::json::array()}};
    std::map<int, HwCost> int8_by_macs;
    std::string table = fmt::format("\nhardware ({}, fold {})\n{:<18} {:>14} {:>10} {:>16}   {}\n",
                                    (synth.liberty.empty() ? codegen::verilog::default_liberty() : synth.liberty).filename().string(), fold, "design", "area um^2", "cycles",
                                    "area x cycles", "int8 at equal throughput: area, cycles, area x cycles");
    for (const ir::ScPlan& plan : plans) {
        const HwCost sc = sc_cost(plan, fold, synth);
        const int macs = macs_for_cycles(qnet, sc.cycles);
        if (int8_by_macs.count(macs) == 0) int8_by_macs.emplace(macs, int8_cost(qnet, macs, synth));
        const HwCost& q = int8_by_macs.at(macs);
        j["sc"].push_back({{"length", plan.length},
                           {"fold", fold},
                           {"area_um2", sc.synth.area_um2},
                           {"cycles_per_inference", sc.cycles},
                           {"area_cycles", sc.area_cycles()},
                           {"int8_macs", macs}});
        table += fmt::format("{:<18} {:>14.0f} {:>10} {:>16.4g}   P={}: {:.0f}, {}, {:.4g}\n", sc.design,
                             sc.synth.area_um2, sc.cycles, sc.area_cycles(), macs, q.synth.area_um2, q.cycles,
                             q.area_cycles());
    }
    for (const auto& [macs, q] : int8_by_macs) {
        j["int8"].push_back({{"macs", macs},
                             {"area_um2", q.synth.area_um2},
                             {"cycles_per_inference", q.cycles},
                             {"area_cycles", q.area_cycles()}});
    }
    return {std::move(j), std::move(table)};
}

#ifdef SCNN_HAVE_SC_RTL
bool have_sc_rtl() { return true; }

std::int64_t sc_cycles(const ir::ScPlan& plan, int fold) {
    codegen::verilog::ScEmitOptions o;
    o.fold = fold;
    o.command = "scnn area";
    return codegen::verilog::emit_sc(plan, o).clocks_per_inference();
}

HwCost sc_cost(const ir::ScPlan& plan, int fold, const codegen::verilog::SynthOptions& synth) {
    namespace v = codegen::verilog;
    v::ScEmitOptions o;
    o.fold = fold;
    o.command = "scnn area";
    const v::ScDesign design = v::emit_sc(plan, o);
    TempDir dir("sc");
    v::write_design(design, dir.path());
    HwCost c;
    c.design = fmt::format("SC L={} fold {}", plan.length, fold);
    c.synth = v::synthesize_dir(dir.path(), design.top, synth);
    c.cycles = design.clocks_per_inference();
    return c;
}
#else
bool have_sc_rtl() { return false; }

std::int64_t sc_cycles(const ir::ScPlan&, int) {
    throw Error("this scnn was built without the SC Verilog emitter (codegen/verilog/sc_emitter.hpp)");
}

HwCost sc_cost(const ir::ScPlan& plan, int fold, const codegen::verilog::SynthOptions&) {
    return HwCost{.design = "", .synth = {}, .cycles = sc_cycles(plan, fold), .macs = 0};
}
#endif

}  // namespace scnn::cli
