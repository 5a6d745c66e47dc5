// Running external tools (verilator, yosys, a verilated model) from the hardware runners: one shell command
// under `timeout`, its stdout and stderr captured together.
#pragma once

#include <string>

namespace scnn::codegen::verilog {

struct ShellResult {
    int status = -1;       ///< exit status; 124 or 137 when the timeout killed it
    bool timed_out = false;
    std::string output;    ///< stdout and stderr, interleaved
};

/// Runs `command` with /bin/sh under `timeout` (seconds, > 0). Never throws for a failing command; throws
/// scnn::Error only if the shell cannot be started.
ShellResult run_shell(const std::string& command, double timeout_s);

/// Single-quoted for /bin/sh.
std::string shell_quote(const std::string& s);

/// The last `n` non-empty lines of `text`, joined with " | " into one line (for one-line error messages).
std::string last_lines(const std::string& text, int n);

/// Is `program` on PATH?
bool have_program(const std::string& program);

}  // namespace scnn::codegen::verilog
