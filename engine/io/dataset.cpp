#include "engine/io/dataset.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>

#include <fmt/format.h>
#include <zlib.h>

#include "engine/io/one_line.hpp"
#include "engine/ir/error.hpp"

namespace scnn::io {

namespace {

// A gzip-or-raw file read through zlib (gzread passes uncompressed files through unchanged).
class GzFile {
public:
    explicit GzFile(const std::string& path) : path_(path), f_(gzopen(path.c_str(), "rb")) {
        if (f_ == nullptr) throw Error(fmt::format("{}: cannot open ({})", path, std::strerror(errno)));
    }
    ~GzFile() { gzclose(f_); }
    GzFile(const GzFile&) = delete;
    GzFile& operator=(const GzFile&) = delete;

    /// Reads exactly n bytes or throws naming `what`.
    void read_exact(void* dst, std::size_t n, const char* what) {
        auto* p = static_cast<unsigned char*>(dst);
        while (n > 0) {
            const unsigned chunk = n > (1u << 30) ? (1u << 30) : static_cast<unsigned>(n);
            const int got = gzread(f_, p, chunk);
            if (got <= 0) {
                const int saved_errno = errno;
                int err = 0;
                const std::string msg = zlib_error(&err);
                if (err == Z_ERRNO) throw Error(fmt::format("{}: cannot read ({})", path_, std::strerror(saved_errno)));
                if (err < 0 && err != Z_BUF_ERROR) {
                    throw Error(fmt::format("{}: corrupt gzip data while reading {} ({})", path_, what, msg));
                }
                throw Error(fmt::format("{}: file ends early while reading {}", path_, what));
            }
            p += got;
            n -= static_cast<std::size_t>(got);
        }
    }
    /// Reads exactly n bytes into `v`, growing it as the data arrives: a header that promises more than the
    /// file holds fails at its end instead of allocating the promised size up front.
    void read_into(std::vector<std::uint8_t>& v, std::size_t n, const char* what) {
        constexpr std::size_t kChunk = std::size_t{1} << 24;
        v.clear();
        while (v.size() < n) {
            const std::size_t at = v.size(), len = std::min(kChunk, n - at);
            v.resize(at + len);
            read_exact(v.data() + at, len, what);
        }
    }
    std::uint32_t read_be32(const char* what) {
        unsigned char b[4];
        read_exact(b, 4, what);
        return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
    }
    /// Reads a line without its end of line; false at end of file. Throws on a read error, a NUL byte
    /// (not a text file) or a line longer than kMaxLineBytes.
    bool read_line(std::string& line, std::int64_t line_no) {
        line.clear();
        char buf[4096];
        bool got_any = false;
        errno = 0;
        while (gzgets(f_, buf, sizeof buf) != nullptr) {
            got_any = true;
            const std::size_t len = std::strlen(buf);
            // gzgets stops after a newline or a full buffer; a shorter piece without a newline before the end
            // of the file means a NUL byte cut it.
            if (len == 0 || (buf[len - 1] != '\n' && len + 1 < sizeof buf && gzeof(f_) == 0)) {
                throw Error(fmt::format("{}:{}: NUL byte in a text file", path_, line_no));
            }
            line.append(buf, len);
            if (line.back() == '\n') return strip_eol(line);
            if (line.size() > kMaxLineBytes) {
                throw Error(fmt::format("{}:{}: line longer than {} bytes", path_, line_no, kMaxLineBytes));
            }
        }
        const int saved_errno = errno;
        int err = 0;
        const std::string msg = zlib_error(&err);
        if (err == Z_ERRNO) throw Error(fmt::format("{}: cannot read ({})", path_, std::strerror(saved_errno)));
        if (err == Z_BUF_ERROR) throw Error(fmt::format("{}:{}: gzip data ends early", path_, line_no));
        if (err != Z_OK) throw Error(fmt::format("{}:{}: corrupt gzip data ({})", path_, line_no, msg));
        return got_any && strip_eol(line);
    }
    static constexpr std::size_t kMaxLineBytes = std::size_t{1} << 26;
    bool at_end() { return gzeof(f_) != 0; }

private:
    static bool strip_eol(std::string& line) {
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
        return true;
    }
    // zlib's error message without the "PATH: " it puts in front.
    std::string zlib_error(int* err) {
        std::string msg = gzerror(f_, err);
        if (msg.rfind(path_ + ": ", 0) == 0) msg.erase(0, path_.size() + 2);
        return msg;
    }

