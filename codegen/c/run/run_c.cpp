#include "codegen/c/run/run_c.hpp"

#include <fmt/core.h>

#include <filesystem>
#include <random>

#include "codegen/c/project.hpp"
#include "codegen/common/output_dir.hpp"
#include "engine/ir/error.hpp"
#include "engine/sim/simulate.hpp"

namespace scnn::codegen::c {

namespace fs = std::filesystem;

namespace {

// A scratch folder for the build, removed at the end unless the user keeps it.
struct Scratch {
    fs::path path;
    bool keep = false;
    ~Scratch() {
        std::error_code ec;
        if (!keep && !path.empty()) fs::remove_all(path, ec);
    }
};

fs::path scratch_path() {
    std::random_device rd;
    return fs::temp_directory_path() / fmt::format("scnn-run-c-{:08x}", rd());
}

}  // namespace

RunCReport run_c_sc(const ir::ScPlan& plan, const io::Dataset& data, const RunCOptions& o) {
    if (data.pixels_per_image() != plan.input.size())
        throw Error(fmt::format("dataset '{}' has {} pixels per image but the plan input {} needs {}", data.name,
                                data.pixels_per_image(), ir::to_string(plan.input), plan.input.size()));
    const ScModelCode code = emit_sc_model(plan, o.command);
    check_fit(code, o.target, o.model_name);
    Scratch scratch;
    scratch.keep = !o.keep_dir.empty();
    scratch.path = scratch.keep ? fs::path(o.keep_dir) : scratch_path();
    {
        OutputDir dir(scratch.path);
        write_project(dir, code.files, o.target, o.command);
        dir.commit();
    }
    const auto [data_bss, flash] = build_firmware(scratch.path.string(), o.target);
    const std::int64_t classes = plan.stages.back().out.size();
    // AVR: about 60 simulated cycles per synapse-cycle is far more than the firmware needs
    std::int64_t synapses = 0;
    for (const auto& s : plan.stages) synapses += std::int64_t(s.weights.size()) + s.out.size() * 9;
    const std::int64_t limit = o.cycle_limit > 0 ? o.cycle_limit : 2'000'000 + 200 * synapses * plan.length / 8;
    const int timeout = o.timeout_s > 0 ? o.timeout_s : 600 + int(std::min<std::int64_t>(data.count, 100000) * 3);
    const TargetRun run = run_firmware(scratch.path.string(), o.target, data.pixels, data.count, plan.input.size(),
                                       classes, o.early_margin, limit, timeout);
    const sim::Simulator sim(plan);
    RunCReport r;
    r.target = o.target.name;
    r.images = data.count;
    r.data_bss_bytes = data_bss;
    r.flash_bytes = flash;
    r.stack_bytes = run.stack_bytes;
    r.ram_bytes = o.target.name == "host" ? 0 : data_bss + run.stack_bytes;
    double mc = 0, scc = 0;
    for (std::int64_t i = 0; i < data.count; ++i) {
        const auto img = data.image(i);
        const TargetImage& t = run.images[std::size_t(i)];
        mc += double(t.machine_cycles);
        scc += double(t.sc_cycles);
        std::string diff;
        if (o.early_margin >= 0) {
            const auto e = sim.run_early(img, o.early_margin);
            if (e.prediction != t.prediction || e.cycles != t.sc_cycles)
                diff = fmt::format("image {}: target stopped at cycle {} predicting {}, host at cycle {} predicting {}",
                                   i, t.sc_cycles, t.prediction, e.cycles, e.prediction);
            r.correct += t.prediction == data.labels[std::size_t(i)];
        } else {
            const auto counts = sim.run(img);
            for (std::int64_t c = 0; c < classes && diff.empty(); ++c)
                if (counts[std::size_t(c)] != t.out[std::size_t(c)])
                    diff = fmt::format("image {} class {}: target {}, host {}", i, c, t.out[std::size_t(c)],
                                       counts[std::size_t(c)]);
            if (diff.empty() && sim::predict(counts) != t.prediction)
                diff = fmt::format("image {}: target predicts {}, host {}", i, t.prediction, sim::predict(counts));
            r.correct += sim::predict(counts) == data.labels[std::size_t(i)];
        }
        if (!diff.empty()) {
            ++r.mismatches;
            if (r.first_mismatch.empty()) {
                r.first_mismatch = diff;
                r.first_mismatch_image = i;
            }
        }
    }
    if (data.count > 0) {
        r.cycles_per_inference = mc / double(data.count);
        r.sc_cycles = scc / double(data.count);
    }
    if (o.target.name == "avr") r.ms_per_inference = r.cycles_per_inference / 16000.0;
    r.build_dir = scratch.keep ? scratch.path.string() : "";
    if (o.trace && r.first_mismatch_image >= 0)
        r.trace = first_trace_difference(plan, data.image(r.first_mismatch_image), o.command, o.target.name);
    return r;
}

}  // namespace scnn::codegen::c
