// gemmlowp / TFLite fixed-point helpers for integer-only requantization. All functions are integer-only
// and bit-exact with the TFLite reference kernels (tensorflow/lite/kernels/internal/common.h).
#pragma once

#include <cstdint>

namespace scnn::int8 {

/// round(a*b / 2^31) with round-half-away-from-zero, saturating the one overflow case
/// (a == b == INT32_MIN -> INT32_MAX). gemmlowp's SaturatingRoundingDoublingHighMul.
std::int32_t saturating_rounding_doubling_high_mul(std::int32_t a, std::int32_t b);

/// x / 2^exponent rounded to nearest, ties away from zero; exponent in [0, 31]. gemmlowp's RoundingDivideByPOT.
std::int32_t rounding_divide_by_pot(std::int32_t x, int exponent);

/// x * multiplier * 2^shift in TFLite's MultiplyByQuantizedMultiplier form: multiplier is a Q0.31 value in
/// [2^30, 2^31) (or 0), shift in [-31, 30] (positive = left shift before the multiply).
std::int32_t multiply_by_quantized_multiplier(std::int32_t x, std::int32_t multiplier, int shift);

/// Splits a real multiplier m >= 0 into (multiplier, shift) with m ≈ multiplier * 2^(shift - 31).
/// Used once at quantization time (float allowed there, never in the inner loops).
void quantize_multiplier(double m, std::int32_t* multiplier, int* shift);

}  // namespace scnn::int8
