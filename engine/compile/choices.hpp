// Per-linear-stage compile choices (--adder, --neuron, --sng, --width as one value or a comma list) and the
// generator allocation of docs/SEMANTICS.md §9.5. Internal to the compiler.
#pragma once

#include <string>
#include <vector>

#include "engine/compile/compiler.hpp"
#include "engine/ir/sc_plan.hpp"

namespace scnn::compile::detail {

/// "a,b,c" → {"a", "b", "c"}; "" → {""}.
std::vector<std::string> split_list(const std::string& s);

/// One option's entries: one for every linear stage, or one per linear stage in order.
struct Choices {
    const char* option;  ///< "--adder", for messages
    std::vector<std::string> list;
    std::size_t used = 0;
    std::string next();        ///< the entry of the next linear stage
    void check_count() const;  ///< throws scnn::Error when a list's length is not the number of stages
};

/// A --width entry: an integer 3 .. 16, else scnn::Error.
unsigned parse_width(const std::string& w);

/// The generator with plan index `index` (0 = the inputs'): Sobol/Halton dimension, LFSR polynomial, seed and
/// rotation, and the bipolar rotation (§9.5).
ir::PlanGenerator allocate_generator(const CompileOptions& o, const std::string& kind_name, unsigned width,
                                     unsigned index);

/// M: the range of a generator (2^width, or b^k for Halton); every threshold lies in [0, M].
std::int64_t generator_range(const ir::PlanGenerator& g);

/// SEMANTICS §2.2 on a signed probability p in [−1, 1] (clamped), range m: signed threshold.
std::int32_t threshold(double p, std::int64_t m);
/// The threshold of value v in [−1, 1] in the plan's encoding: signed |v| (split-unipolar) or (v + 1)/2.
std::int32_t encode(double v, std::int64_t m, bool bipolar);

}  // namespace scnn::compile::detail
