#include "cli/sc_eval.hpp"

#include <fmt/core.h>

#include <chrono>

#include "cli/common.hpp"
#include "engine/ir/error.hpp"
#include "engine/ref/float_exec.hpp"
#include "engine/sim/simulate.hpp"

namespace scnn::cli {

void add_sc_options(CLI::App* cmd, ScOptions& o, bool with_length) {
    auto& c = o.compile;
    if (with_length) {
        cmd->add_option("--length,-L", c.length, "SC: stream length L (cycles per inference)")
            ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 20))
            ->capture_default_str();
    }
    o.early_every = cmd->add_option("--early-exit-every", c.early_exit_every,
                                    "SC: early-exit check interval K in cycles (checks after K, 2K, … cycles; "
                                    "stored in the plan, honoured by the simulators and generated code)")
                        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 20))
                        ->capture_default_str();
    cmd->add_option("--sng", c.sng,
                    "SC: generator kind (sobol, lfsr, lfsr-galois, halton, ramp, random); one for all or a comma "
                    "list, one per linear layer (the inputs use the first)")
        ->capture_default_str();
    cmd->add_option("--width", c.width,
                    "SC: generator width in bits (3 .. 16); one for all or a comma list, one per linear layer")
        ->capture_default_str();
    cmd->add_option("--seed", c.seed,
                    "SC: base seed of LFSR / random generators (sobol, halton and ramp have none: their streams "
                    "are set by dimension and rotation)")
        ->capture_default_str();
    cmd->add_option("--encoding", c.encoding, "SC: stream encoding of the whole plan (split-unipolar, bipolar)")
        ->check(CLI::IsMember({"split-unipolar", "bipolar"}))
        ->capture_default_str();
    cmd->add_option("--adder", c.adder,
                    "SC: adder (apc, mux, or); one for all linear layers or a comma list, one per linear layer")
        ->capture_default_str();
    cmd->add_option("--neuron", c.neuron,
                    "SC: activation mapping of hidden layers (delta-sigma = saturating counter / SC ReLU, btanh, "
                    "stanh); one for all or a comma list, one per linear layer")
        ->capture_default_str();
    cmd->add_option("--sc-percentile", c.percentile,
                    "SC: activation range = this percentile of calibration activations")
        ->check(CLI::Range(50.0, 100.0))
        ->capture_default_str();
    cmd->add_flag("--channel-ranges", c.channel_ranges,
                  "SC: one activation range per output channel instead of per layer");
    cmd->add_flag("--no-fold-pools{false}", c.fold_pools,
                  "SC: keep average pools as SC stages instead of folding them into Dense");
    cmd->add_flag("!--per-layer", c.per_channel, "SC: one weight scale per layer instead of per output channel");
    cmd->add_option("--sc-calib", o.calib, "SC: calibration images")->check(kPositiveCount)->capture_default_str();
    cmd->add_option("--sc-calib-data", o.calib_data,
                    "SC: calibration dataset (default: the training split for fashion-mnist)");
}

void apply_run_options(ir::ScPlan& plan, const ScOptions& o) {
    if (o.early_every && o.early_every->count() > 0) plan.early_exit_every = o.compile.early_exit_every;
}

std::vector<std::vector<float>> sc_calibration(const ir::Network& net, const ScOptions& o,
                                               const std::string& data_spec) {
    const std::string spec = o.calib_data.empty() ? default_calibration_data(data_spec) : o.calib_data;
    const io::Dataset calib = io::load_dataset(spec, o.calib);
    check_compatible(calib, net);
    std::vector<std::vector<float>> inputs;
    for (std::int64_t i = 0; i < calib.count; ++i) inputs.push_back(ref::pixels_to_input(calib.image(i)));
    return inputs;
}

ir::ScPlan compile_with(const ir::Network& net, const ScOptions& o, const std::string& data_spec,
                        const std::string& model_name) {
    return compile::compile(net, sc_calibration(net, o, data_spec), o.compile, model_name);
}

EvalResult eval_sc(const ir::ScPlan& plan, const io::Dataset& data, int threads, bool progress,
                   std::int64_t early_margin) {
    if (data.pixels_per_image() != plan.input.size()) {
        throw Error(fmt::format("dataset '{}' has {} pixels per image but the plan input {} needs {}", data.name,
                                data.pixels_per_image(), ir::to_string(plan.input), plan.input.size()));
    }
    const sim::Simulator sim(plan);
    EvalResult r;
    r.mode = "sc";
    r.images = data.count;
    Progress bar(fmt::format("sc L={:<5}{}", plan.length, early_margin >= 0 ? " early" : ""), data.count, progress);
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::int64_t> cycles;
    r.predictions = sim.predict_all(
        data.pixels, data.count, resolve_threads(threads), [&] { bar.advance(); }, early_margin, &cycles);
    double total = 0;
    for (auto c : cycles) total += double(c);
    r.mean_cycles = cycles.empty() ? double(plan.length) : total / double(cycles.size());
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    bar.finish();
    for (std::int64_t i = 0; i < data.count; ++i)
        r.correct += r.predictions[std::size_t(i)] == data.labels[std::size_t(i)];
    return r;
}

}  // namespace scnn::cli
