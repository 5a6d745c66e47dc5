// Error study of one SC operation over random operand values (the library side of `scnn error-study`,
// docs/SC_ENGINE.md).
//
// For each of `pairs` pairs: draw operand values uniformly over the encoding range (boost mt19937_64 seeded
// with `seed`), quantize each to its generator's threshold, take the exact result from the quantized
// values, run the SC operation over `length` cycles and decode. Deterministic generators restart at
// cycle 0 for every pair (as a layer does at every inference); the true-random generator runs on.
//   mul      unipolar AND / bipolar XNOR               exact: a·b
//   add      OR (approximate adder)                    exact: a + b saturated to the encoding range
//   mux-add  2-input MUX, select from sng_select       exact: (a + b) / 2
//   stanh    Stanh(states) of operand a (bipolar)      exact: tanh(states · a / 2)
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/sc/encoding.hpp"
#include "engine/sc/sng_config.hpp"

namespace scnn::sc {

enum class StudyOp : std::uint8_t { mul, add, mux_add, stanh };

std::string_view study_op_name(StudyOp op);
StudyOp parse_study_op(std::string_view name);  // mul | add | mux-add | stanh; scnn::Error otherwise

struct ErrorStudyConfig {
    StudyOp op = StudyOp::mul;
    Encoding encoding = Encoding::unipolar;
    SngConfig sng_a;
    SngConfig sng_b;
    SngConfig sng_select;       // mux-add only
    bool share = false;         // operand b uses operand a's generator (same r(t))
    std::uint64_t length = 256; // cycles per pair, 1 .. 2^24
    std::uint64_t pairs = 10000;  // 1 .. 10^8
    std::uint64_t seed = 1;
    std::uint32_t states = 8;   // stanh K
};

struct ErrorStudyResult {
    double mse = 0.0;           // mean of (sc - exact)^2
    double bias = 0.0;          // mean of (sc - exact)
    double mse_stderr = 0.0;    // standard error of the mse estimate
    double mean_abs_scc = 0.0;  // mean |SCC(a, b)| over pairs where neither stream is constant (SCC is
                                //   undefined there); NaN for stanh (one operand) or if no pair qualifies
    std::uint64_t length = 0;
    std::uint64_t pairs = 0;
};

// Default width for a stream length: ceil(log2 L) clamped to 3 .. 32 (one period per stream for
// power-of-two lengths).
unsigned default_width(std::uint64_t length);

// The study's default generator of a family for operand `role` (0 = a, 1 = b, 2 = MUX select), so that the
// three are distinct members of one family: Sobol dimensions 1, 2, 3; Halton bases 2, 3, 5; the table LFSR
// from seed 1 with offsets 0, P/3, 2P/3 (P = 2^n - 1); ramp rotated by 0, n/2, n-1 bits; random seeds
// seed+1, seed+2, seed+3.
SngConfig study_generator(SngKind kind, unsigned width, unsigned role, std::uint64_t seed);

ErrorStudyResult run_error_study(const ErrorStudyConfig& config);

}  // namespace scnn::sc
