// gemmlowp / TFLite fixed-point helpers for integer-only requantization. All functions are integer-only
// and bit-exact with the TFLite reference kernels (tensorflow/lite/kernels/internal/common.h).
#pragma once

#include <cstdint>

namespace scnn::int8 {

/// a*b / 2^31 rounded to nearest, saturating the one overflow case (a == b == INT32_MIN -> INT32_MAX).
/// gemmlowp's SaturatingRoundingDoublingHighMul (ARM VQRDMULH). Note its ties: the nudge of 2^30 (or
/// 1 - 2^30 for a negative product) with truncating division makes ties round toward +infinity
/// (0.5 -> 1, -0.5 -> 0, -1.5 -> -1); equivalently the result is floor((a*b + 2^30) / 2^31).
std::int32_t saturating_rounding_doubling_high_mul(std::int32_t a, std::int32_t b);

/// x / 2^exponent rounded to nearest, ties away from zero (-5/2 -> -3, 5/2 -> 3); exponent in [0, 31]
/// (scnn::Error otherwise). gemmlowp's RoundingDivideByPOT.
std::int32_t rounding_divide_by_pot(std::int32_t x, int exponent);

/// x * multiplier * 2^(shift-31) in TFLite's MultiplyByQuantizedMultiplier form (left shift, then
/// saturating_rounding_doubling_high_mul, then rounding_divide_by_pot): multiplier is a Q0.31 value in
/// [2^30, 2^31) (or 0), shift in [-31, 30] (positive = left shift before the multiply; scnn::Error outside).
/// Two roundings, so the result is within 1 of the exactly rounded product. Where TFLite's 32-bit left
/// shift would overflow (undefined), the shifted value saturates instead.
std::int32_t multiply_by_quantized_multiplier(std::int32_t x, std::int32_t multiplier, int shift);

/// Splits a real multiplier m >= 0 into (multiplier, shift) with m ≈ multiplier * 2^(shift - 31), as TFLite's
/// QuantizeMultiplier (frexp, then round the mantissa to Q0.31): m == 0 -> (0, 0); a mantissa that rounds up
/// to 2^31 becomes (2^30, shift + 1); m < 2^-32 (shift < -31) flushes to (0, 0); m >= 2^30 (shift > 30)
/// saturates to (INT32_MAX, 30). Negative or non-finite m throws scnn::Error.
/// Used once at quantization time (float allowed there, never in the inner loops).
void quantize_multiplier(double m, std::int32_t* multiplier, int* shift);

}  // namespace scnn::int8
