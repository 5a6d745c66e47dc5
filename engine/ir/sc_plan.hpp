// scnn::ir::ScPlan — a compiled stochastic-computing plan: plain data, no I/O, no SC code. Everything a
// backend (host simulator, C emitter, Verilog emitter) needs is here as integers; the bit-level meaning of
// every field is docs/SEMANTICS.md §9 ("SC plans and their streaming execution").
//
// A plan is a list of stages that all advance cycle by cycle (t = 0 .. length-1). Every signal between
// stages carries a per-cycle value e(t) in {-1, 0, +1}:
//  * split-unipolar (default): a pair of streams, e = pos - neg; a stage whose output is never negative has
//    `signed_out == false` and its neg streams are all zero;
//  * bipolar: one stream b, e = 2b - 1 (the simulators carry it as the pair pos = b, neg = not b); a padding
//    cell is the value 0 (no wire) in both encodings.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/ir/network.hpp"

namespace scnn::ir {

inline constexpr int kScPlanVersion = 3;  ///< versions 1 (no encoding, adder, neuron kind) and 2 (no
                                          ///< early_exit_every) still load with the defaults

/// One generator register, mirroring scnn::sc::SngConfig (docs/SEMANTICS.md §3.0). `kind` is the SngKind
/// name ("sobol", "lfsr", "lfsr-galois", "halton", "ramp", "random").
struct PlanGenerator {
    std::string kind = "sobol";
    unsigned width = 8;        ///< n, 3 .. 32
    std::uint32_t poly = 0;    ///< LFSR tap mask (0 = table entry)
    std::uint32_t seed = 1;    ///< LFSR seed / mt19937 seed
    unsigned dimension = 1;    ///< Sobol dimension 1 .. 32, Halton base index 1 .. 16
    std::uint64_t offset = 0;  ///< cycles skipped at reset
    unsigned rotate = 0;       ///< output rotation
    bool operator==(const PlanGenerator&) const = default;
};

enum class StageKind { dense, conv, affine, max_pool, avg_pool, gather };

/// One stage. Fields not used by a kind stay at their defaults.
struct PlanStage {
    StageKind kind = StageKind::dense;
    std::string name;  ///< the IR layer(s) it came from, for messages
    Shape in, out;

    // ---- linear stages (dense, conv, affine): products, an adder, an integer neuron ----
    /// Weight thresholds on the weight generator (range M). split-unipolar: signed, |T| ≤ M, weight stream
    /// = r_w(t) < |T|, wired into the pos (T > 0) or neg (T < 0) half of the product. bipolar: 0 ≤ T ≤ M,
    /// weight stream b_w = r_w(t) < T carries e_w = 2·b_w − 1. Layout as ir::Dense / ir::Conv2d weights;
    /// affine: one per channel.
    std::vector<std::int32_t> weights;
    /// Signed bias thresholds, one per output channel (the bias is an APC input whose x stream is all 1).
    std::vector<std::int32_t> bias;
    int weight_gen = 0;  ///< index into ScPlan::generators (weights and biases of this stage share it)
    std::string adder = "apc";  ///< "apc" (exact count), "mux" (one input per cycle), "or" (split-unipolar only)
    int select_gen = -1;        ///< mux: the generator of the select index, else -1
    std::string neuron = "delta-sigma";  ///< "delta-sigma" (saturating counter with feedback) or "fsm" (Btanh/Stanh)
    // conv geometry (kind == conv): weights [out.c][in.c][kh][kw]
    int kh = 1, kw = 1, stride_h = 1, stride_w = 1, pad_top = 0, pad_left = 0;
    // neuron (docs/SEMANTICS.md §9.3): delta-sigma: acc += d·Δ(t) − k·y(t); fsm: acc += d·Δ(t)
    bool final = false;                     ///< last stage: the per-class count Σ_t Δ(t) is the output, no stream
    bool signed_out = false;                ///< emits a neg stream too (identity, hard tanh, tanh layers)
    std::vector<std::int64_t> k;            ///< per output channel, ≥ 1 (empty for a final stage)
    std::int64_t d = 256;                   ///< fixed-point gain of Δ (mux: includes the fan-in N)
    std::int64_t acc_min = 0, acc_max = 0;  ///< accumulator clamp (inclusive)

    // ---- pooling (max_pool: running-max counter; avg_pool: delta-sigma mean) ----
    int pool_kh = 1, pool_kw = 1, pool_sh = 1, pool_sw = 1, pool_pad_top = 0, pool_pad_left = 0;
    bool count_include_pad = false;

    // ---- gather (flatten, reshape, zero pad): out[i] = in[index[i]], or constant 0 when index[i] < 0 ----
    std::vector<std::int32_t> index;

    // ---- informative (not used by backends) ----
    double in_scale = 1;     ///< real value of a stream that is all ones, at the input
    double out_scale = 1;    ///< same at the output (final stage: real value of one count unit ÷ length)
    std::string activation;  ///< "relu", "clip", "hardtanh", "tanh~hardtanh", "sigmoid~clip", "identity"
};

struct ScPlan {
    int version = kScPlanVersion;
    std::string encoding = "split-unipolar";  ///< or "bipolar" (every stream of the plan)
    std::string model;          ///< model path or name it was compiled from
    std::int64_t length = 256;  ///< L, cycles per inference
    /// Early termination (docs/SEMANTICS.md §9.8): the final counts are checked after every K cycles
    /// (t_e = K, 2K, … < L); 1 .. 2^20. Backends stop on the same cycle as the host.
    std::int64_t early_exit_every = 64;
    Shape input;
    /// Input pixel p (0–255) → unipolar threshold input_thresholds[p] on generator input_gen.
    std::vector<std::int32_t> input_thresholds;
    int input_gen = 0;
    std::vector<PlanGenerator> generators;
    /// The output is the per-class count: Σ_t Δ(t) of the last stage when it is a `final` linear stage,
    /// else Σ_t e(t) of the last stage's output streams (a network that ends in pooling).
    std::vector<PlanStage> stages;
    std::string tie_rule = "lowest-index";  ///< argmax of the final counts; ties go to the lowest class
    double mean_abs_scc = 0;                ///< measured mean |SCC| of stream pairs that must be independent
    std::int64_t scc_pairs = 0;
    std::string options;  ///< the compile options, human-readable
};

std::string stage_kind_name(StageKind k);
StageKind parse_stage_kind(const std::string& s);  ///< throws scnn::Error

inline bool is_linear(StageKind k) { return k == StageKind::dense || k == StageKind::conv || k == StageKind::affine; }

/// Number of output channels of a linear stage (dense: out.c; conv/affine: out.c).
int output_channels(const PlanStage& s);

/// Structural checks (sizes of every vector against shapes, indices in range); throws scnn::Error naming
/// the stage and field.
void validate(const ScPlan& plan);

}  // namespace scnn::ir
