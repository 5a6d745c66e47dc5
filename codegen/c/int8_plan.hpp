// Internal to the int8 C emitter: where every activation tensor of the generated code lives.
// The generated code keeps activations offset-binary (u = q + 128, uint8) in one static arena. A layer that
// can run in place (element-wise layers, pooling without padding) writes over its input; any other layer
// writes to the opposite end of the arena from its input. The arena is therefore the largest
// (input bytes + output bytes) over the out-of-place layers, and never smaller than one tensor.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/int8/quantize.hpp"

namespace scnn::codegen::c::int8_detail {

/// A tensor: the caller's `pixels` (read-only input) or bytes [offset, offset + size) of the arena.
struct Slot {
    bool pixels = false;
    std::int64_t offset = 0;
    std::int64_t size = 0;
};

/// One generated layer call: qnet.layers[layer] reads `in` and writes `out` (Reshape layers have none).
struct Step {
    std::size_t layer = 0;
    Slot in, out;
};

struct ArenaPlan {
    std::array<std::uint8_t, 256> input_lut{};  ///< pixel -> u = q + 128, as int8::quantize_input maps it
    bool identity_lut = false;                  ///< input_lut[p] == p: layers read `pixels` directly
    Slot input;                                 ///< where the quantized input is (pixels, or the arena)
    std::vector<Step> steps;                    ///< in execution order
    Slot output;                                ///< the logits
    std::int64_t arena_bytes = 0;               ///< >= 1
};

/// Plans the arena of `qnet`. Throws scnn::Error on inconsistent shapes.
ArenaPlan plan_arena(const int8::QuantizedNetwork& qnet);

/// True for layers the generated code computes over their own input: element-wise layers (output i reads
/// input i only) and pooling without padding (output o reads only input indices >= o, see int8_plan.cpp).
bool runs_in_place(const ir::Op& op);

}  // namespace scnn::codegen::c::int8_detail
