#include "codegen/verilog/run/hw_cost.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "codegen/verilog/int8_emit.hpp"
#include "codegen/verilog/sc_emitter.hpp"

namespace fs = std::filesystem;

namespace scnn::codegen::verilog {

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

ScDesign sc_design(const ir::ScPlan& plan, int fold) {
    ScEmitOptions o;
    o.fold = fold;
    o.command = "scnn area";
    o.form = ScForm::synthesis;  // every constant wired: what yosys can digest (the same circuit as --form sim)
    return emit_sc(plan, o);
}

}  // namespace

int macs_for_cycles(const int8::QuantizedNetwork& qnet, std::int64_t target) {
    int best = 1;
    std::int64_t best_gap = -1;
    for (int p = 1; p <= kInt8MaxMacs; ++p) {
        const std::int64_t gap = std::llabs(plan_int8_rtl(qnet, p).cycles - target);
        if (best_gap < 0 || gap < best_gap) {
            best = p;
            best_gap = gap;
        }
    }
    return best;
}

HwCost int8_cost(const int8::QuantizedNetwork& qnet, int macs, const SynthOptions& synth) {
    const Int8Rtl plan = plan_int8_rtl(qnet, macs);
    TempDir dir("int8");
    emit_int8_verilog(plan, "scnn area", dir.path());
    HwCost c;
    c.design = fmt::format("int8 P={}", macs);
    c.synth = synthesize_dir(dir.path(), kInt8Top, synth);
    c.cycles = plan.cycles;
    c.macs = macs;
    return c;
}

std::int64_t sc_cycles(const ir::ScPlan& plan, int fold) { return sc_clocks_per_inference(plan, fold); }

HwCost sc_cost(const ir::ScPlan& plan, int fold, const SynthOptions& synth) {
    const ScDesign design = sc_design(plan, fold);
    TempDir dir("sc");
    write_design(design, dir.path());
    HwCost c;
    c.design = fmt::format("SC L={} fold {}", plan.length, fold);
    c.synth = synthesize_dir(dir.path(), design.top, synth);
    c.cycles = design.clocks_per_inference();
    return c;
}

HwSweep hw_sweep(const std::vector<ir::ScPlan>& plans, const int8::QuantizedNetwork& qnet, int fold,
                 const SynthOptions& synth) {
    HwSweep s;
    for (const ir::ScPlan& plan : plans) {
        HwPair row{plan.length, fold, sc_cost(plan, fold, synth), 0};
        row.int8_macs = macs_for_cycles(qnet, row.sc.cycles);
        if (s.int8.count(row.int8_macs) == 0) s.int8.emplace(row.int8_macs, int8_cost(qnet, row.int8_macs, synth));
        s.sc.push_back(std::move(row));
    }
    return s;
}

}  // namespace scnn::codegen::verilog
