// run_rtl: emit → build (cached) → simulate the images → compare with sim::Simulator image by image.
#include "codegen/verilog/run/rtl_runner.hpp"

#include <fmt/core.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "codegen/verilog/run/rtl_build.hpp"
#include "codegen/verilog/sc_emitter.hpp"
#include "engine/ir/error.hpp"
#include "engine/sim/simulate.hpp"

namespace scnn::codegen::verilog {

namespace fs = std::filesystem;

namespace {

struct ImageResult {
    std::vector<std::int64_t> counts;
    int pred = 0;
    std::int64_t sc_cycles = 0, clocks = 0;
};

// Writes the images for the harness: raw bytes (Verilator) or one hex byte per line (iverilog).
void write_images(const std::string& path, const io::Dataset& data, bool hex) {
    std::ofstream f(path, std::ios::binary);
    if (!hex) {
        f.write(reinterpret_cast<const char*>(data.pixels.data()), std::streamsize(data.pixels.size()));
    } else {
        for (auto p : data.pixels) f << fmt::format("{:02x}\n", p);
    }
    if (!f) throw Error(fmt::format("cannot write '{}'", path));
}

std::vector<ImageResult> parse(const std::string& path, std::int64_t count, int classes, std::int64_t max_clocks) {
    std::ifstream f(path);
    std::vector<ImageResult> out;
    std::string line;
    while (std::getline(f, line)) {
        std::istringstream ss(line);
        std::string first;
        if (!(ss >> first) || first == "T") continue;  // "T": a per-cycle trace line
        if (first == "TIMEOUT") {
            std::int64_t img = 0;
            ss >> img;
            throw Error(fmt::format("the design did not raise done within {} clocks on image {} (cycle limit)",
                                    max_clocks, img));
        }
        ImageResult r;
        r.counts.push_back(std::stoll(first));
        for (int c = 1; c < classes; ++c) {
            std::int64_t v = 0;
            ss >> v;
            r.counts.push_back(v);
        }
        ss >> r.pred >> r.sc_cycles >> r.clocks;
        if (!ss) break;
        out.push_back(std::move(r));
    }
    if (std::int64_t(out.size()) != count)
        throw Error(fmt::format("the simulation reported {} of {} images; its output is {}", out.size(), count, path));
    return out;
}

// --trace: the class counts of `image` after every SC cycle, from the design (harness with SCNN_TB_TRACE=1) and
// from reference_run's per-cycle trace of the last stage; names the first cycle and count that differ.
std::string trace_difference(const ir::ScPlan& plan, const io::Dataset& data, std::int64_t image, const BuiltDesign& b,
                             const fs::path& scratch, std::int64_t max_clocks) {
    const int last = int(plan.stages.size()) - 1;
    const auto img = data.image(image);
    std::vector<std::vector<std::int64_t>> host;  // host[t - 1]: the counts after t cycles
    std::vector<std::int64_t> acc(std::size_t(plan.stages.back().out.size()), 0);
    sim::reference_run(plan, img, [&](int stage, std::int64_t, std::span<const std::int32_t> v) {
        if (stage != last) return;
        for (std::size_t c = 0; c < acc.size(); ++c) acc[c] += v[c];
        host.push_back(acc);
    });
    const std::string one = (scratch / "trace_image.bin").string(), out = (scratch / "trace.txt").string();
    std::ofstream(one, std::ios::binary).write(reinterpret_cast<const char*>(img.data()), std::streamsize(img.size()));
    run_in(b.dir, fmt::format("env SCNN_TB_TRACE=1 {} {} 1 0 0 {}", b.executable, one, max_clocks), 3600, out);
    std::ifstream f(out);
    std::string line;
    const std::string signal = plan.stages.back().final ? fmt::format("u_stage{}.cnt", last) : std::string("tail");
    while (std::getline(f, line)) {
        std::istringstream ss(line);
        std::string tag;
        std::int64_t t = 0;
        if (!(ss >> tag >> t) || tag != "T" || t < 1 || t > std::int64_t(host.size())) continue;
        for (std::size_t c = 0; c < acc.size(); ++c) {
            std::int64_t v = 0;
            ss >> v;
            const std::int64_t want = host[std::size_t(t - 1)][c];
            if (v != want)
                return fmt::format("image {}: first difference after SC cycle {} in {}[{}] (class {} count of stage "
                                   "{} '{}'): host {}, RTL {}",
                                   image, t, signal, c, c, last, plan.stages.back().name, want, v);
        }
    }
    return fmt::format("image {}: the per-cycle class counts agree with reference_run (the difference is in the "
                       "final read-out)", image);
}

}  // namespace

RtlRunResult run_rtl(const ir::ScPlan& plan, const io::Dataset& data, const RtlRunOptions& o) {
    if (data.pixels_per_image() != plan.input.size())
        throw Error(fmt::format("the dataset has {} pixels per image, the plan's input has {}",
                                data.pixels_per_image(), plan.input.size()));
    if (data.count < 1) throw Error("the dataset has no images");
    const ScDesign design = emit_sc(plan, {o.fold, o.command, o.form});
    const bool verilator = o.simulator == "verilator";
    const bool want_vcd = !o.vcd.empty();
    if (want_vcd && !verilator) throw Error("--vcd needs --simulator verilator");
    const BuiltDesign b = build_design(design, o.simulator, want_vcd, o.cache_dir, o.jobs);
    RtlRunResult r;
    r.design_dir = b.dir;
    r.built = b.built;
    r.build_seconds = b.seconds;
    r.images = data.count;
    const std::int64_t max_clocks = design.clocks_per_inference() + 16;
    // scratch files beside the build: unique per process
    const fs::path scratch = fs::path(b.dir) / fmt::format("run-{}", ::getpid());
    fs::create_directories(scratch);
    struct Cleanup {
        fs::path p;
        ~Cleanup() {
            std::error_code ec;
            fs::remove_all(p, ec);
        }
    } cleanup{scratch};
    const std::string images = (scratch / (verilator ? "images.bin" : "images.hex")).string();
    const std::string out = (scratch / "out.txt").string();
    write_images(images, data, !verilator);
    const int early = o.early_margin >= 0 ? 1 : 0;
    const std::int64_t margin = std::max<std::int64_t>(0, o.early_margin);
    std::string cmd;
    if (verilator) {
        cmd = fmt::format("{} {} {} {} {} {}", b.executable, images, data.count, early, margin, max_clocks);
        if (want_vcd) cmd = fmt::format("{} {}", cmd, fs::absolute(o.vcd).string());
    } else {
        cmd = fmt::format("vvp -n {} +images={} +count={} +early={} +margin={} +maxclk={}", b.executable, images,
                          data.count, early, margin, max_clocks);
    }
    const int timeout_s = int(std::min<std::int64_t>(86400, 60 + data.count * 60));
    const auto t0 = std::chrono::steady_clock::now();
    const int st = run_in(b.dir, cmd, timeout_s, out);
    r.simulation_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (st == 124) throw Error(fmt::format("the {} simulation did not finish within {} s", o.simulator, timeout_s));
    const auto results = parse(out, data.count, design.classes, max_clocks);
    if (st != 0) throw Error(fmt::format("the {} simulation failed with status {}", o.simulator, st));
    const sim::Simulator simulator(plan);
    double clocks = 0, cycles = 0;
    for (std::int64_t i = 0; i < data.count; ++i) {
        const ImageResult& got = results[std::size_t(i)];
        r.predictions.push_back(got.pred);
        r.correct += got.pred == data.labels[std::size_t(i)];
        clocks += double(got.clocks);
        cycles += double(got.sc_cycles);
        bool bad = false;
        if (early) {
            const auto e = simulator.run_early(data.image(i), margin);
            if (e.prediction != got.pred || e.cycles != got.sc_cycles) {
                bad = true;
                if (r.first_image < 0) {
                    r.first_image = i;
                    r.expected = e.cycles;
                    r.got = got.sc_cycles;
                }
            }
        } else {
            const auto want = simulator.run(data.image(i));
            for (std::size_t c = 0; c < want.size(); ++c) {
                if (want[c] == got.counts[c]) continue;
                if (!bad && r.first_image < 0) {
                    r.first_image = i;
                    r.first_class = int(c);
                    r.expected = want[c];
                    r.got = got.counts[c];
                }
                bad = true;
            }
            if (!bad && (sim::predict(want) != got.pred || got.sc_cycles != plan.length)) {
                bad = true;
                if (r.first_image < 0) r.first_image = i;
            }
        }
        r.mismatches += bad;
    }
    if (o.trace && r.first_image >= 0) {
        r.trace_report = verilator ? trace_difference(plan, data, r.first_image, b, scratch, max_clocks)
                                   : std::string("--trace needs --simulator verilator");
    }
    r.clock_cycles_per_inference = clocks / double(data.count);
    r.sc_cycles_per_inference = cycles / double(data.count);
    return r;
}

}  // namespace scnn::codegen::verilog
