// The SC Verilog emitter without a simulator: stamps, file lists, one-line errors for plans and folds it
// cannot express, all-or-nothing output folders.
#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>

#include "codegen/common/code_writer.hpp"
#include "codegen/verilog/sc_emitter.hpp"
#include "engine/ir/error.hpp"
#include "tests/rtl/rtl_test_util.hpp"
#include "tests/support/run_command.hpp"

using namespace scnn;
using codegen::verilog::emit_sc;

namespace {

ir::ScPlan conv_plan(const char* sng = "sobol") {
    compile::CompileOptions o;
    o.sng = sng;
    o.length = 64;
    return test::rtl_plan(test::random_net(3, true), o);
}

}  // namespace

TEST_CASE("every emitted file is stamped and the source list is complete", "[rtl]") {
    const auto plan = conv_plan();
    for (int fold : {1, 3}) {
        const auto d = emit_sc(plan, {fold, "scnn emit-verilog --test"});
        CHECK(d.top == "scnn_top");
        CHECK(d.fold == fold);
        CHECK(d.clocks_per_inference() == fold * 64 + 1);
        const std::string stamp = "// " + codegen::stamp_text("scnn emit-verilog --test");
        for (const auto& f : d.files) {
            INFO(f.path);
            const bool copied_module = f.path.rfind("scnn_", 0) == 0 && f.path.find("stage") == std::string::npos &&
                                       f.path != "scnn_top.v" && f.path != "scnn_files.f" &&
                                       f.path.find(".hex") == std::string::npos;
            if (!copied_module) CHECK(f.content.rfind(stamp, 0) == 0);
        }
        for (const auto& s : d.sources) {
            INFO(s);
            CHECK(std::any_of(d.files.begin(), d.files.end(), [&](const auto& f) { return f.path == s; }));
        }
        CHECK(d.sources.back() == "scnn_top.v");
        // one module per stage
        for (std::size_t k = 0; k < plan.stages.size(); ++k) {
            const std::string name = "scnn_stage" + std::to_string(k) + ".v";
            CHECK(std::find(d.sources.begin(), d.sources.end(), name) != d.sources.end());
        }
    }
}

TEST_CASE("plans and folds the emitter cannot express are one-line errors", "[rtl]") {
    const auto plan = conv_plan();
    CHECK_THROWS_WITH(emit_sc(plan, {0, "x"}), Catch::Contains("at least 1"));
    CHECK_THROWS_WITH(emit_sc(plan, {100000, "x"}), Catch::Contains("larger than the widest stage"));
    // the clock count without emitting: the same checks, F·L + 1
    CHECK_THROWS_WITH(codegen::verilog::sc_clocks_per_inference(plan, 0), Catch::Contains("at least 1"));
    CHECK_THROWS_WITH(codegen::verilog::sc_clocks_per_inference(plan, 100000),
                      Catch::Contains("larger than the widest stage"));
    CHECK(codegen::verilog::sc_clocks_per_inference(plan, 3) == emit_sc(plan, {3, "x"}).clocks_per_inference());
    const auto random = conv_plan("random");
    CHECK_THROWS_WITH(emit_sc(random, {1, "x"}), Catch::Contains("no hardware form"));
    try {
        emit_sc(random, {1, "x"});
    } catch (const Error& e) {
        CHECK(std::string(e.what()).find('\n') == std::string::npos);
    }
}

TEST_CASE("write_design writes the whole folder or nothing", "[rtl]") {
    const auto d = emit_sc(conv_plan(), {2, "x"});
    test::TempDir dir;
    const auto out = dir.path / "design";
    codegen::verilog::write_design(d, out);
    for (const auto& f : d.files) CHECK(std::filesystem::exists(out / f.path));
    CHECK(std::filesystem::exists(out / "tb" / "scnn_tb.cpp"));
    // a folder that is not a previous scnn output is not overwritten
    const auto user = dir.path / "user";
    std::filesystem::create_directories(user);
    std::ofstream(user / "mine.v") << "module mine; endmodule\n";
    CHECK_THROWS_AS(codegen::verilog::write_design(d, user), Error);
    CHECK(std::filesystem::exists(user / "mine.v"));
}

TEST_CASE("the synthesis form wires the linear stages' constants and leaves out products that are always 0",
          "[rtl]") {
    compile::CompileOptions o;
    o.length = 64;
    const auto plan = test::rtl_plan(test::random_net(3, false), o);  // dense, split-unipolar, unsigned pixels
    const auto sim = emit_sc(plan, {1, "x", codegen::verilog::ScForm::simulation});
    const auto gates = emit_sc(plan, {1, "x", codegen::verilog::ScForm::synthesis});
    CHECK(gates.form == codegen::verilog::ScForm::synthesis);
    const auto has = [](const codegen::verilog::ScDesign& d, const std::string& path) {
        return std::any_of(d.files.begin(), d.files.end(), [&](const auto& f) { return f.path == path; });
    };
    const auto text = [](const codegen::verilog::ScDesign& d, const std::string& path) {
        for (const auto& f : d.files)
            if (f.path == path) return f.content;
        return std::string();
    };
    std::size_t k = 0;  // the first linear stage: its input is the pixels (unsigned)
    while (!ir::is_linear(plan.stages[k].kind)) ++k;
    CHECK(has(sim, "scnn_stage" + std::to_string(k) + "_slot.hex"));
    CHECK_FALSE(has(gates, "scnn_stage" + std::to_string(k) + "_slot.hex"));
    CHECK(has(gates, "scnn_apc.v"));
    const std::string s0 = text(gates, "scnn_stage" + std::to_string(k) + ".v");
    CHECK(s0.find("$readmemh") == std::string::npos);
    CHECK(s0.find("in_neg[") == std::string::npos);  // the pixels are never negative: no neg products
    // per PE, the two counters together take at most one product per weight slot and the bias
    const auto& st = plan.stages[k];
    const std::int64_t per = st.in.size();
    static const std::regex pe(R"(// PE (\d+): (\d+) product\(s\) into the positive count, (\d+) into the negative)");
    int pes = 0;
    for (auto it = std::sregex_iterator(s0.begin(), s0.end(), pe); it != std::sregex_iterator(); ++it, ++pes)
        CHECK(std::stoll((*it)[2]) + std::stoll((*it)[3]) <= per + 1);
    CHECK(pes == std::int64_t(st.out.size()));
    CHECK_THROWS_WITH(codegen::verilog::parse_form("gates"), Catch::Contains("expected sim") && Catch::Contains("synth"));
    CHECK(codegen::verilog::parse_form(codegen::verilog::form_name(codegen::verilog::ScForm::synthesis)) ==
          codegen::verilog::ScForm::synthesis);
}
