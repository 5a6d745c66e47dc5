// scnn compile — network → SC plan JSON (docs/SEMANTICS.md §9).
#include <fmt/core.h>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/sc_eval.hpp"
#include "engine/io/onnx_import.hpp"
#include "engine/io/plan_json.hpp"

namespace scnn::cli {

namespace {

struct CompileCmdOptions {
    std::string model = kDefaultModel;
    std::string data = "fashion-mnist";
    std::string out;
    ScOptions sc;
};

void run_compile(const CompileCmdOptions& o) {
    const std::string path = resolve_model(o.model);
    const ir::ScPlan plan = compile_with(io::import_onnx(path), o.sc, o.data, path);
    write_file_atomic(o.out, io::plan_to_json(plan));
    std::int64_t weights = 0;
    for (const auto& s : plan.stages) weights += std::int64_t(s.weights.size());
    fmt::print("plan      {} ({} stages, {} generators, {} weight thresholds)\n", o.out, plan.stages.size(),
               plan.generators.size(), weights);
    fmt::print("options   {}\n", plan.options);
    fmt::print("mean |SCC| of independent stream pairs: {:.4f} over {} pairs\n", plan.mean_abs_scc, plan.scc_pairs);
}

}  // namespace

void add_compile_command(CLI::App& app) {
    auto o = std::make_shared<CompileCmdOptions>();
    auto* cmd =
        app.add_subcommand("compile", "Compile a model into an SC plan (JSON) for the simulator and code generators");
    cmd->add_option("--model,-m", o->model, "ONNX file or bundled model name")->capture_default_str();
    cmd->add_option("--data,-d", o->data, "Dataset whose default calibration split is used")->capture_default_str();
    cmd->add_option("--out,-o", o->out, "Plan JSON to write")->required();
    add_sc_options(cmd, o->sc);
    cmd->callback([o] { run_compile(*o); });
}

}  // namespace scnn::cli
