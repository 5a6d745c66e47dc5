// Internal to the int8 C emitter: one writer per layer kind. Each writes the layer's constant tables and
// `static void NAME(const uint8_t *x, uint8_t *y)`, reading activations u = q + 128 from x and writing
// them to y (y == x for the layers int8_plan.hpp runs in place). The arithmetic is engine/int8/int8_exec.cpp's,
// rearranged only where the result is provably the same (see docs/FIRMWARE_INT8.md).
#pragma once

#include <cstdint>
#include <string>

#include "codegen/c/int8_kernels.hpp"
#include "codegen/common/code_writer.hpp"
#include "engine/int8/quantize.hpp"

namespace scnn::codegen::c::int8_detail {

/// What one layer's function needs, for a network: which helpers, and its flash tables in bytes.
void add_needs(const int8::QLayer& q, KernelNeeds& needs);
std::int64_t table_bytes(const int8::QLayer& q);
std::int64_t largest_table_bytes(const int8::QLayer& q);
std::int64_t mac_count(const int8::QLayer& q);

/// Checks the quantized parameters of `q` (sizes, multiplier range, dimensions); throws scnn::Error.
void check_layer(const int8::QLayer& q);

/// Tables and function NAME of one layer (not Reshape). `idx_t` is the C type of flat tensor indices.
void write_layer(CodeWriter& w, const int8::QLayer& q, const std::string& name, const std::string& idx_t);

/// Writers of the weighted layers (int8_layers.cpp) and the others (int8_layers_plain.cpp).
void write_dense(CodeWriter& w, const int8::QLayer& q, const std::string& name);
void write_conv(CodeWriter& w, const int8::QLayer& q, const std::string& name, const std::string& idx_t);
void write_affine(CodeWriter& w, const int8::QLayer& q, const std::string& name, const std::string& idx_t);
void write_pool(CodeWriter& w, const int8::QLayer& q, const std::string& name, const std::string& idx_t);
void write_zero_pad(CodeWriter& w, const int8::QLayer& q, const std::string& name, const std::string& idx_t);
void write_clamp(CodeWriter& w, const int8::QLayer& q, const std::string& name, const std::string& idx_t);
void write_lookup(CodeWriter& w, const int8::QLayer& q, const std::string& name, const std::string& idx_t);

/// The clipped range [k{axis}0, k{axis}1) of kernel offsets inside the image along one axis ("y" or "x"), for
/// output coordinate `o` (a C variable), as three `const int` lines (i{axis}0: the window's first coordinate).
void write_window_clip(CodeWriter& w, const std::string& axis, const std::string& o, int stride, int pad, int k,
                       int size);

/// `text` made safe inside a C comment (no "*/", no control characters).
std::string comment_safe(const std::string& text);

}  // namespace scnn::codegen::c::int8_detail
