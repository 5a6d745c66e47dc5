// scnn run-c: emit a plan as C for a target, build it, run images on the target (native process, AVR in
// simavr through the project's libsimavr runner, Cortex-M3 in QEMU) and compare every image's outputs with
// the host engine (SC: the fast simulator's per-class counts; with early exit its prediction and stop cycle).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "codegen/c/sc_emit.hpp"
#include "engine/int8/quantize.hpp"
#include "engine/io/dataset.hpp"
#include "engine/ir/sc_plan.hpp"

namespace scnn::codegen::c {

struct RunCOptions {
    TargetSpec target;
    std::string command;             ///< stamped into the generated files
    std::string model_name;          ///< for messages
    std::int64_t early_margin = -1;  ///< ≥ 0: scnn_infer_early with this margin
    std::string keep_dir;            ///< non-empty: keep the built folder here
    std::int64_t cycle_limit = 0;    ///< AVR: simulated cycles per image before the run is stopped (0 = auto)
    int timeout_s = 0;               ///< wall-clock limit of the whole target run (0 = auto)
    bool trace = false;              ///< on a mismatch, find the first differing stage and cycle
};

struct RunCReport {
    std::string target, mode = "sc";
    std::int64_t images = 0, correct = 0, mismatches = 0;
    std::string first_mismatch;        ///< "image I class C: target X, host Y" (empty when none)
    std::int64_t first_mismatch_image = -1;
    std::int64_t ram_bytes = 0;        ///< .data + .bss + peak stack (0 on the host: not measured)
    std::int64_t data_bss_bytes = 0, flash_bytes = 0, stack_bytes = 0;
    double cycles_per_inference = 0;   ///< AVR: simulated cycles; Cortex-M: instructions (QEMU -icount); host: 0
    double sc_cycles = 0;              ///< mean SC cycles (L, or fewer with early exit)
    double ms_per_inference = 0;       ///< AVR at 16 MHz
    std::string build_dir;             ///< where the firmware was built (kept only with keep_dir)
    std::string trace;                 ///< --trace: the first differing stage and cycle of the first mismatch
    [[nodiscard]] double accuracy() const { return images ? double(correct) / double(images) : 0; }
};

/// Emits, checks the fit, builds, runs and compares. Throws scnn::Error (missing toolchain: names the
/// package and scripts/install-deps.sh; build failure; crash; cycle limit; timeout).
RunCReport run_c_sc(const ir::ScPlan& plan, const io::Dataset& data, const RunCOptions& options);

/// --mode int8 (when this build has the int8 C emitter, codegen/c/int8_emit.hpp): the int8 network's
/// firmware, every image's int8 logits compared with engine/int8. Throws scnn::Error naming what is missing.
bool have_int8_emitter();
RunCReport run_c_int8(const int8::QuantizedNetwork& qnet, const io::Dataset& data, const RunCOptions& options);
/// The int8 model files for `target` after its fit check.
std::vector<GeneratedFile> emit_int8_model(const int8::QuantizedNetwork& qnet, const std::string& command,
                                           const TargetSpec& target, const std::string& model_name);

/// The first stage and cycle where the C of `plan` differs from sim::reference_run's per-cycle trace on one
/// image; "" when none does. target "avr": the trace build runs on the ATmega328P in simavr; otherwise a host
/// build with -DSCNN_TRACE.
std::string first_trace_difference(const ir::ScPlan& plan, std::span<const std::uint8_t> pixels,
                                   const std::string& command, const std::string& target = "host");

/// One image's output from the target: prediction, SC cycles, machine cycles, outputs.
struct TargetImage {
    int prediction = 0;
    std::int64_t sc_cycles = 0, machine_cycles = 0;
    std::vector<std::int64_t> out;
};
struct TargetRun {
    std::vector<TargetImage> images;
    std::int64_t stack_bytes = 0;
};

/// Builds DIR with make (the toolchain must exist) and returns the size line: {data+bss, flash}.
std::pair<std::int64_t, std::int64_t> build_firmware(const std::string& dir, const TargetSpec& target);

/// Runs the built firmware in DIR on `count` images (pixels back to back).
TargetRun run_firmware(const std::string& dir, const TargetSpec& target, const std::vector<std::uint8_t>& pixels,
                       std::int64_t count, std::int64_t input_size, std::int64_t classes, std::int64_t margin,
                       std::int64_t cycle_limit, int timeout_s);

}  // namespace scnn::codegen::c
