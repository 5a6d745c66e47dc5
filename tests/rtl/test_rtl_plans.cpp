// Generated SC designs against the host simulator: every stage kind, encoding, adder, neuron and generator
// kind on small random plans, in the parallel form and folded, image by image and class by class.
// The option sweep runs in iverilog (quick builds); one plan runs in Verilator (the main flow, and its build
// cache).
#include <catch2/catch.hpp>

#include "codegen/verilog/run/rtl_build.hpp"
#include "codegen/verilog/run/rtl_runner.hpp"
#include "codegen/verilog/sc_emitter.hpp"
#include "engine/sim/simulate.hpp"
#include "tests/rtl/rtl_test_util.hpp"
#include "tests/support/run_command.hpp"

using namespace scnn;

namespace {

struct Case {
    const char* what;
    int net;  // 0 dense, 1 conv, 2 pooled tail (max), 3 pooled tail (average)
    const char* encoding;
    const char* adder;
    const char* neuron;
    const char* sng;
    const char* width;
    std::int64_t length;
    int fold;
};

ir::Network net_of(int kind, std::uint32_t seed) {
    if (kind <= 1) return test::random_net(seed, kind == 1);
    return test::random_pooled_tail_net(seed, kind == 2);
}

codegen::verilog::RtlRunResult run_case(const Case& c, const std::string& cache, const std::string& simulator,
                                        int images, std::int64_t margin = -1,
                                        codegen::verilog::ScForm form = codegen::verilog::ScForm::simulation) {
    compile::CompileOptions o;
    o.encoding = c.encoding;
    o.adder = c.adder;
    o.neuron = c.neuron;
    o.sng = c.sng;
    o.width = c.width;
    o.length = c.length;
    const auto plan = test::rtl_plan(net_of(c.net, 7), o);
    codegen::verilog::RtlRunOptions r;
    r.fold = c.fold;
    r.form = form;
    r.simulator = simulator;
    r.cache_dir = cache;
    r.early_margin = margin;
    r.jobs = 1;
    return codegen::verilog::run_rtl(plan, test::rtl_images(plan, images, 40), r);
}

// Every stage kind, encoding, adder, neuron and generator kind, parallel and folded.
const Case kSweep[] = {
        {"conv, split-unipolar, apc, delta-sigma, sobol", 1, "split-unipolar", "apc", "delta-sigma", "sobol", "8", 100, 1},
        {"conv folded, mux + stanh, lfsr", 1, "split-unipolar", "mux", "stanh", "lfsr", "7", 70, 3},
        {"conv, bipolar, apc + btanh, halton", 1, "bipolar", "apc", "btanh", "halton", "8", 90, 1},
        {"dense folded, or adder, lfsr-galois", 0, "split-unipolar", "or", "delta-sigma", "lfsr-galois", "6", 80, 2},
        {"dense, bipolar, mux, ramp", 0, "bipolar", "mux", "delta-sigma", "ramp", "5", 64, 1},
        {"dense, mixed adders and widths", 0, "split-unipolar", "apc,mux,apc", "delta-sigma,stanh,delta-sigma", "sobol",
         "8,5,9", 75, 1},
        {"pooled tail (max), ramp, folded", 2, "split-unipolar", "apc", "delta-sigma", "ramp", "8", 60, 4},
        {"pooled tail (average), bipolar", 3, "bipolar", "apc", "delta-sigma", "sobol", "8", 50, 1},
        {"pooled tail (average) folded", 3, "split-unipolar", "apc", "delta-sigma", "lfsr", "10", 66, 2},
};

void sweep(codegen::verilog::ScForm form) {
    test::TempDir cache;
    for (const auto& c : kSweep) {
        SECTION(c.what) {
            const auto r = run_case(c, cache.path.string(), "iverilog", 2, -1, form);
            INFO(c.what << ": first mismatch image " << r.first_image << " class " << r.first_class << " host "
                        << r.expected << " rtl " << r.got);
            CHECK(r.images == 2);
            CHECK(r.mismatches == 0);
            CHECK(r.sc_cycles_per_inference == Approx(double(c.length)));
            CHECK(r.clock_cycles_per_inference == Approx(double(c.fold * c.length + 1)));
        }
    }
}

}  // namespace

