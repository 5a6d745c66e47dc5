// Building a firmware folder with make and running it on its target: a native process, the project's
// libsimavr runner (scnn-avr-run) or qemu-system-arm. Every external program runs under a timeout.
#include <fmt/core.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "codegen/c/project.hpp"
#include "codegen/c/run/run_c.hpp"
#include "engine/ir/error.hpp"

namespace scnn::codegen::c {

namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& p) {
    std::ifstream f(p);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

std::string last_lines(const std::string& text, int n) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);)
        if (!l.empty()) lines.push_back(l);
    std::string out;
    for (std::size_t i = lines.size() > std::size_t(n) ? lines.size() - std::size_t(n) : 0; i < lines.size(); ++i)
        out += (out.empty() ? "" : " | ") + lines[i];
    return out;
}

bool have_program(const std::string& prog) {
    return std::system(fmt::format("command -v {} >/dev/null 2>&1", prog).c_str()) == 0;
}

void require_program(const std::string& prog, const std::string& package) {
    if (!have_program(prog))
        throw Error(fmt::format("'{}' not found: install the Debian package {} (scripts/install-deps.sh)", prog, package));
}

int run_shell(const std::string& cmd) {
    const int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

std::string quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

std::string avr_runner() {
    if (const char* e = std::getenv("SCNN_AVR_RUNNER"); e && *e) return e;
#ifdef SCNN_AVR_RUNNER
    return SCNN_AVR_RUNNER;
#else
    return "scnn-avr-run";
#endif
}

}  // namespace

std::pair<std::int64_t, std::int64_t> build_firmware(const std::string& dir, const TargetSpec& t) {
    require_program("make", "make");
    require_program(toolchain_compiler(t), toolchain_package(t));
    const fs::path log = fs::path(dir) / "build.log";
    if (run_shell(fmt::format("timeout 600 make -C {} > {} 2>&1", quote(dir), quote(log.string()))) != 0) {
        const std::string text = read_text(log);
        if (text.find("overflowed by") != std::string::npos || text.find("will not fit") != std::string::npos)
            throw Error(fmt::format("the firmware does not fit the {}: {}", t.chip, last_lines(text, 2)));
        throw Error(fmt::format("building the {} firmware failed: {}", t.name, last_lines(text, 3)));
    }
    if (t.name == "host") return {0, 0};
    const std::string size_tool = t.name == "avr" ? "avr-size" : "arm-none-eabi-size";
    const fs::path sz = fs::path(dir) / "size.txt";
    run_shell(fmt::format("{} -A {} > {} 2>&1", size_tool, quote((fs::path(dir) / build_product(t)).string()),
                          quote(sz.string())));
    std::int64_t data = 0, bss = 0, text = 0;
    std::istringstream in(read_text(sz));
    for (std::string l; std::getline(in, l);) {
        std::istringstream ls(l);
        std::string name;
        std::int64_t size = 0;
        if (!(ls >> name >> size)) continue;
        if (name == ".data") data += size;
        else if (name == ".bss") bss += size;
        else if (name == ".text" || name == ".isr_vector" || name == ".rodata" || name == ".ARM.exidx" ||
                 name == ".init_array" || name == ".fini_array")
            text += size;
    }
    return {data + bss, text + data};
}

TargetRun run_firmware(const std::string& dir, const TargetSpec& t, const std::vector<std::uint8_t>& pixels,
                       std::int64_t count, std::int64_t input_size, std::int64_t classes, std::int64_t margin,
                       std::int64_t cycle_limit, int timeout_s) {
    const fs::path d(dir), images = d / "images.bin", out = d / "results.txt", err = d / "run.log";
    {
        std::ofstream f(images, std::ios::binary);
        f.write(reinterpret_cast<const char*>(pixels.data()), std::streamsize(count * input_size));
        if (!f) throw Error(fmt::format("cannot write '{}'", images.string()));
    }
    std::string cmd;
    if (t.name == "host") {
        cmd = fmt::format("timeout {} {} {} < {} > {} 2> {}", timeout_s, quote((d / "scnn_fw").string()), margin,
                          quote(images.string()), quote(out.string()), quote(err.string()));
    } else if (t.name == "avr") {
        const std::string runner = avr_runner();
        if (!fs::exists(runner) && !have_program(runner))
            throw Error(fmt::format("the AVR runner '{}' is missing: build it (target scnn-avr-run; needs the Debian "
                                    "packages simavr libsimavr-dev libelf-dev, scripts/install-deps.sh)",
                                    runner));
        cmd = fmt::format("timeout {} {} {} {} {} {} {} {} {} > {} 2> {}", timeout_s, quote(runner),
                          quote((d / "scnn_fw.elf").string()), quote(images.string()), count, input_size, classes,
                          margin, cycle_limit, quote(out.string()), quote(err.string()));
    } else {
        require_program("qemu-system-arm", "qemu-system-arm");
        {
            std::ofstream a(d / "args.txt");
            a << margin << "\n";
        }
        cmd = fmt::format("cd {} && timeout {} qemu-system-arm -M lm3s6965evb -nographic -monitor none -serial none "
                          "-icount shift=0 -semihosting-config enable=on,target=native -kernel scnn_fw.elf "
                          "< /dev/null > {} 2> {}",
                          quote(dir), timeout_s, quote(out.string()), quote(err.string()));
    }
    const int rc = run_shell(cmd);
    if (rc == 124) throw Error(fmt::format("the {} firmware ran past the time limit of {} s", t.name, timeout_s));
    if (rc != 0) {
        const std::string e = last_lines(read_text(err), 1);
        throw Error(fmt::format("the {} firmware failed (exit {}): {}", t.name, rc,
                                e.empty() ? last_lines(read_text(out), 1) : e));
    }
    TargetRun run;
    std::istringstream in(read_text(out));
    double insns_per_tick = 1;
    for (std::string l; std::getline(in, l);) {
        std::istringstream ls(l);
        if (l.rfind("calib ", 0) == 0) {  // Cortex-M: SysTick ticks of a loop of known instruction count
            std::string w;
            double ticks = 0, insns = 0;
            ls >> w >> ticks >> insns;
            if (ticks > 0) insns_per_tick = insns / ticks;
            continue;
        }
        if (l.rfind("stack ", 0) == 0) {
            std::string w;
            ls >> w >> run.stack_bytes;
            continue;
        }
        TargetImage im;
        if (!(ls >> im.prediction >> im.sc_cycles >> im.machine_cycles)) continue;
        for (std::int64_t v; ls >> v;) im.out.push_back(v);
        if (std::int64_t(im.out.size()) != classes)
            throw Error(fmt::format("the {} firmware printed a malformed line: '{}'", t.name, l));
        run.images.push_back(std::move(im));
    }
    for (auto& im : run.images) im.machine_cycles = std::int64_t(double(im.machine_cycles) * insns_per_tick + 0.5);
    if (std::int64_t(run.images.size()) != count)
        throw Error(fmt::format("the {} firmware answered {} of {} images: {}", t.name, run.images.size(), count,
                                last_lines(read_text(err), 2)));
    return run;
}

}  // namespace scnn::codegen::c
