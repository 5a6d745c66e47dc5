// run-c --mode int8: the int8 firmware of codegen/c/int8_* (when the tree has it: SCNN_HAVE_INT8_C) built and run like the
// SC one, every image's int8 logits compared with engine/int8's.
#include <fmt/core.h>

#include <filesystem>
#include <random>

#include "codegen/c/project.hpp"
#include "codegen/c/run/run_c.hpp"
#include "codegen/common/output_dir.hpp"
#include "engine/int8/int8_exec.hpp"
#include "engine/ir/error.hpp"
#include "engine/ref/float_exec.hpp"

#ifdef SCNN_HAVE_INT8_C  // set by codegen/c/CMakeLists.txt when the int8 emitter is in the tree
#include "codegen/c/int8_emit.hpp"
#endif

namespace scnn::codegen::c {

namespace fs = std::filesystem;

bool have_int8_emitter() {
#ifdef SCNN_HAVE_INT8_C
    return true;
#else
    return false;
#endif
}

#ifdef SCNN_HAVE_INT8_C

std::vector<GeneratedFile> emit_int8_model(const int8::QuantizedNetwork& qnet, const std::string& command,
                                           const TargetSpec& target, const std::string& model_name) {
    Int8EmitOptions eo;
    eo.command = command;
    std::vector<GeneratedFile> files;
    for (auto& [name, text] : emit_int8(qnet, eo)) files.push_back({name, text});
    const Int8Footprint fp = int8_footprint(qnet);
    const std::int64_t ram = fp.arena_bytes + qnet.input.size() + 128, flash = fp.table_bytes + 4000;
    if (target.flash_bytes > 0 && flash > target.flash_bytes)
        throw Error(fmt::format("{} (int8) does not fit the {}: flash needs about {} B of {} B ({} B over; tables {} B)",
                                model_name, target.chip, flash, target.flash_bytes, flash - target.flash_bytes,
                                fp.table_bytes));
    if (target.ram_bytes > 0 && ram > target.ram_bytes)
        throw Error(fmt::format("{} (int8) does not fit the {}: RAM needs about {} B of {} B ({} B over; arena {} B, "
                                "input {} B)",
                                model_name, target.chip, ram, target.ram_bytes, ram - target.ram_bytes, fp.arena_bytes,
                                qnet.input.size()));
    return files;
}

RunCReport run_c_int8(const int8::QuantizedNetwork& qnet, const io::Dataset& data, const RunCOptions& o) {
    if (data.pixels_per_image() != qnet.input.size())
        throw Error(fmt::format("dataset '{}' has {} pixels per image but the network needs {}", data.name,
                                data.pixels_per_image(), qnet.input.size()));
    const auto files = emit_int8_model(qnet, o.command, o.target, o.model_name);
    const bool keep = !o.keep_dir.empty();
    std::random_device rd;
    const fs::path path = keep ? fs::path(o.keep_dir) : fs::temp_directory_path() / fmt::format("scnn-run-c-{:08x}", rd());
    struct Cleanup {
        fs::path p;
        bool keep;
        ~Cleanup() {
            std::error_code ec;
            if (!keep) fs::remove_all(p, ec);
        }
    } cleanup{path, keep};
    {
        OutputDir dir(path);
        write_project(dir, files, o.target, o.command);
        dir.commit();
    }
    const auto [data_bss, flash] = build_firmware(path.string(), o.target);
    const std::int64_t classes = std::int64_t(
        int8::run(qnet, int8::quantize_input(qnet, ref::pixels_to_input(data.count ? data.image(0) : std::span<const std::uint8_t>{}))).size());
    const TargetRun run = run_firmware(path.string(), o.target, data.pixels, data.count, data.pixels_per_image(),
                                       classes, -1, o.cycle_limit > 0 ? o.cycle_limit : 2'000'000'000,
                                       o.timeout_s > 0 ? o.timeout_s : 600 + int(data.count));
    RunCReport r;
    r.target = o.target.name;
    r.mode = "int8";
    r.images = data.count;
    r.data_bss_bytes = data_bss;
    r.flash_bytes = flash;
    r.stack_bytes = run.stack_bytes;
    r.ram_bytes = o.target.name == "host" ? 0 : data_bss + run.stack_bytes;
    double mc = 0;
    for (std::int64_t i = 0; i < data.count; ++i) {
        const auto logits = int8::run(qnet, int8::quantize_input(qnet, ref::pixels_to_input(data.image(i))));
        const TargetImage& t = run.images[std::size_t(i)];
        mc += double(t.machine_cycles);
        std::string diff;
        for (std::int64_t c = 0; c < classes && diff.empty(); ++c)
            if (std::int64_t{logits[std::size_t(c)]} != t.out[std::size_t(c)])
                diff = fmt::format("image {} class {}: target {}, host {}", i, c, t.out[std::size_t(c)],
                                   int(logits[std::size_t(c)]));
        r.correct += int8::argmax(logits) == data.labels[std::size_t(i)];
        if (!diff.empty() && r.mismatches++ == 0) {
            r.first_mismatch = diff;
            r.first_mismatch_image = i;
        }
    }
    if (data.count > 0) r.cycles_per_inference = mc / double(data.count);
    if (o.target.name == "avr") r.ms_per_inference = r.cycles_per_inference / 16000.0;
    r.build_dir = keep ? path.string() : "";
    return r;
}

#else

std::vector<GeneratedFile> emit_int8_model(const int8::QuantizedNetwork&, const std::string&, const TargetSpec&,
                                           const std::string&) {
    throw Error("--mode int8: the int8 C emitter is not built into this scnn yet");
}

RunCReport run_c_int8(const int8::QuantizedNetwork&, const io::Dataset&, const RunCOptions&) {
    throw Error("--mode int8: the int8 C emitter is not built into this scnn yet");
}

#endif

}  // namespace scnn::codegen::c
