// scnn::codegen::verilog::run_rtl — emits the SC design of a plan, builds it with Verilator (or iverilog),
// runs images through scnn_top and checks every image's per-class counts against the host simulator
// (sim::Simulator). Builds are cached by a hash of the emitted files, so a second run does not rebuild.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "codegen/verilog/sc_emitter.hpp"
#include "engine/io/dataset.hpp"
#include "engine/ir/sc_plan.hpp"

namespace scnn::codegen::verilog {

struct RtlRunOptions {
    int fold = 1;
    ScForm form = ScForm::simulation;      ///< the same circuit, two writings (sc_emitter.hpp)
    std::string simulator = "verilator";  ///< "verilator" or "iverilog"
    std::string vcd;                       ///< waveform of the first image (empty: none)
    std::int64_t early_margin = -1;        ///< ≥ 0: early termination on (§9.8), margin 0 = only the sure rule
    bool trace = false;                    ///< on a mismatch, name the first cycle and signal (reference trace)
    std::string cache_dir;                 ///< empty: $XDG_CACHE_HOME/scnn/rtl, else ~/.cache/scnn/rtl
    std::string command = "scnn run-rtl";  ///< stamped into the emitted files
    int jobs = 2;                          ///< parallel C++ compiles of the Verilator build
};

struct RtlRunResult {
    std::int64_t images = 0, correct = 0, mismatches = 0;
    std::int64_t first_image = -1;  ///< first mismatching image (-1: none)
    int first_class = -1;           ///< its first mismatching class (-1: the prediction or cycles differ)
    std::int64_t expected = 0, got = 0;
    double clock_cycles_per_inference = 0;  ///< mean, start to done
    double sc_cycles_per_inference = 0;     ///< mean
    double simulation_seconds = 0, build_seconds = 0;
    bool built = false;          ///< false: the cached build was used
    std::string design_dir;      ///< the emitted (and built) folder
    std::vector<int> predictions;
    std::string trace_report;    ///< --trace: the first differing cycle and signal
    [[nodiscard]] double accuracy() const { return images > 0 ? double(correct) / double(images) : 0.0; }
};

/// Throws scnn::Error for a plan the emitter rejects, a missing simulator (naming its Debian package), a
/// failed build (naming its log) or a design that does not finish within its clock limit.
RtlRunResult run_rtl(const ir::ScPlan& plan, const io::Dataset& data, const RtlRunOptions& options);

}  // namespace scnn::codegen::verilog
