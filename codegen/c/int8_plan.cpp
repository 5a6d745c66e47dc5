#include "codegen/c/int8_plan.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "engine/int8/int8_exec.hpp"
#include "engine/ir/error.hpp"
#include "engine/ref/float_exec.hpp"

namespace scnn::codegen::c::int8_detail {

namespace {

/// Which end of the arena a tensor is aligned to; the planner alternates ends for out-of-place layers.
enum class Side { Pixels, Low, High };

/// The pixel -> u table: int8::quantize_input of ref::pixels_to_input, the host's own input path.
std::array<std::uint8_t, 256> input_table(const int8::QuantizedNetwork& qnet) {
    const auto n = std::size_t(qnet.input.size());
    std::array<std::uint8_t, 256> lut{};
    for (std::size_t first = 0; first < 256; first += n) {  // images of n pixels cover 0..255
        std::vector<std::uint8_t> image(n);
        for (std::size_t i = 0; i < n; ++i) image[i] = std::uint8_t((first + i) % 256);
        const auto q = int8::quantize_input(qnet, ref::pixels_to_input(image));
        for (std::size_t i = 0; i < n && first + i < 256; ++i) lut[first + i] = std::uint8_t(int(q[i]) + 128);
    }
    return lut;
}

bool is_padded(const ir::Pool& p) { return p.pad_top || p.pad_left || p.pad_bottom || p.pad_right; }

}  // namespace

bool runs_in_place(const ir::Op& op) {
    // Pooling without padding: output o = (c*OH + oy)*OW + ox reads input (c*H + oy*s + ky)*W + ox*s + kx
    // >= o (H >= OH, W >= OW, s >= 1), so writing y[o] never overwrites an input a later output reads.
    if (const auto* p = std::get_if<ir::Pool>(&op)) return !is_padded(*p);
    return std::holds_alternative<ir::Relu>(op) || std::holds_alternative<ir::Clip>(op) ||
           std::holds_alternative<ir::Tanh>(op) || std::holds_alternative<ir::Sigmoid>(op) ||
           std::holds_alternative<ir::Affine>(op);
}

ArenaPlan plan_arena(const int8::QuantizedNetwork& qnet) {
    ArenaPlan plan;
    plan.input_lut = input_table(qnet);
    plan.identity_lut = true;
    for (int p = 0; p < 256; ++p) plan.identity_lut = plan.identity_lut && plan.input_lut[std::size_t(p)] == p;

    // Pass 1: sides and the arena size they need.
    struct Placed {
        Side side;
        std::int64_t size;
    };
    std::vector<Placed> tensors;  // tensors[0] = input, then one per step
    std::int64_t need = 1;
    tensors.push_back({plan.identity_lut ? Side::Pixels : Side::Low, qnet.input.size()});
    if (!plan.identity_lut) need = std::max(need, qnet.input.size());
    std::vector<std::size_t> step_layers;
    for (std::size_t i = 0; i < qnet.layers.size(); ++i) {
        const auto& layer = qnet.layers[i].layer;
        if (layer.in.size() != tensors.back().size) {
            throw Error(fmt::format("layer '{}' expects {} values but receives {}", layer.name, layer.in.size(),
                                    tensors.back().size));
        }
        if (std::holds_alternative<ir::Reshape>(layer.op)) {
            tensors.back().size = layer.out.size();
            continue;
        }
        const Side in = tensors.back().side;
        const std::int64_t s_in = layer.in.size(), s_out = layer.out.size();
        Side out = Side::Low;
        if (in == Side::Pixels) {
            need = std::max(need, s_out);
        } else if (runs_in_place(layer.op) && (in == Side::Low || s_out == s_in)) {
            out = in;  // a shrinking in-place layer keeps offset 0 only on the low side
            need = std::max(need, s_in);
        } else {
            out = in == Side::Low ? Side::High : Side::Low;
            need = std::max(need, s_in + s_out);
        }
        tensors.push_back({out, s_out});
        step_layers.push_back(i);
    }
    if (need >= (std::int64_t{1} << 31)) throw Error(fmt::format("int8 C: the activations need {} bytes", need));
    plan.arena_bytes = need;

    // Pass 2: offsets.
    const auto slot = [&](const Placed& t) {
        if (t.side == Side::Pixels) return Slot{true, 0, t.size};
        return Slot{false, t.side == Side::Low ? 0 : need - t.size, t.size};
    };
    plan.input = slot(tensors.front());
    for (std::size_t k = 0; k < step_layers.size(); ++k) {
        Slot in = slot(tensors[k]);
        in.size = qnet.layers[step_layers[k]].layer.in.size();  // after any Reshape in between
        plan.steps.push_back({step_layers[k], in, slot(tensors[k + 1])});
    }
    plan.output = slot(tensors.back());
    return plan;
}

}  // namespace scnn::codegen::c::int8_detail
