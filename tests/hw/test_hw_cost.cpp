// codegen/verilog/run/hw_cost.hpp on a small random network: the SC design synthesizes (every linear stage is
// gates, no ROM read at a computed address) with F·L + 1 cycles per inference, and the equal-throughput
// int8 design is the one with the closest cycles (the int8 synthesis itself is tested in test_synth_area).
#include <catch2/catch.hpp>
#include <cstdlib>

#include "codegen/verilog/int8_rtl_plan.hpp"
#include "codegen/verilog/run/hw_cost.hpp"
#include "engine/ref/float_exec.hpp"
#include "tests/rtl/rtl_test_util.hpp"

using namespace scnn;
using namespace scnn::codegen::verilog;

namespace {

ir::ScPlan small_plan(const ir::Network& net) {
    compile::CompileOptions o;
    o.length = 64;
    return test::rtl_plan(net, o);
}

}  // namespace

TEST_CASE("sc_cost synthesizes the SC design of a small plan, folded, with F*L + 1 cycles", "[hw][synth]") {
    const ir::ScPlan plan = small_plan(test::random_net(11, false));
    SynthOptions synth;
    synth.timeout_s = 900;
    const HwCost c = sc_cost(plan, 2, synth);
    CHECK(c.cycles == 2 * 64 + 1);  // docs/RTL.md: F·L + 1 clocks
    CHECK(c.cycles == sc_cycles(plan, 2));
    CHECK(c.synth.area_um2 > 0);
    CHECK(c.synth.flip_flops > 0);
    CHECK(c.synth.hierarchical);  // the synthesis form: its scnn_apc trees are mapped once per width
    CHECK(c.macs == 0);
    CHECK(c.area_cycles() == Approx(c.synth.area_um2 * double(c.cycles)));
}

TEST_CASE("macs_for_cycles picks the int8 design whose cycles are closest, fewer lanes on a tie", "[hw]") {
    const ir::Network net = test::random_net(11, false);
    std::vector<std::vector<float>> inputs;
    for (int i = 0; i < 20; ++i)
        inputs.push_back(test::to_input(test::random_pixels(300 + std::uint32_t(i), std::size_t(net.input.size()))));
    const auto qnet = int8::quantize(net, inputs);
    for (const std::int64_t target : {std::int64_t{1}, sc_cycles(small_plan(net), 1), std::int64_t{100000}}) {
        const int p = macs_for_cycles(qnet, target);
        INFO("target " << target << " cycles: P = " << p);
        const std::int64_t gap = std::llabs(plan_int8_rtl(qnet, p).cycles - target);
        for (int q = 1; q <= kInt8MaxMacs; ++q) {
            const std::int64_t g = std::llabs(plan_int8_rtl(qnet, q).cycles - target);
            CHECK(g >= gap);
            if (q < p) CHECK(g > gap);
        }
    }
}