TEST_CASE("SC RTL equals the host simulator on every stage kind and option (iverilog)", "[rtl][cross]") {
    sweep(codegen::verilog::ScForm::simulation);
}

// The synthesis form (constants wired into gates, scnn_apc trees) is what scnn area measures: it must be the
// same circuit.
TEST_CASE("SC RTL synthesis form equals the host simulator on every stage kind and option (iverilog)",
          "[rtl][cross]") {
    sweep(codegen::verilog::ScForm::synthesis);
}

TEST_CASE("SC RTL early termination stops where the host simulator stops (iverilog)", "[rtl][cross]") {
    test::TempDir cache;
    const Case c{"dense early", 0, "split-unipolar", "apc", "delta-sigma", "sobol", "8", 200, 2};
    for (std::int64_t margin : {0, 3}) {
        const auto r = run_case(c, cache.path.string(), "iverilog", 3, margin);
        INFO("margin " << margin);
        CHECK(r.mismatches == 0);
        CHECK(r.sc_cycles_per_inference <= 200.0);
    }
}

TEST_CASE("SC RTL in Verilator equals the host simulator, and a second run reuses the build", "[rtl][cross]") {
    test::TempDir cache;
    const Case c{"conv in verilator", 1, "split-unipolar", "apc", "delta-sigma", "sobol", "8", 100, 2};
    const auto first = run_case(c, cache.path.string(), "verilator", 3);
    CHECK(first.built);
    CHECK(first.mismatches == 0);
    const auto second = run_case(c, cache.path.string(), "verilator", 3);
    CHECK_FALSE(second.built);
    CHECK(second.mismatches == 0);
}

TEST_CASE("emitted designs are verilator --lint-only -Wall clean", "[rtl][cross]") {
    const Case cases[] = {
        {"conv", 1, "split-unipolar", "apc", "delta-sigma", "sobol", "8", 64, 1},
        {"conv folded, mux", 1, "split-unipolar", "mux", "stanh", "halton", "8", 64, 5},
        {"dense bipolar, or", 0, "bipolar", "apc", "btanh", "lfsr-galois", "8", 64, 2},
        {"dense, or", 0, "split-unipolar", "or", "delta-sigma", "lfsr", "8", 64, 1},
        {"pooled tail", 3, "split-unipolar", "apc", "delta-sigma", "ramp", "8", 64, 3},
    };
    for (const auto& c : cases) {
        compile::CompileOptions o;
        o.encoding = c.encoding;
        o.adder = c.adder;
        o.neuron = c.neuron;
        o.sng = c.sng;
        o.length = c.length;
        const auto plan = test::rtl_plan(c.net <= 1 ? test::random_net(5, c.net == 1)
                                                    : test::random_pooled_tail_net(5, false),
                                         o);
        for (auto form : {codegen::verilog::ScForm::simulation, codegen::verilog::ScForm::synthesis}) {
            const auto d = codegen::verilog::emit_sc(plan, {c.fold, "lint", form});
            test::TempDir dir;
            codegen::verilog::write_design(d, dir.path / "d");
            std::string srcs;
            for (const auto& s : d.sources) srcs += " " + s;
            const int st = codegen::verilog::run_in((dir.path / "d").string(),
                                                    "verilator --lint-only -Wall --top-module scnn_top" + srcs, 300,
                                                    dir.file("lint.log"));
            INFO(c.what << ", " << codegen::verilog::form_name(form) << " form: " << test::slurp(dir.file("lint.log")));
            CHECK(st == 0);
        }
    }
}
