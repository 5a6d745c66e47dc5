#include "cli/common.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include <fmt/core.h>

#include "engine/ir/error.hpp"

#ifndef SCNN_DEFAULT_MODELS_DIR
#define SCNN_DEFAULT_MODELS_DIR "models"
#endif

namespace scnn::cli {

namespace fs = std::filesystem;

std::string models_dir() {
    const char* env = std::getenv("SCNN_MODELS_DIR");
    if (env != nullptr && *env != '\0') return env;
    // An installed command (cmake --install) finds the models installed beside it: PREFIX/share/scnn/models.
    std::error_code ec;
    const fs::path installed = fs::read_symlink("/proc/self/exe", ec).parent_path() / "../share/scnn/models";
    if (!ec && fs::is_directory(installed, ec)) return fs::weakly_canonical(installed, ec).string();
    return SCNN_DEFAULT_MODELS_DIR;
}

std::string resolve_model(const std::string& arg) {
    if (arg.find('/') != std::string::npos || arg.ends_with(".onnx") || fs::exists(arg)) return arg;
    const std::string bundled = models_dir() + "/" + arg + ".onnx";
    if (fs::exists(bundled)) return bundled;
    throw Error(fmt::format("model '{}' is neither a file nor a bundled model in {}", arg, models_dir()));
}

void write_file_atomic(const std::string& path, const std::string& content) {
    const fs::path target(path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    // Built with append: g++ 12 -O3 flags `"." + s + "..."` with a false -Wrestrict.
    std::string name(".");
    name.append(target.filename().string()).append(".tmp.XXXXXX");
    std::string tmpl = (dir / name).string();
    const int fd = mkstemp(tmpl.data());
    if (fd < 0) throw Error(fmt::format("{}: cannot create output file ({})", path, std::strerror(errno)));
    std::size_t off = 0;
    while (off < content.size()) {
        const ssize_t n = ::write(fd, content.data() + off, content.size() - off);
        if (n <= 0) {
            const int err = errno;
            ::close(fd);
            ::unlink(tmpl.c_str());
            throw Error(fmt::format("{}: write failed ({})", path, std::strerror(err)));
        }
        off += std::size_t(n);
    }
    if (::fchmod(fd, 0644) != 0 || ::close(fd) != 0 || std::rename(tmpl.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmpl.c_str());
        throw Error(fmt::format("{}: cannot write output file ({})", path, std::strerror(err)));
    }
}

namespace {
std::mutex g_progress_mutex;
}

Progress::Progress(std::string label, std::int64_t total, bool enabled)
    : label_(std::move(label)), total_(total), start_(std::chrono::steady_clock::now()), last_draw_(start_) {
    const char* env = std::getenv("SCNN_PROGRESS");
    const bool forced = env != nullptr && std::string(env) == "1";
    enabled_ = enabled && total > 0 && (forced || isatty(STDERR_FILENO) == 1);
}

Progress::~Progress() { finish(); }

void Progress::advance(std::int64_t n) {
    if (!enabled_) return;
    std::lock_guard lock(g_progress_mutex);
    done_ += n;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_draw_ > std::chrono::milliseconds(100)) {
        last_draw_ = now;
        draw(done_, false);
    }
}

void Progress::finish() {
    if (!enabled_ || finished_) return;
    std::lock_guard lock(g_progress_mutex);
    finished_ = true;
    draw(done_, true);
}

void Progress::draw(std::int64_t done, bool final) {
    constexpr int kWidth = 30;
    const double frac = total_ > 0 ? double(done) / double(total_) : 1.0;
    const int filled = int(frac * kWidth + 0.5);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double eta = frac > 0 ? secs * (1.0 - frac) / frac : 0.0;
    fmt::print(stderr, "\r{} [{}{}] {:3.0f}% {}/{} {:.1f}s{}", label_, std::string(std::size_t(filled), '#'),
               std::string(std::size_t(kWidth - filled), ' '), frac * 100.0, done, total_, secs,
               final ? "\n" : fmt::format(" eta {:.0f}s  ", eta));
    std::fflush(stderr);
}

int resolve_threads(int threads) {
    if (threads > 0) return threads;
    const unsigned hw = std::thread::hardware_concurrency();
    return hw == 0 ? 1 : int(hw);
}

void parallel_for(std::int64_t n, int threads, const std::function<void(std::int64_t)>& body) {
    const int t = int(std::min<std::int64_t>(resolve_threads(threads), std::max<std::int64_t>(n, 1)));
    if (t <= 1) {
        for (std::int64_t i = 0; i < n; ++i) body(i);
        return;
    }
    std::vector<std::thread> pool;
    std::vector<std::exception_ptr> errors(static_cast<std::size_t>(t));
    for (int k = 0; k < t; ++k) {
        pool.emplace_back([&, k] {
            try {
                for (std::int64_t i = n * k / t; i < n * (k + 1) / t; ++i) body(i);
            } catch (...) {
                errors[static_cast<std::size_t>(k)] = std::current_exception();
            }
        });
    }
    for (auto& th : pool) th.join();
    for (auto& e : errors) {
        if (e) std::rethrow_exception(e);
    }
}

}  // namespace scnn::cli