    std::string path_;
    gzFile f_;
};

std::int64_t cap(std::int64_t n, std::int64_t limit) { return limit > 0 && limit < n ? limit : n; }

}  // namespace

std::string fashion_mnist_dir() {
    const char* env = std::getenv("SCNN_FASHION_MNIST_DIR");
    return env != nullptr && *env != '\0' ? env : "/usr/share/datasets/fashion-mnist";
}

namespace {

Dataset read_idx_files(const std::string& images_path, const std::string& labels_path, std::int64_t limit) {
    Dataset d;
    GzFile img(images_path);
    const auto magic = img.read_be32("the header");
    if (magic != 0x803) {
        throw Error(fmt::format("{}: not an IDX image file (magic 0x{:x}, expected 0x803)", images_path, magic));
    }
    const auto n = img.read_be32("the header"), rows = img.read_be32("the header"), cols = img.read_be32("the header");
    if (rows == 0 || cols == 0 || rows > 4096 || cols > 4096) {
        throw Error(fmt::format("{}: absurd image size {}x{} (1..4096 each)", images_path, rows, cols));
    }
    GzFile lab(labels_path);
    const auto lmagic = lab.read_be32("the header");
    if (lmagic != 0x801) {
        throw Error(fmt::format("{}: not an IDX label file (magic 0x{:x}, expected 0x801)", labels_path, lmagic));
    }
    const auto ln = lab.read_be32("the header");
    if (ln != n) {
        throw Error(fmt::format("{}: {} labels but {} has {} images", labels_path, ln, images_path, n));
    }
    d.height = static_cast<int>(rows);
    d.width = static_cast<int>(cols);
    d.count = cap(n, limit);
    if (d.count * d.pixels_per_image() > kMaxDatasetBytes) {
        throw Error(fmt::format("{}: {} images of {}x{} exceed the {} byte limit", images_path, n, rows, cols,
                                kMaxDatasetBytes));
    }
    if (n == 0) throw Error(fmt::format("{}: no images", images_path));
    img.read_into(d.pixels, static_cast<std::size_t>(d.count * d.pixels_per_image()), "the pixels");
    lab.read_into(d.labels, static_cast<std::size_t>(d.count), "the labels");
    return d;
}

Dataset read_csv_file(const std::string& path, std::int64_t limit) {
    Dataset d;
    GzFile f(path);
    std::string line;
    std::int64_t line_no = 0;
    std::vector<long> row;
    while ((limit <= 0 || d.count < limit) && f.read_line(line, line_no + 1)) {
        ++line_no;
        if (line.empty()) continue;
        row.clear();
        const char* p = line.c_str();
        bool numeric = true;
        while (*p != '\0') {
            char* end = nullptr;
            errno = 0;
            const long v = std::strtol(p, &end, 10);
            if (end == p || errno != 0) {
                numeric = false;
                break;
            }
            row.push_back(v);
            p = end;
            while (*p == ' ' || *p == '\t') ++p;
            if (*p == ',') ++p;
            else if (*p != '\0') {
                numeric = false;
                break;
            }
        }
        if (!numeric) {
            if (line_no == 1) continue;  // a header
            throw Error(fmt::format("{}:{}: not a row of comma-separated integers", path, line_no));
        }
        if (row.size() < 2) throw Error(fmt::format("{}:{}: a row needs a label and at least one pixel", path, line_no));
        if (d.count == 0) {
            d.height = 1;
            d.width = static_cast<int>(row.size() - 1);
        } else if (static_cast<std::int64_t>(row.size() - 1) != d.pixels_per_image()) {
            throw Error(fmt::format("{}:{}: {} pixels, but the first row has {}", path, line_no, row.size() - 1,
                                    d.pixels_per_image()));
        }
        if (row[0] < 0 || row[0] > 255) throw Error(fmt::format("{}:{}: label {} outside 0..255", path, line_no, row[0]));
        d.labels.push_back(static_cast<std::uint8_t>(row[0]));
        for (std::size_t i = 1; i < row.size(); ++i) {
            if (row[i] < 0 || row[i] > 255) {
                throw Error(fmt::format("{}:{}: pixel value {} outside 0..255", path, line_no, row[i]));
            }
            d.pixels.push_back(static_cast<std::uint8_t>(row[i]));
        }
        ++d.count;
        if (d.count * d.pixels_per_image() > kMaxDatasetBytes) throw Error(fmt::format("{}: too large", path));
    }
    if (d.count == 0) throw Error(fmt::format("{}: no data rows", path));
    return d;
}

}  // namespace

// The public readers keep every message on one line, whatever the file names hold.
Dataset read_idx(const std::string& images_path, const std::string& labels_path, std::int64_t limit) {
    try {
        return read_idx_files(images_path, labels_path, limit);
    } catch (const Error& e) {
        throw Error(detail::one_line(e.what()));
    }
}

Dataset read_csv(const std::string& path, std::int64_t limit) {
    try {
        return read_csv_file(path, limit);
    } catch (const Error& e) {
        throw Error(detail::one_line(e.what()));
    }
}

Dataset load_dataset(const std::string& spec, std::int64_t limit) {
    if (limit < 0) throw Error(fmt::format("image limit must be >= 0, got {}", limit));
    Dataset d;
    if (spec == "fashion-mnist" || spec == "fashion-mnist:test" || spec == "fashion-mnist:train") {
        const std::string dir = fashion_mnist_dir();
        const std::string split = spec == "fashion-mnist:train" ? "train" : "t10k";
        d = read_idx(dir + "/" + split + "-images-idx3-ubyte.gz", dir + "/" + split + "-labels-idx1-ubyte.gz", limit);
    } else if (spec.rfind("idx:", 0) == 0) {
        const auto comma = spec.find(',', 4);
        if (comma == std::string::npos || comma == 4 || comma + 1 == spec.size()) {
            throw Error(fmt::format("dataset '{}': expected idx:IMAGES,LABELS", detail::one_line(spec)));
        }
        d = read_idx(spec.substr(4, comma - 4), spec.substr(comma + 1), limit);
    } else if (spec.rfind("csv:", 0) == 0 && spec.size() > 4) {
        d = read_csv(spec.substr(4), limit);
    } else {
        throw Error(fmt::format("unknown dataset '{}' (use fashion-mnist, fashion-mnist:train, idx:IMAGES,LABELS "
                                "or csv:PATH)",
                                detail::one_line(spec)));
    }
    d.name = spec;
    return d;
}

}  // namespace scnn::io
