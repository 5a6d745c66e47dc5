// Internals of the SC Verilog emitter (sc_emitter.hpp): widths, stage geometry, ROM files and the visitor
// functions that write one stage each. Not a public header.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "codegen/common/code_writer.hpp"
#include "codegen/verilog/sc_emitter.hpp"
#include "engine/ir/sc_plan.hpp"

namespace scnn::codegen::verilog::detail {

/// Bits to hold the unsigned values 0 .. v (at least 1).
int ubits(std::uint64_t v);
/// Bits to hold the signed values -v .. v in two's complement.
int sbits(std::uint64_t v);

/// What one emitting pass shares: the plan, the fold, the files written so far.
struct Ctx {
    const ir::ScPlan& plan;
    int fold;
    bool bipolar;
    bool gates;  ///< ScForm::synthesis: constants wired into gates instead of ROMs
    std::string command;
    std::vector<EmittedFile>& files;
    std::vector<std::string> modules;  ///< rtl/ primitives the design instantiates
    /// The input of the stage being emitted may be negative (its neg streams are not all 0): bipolar, or
    /// after a linear stage with signed_out, through any pooling or gather stages (as engine/sim reads it).
    bool in_signed = false;
    void use(const std::string& module);
    /// A $readmemh file: one hex word of `width` bits per value, after the stamp.
    void rom(const std::string& name, const std::vector<std::uint64_t>& values, int width);
    CodeWriter writer() const;  ///< a writer with the stamp already written
};

/// The interface of one stage module as the top sees it.
struct StageIo {
    std::string module;        ///< scnn_stage<k>
    bool uses_weight_gen = false, uses_select_gen = false;
    bool final_counts = false;  ///< the stage has the per-class counters (a `final` linear stage)
    int count_width = 0;        ///< final: CW of its counts
    std::int64_t max_step = 1;  ///< the §9.8 bound per cycle of |Δ| (final stage)
};

/// Processing elements of a stage of n outputs folded F times: G = ceil(n / F).
inline std::int64_t pe_count(std::int64_t n, int fold) { return (n + fold - 1) / fold; }
int phase_width(int fold);
/// A generate loop over 0 .. n-1 whose body sees the index as `localparam integer <index>` (split into
/// nested blocks of 512 when long); close_gen_for ends it.
void open_gen_for(CodeWriter& w, const std::string& label, const std::string& index, std::int64_t n);
void close_gen_for(CodeWriter& w, std::int64_t n);

/// Linear stage geometry: for every output o, per slot s < P, the input element (−1: padding cell).
std::int64_t weights_per_channel(const ir::PlanStage& s);
std::vector<std::int32_t> linear_slots(const ir::PlanStage& s);  ///< n_out × P
int channel_of(const ir::PlanStage& s, std::int64_t o);
/// Pooling windows: per output, kh·kw slots of input elements (−1: outside the input), and the divisor.
std::vector<std::int32_t> pool_slots(const ir::PlanStage& s);
std::vector<std::int32_t> pool_divisors(const ir::PlanStage& s);

/// The output register y(t) of a stateful stage (y_pos, y_neg: nop bits) and its end-of-cycle commit from
/// the PEs' next outputs pe_pos/pe_neg (G bits); y(0) = (y0_pos, 0), the output of the reset state.
void emit_commit(CodeWriter& w, std::int64_t nop, std::int64_t g, int fold, bool y0_pos);
/// `localparam [..] GG = G` and the per-PE output index `o` (inside the g_pe loop).
/// Inside a PE: a register file of `fold` entries per (name, width), read at [ph] and written from <name>_n
/// in the PE's phase, cleared by clr.
void emit_pe_register_file(CodeWriter& w, int fold, const std::vector<std::pair<std::string, int>>& regs);
/// The input bits as arrays xp_all / xn_all [0:ni] read at a ROM-given element; element ni (`extra`, e.g. a
/// padding cell) is 0.
void emit_input_arrays(CodeWriter& w, std::int64_t ni, const std::string& extra);
/// Bits of an output index 0 .. nop-1.
int index_width(std::int64_t nop);
void emit_pe_index(CodeWriter& w, std::int64_t nop, int fold);

StageIo emit_linear(Ctx& ctx, int k);

/// What the synthesis form of a linear stage's PEs needs of its geometry (sc_emit_linear_gates.cpp).
struct LinearGates {
    std::int64_t per, g, no;  ///< weight slots per output, PEs, outputs
    int rw, kw, cnw, dw, sw;  ///< widths: weight generator, k, APC count, Δ, mux select
    bool with_k;              ///< a delta-sigma stage: per-PE k into pe_k
    bool neg_zero;            ///< the input's neg streams are all 0 (split-unipolar, unsigned input)
};
/// Writes the comparators, per PE the product vectors and the adder into pe_delta[j] (and pe_k[j]).
void emit_linear_gates(Ctx& ctx, CodeWriter& w, const ir::PlanStage& s, const LinearGates& shape);
StageIo emit_max_pool(Ctx& ctx, int k);
StageIo emit_avg_pool(Ctx& ctx, int k);
StageIo emit_gather(Ctx& ctx, int k);

/// Generator g as an rtl/ instance named gen<g> with output wire r_gen<g>.
void emit_generator(Ctx& ctx, CodeWriter& w, int g);
/// Range M of generator g (2^n, or b^k for Halton).
std::uint64_t generator_range(const ir::PlanGenerator& g);

/// The §9.8 bound per cycle of the final stage (2·max|Δ|, doubled for signed inputs).
std::int64_t early_per_cycle(const ir::ScPlan& plan, const StageIo& last);

void emit_top(Ctx& ctx, const std::vector<StageIo>& stages, ScDesign& design);
void emit_testbenches(Ctx& ctx, const ScDesign& design);

}  // namespace scnn::codegen::verilog::detail
