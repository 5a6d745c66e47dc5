// Cases of the rtl/ module bench (unit_bench.hpp): random parameters, stimulus, and the outputs the
// engine's primitives give for that stimulus.
//   combinational_cases: scnn_sng_cmp (sc::generate_packed on real generators), scnn_product
//     (sc::split_multiply, sc::gate_xnor), scnn_apc (sc::apc_counts), scnn_or_adder (sc::gate_or),
//     scnn_mux_adder (sc::mux_add), scnn_mux_select (sc::mux_select_sequence), scnn_out_counter
//     (sc::SaturatingCounter)
//   state_cases: scnn_fsm_neuron (sc::Stanh, sc::Btanh, and the general §9.3 fsm rule on
//     sc::SaturatingCounter), scnn_ds_neuron (sc::HardTanh, and the §9.3 delta-sigma rule on
//     sc::SaturatingCounter), scnn_maxpool_pe and scnn_avgpool_pe (the §9.4 rules: engine/sc has no
//     primitive for the running-max counter or the delta-sigma mean, so the test states them literally)
#pragma once

#include <random>
#include <vector>

#include "tests/rtl/unit_bench.hpp"

namespace scnn::test::rtl {

std::vector<UnitCase> combinational_cases(std::mt19937& rng, int cycles, int per_module);
std::vector<UnitCase> state_cases(std::mt19937& rng, int cycles, int per_module);

}  // namespace scnn::test::rtl
