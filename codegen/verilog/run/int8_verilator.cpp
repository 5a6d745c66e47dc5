#include "codegen/verilog/run/int8_verilator.hpp"

#include <fmt/format.h>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "codegen/common/code_writer.hpp"
#include "codegen/verilog/int8_emit.hpp"
#include "codegen/verilog/run/synth_shell.hpp"
#include "engine/int8/int8_exec.hpp"
#include "engine/ir/error.hpp"
#include "engine/ref/float_exec.hpp"

namespace fs = std::filesystem;

namespace scnn::codegen::verilog {

namespace {

std::uint64_t fnv1a(std::uint64_t h, const std::string& s) {
    for (const unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h;
}

/// The Verilator harness: loads each image through the pixel port, pulses start, counts clocks to done and
/// prints "logit0 ... logitC-1 class cycles" per image.
std::string harness(const Int8Rtl& plan, const std::string& command) {
    CodeWriter w;
    w.stamp("//", command);
    w.line("#include <cstdio>");
    w.line("#include <cstdlib>");
    w.line("#include <vector>");
    w.line("#include \"Vscnn_int8_top.h\"");
    w.line("#include \"verilated.h\"");
    w.line("");
    w.line("static Vscnn_int8_top* top;");
    w.line("static void tick() { top->clk = 0; top->eval(); top->clk = 1; top->eval(); }");
    w.line("");
    w.line("// The logit of class k (int8) from the logits bus.");
    w.open("static int logit(int k) {");
    const int bits = 8 * plan.classes;
    if (bits <= 64) {
        w.line("const unsigned long long v = (unsigned long long)top->logits;");
        w.line("return (int)(signed char)(unsigned char)(v >> (8 * k));");
    } else {
        w.line("const unsigned word = top->logits[(8 * k) / 32];");
        w.line("return (int)(signed char)(unsigned char)(word >> ((8 * k) % 32));");
    }
    w.close("}");
    w.line("");
    w.line("// usage: sim IMAGES.bin COUNT OUT.txt MAX_CYCLES");
    w.open("int main(int argc, char** argv) {");
    w.line("if (argc != 5) return 2;");
    w.line("Verilated::commandArgs(1, argv);");
    w.line("top = new Vscnn_int8_top;");
    w.line("FILE* in = std::fopen(argv[1], \"rb\");");
    w.line("FILE* out = std::fopen(argv[3], \"w\");");
    w.line("if (!in || !out) return 2;");
    w.line("const long count = std::atol(argv[2]);");
    w.line("const long max_cycles = std::atol(argv[4]);");
    w.linef("const int size = {};", plan.input_size);
    w.line("std::vector<unsigned char> px(size);");
    w.line("top->rst = 1; top->start = 0; top->pix_we = 0;");
    w.line("for (int i = 0; i < 8; ++i) tick();");
    w.line("top->rst = 0;");
    w.line("tick();");
    w.open("for (long n = 0; n < count; ++n) {");
    w.line("if (std::fread(px.data(), 1, size, in) != (size_t)size) return 2;");
    w.open("for (int a = 0; a < size; ++a) {");
    w.line("top->pix_we = 1; top->pix_addr = a; top->pix_data = px[a];");
    w.line("tick();");
    w.close("}");
    w.line("top->pix_we = 0;");
    w.line("top->start = 1;");
    w.line("tick();");
    w.line("top->start = 0;");
    w.line("long cycles = 1;");
    w.open("while (!top->done) {");
    w.line("tick();");
    w.open("if (++cycles > max_cycles) {");
    w.line("std::fprintf(out, \"timeout %ld\\n\", n);");
    w.line("return 3;");
    w.close("}");
    w.close("}");
    w.linef("for (int k = 0; k < {}; ++k) std::fprintf(out, \"%d \", logit(k));", plan.classes);
    w.line("std::fprintf(out, \"%d %ld\\n\", (int)top->pred_class, cycles);");
    w.close("}");
    w.line("top->final();");
    w.line("delete top;");
    w.line("std::fclose(out);");
    w.line("return 0;");
    w.close("}");
    return w.take();
}

/// The first "%Warning" (fatal with -Wall) or "%Error" line of a verilator log (else its last lines).
std::string first_error(const std::string& log) {
    auto at = log.find("%Warning");
    if (at == std::string::npos) at = log.find("%Error");
    if (at == std::string::npos) return last_lines(log, 3);
    return log.substr(at, log.find('\n', at) - at);
}

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream f(path, std::ios::binary);
    f << text;
    if (!f) throw Error(fmt::format("{}: cannot write", path.string()));
}

/// Builds (or finds) the verilated model; returns the simulator's path.
fs::path build_model(const Int8Rtl& plan, const Int8RtlRunOptions& o, Int8RtlRunResult& r) {
    if (!have_program("verilator")) {
        throw Error("verilator not found: install the Debian package verilator (scripts/install-deps.sh)");
    }
    auto files = int8_verilog_files(plan, o.command);
    files.emplace_back("tb_main.cpp", harness(plan, o.command));
    std::uint64_t h = 1469598103934665603ull;
    h = fnv1a(h, run_shell("verilator --version", 30).output);
    for (const auto& [name, text] : files) h = fnv1a(fnv1a(h, name), text);
    const fs::path dir = rtl_cache_dir(o) / fmt::format("int8-{:016x}", h);
    const fs::path sim = dir / "obj" / "sim";
    if (fs::exists(sim)) {
        r.cached = true;
        return sim;
    }
    const fs::path tmp = dir.string() + fmt::format(".tmp{}", ::getpid());
    std::error_code ec;
    fs::remove_all(tmp, ec);
    fs::create_directories(tmp / "src", ec);
    if (ec) throw Error(fmt::format("{}: cannot create the build folder ({})", tmp.string(), ec.message()));
    std::string sources;
    for (const auto& [name, text] : files) {
        write_text(tmp / "src" / name, text);
        sources += " src/" + name;
    }
    const auto start = std::chrono::steady_clock::now();
    const std::string cmd = fmt::format(
        "cd {} && {}verilator --cc --exe --build -j 2 -Wall --top-module {} --Mdir obj -o sim -CFLAGS -O1{}",
        shell_quote(tmp.string()), have_program("ccache") ? "OBJCACHE=ccache " : "", kInt8Top, sources);
    const ShellResult b = run_shell(cmd, o.build_timeout_s);
    r.build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    write_text(tmp / "build.log", b.output);
    if (b.status != 0) {
        const fs::path failed = dir.string() + ".failed";
        fs::remove_all(failed, ec);
        fs::rename(tmp, failed, ec);
        throw Error(fmt::format("verilator {} building the int8 RTL ({}): {}", b.timed_out ? "timed out" : "failed",
                                (failed / "build.log").string(), first_error(b.output)));
    }
    fs::remove_all(dir, ec);
    fs::rename(tmp, dir, ec);
    if (ec) throw Error(fmt::format("{}: cannot move the build into the cache ({})", dir.string(), ec.message()));
    return sim;
}

}  // namespace

fs::path rtl_cache_dir(const Int8RtlRunOptions& o) {
    if (!o.cache_dir.empty()) return o.cache_dir;
    if (const char* e = std::getenv("SCNN_CACHE_DIR"); e != nullptr && *e != '\0') return fs::path(e);
    if (const char* e = std::getenv("XDG_CACHE_HOME"); e != nullptr && *e != '\0') return fs::path(e) / "scnn";
    if (const char* e = std::getenv("HOME"); e != nullptr && *e != '\0') return fs::path(e) / ".cache" / "scnn";
    return fs::temp_directory_path() / "scnn-cache";
}

Int8RtlRunResult run_int8_rtl(const int8::QuantizedNetwork& qnet, const Int8Rtl& plan, const io::Dataset& data,
                              std::int64_t limit, const Int8RtlRunOptions& o) {
    if (data.pixels_per_image() != plan.input_size) {
        throw Error(fmt::format("dataset '{}' has {} pixels per image but the int8 RTL takes {}", data.name,
                                data.pixels_per_image(), plan.input_size));
    }
    Int8RtlRunResult r;
    r.images = limit > 0 ? std::min(limit, data.count) : data.count;
    r.predicted_cycles = plan.cycles;
    const fs::path sim = build_model(plan, o, r);
    const fs::path work = sim.parent_path().parent_path() / fmt::format("run{}", ::getpid());
    std::error_code ec;
    fs::create_directories(work, ec);
    const std::string images(reinterpret_cast<const char*>(data.pixels.data()),
                             std::size_t(r.images * data.pixels_per_image()));
    write_text(work / "images.bin", images);
    const auto start = std::chrono::steady_clock::now();
    const ShellResult s = run_shell(fmt::format("{} {} {} {} {}", shell_quote(sim.string()),
                                                shell_quote((work / "images.bin").string()), r.images,
                                                shell_quote((work / "out.txt").string()), 100 * plan.cycles + 1000),
                                    o.run_timeout_s);
    r.simulation_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::ifstream out(work / "out.txt");
    std::stringstream text;
    text << out.rdbuf();
    fs::remove_all(work, ec);
    if (s.status != 0) {
        throw Error(fmt::format("the int8 RTL simulation {} (status {}): {}", s.timed_out ? "timed out" : "failed",
                                s.status, last_lines(text.str() + s.output, 2)));
    }
    for (std::int64_t n = 0; n < r.images; ++n) {
        const auto expect = int8::run(qnet, int8::quantize_input(qnet, ref::pixels_to_input(data.image(n))));
        std::vector<int> got(std::size_t(plan.classes));
        int cls = -1;
        std::int64_t cycles = 0;
        for (int& v : got) text >> v;
        text >> cls >> cycles;
        if (!text) throw Error(fmt::format("the int8 RTL simulation printed no result for image {}", n));
        int bad = -1;
        for (int k = 0; k < plan.classes && bad < 0; ++k) {
            if (got[std::size_t(k)] != int(expect[std::size_t(k)])) bad = k;
        }
        if (bad < 0 && cls != int8::argmax(expect)) bad = plan.classes;  // the class output differs
        if (bad >= 0 && r.mismatches++ == 0) {
            r.first_mismatch_image = n;
            r.first_mismatch_class = bad;
            r.first_mismatch_rtl = bad < plan.classes ? got[std::size_t(bad)] : cls;
            r.first_mismatch_expected = bad < plan.classes ? int(expect[std::size_t(bad)]) : int8::argmax(expect);
        }
        r.cycles_per_inference = std::max(r.cycles_per_inference, cycles);
        r.predictions.push_back(cls);
        r.correct += cls == int(data.labels[std::size_t(n)]);
    }
    return r;
}

}  // namespace scnn::codegen::verilog
