// Helpers shared by the sub-commands: model lookup, atomic output files, progress bar, parallel loops.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include <CLI/CLI.hpp>

namespace scnn::cli {

/// Directory of the bundled models ($SCNN_MODELS_DIR, else PREFIX/share/scnn/models of an installed command,
/// else the source tree's models/).
std::string models_dir();

/// A model argument is a path to an .onnx file, or the name of a bundled model ("fmnist_mlp").
std::string resolve_model(const std::string& arg);

/// Name of the default bundled model used when --model is not given.
inline constexpr const char* kDefaultModel = "fmnist_mlp";

/// Writes `content` to `path` through a temporary file in the same directory and a rename, so that a
/// failure never leaves a partial file under the final name. Throws scnn::Error.
void write_file_atomic(const std::string& path, const std::string& content);

/// A one-line progress bar on stderr, drawn only when stderr is a terminal (or SCNN_PROGRESS=1) and at
/// most 10 times a second. Thread-safe `advance`.
class Progress {
public:
    Progress(std::string label, std::int64_t total, bool enabled = true);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;
    void advance(std::int64_t n = 1);
    void finish();

private:
    void draw(std::int64_t done, bool final);
    std::string label_;
    std::int64_t total_;
    bool enabled_;
    bool finished_ = false;
    std::int64_t done_ = 0;
    std::chrono::steady_clock::time_point start_, last_draw_;
};

/// Runs body(i) for i in [0, n) on `threads` threads (0 = all cores), in contiguous chunks. Exceptions from
/// the body are rethrown on the calling thread.
void parallel_for(std::int64_t n, int threads, const std::function<void(std::int64_t)>& body);

/// CLI11 range checks for counts with a short message ("Value -1 not in range 0 to 1099511627776"):
/// CLI::NonNegativeNumber and CLI::PositiveNumber print the whole range of a double.
inline const CLI::Range kCountOrZero(std::int64_t{0}, std::int64_t{1} << 40);
inline const CLI::Range kPositiveCount(std::int64_t{1}, std::int64_t{1} << 40);

/// Number of threads `threads` (0 = all cores) resolves to.
int resolve_threads(int threads);

}  // namespace scnn::cli
