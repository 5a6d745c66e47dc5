// scnn::codegen::c — the SC plan → bit-serial C99 emitter (docs/SEMANTICS.md §3, §9; docs/FIRMWARE.md).
// The generated model is the files scnn_model.h + scnn_model.c and implements firmware/runtime/
// scnn_model_api.h. It processes 8 SC cycles per block: every stream of one element is one byte per block
// (bit b = cycle 8·block + b), products are ANDs of bytes, the per-cycle APC counts are bit-sliced, and the
// neurons step once per cycle from those counts. No malloc, float or division in the per-cycle path;
// constant tables in flash (SCNN_FLASH); every state variable has the narrowest C type for its plan range.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/ir/sc_plan.hpp"

namespace scnn::codegen::c {

/// A firmware target and the memories the emitter must fit (0 = unlimited, the host).
struct TargetSpec {
    std::string name;             ///< "host", "avr", "cortex-m"
    std::string chip;             ///< e.g. "ATmega328P"
    std::int64_t ram_bytes = 0;   ///< SRAM, bytes
    std::int64_t flash_bytes = 0; ///< flash, bytes
};

/// host, avr (ATmega328P: 2048 B SRAM, 32 KB flash), cortex-m (lm3s6965: 64 KB SRAM, 256 KB flash).
/// Throws scnn::Error for another name.
TargetSpec target_spec(const std::string& name);

struct GeneratedFile {
    std::string name;  ///< relative path in the output folder
    std::string text;
};

/// Where the RAM and flash of a generated model go (bytes, estimated by the emitter before building).
struct ResourceEstimate {
    std::int64_t state = 0;       ///< neuron / pooling state and stage output bytes
    std::int64_t generators = 0;  ///< generator registers and their per-block values
    std::int64_t input = 0;       ///< the pixel buffer the caller passes (SCNN_INPUT_SIZE)
    std::int64_t stack = 0;       ///< an allowance for the call stack
    std::int64_t tables = 0;      ///< flash: weight codes, thresholds, geometry tables
    std::int64_t code = 0;        ///< flash: an allowance for the code
    [[nodiscard]] std::int64_t ram() const { return state + generators + input + stack; }
    [[nodiscard]] std::int64_t flash() const { return tables + code; }
};

struct ScModelCode {
    std::vector<GeneratedFile> files;  ///< scnn_model.h, scnn_model.c
    ResourceEstimate estimate;
    int early_every = 64;              ///< SCNN_EARLY_EVERY
};

/// Emits the model. `command` is stamped into every file. Throws scnn::Error (a generator the firmware
/// cannot run, e.g. `random`; a plan out of the emitter's ranges).
ScModelCode emit_sc_model(const ir::ScPlan& plan, const std::string& command);

/// Throws scnn::Error with one line naming what does not fit `target` and by how much.
void check_fit(const ScModelCode& code, const TargetSpec& target, const std::string& model_name);

/// The early-exit check interval of a plan (docs/SEMANTICS.md §9.8).
int plan_early_every(const ir::ScPlan& plan);

}  // namespace scnn::codegen::c
