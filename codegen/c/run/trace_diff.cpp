// run-c --trace: the first stage and cycle where the generated C differs from reference_run's per-cycle
// trace. Host and Cortex-M: a host build of the same C with -DSCNN_TRACE (firmware/host/scnn_trace.c) prints
// the trace; AVR: the trace build runs on the ATmega328P in simavr and sends every stage's output bytes to
// the runner (firmware/avr/scnn_trace.c), decoded here into the same lines.
#include <fmt/core.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "codegen/c/project.hpp"
#include "codegen/c/run/run_c.hpp"
#include "codegen/common/output_dir.hpp"
#include "engine/ir/error.hpp"
#include "engine/sim/simulate.hpp"

namespace scnn::codegen::c {

namespace fs = std::filesystem;

namespace {

// The host trace build's lines: "stage cycle e0 e1 ..." per stage and cycle, then "counts c0 c1 ...".
std::string host_trace(const fs::path& dir, bool bipolar) {
    const std::string cmd = fmt::format("cd '{}' && make scnn_fw_trace > build.log 2>&1 && timeout 600 ./scnn_fw_trace {} "
                                        "< image.bin > trace.txt 2>&1",
                                        dir.string(), bipolar ? "b" : "u");
    if (std::system(cmd.c_str()) != 0) throw Error("--trace: building or running the trace build failed");
    std::ifstream in(dir / "trace.txt");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::uint32_t le32(const std::string& b, std::size_t at) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | std::uint8_t(b[at + std::size_t(i)]);
    return v;
}

// The AVR trace build run in simavr: its records (firmware/avr/scnn_trace.c) as the host build's lines.
std::string avr_trace(const fs::path& dir, const ir::ScPlan& plan, std::span<const std::uint8_t> pixels, bool bipolar) {
    const std::string cmd = fmt::format("cd '{}' && make scnn_fw_trace.elf > build.log 2>&1 && cp scnn_fw_trace.elf "
                                        "scnn_fw.elf",
                                        dir.string());
    if (std::system(cmd.c_str()) != 0) throw Error("--trace: building the AVR trace build failed");
    const fs::path bin = dir / "trace.bin";
    ::setenv("SCNN_AVR_TRACE", bin.c_str(), 1);
    const std::vector<std::uint8_t> image(pixels.begin(), pixels.end());
    TargetRun run;
    try {
        run = run_firmware(dir.string(), target_spec("avr"), image, 1, plan.input.size(),
                           plan.stages.back().out.size(), -1, 4'000'000'000, 600);
    } catch (...) {
        ::unsetenv("SCNN_AVR_TRACE");
        throw;
    }
    ::unsetenv("SCNN_AVR_TRACE");
    std::ifstream in(bin, std::ios::binary);
    const std::string b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string out;
    for (std::size_t at = 0; at + 11 <= b.size();) {
        const int stage = std::uint8_t(b[at]);
        const std::uint32_t t = le32(b, at + 1), size = le32(b, at + 6);
        const int n = std::uint8_t(b[at + 5]);
        const bool has_neg = b[at + 10] != 0;
        at += 11;
        if (at + size * (has_neg ? 2 : 1) > b.size()) throw Error("--trace: the AVR trace ends inside a record");
        for (int c = 0; c < n; ++c) {
            out += fmt::format("{} {}", stage, t + std::uint32_t(c));
            for (std::uint32_t j = 0; j < size; ++j) {
                const int p = (std::uint8_t(b[at + j]) >> c) & 1;
                const int q = bipolar ? !p : has_neg ? (std::uint8_t(b[at + size + j]) >> c) & 1 : 0;
                out += fmt::format(" {}", p - q);
            }
            out += "\n";
        }
        at += size * (has_neg ? 2 : 1);
    }
    if (run.images.empty()) throw Error("--trace: the AVR trace build gave no result");
    out += "counts";
    for (auto v : run.images[0].out) out += fmt::format(" {}", v);
    return out + "\n";
}

}  // namespace

std::string first_trace_difference(const ir::ScPlan& plan, std::span<const std::uint8_t> pixels,
                                   const std::string& command, const std::string& target) {
    std::random_device rd;
    const fs::path dir = fs::temp_directory_path() / fmt::format("scnn-trace-{:08x}", rd());
    struct Cleanup {
        fs::path p;
        ~Cleanup() {
            std::error_code ec;
            fs::remove_all(p, ec);
        }
    } cleanup{dir};
    const bool on_avr = target == "avr", bipolar = plan.encoding == "bipolar";
    {
        OutputDir out(dir);
        write_project(out, emit_sc_model(plan, command).files, target_spec(on_avr ? "avr" : "host"), command);
        out.commit();
    }
    {
        std::ofstream f(dir / "image.bin", std::ios::binary);
        f.write(reinterpret_cast<const char*>(pixels.data()), std::streamsize(pixels.size()));
    }
    const std::string trace = on_avr ? avr_trace(dir, plan, pixels, bipolar) : host_trace(dir, bipolar);
    // reference: stage -> cycle -> values
    std::map<int, std::vector<std::vector<std::int32_t>>> ref;
    const sim::TraceFn fn = [&](int stage, std::int64_t, std::span<const std::int32_t> v) {
        ref[stage].emplace_back(v.begin(), v.end());
    };
    const auto counts = sim::reference_run(plan, pixels, fn);
    std::istringstream in(trace);
    std::int64_t compared = 0;
    for (std::string line; std::getline(in, line);) {
        std::istringstream ls(line);
        if (line.rfind("counts", 0) == 0) {
            std::string w;
            ls >> w;
            for (std::size_t c = 0; c < counts.size(); ++c) {
                std::int64_t v = 0;
                ls >> v;
                if (v != counts[c])
                    return fmt::format("every traced stage agrees; the final counts differ (class {}: {} against {})",
                                       c, v, counts[c]);
            }
            continue;
        }
        int stage = 0;
        std::int64_t t = 0;
        ls >> stage >> t;
        if (!ref.count(stage) || std::size_t(t) >= ref[stage].size())
            throw Error(fmt::format("--trace: the trace names stage {} cycle {}, which the reference does not have", stage, t));
        const auto& want = ref[stage][std::size_t(t)];
        for (std::size_t j = 0; j < want.size(); ++j) {
            int v = 0;
            ls >> v;
            if (v != want[j])
                return fmt::format("first difference: stage {} ('{}') cycle {} element {}: target {}, reference {}", stage,
                                   plan.stages[std::size_t(stage)].name, t, j, v, want[j]);
        }
        ++compared;
    }
    if (compared == 0 && plan.stages.size() > 1) throw Error("--trace: the trace build wrote no trace");
    return "";
}

}  // namespace scnn::codegen::c
