// scnn::codegen::verilog — hardware cost of a design: emit its Verilog into a temporary folder, synthesize
// it with yosys on a liberty (synth_area.hpp) and pair the figures with its clock cycles per inference. The
// SC design of a plan (sc_emitter.hpp, folded F times) and the int8 baseline of a quantized network with P
// MAC lanes (int8_emit.hpp); `scnn area` and `scnn compare --hw` print what these return.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "codegen/verilog/run/synth_area.hpp"
#include "engine/int8/quantize.hpp"
#include "engine/ir/sc_plan.hpp"

namespace scnn::codegen::verilog {

struct HwCost {
    std::string design;  ///< "SC L=256 fold 1", "int8 P=16"
    SynthResult synth;
    std::int64_t cycles = 0;  ///< clock cycles per inference, the clock that samples start to done
    int macs = 0;             ///< int8: P (0 for SC)
    [[nodiscard]] double area_cycles() const { return synth.area_um2 * double(cycles); }
};

/// The P in [1, 256] whose int8 design's cycles per inference are closest to `target` (ties: fewer lanes).
int macs_for_cycles(const int8::QuantizedNetwork& qnet, std::int64_t target);

/// Synthesizes the int8 design of `qnet` with P = `macs` lanes. Throws scnn::Error.
HwCost int8_cost(const int8::QuantizedNetwork& qnet, int macs, const SynthOptions& synth);

/// Clock cycles per inference of the SC design of `plan` folded by `fold` (all L SC cycles, no early exit).
/// Throws scnn::Error for a fold the plan cannot take.
std::int64_t sc_cycles(const ir::ScPlan& plan, int fold);

/// Synthesizes the SC design of `plan` folded by `fold`. Throws scnn::Error.
HwCost sc_cost(const ir::ScPlan& plan, int fold, const SynthOptions& synth);

/// One SC design beside the int8 design of equal throughput.
struct HwPair {
    std::int64_t length = 0;  ///< the plan's L
    int fold = 1;
    HwCost sc;
    int int8_macs = 0;  ///< P of the int8 design whose cycles are closest to sc.cycles
};

struct HwSweep {
    std::vector<HwPair> sc;      ///< one per plan, in order
    std::map<int, HwCost> int8;  ///< every int8 design the rows name, by P (each synthesized once)
};

/// The SC design of every plan folded by `fold`, each beside the int8 design of `qnet` whose cycles per
/// inference are closest. Throws scnn::Error.
HwSweep hw_sweep(const std::vector<ir::ScPlan>& plans, const int8::QuantizedNetwork& qnet, int fold,
                 const SynthOptions& synth);

}  // namespace scnn::codegen::verilog
