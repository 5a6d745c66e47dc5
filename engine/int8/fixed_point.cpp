#include "engine/int8/fixed_point.hpp"

#include <cmath>
#include <limits>

#include "engine/ir/error.hpp"

namespace scnn::int8 {

namespace {
constexpr std::int32_t kInt32Min = std::numeric_limits<std::int32_t>::min();
constexpr std::int32_t kInt32Max = std::numeric_limits<std::int32_t>::max();
}  // namespace

std::int32_t saturating_rounding_doubling_high_mul(std::int32_t a, std::int32_t b) {
    // gemmlowp: the only product that does not fit after doubling is INT32_MIN * INT32_MIN.
    if (a == kInt32Min && b == kInt32Min) return kInt32Max;
    const std::int64_t ab = std::int64_t{a} * std::int64_t{b};
    // Add half of 2^31 (or just under half for negative products) and divide truncating toward zero.
    const std::int64_t nudge = ab >= 0 ? (std::int64_t{1} << 30) : (1 - (std::int64_t{1} << 30));
    return static_cast<std::int32_t>((ab + nudge) / (std::int64_t{1} << 31));
}

std::int32_t rounding_divide_by_pot(std::int32_t x, int exponent) {
    if (exponent < 0 || exponent > 31) throw Error("rounding_divide_by_pot: exponent must be in [0, 31]");
    // The masks are built in 64 bits so that exponent 31 needs no signed overflow; the result is the same
    // as gemmlowp's 32-bit formula: (x >> e) + (remainder > threshold).
    const std::int64_t mask = (std::int64_t{1} << exponent) - 1;
    const std::int64_t remainder = std::int64_t{x} & mask;
    const std::int64_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return static_cast<std::int32_t>((std::int64_t{x} >> exponent) + (remainder > threshold ? 1 : 0));
}

std::int32_t multiply_by_quantized_multiplier(std::int32_t x, std::int32_t multiplier, int shift) {
    const int left_shift = shift > 0 ? shift : 0;
    const int right_shift = shift > 0 ? 0 : -shift;
    if (left_shift > 30 || right_shift > 31)
        throw Error("multiply_by_quantized_multiplier: shift must be in [-31, 30]");
    // TFLite computes x * 2^left_shift in 32 bits (undefined on overflow); we saturate instead, which is
    // identical whenever TFLite's result is defined.
    std::int64_t shifted = std::int64_t{x} * (std::int64_t{1} << left_shift);
    if (shifted > kInt32Max) shifted = kInt32Max;
    if (shifted < kInt32Min) shifted = kInt32Min;
    return rounding_divide_by_pot(saturating_rounding_doubling_high_mul(static_cast<std::int32_t>(shifted), multiplier),
                                  right_shift);
}

void quantize_multiplier(double m, std::int32_t* multiplier, int* shift) {
    if (!std::isfinite(m) || m < 0) throw Error("quantize_multiplier: the multiplier must be finite and >= 0");
    if (m == 0.0) {
        *multiplier = 0;
        *shift = 0;
        return;
    }
    int exponent = 0;
    const double q = std::frexp(m, &exponent);  // m = q * 2^exponent, q in [0.5, 1)
    auto q_fixed = static_cast<std::int64_t>(std::round(q * double(std::int64_t{1} << 31)));
    if (q_fixed == (std::int64_t{1} << 31)) {  // q rounded up to 1.0: renormalize to 0.5 * 2^(exponent+1)
        q_fixed /= 2;
        ++exponent;
    }
    if (exponent < -31) {  // every bit would be shifted out: flush to zero as TFLite does
        exponent = 0;
        q_fixed = 0;
    }
    if (exponent > 30) {  // beyond the left-shift range: saturate as TFLite does
        exponent = 30;
        q_fixed = kInt32Max;
    }
    *multiplier = static_cast<std::int32_t>(q_fixed);
    *shift = exponent;
}

}  // namespace scnn::int8
