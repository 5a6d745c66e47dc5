// scnn eval — accuracy of a model on a dataset, in float or int8.
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/evaluate.hpp"
#include "cli/sc_eval.hpp"
#include "engine/io/onnx_import.hpp"
#include "engine/io/plan_json.hpp"

namespace scnn::cli {

namespace {

struct EvalOptions {
    std::string model = kDefaultModel;
    std::string data = "fashion-mnist";
    std::string mode = "float";
    std::int64_t limit = 0;
    std::int64_t calib = 1000;
    std::string calib_data;
    double percentile = 100.0;
    int threads = 0;
    bool json = false;
    bool quiet = false;
    std::string predictions;
    std::string plan;
    std::int64_t early_exit = -1;
    ScOptions sc;
};

void run_eval(const EvalOptions& o) {
    const bool progress = !o.quiet;
    EvalResult r;
    nlohmann::json extra = nlohmann::json::object();
    std::string path;
    if (!o.plan.empty() || o.mode == "sc") {
        ir::ScPlan plan;
        if (!o.plan.empty()) {
            plan = io::read_plan(o.plan);
            apply_run_options(plan, o.sc);
            path = plan.model;
        } else {
            path = resolve_model(o.model);
            plan = compile_with(io::import_onnx(path), o.sc, o.data, path);
        }
        const io::Dataset data = io::load_dataset(o.data, o.limit);
        r = eval_sc(plan, data, o.threads, progress, o.early_exit);
        extra = {{"length", plan.length}, {"options", plan.options}, {"mean_abs_scc", plan.mean_abs_scc},
                 {"mean_cycles", r.mean_cycles}, {"early_exit", o.early_exit},
                 {"early_exit_every", plan.early_exit_every}};
        if (!o.plan.empty()) extra["plan"] = o.plan;
    }
    if (r.mode != "sc") {
        path = resolve_model(o.model);
        const ir::Network net = io::import_onnx(path);
        const io::Dataset data = io::load_dataset(o.data, o.limit);
        check_compatible(data, net);
        if (o.mode == "float") {
            r = eval_float(net, data, o.threads, progress);
        } else {
            const std::string calib_spec = o.calib_data.empty() ? default_calibration_data(o.data) : o.calib_data;
            const io::Dataset calib = io::load_dataset(calib_spec, o.calib);
            const auto qnet = quantize_on(net, calib, o.calib, o.percentile);
            r = eval_int8(qnet, data, o.threads, progress);
            extra = {{"calibration_data", calib_spec}, {"calibration_images", calib.count}, {"percentile", o.percentile}};
        }
    }
    std::optional<double> torch_agree;
    if (o.data == "fashion-mnist" || o.data == "fashion-mnist:test") {
        if (auto ref = reference_predictions(path); ref && ref->size() >= r.predictions.size()) {
            torch_agree = agreement(r.predictions, *ref);
        }
    }
    if (!o.predictions.empty()) {
        std::string text;
        text.reserve(r.predictions.size() * 2);
        for (int p : r.predictions) text += fmt::format("{}\n", p);
        write_file_atomic(o.predictions, text);
    }
    if (o.json) {
        nlohmann::json j{{"mode", r.mode},         {"model", path},          {"data", o.data},
                         {"accuracy", r.accuracy()}, {"correct", r.correct}, {"images", r.images},
                         {"seconds", r.seconds},   {"threads", resolve_threads(o.threads)}};
        j.update(extra);
        if (torch_agree) j["torch_agreement"] = *torch_agree;
        fmt::print("{}\n", j.dump());
        return;
    }
    fmt::print("model     {}\ndata      {} ({} images)\nmode      {}\n", path, o.data, r.images, r.mode);
    if (extra.contains("length")) {
        fmt::print("sc        L = {} ({}), mean |SCC| of independent pairs {:.4f}\n", extra["length"].get<std::int64_t>(),
                   extra["options"].get<std::string>(), extra["mean_abs_scc"].get<double>());
        fmt::print("cycles    {:.1f} per image on average{}\n", r.mean_cycles,
                   o.early_exit >= 0 ? fmt::format(" (early exit, margin {})", o.early_exit) : "");
    }
    if (extra.contains("calibration_data")) {
        fmt::print("calibrate {} images of {} (percentile {})\n", extra["calibration_images"].get<std::int64_t>(),
                   extra["calibration_data"].get<std::string>(), o.percentile);
    }
    fmt::print("accuracy  {:.2f} % ({} / {})\n", 100.0 * r.accuracy(), r.correct, r.images);
    if (torch_agree) fmt::print("agreement {:.2f} % top-1 with torch's predictions\n", 100.0 * *torch_agree);
    fmt::print("time      {:.2f} s ({:.0f} images/s, {} threads)\n", r.seconds,
               r.seconds > 0 ? double(r.images) / r.seconds : 0.0, resolve_threads(o.threads));
}

}  // namespace

void add_eval_command(CLI::App& app) {
    auto o = std::make_shared<EvalOptions>();
    auto* cmd = app.add_subcommand("eval", "Accuracy of a model on a dataset in float, int8 or SC");
    cmd->add_option("--model,-m", o->model, "ONNX file or bundled model name")->capture_default_str();
    cmd->add_option("--data,-d", o->data,
                    "fashion-mnist | fashion-mnist:train | idx:IMAGES,LABELS | csv:PATH (label, then pixels 0-255)")
        ->capture_default_str();
    cmd->add_option("--mode", o->mode, "Execution: float, int8 or sc (stochastic computing, fast bit-accurate simulator)")
        ->check(CLI::IsMember({"float", "int8", "sc"}))
        ->capture_default_str();
    cmd->add_option("--limit,-n", o->limit, "Evaluate only the first N images (0 = all)")
        ->check(kCountOrZero)
        ->capture_default_str();
    cmd->add_option("--calib", o->calib, "int8: number of calibration images")
        ->check(kPositiveCount)
        ->capture_default_str();
    cmd->add_option("--calib-data", o->calib_data,
                    "int8: calibration dataset (default: fashion-mnist:train for fashion-mnist, else --data)");
    cmd->add_option("--percentile", o->percentile,
                    "int8: calibrate each activation on its [100-P, P] percentile range instead of min/max")
        ->check(CLI::Range(50.0, 100.0))
        ->capture_default_str();
    cmd->add_option("--threads,-j", o->threads, "Worker threads (0 = all cores)")
        ->check(CLI::Range(0, 1024))
        ->capture_default_str();
    cmd->add_option("--predictions", o->predictions, "Write one predicted class per line, in dataset order");
    cmd->add_option("--plan", o->plan, "SC: run this compiled plan (scnn compile) instead of compiling --model");
    cmd->add_option("--early-exit", o->early_exit,
                    "SC: stop an image's streams once the leading class count leads by MARGIN (0 = only when the "
                    "lead can no longer be overturned)")
        ->check(kCountOrZero);
    add_sc_options(cmd, o->sc);
    cmd->add_flag("--json", o->json, "Print one JSON object (mode, accuracy, images, seconds, ...)");
    cmd->add_flag("--quiet,-q", o->quiet, "No progress bar");
    cmd->callback([o] { run_eval(*o); });
}

}  // namespace scnn::cli
