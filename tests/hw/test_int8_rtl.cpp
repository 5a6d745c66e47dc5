// The int8 RTL baseline against the int8 executor, in Verilator: equal logits and class on every image,
// and the controller's cycle count equal to the plan's formula.
#include <catch2/catch.hpp>

#include "codegen/verilog/int8_emit.hpp"
#include "codegen/verilog/run/int8_verilator.hpp"
#include "engine/ir/error.hpp"
#include "tests/hw/hw_test_util.hpp"

using namespace scnn;
using namespace scnn::codegen::verilog;

namespace {

Int8RtlRunResult run_model(const int8::QuantizedNetwork& qnet, int macs, std::int64_t images) {
    const Int8Rtl plan = plan_int8_rtl(qnet, macs);
    const io::Dataset data = io::load_dataset("fashion-mnist", images);
    Int8RtlRunOptions o;
    o.cache_dir = hw::test::test_cache();
    o.command = "test_hw_int8_rtl";
    return run_int8_rtl(qnet, plan, data, 0, o);
}

}  // namespace

TEST_CASE("int8 RTL of fmnist_tiny equals the int8 executor", "[hw][int8][rtl]") {
    const auto qnet = hw::test::quantized_model("fmnist_tiny");
    for (const int macs : {16, 7}) {
        const auto r = run_model(qnet, macs, 30);
        INFO("P = " << macs << ", first mismatch: image " << r.first_mismatch_image << " class "
                    << r.first_mismatch_class << ": RTL " << r.first_mismatch_rtl << ", expected "
                    << r.first_mismatch_expected);
        CHECK(r.images == 30);
        CHECK(r.mismatches == 0);
        CHECK(r.cycles_per_inference == r.predicted_cycles);
    }
}
