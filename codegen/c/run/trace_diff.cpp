// run-c --trace: the first stage and cycle where the generated C differs from reference_run's per-cycle
// trace, found on a host build of the same C with -DSCNN_TRACE (firmware/host/scnn_trace.c).
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

std::string first_trace_difference(const ir::ScPlan& plan, std::span<const std::uint8_t> pixels,
                                   const std::string& command) {
    std::random_device rd;
    const fs::path dir = fs::temp_directory_path() / fmt::format("scnn-trace-{:08x}", rd());
    struct Cleanup {
        fs::path p;
        ~Cleanup() {
            std::error_code ec;
            fs::remove_all(p, ec);
        }
    } cleanup{dir};
    {
        OutputDir out(dir);
        write_project(out, emit_sc_model(plan, command).files, target_spec("host"), command);
        out.commit();
    }
    {
        std::ofstream f(dir / "image.bin", std::ios::binary);
        f.write(reinterpret_cast<const char*>(pixels.data()), std::streamsize(pixels.size()));
    }
    const std::string cmd = fmt::format("cd '{}' && make scnn_fw_trace > build.log 2>&1 && timeout 600 ./scnn_fw_trace {} "
                                        "< image.bin > trace.txt 2>&1",
                                        dir.string(), plan.encoding == "bipolar" ? "b" : "u");
    if (std::system(cmd.c_str()) != 0) throw Error("--trace: building or running the trace build failed");
    // reference: stage -> cycle -> values
    std::map<int, std::vector<std::vector<std::int32_t>>> ref;
    const sim::TraceFn fn = [&](int stage, std::int64_t, std::span<const std::int32_t> v) {
        ref[stage].emplace_back(v.begin(), v.end());
    };
    const auto counts = sim::reference_run(plan, pixels, fn);
    std::ifstream in(dir / "trace.txt");
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
        const auto& want = ref[stage].at(std::size_t(t));
        for (std::size_t j = 0; j < want.size(); ++j) {
            int v = 0;
            ls >> v;
            if (v != want[j])
                return fmt::format("first difference: stage {} ('{}') cycle {} element {}: target {}, reference {}", stage,
                                   plan.stages[std::size_t(stage)].name, t, j, v, want[j]);
        }
    }
    return "";
}

}  // namespace scnn::codegen::c
