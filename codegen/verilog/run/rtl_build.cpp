#include "codegen/verilog/run/rtl_build.hpp"

#include <fmt/core.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "codegen/common/output_dir.hpp"
#include "engine/ir/error.hpp"

namespace scnn::codegen::verilog {

namespace fs = std::filesystem;

namespace {

std::uint64_t fnv1a(std::uint64_t h, std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
    return h;
}

std::string quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

void require_tool(const std::string& tool, const std::string& package) {
    if (std::system(fmt::format("command -v {} >/dev/null 2>&1", tool).c_str()) != 0)
        throw Error(fmt::format("'{}' was not found: install the Debian package {} (scripts/install-deps.sh)", tool,
                                package));
}

}  // namespace

int run_in(const std::string& dir, const std::string& command, int timeout_s, const std::string& log) {
    const std::string sh =
        fmt::format("cd {} && timeout -k 5 {} {} >{} 2>&1", quote(dir), timeout_s, command, quote(log));
    const int st = std::system(sh.c_str());
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

std::string cache_root(const std::string& dir) {
    if (!dir.empty()) return dir;
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return (fs::path(x) / "scnn" / "rtl").string();
    if (const char* h = std::getenv("HOME"); h && *h) return (fs::path(h) / ".cache" / "scnn" / "rtl").string();
    return (fs::temp_directory_path() / "scnn-rtl-cache").string();
}

BuiltDesign build_design(const ScDesign& design, const std::string& simulator, bool trace, const std::string& cache,
                         int jobs) {
    const bool verilator = simulator == "verilator";
    if (verilator) require_tool("verilator", "verilator");
    else if (simulator == "iverilog") require_tool("iverilog", "iverilog");
    else throw Error(fmt::format("--simulator '{}': use verilator or iverilog", simulator));
    std::uint64_t h = 0xcbf29ce484222325ULL;
    h = fnv1a(h, simulator + (trace ? "+trace" : "") + "|build-v2");
    for (const auto& f : design.files) h = fnv1a(fnv1a(h, f.path), f.content);
    BuiltDesign b;
    b.dir = fs::absolute(fs::path(cache_root(cache)) / fmt::format("{}-f{}-{:016x}", simulator, design.fold, h)).string();
    b.executable = verilator ? (fs::path(b.dir) / "obj" / "Vscnn_top").string() : (fs::path(b.dir) / "sim.vvp").string();
    if (fs::exists(b.executable)) return b;
    const auto t0 = std::chrono::steady_clock::now();
    std::error_code ec;
    fs::create_directories(fs::path(b.dir).parent_path(), ec);
    if (fs::exists(b.dir)) fs::remove_all(b.dir, ec);  // an interrupted build: start again
    {
        OutputDir out(b.dir);
        for (const auto& f : design.files) out.write(f.path, f.content);
        std::string srcs;
        for (const auto& s : design.sources) srcs += " " + s;
        std::string cmd;
        if (verilator) {
            // C++ optimisation: -O1 for the per-clock code, -O0 for the once-only (initial, ROM loading)
            // code. A large design becomes tens of MB of straight-line C++ (every PE of a generate loop is
            // its own code); at -O2 g++ needs several times longer for little simulation speed.
            cmd = fmt::format("verilator -Wall --cc --exe --build -j {} -O3 --x-assign fast --x-initial fast {} "
                              "--top-module scnn_top -Mdir obj -o Vscnn_top -MAKEFLAGS 'OPT_FAST=-O1 OPT_SLOW=-O0 "
                              "OPT_GLOBAL=-O1'{} tb/scnn_tb.cpp",
                              jobs, trace ? "--trace" : "", srcs);
        } else {
            cmd = fmt::format("iverilog -g2005 -o sim.vvp -s scnn_tb{} tb/scnn_tb.v", srcs);
        }
        const std::string log = (out.staging() / "build.log").string();
        const int st = run_in(out.staging().string(), cmd, 3600, log);
        if (st != 0) {
            const std::string kept = b.dir + ".build.log";
            fs::copy_file(log, kept, fs::copy_options::overwrite_existing, ec);
            throw Error(fmt::format("{} build of the design failed (status {}): '{}'; log in {}", simulator, st, cmd,
                                    kept));
        }
        out.commit();
    }
    b.built = true;
    b.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return b;
}

}  // namespace scnn::codegen::verilog
