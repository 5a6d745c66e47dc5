// Internal to the int8 C emitter: the shared helper functions of a generated scnn_model.c (dot products,
// input sum, requantization) and the constant-table writer. Only the helpers a network uses are written, so
// the generated file compiles with -Wall -Wextra -Werror (no unused static function).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "codegen/common/code_writer.hpp"

namespace scnn::codegen::c::int8_detail {

struct KernelNeeds {
    bool dot_u8 = false;      ///< scnn_dot_u8 and scnn_sum_u8 (dense layers)
    bool acc24 = false;       ///< scnn_acc24_t (conv layers: __int24 on AVR, int32_t elsewhere)
    bool requant = false;     ///< scnn_requant (dense, conv, affine)
    bool left_shift = false;  ///< some channel has a positive shift (real multiplier >= 1)
};

void write_kernels(CodeWriter& w, const KernelNeeds& needs);

/// `static const CTYPE SCNN_FLASH NAME[n] = { ... };` with 16 values per line; `comment` above it.
void write_table(CodeWriter& w, const std::string& comment, const std::string& ctype, const std::string& name,
                 const std::vector<std::int64_t>& values);

/// The narrowest unsigned C type that counts to `n` inclusive ("uint8_t", "uint16_t", "uint32_t").
std::string count_type(std::int64_t n);

/// A C literal for an int32 value (INT32_MIN written as an expression).
std::string int32_literal(std::int64_t v);

}  // namespace scnn::codegen::c::int8_detail
