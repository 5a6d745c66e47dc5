// Internal to the SC C emitter: what every stage visitor needs to know about the plan (where a stage's
// inputs come from through gathers, which streams are signed, the C types of its state), and the helpers
// that write tables. Not part of the emitter's API.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "codegen/c/sc_emit.hpp"
#include "codegen/common/code_writer.hpp"

namespace scnn::codegen::c {

/// The smallest C integer type holding [lo, hi].
std::string c_int_type(std::int64_t lo, std::int64_t hi);
/// Bytes of that type.
int c_int_bytes(std::int64_t lo, std::int64_t hi);

/// Where the input elements of a stage come from: the pixels (stage −1) or a non-gather stage's output
/// buffer, through an index map composed of all gathers in between (−1 = the constant 0).
struct Source {
    int stage = -1;
    bool identity = true;              ///< index[j] == j for every j
    std::vector<std::int32_t> index;   ///< when !identity
};

struct Context {
    Context(const ir::ScPlan& p, CodeWriter& writer) : plan(p), w(writer) {}
    const ir::ScPlan& plan;
    CodeWriter& w;
    bool bipolar = false;
    std::vector<Source> sources;       ///< per stage: its input; sources.back() + 1 entry: the output
    std::vector<bool> out_signed;      ///< per stage: its output has a neg stream in RAM (split-unipolar)
    std::int64_t max_codes = 0;        ///< largest weight-code table of a linear stage (the shared row buffer)
    ResourceEstimate est;
    std::int64_t early_per_cycle = 2;  ///< §9.8: largest |Δ_a − Δ_b| per cycle of the final counts
    std::int64_t count_bound = 0;      ///< largest |count| of a class over L cycles
    int early_every = 64;              ///< SCNN_EARLY_EVERY; a multiple of 8 lets the final stage add whole blocks
    bool block_counts() const { return early_every % 8 == 0; }
    bool input_buffer = true;          ///< the input bytes of a block are kept in RAM (else recomputed)
    int planes_max = 1;                ///< largest bit-sliced counter (planes)
};

Context analyse(const ir::ScPlan& plan, CodeWriter& w);

/// C expressions of input element j (a C expression) of stage k: the pos and neg bytes of this block.
std::string in_pos(const Context& cx, int k, const std::string& j);
std::string in_neg(const Context& cx, int k, const std::string& j);
/// Defines the static inline readers sK_xp(j) / sK_xn(j) used by in_pos/in_neg, and the index map table.
void emit_readers(Context& cx, int k);
/// Whether the input of stage k has a neg stream (bipolar: always).
bool source_signed(const Context& cx, int k);

/// `static const TYPE SCNN_FLASH name[] = {...};` with 16 values a line. Adds to cx.est.tables.
void emit_table(Context& cx, const std::string& type, int bytes, const std::string& name,
                const std::vector<std::int64_t>& values);

/// Generators: state, reset, the per-block r values gN_r[8] (docs/SEMANTICS.md §3).
void emit_generators(Context& cx);
void emit_generator_reset_calls(Context& cx);  ///< body lines of scnn_reset()

/// Stage visitors: one C function `static void scnn_stageK(uint8_t n)` per non-gather stage (n: valid
/// cycles of this block, 1..8), plus its state; and the lines of scnn_reset() for its state.
void emit_stage(Context& cx, int k);
void emit_stage_reset(Context& cx, int k);

/// Linear stages (sc_linear.cpp), their per-cycle neuron (sc_neuron.cpp) and their mux adder (sc_mux.cpp).
void emit_linear(Context& cx, int k);
/// Inputs per output channel of a linear stage (dense: in.size(); conv: C·kh·kw; affine: 1).
std::int64_t per_channel(const ir::PlanStage& s);
/// `static void scnn_sK_out(o, ch, P, N, n)`: the neuron (or final Δ) of output o from counters of `planes`.
void emit_linear_out_fn(Context& cx, int k, int planes);
void emit_mux_tables(Context& cx, int k);
void emit_mux_select(Context& cx, int k);  ///< body lines: sel[0..n) of this block
struct MuxCodes {
    std::string type;      ///< C type of a weight code (an index into scnn_wrow)
    int bytes = 1;         ///< bytes of a bias code in flash (scnn_sK_b)
    bool weight_neg = false, bias_neg = false;  ///< sign tables scnn_sK_sg (bit per weight), scnn_sK_bs
    std::function<std::string(const std::string&)> code_at;  ///< C expression: the code of weight wi (a C expr)
};
void emit_mux_outputs(Context& cx, int k, const MuxCodes& codes);
/// Pooling stages (sc_pool.cpp).
void emit_pool(Context& cx, int k);

/// Final counts: the accumulation of the output into scnn_counts, per lane with early-exit checks.
void emit_output(Context& cx);

/// Input pixel thresholds and the input byte of a pixel in this block.
void emit_input(Context& cx);

}  // namespace scnn::codegen::c
