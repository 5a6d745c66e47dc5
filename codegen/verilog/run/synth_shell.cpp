#include "codegen/verilog/run/synth_shell.hpp"

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "engine/ir/error.hpp"

namespace scnn::codegen::verilog {

std::string shell_quote(const std::string& s) {
    std::string q = "'";
    for (const char c : s) {
        if (c == '\'') {
            q += "'\\''";
        } else {
            q += c;
        }
    }
    return q + "'";
}

ShellResult run_shell(const std::string& command, double timeout_s) {
    const std::string full = fmt::format("timeout -k 5 {:.0f} /bin/sh -c {} 2>&1", std::max(1.0, timeout_s),
                                         shell_quote(command));
    FILE* pipe = popen(full.c_str(), "r");
    if (pipe == nullptr) throw Error(fmt::format("cannot start a shell for: {}", command));
    ShellResult r;
    std::array<char, 4096> chunk{};
    std::size_t n = 0;
    while ((n = std::fread(chunk.data(), 1, chunk.size(), pipe)) > 0) r.output.append(chunk.data(), n);
    const int raw = pclose(pipe);
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + (WIFSIGNALED(raw) ? WTERMSIG(raw) : 0);
    r.timed_out = r.status == 124 || r.status == 137;
    return r;
}

std::string last_lines(const std::string& text, int n) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (!line.empty()) lines.push_back(line);
    }
    std::string joined;
    const std::size_t first = lines.size() > std::size_t(n) ? lines.size() - std::size_t(n) : 0;
    for (std::size_t i = first; i < lines.size(); ++i) joined += (joined.empty() ? "" : " | ") + lines[i];
    return joined.empty() ? "(no output)" : joined;
}

bool have_program(const std::string& program) {
    return run_shell("command -v " + shell_quote(program) + " >/dev/null", 10).status == 0;
}

}  // namespace scnn::codegen::verilog
