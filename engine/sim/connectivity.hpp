// Wiring of plan stages (docs/SEMANTICS.md §9): which input element feeds which output element through
// which weight. Shared by the reference and the fast simulator (it is geometry, not arithmetic).
#pragma once

#include <cstdint>
#include <vector>

#include "engine/ir/sc_plan.hpp"

namespace scnn::sim {

struct Conn {
    std::int32_t input;   ///< input element (flat C×H×W index)
    std::int32_t weight;  ///< index into PlanStage::weights
};

/// For every output element of a linear stage: its connections in ascending (input) order, zero weights
/// included. Conv padding cells have no connection (they carry constant 0).
std::vector<std::vector<Conn>> linear_connections(const ir::PlanStage& s);

/// For every output element of a pooling stage: its window's input elements (padding cells left out) and
/// the divisor n of an average pool (window area with count_include_pad, else real cells).
struct Window {
    std::vector<std::int32_t> inputs;
    std::int32_t divisor = 1;
};
std::vector<Window> pool_windows(const ir::PlanStage& s);

/// Weights per output channel P of a linear stage (dense: inputs, conv: in.c·kh·kw, affine: 1). The mux adder
/// of an output selects among P + 1 slots: its channel's weights in layout order, then the bias (slot P).
std::int64_t weights_per_channel(const ir::PlanStage& s);

/// mux: for every output element, the input element behind each of its P weight slots (−1: padding cell).
std::vector<std::vector<std::int32_t>> mux_slots(const ir::PlanStage& s);

/// The mux select slot of generator value r (range m) among n slots: floor(r·n / m).
inline std::int64_t mux_select(std::uint32_t r, std::int64_t n, std::int64_t m) { return std::int64_t(r) * n / m; }

/// Output channel of output element o (dense: o itself).
inline int channel_of(const ir::PlanStage& s, std::int64_t o) {
    return s.kind == ir::StageKind::dense ? int(o) : int(o / (std::int64_t{s.out.h} * s.out.w));
}

}  // namespace scnn::sim
