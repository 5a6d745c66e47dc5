// Runs the scnn binary (or any shell command) in tests and captures exit status, stdout and stderr.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace scnn::test {

struct CommandResult {
    int status = -1;  ///< exit status (128 + signal if killed)
    std::string out, err;
};

/// A temporary directory removed at scope exit.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "scnn-test-XXXXXX").string();
        path = ::mkdtemp(tmpl.data());
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] std::string file(const std::string& name) const { return (path / name).string(); }
};

inline std::string slurp(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

/// Runs `args` (already shell-quoted) through /bin/sh with stdin from /dev/null.
inline CommandResult run_command(const std::string& args) {
    TempDir t;
    const std::string cmd = args + " </dev/null >" + t.file("out") + " 2>" + t.file("err");
    const int raw = std::system(cmd.c_str());
    CommandResult r;
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
    r.out = slurp(t.file("out"));
    r.err = slurp(t.file("err"));
    return r;
}

/// Runs the scnn binary under test with `args`.
inline CommandResult run_scnn(const std::string& args) { return run_command(std::string(SCNN_BINARY) + " " + args); }

}  // namespace scnn::test
