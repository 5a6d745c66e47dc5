// scnn::codegen::c::emit_int8 — the int8 network (engine/int8, TFLite integer-only semantics) as C99 for
// MCUs, written to the one model API (firmware/runtime/scnn_model_api.h, SCNN_MODE_INT8):
//   int scnn_infer(const uint8_t *pixels, int32_t *out)
// pixels: SCNN_INPUT_SIZE bytes 0..255 (CHW, as the host reads them); out: SCNN_CLASSES int8 logits widened
// to int32, equal to int8::run(qnet, int8::quantize_input(qnet, ref::pixels_to_input(pixels))) on every
// image; returns their argmax (ties to the lowest index).
//
// What the generated code is (docs/FIRMWARE_INT8.md has the why and the measured figures):
// - weights (int8), biases with the input zero point folded in (int32), requantization multipliers (int32,
//   Q0.31) and shifts (int8) are constant tables in flash (SCNN_FLASH, read with SCNN_RD_*);
// - activations are stored offset-binary (u = q + 128, uint8 0..255) in one static arena of
//   max over layers of (input bytes + output bytes) (in-place layers count once); the input is read from
//   `pixels` directly when the pixel -> int8 map is q = p - 128 (pixel/255 with scale 1/255, zero point
//   -128), else through a 256-byte table into the arena;
// - MACs: an unsigned activation times a weight (dense: weight + 128, so unsigned x unsigned); on AVR into
//   24-bit accumulators (the dense loop and the requantization's high multiply in inline assembly, C with
//   -DSCNN_INT8_NO_ASM), 32-bit elsewhere; requantization as fixed_point.hpp (saturating left shift,
//   rounding doubling high multiply, rounding divide by a power of two); no malloc, no float, no division in
//   the MAC loops.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "engine/int8/quantize.hpp"

namespace scnn::codegen::c {

struct Int8EmitOptions {
    std::string command = "scnn emit-c --mode int8";  ///< the command named in every file's stamp
};

/// RAM and flash the generated model needs, known before building (the linker has the final word).
struct Int8Footprint {
    std::int64_t arena_bytes = 0;        ///< the static activation arena (.bss), bytes
    std::int64_t table_bytes = 0;        ///< constant tables in flash (weights, biases, multipliers, LUTs), bytes
    std::int64_t macs = 0;               ///< multiply-accumulates per inference
    bool reads_pixels_directly = false;  ///< the first layer reads `pixels` (no input copy in the arena)
};

/// Generated files, name -> text: "scnn_model.h" and "scnn_model.c". They include "scnn_port.h" and
/// "scnn_model_api.h" (firmware/runtime/). Throws scnn::Error for a network the emitter cannot write
/// (inconsistent parameters, a dimension above 32767, a tensor above 2^31 bytes).
std::map<std::string, std::string> emit_int8(const int8::QuantizedNetwork& qnet, const Int8EmitOptions& options = {});

/// The footprint of what emit_int8 writes for `qnet`.
Int8Footprint int8_footprint(const int8::QuantizedNetwork& qnet);

}  // namespace scnn::codegen::c
