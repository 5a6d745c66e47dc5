#include "tests/fuzz/harness.hpp"

#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/io/dataset.hpp"
#include "engine/io/onnx_import.hpp"
#include "engine/io/plan_json.hpp"
#include "engine/ir/error.hpp"
#include "engine/ref/float_exec.hpp"

namespace scnn::fuzz {

namespace {

// The contract for bad input: exactly one non-empty line.
std::string checked_message(const scnn::Error& e) {
    const std::string msg = e.what();
    if (msg.empty()) throw std::logic_error("scnn::Error with an empty message");
    if (msg.find_first_of("\n\r") != std::string::npos) {
        throw std::logic_error("scnn::Error message spans more than one line: " + msg);
    }
    return msg;
}

void expect(bool ok, const std::string& what) {
    if (!ok) throw std::logic_error("imported network breaks an invariant: " + what);
}

// What the executors and emitters take for granted about an imported network.
void check_network(const ir::Network& net) {
    expect(!net.layers.empty(), "no layers");
    ir::Shape prev = net.input;
    expect(prev.c >= 1 && prev.h >= 1 && prev.w >= 1, "input shape");
    for (const auto& l : net.layers) {
        expect(l.in == prev, l.name + ": input shape differs from the previous output");
        expect(l.out.c >= 1 && l.out.h >= 1 && l.out.w >= 1, l.name + ": output shape");
        expect(ir::infer_shape(l.op, l.in).size() == l.out.size(), l.name + ": inferred output size");
        if (const auto* d = std::get_if<ir::Dense>(&l.op)) {
            expect(d->in == l.in.size() && d->out == l.out.size(), l.name + ": dense sizes");
            expect(d->w.size() == std::size_t(d->in) * std::size_t(d->out) && d->b.size() == std::size_t(d->out),
                   l.name + ": dense weights");
        } else if (const auto* c = std::get_if<ir::Conv2d>(&l.op)) {
            expect(c->w.size() == std::size_t(c->out_c) * std::size_t(c->in_c) * std::size_t(c->kh) *
                                      std::size_t(c->kw) &&
                       c->b.size() == std::size_t(c->out_c),
                   l.name + ": conv weights");
        } else if (const auto* a = std::get_if<ir::Affine>(&l.op)) {
            expect(a->scale.size() == std::size_t(l.in.c) && a->shift.size() == a->scale.size(),
                   l.name + ": affine channels");
        }
        prev = l.out;
    }
}

std::int64_t total_macs(const ir::Network& net) {
    std::int64_t macs = 0;
    for (const auto& l : net.layers) macs += ir::mac_count(l) + l.out.size();
    return macs;
}

std::string temp_dir() {
    if (::access("/dev/shm", W_OK) == 0) return "/dev/shm";
    return std::filesystem::temp_directory_path().string();
}

// A file that exists for the duration of one harness call.
class TempFile {
public:
    TempFile(const std::string& tag, std::string_view bytes, bool gz)
        : path_(temp_dir() + "/scnn-fuzz-" + std::to_string(::getpid()) + "-" + tag) {
        if (gz) {
            gzFile f = gzopen(path_.c_str(), "wb");
            if (f == nullptr) throw std::runtime_error("cannot create " + path_);
            if (!bytes.empty()) gzwrite(f, bytes.data(), unsigned(bytes.size()));
            gzclose(f);
        } else {
            std::FILE* f = std::fopen(path_.c_str(), "wb");
            if (f == nullptr) throw std::runtime_error("cannot create " + path_);
            std::fwrite(bytes.data(), 1, bytes.size(), f);
            std::fclose(f);
        }
    }
    ~TempFile() { std::remove(path_.c_str()); }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

std::int64_t limit_of(unsigned bits) {
    constexpr std::int64_t limits[4] = {0, 1, 2, 7};
    return limits[bits & 3];
}

// A dataset a reader accepted: at least `min_count` images, and every size consistent.
void check_dataset(const io::Dataset& d, std::int64_t min_count, const char* what) {
    expect(d.count >= min_count && d.pixels.size() == std::size_t(d.count * d.pixels_per_image()) &&
               d.labels.size() == std::size_t(d.count),
           what);
}

}  // namespace

std::string onnx(const std::uint8_t* data, std::size_t size) {
    ir::Network net;
    try {
        net = io::import_onnx_bytes({reinterpret_cast<const char*>(data), size}, "fuzz.onnx");
    } catch (const scnn::Error& e) {
        return checked_message(e);
    }
    check_network(net);
    if (total_macs(net) <= 1'000'000) {
        const std::vector<float> x(std::size_t(net.input.size()), 0.5f);
        const auto y = ref::run(net, x);
        expect(std::int64_t(y.size()) == net.output().size(), "reference output size");
    }
    return "";
}

std::string idx(const std::uint8_t* data, std::size_t size) {
    if (size < 3) return "";
    const unsigned flags = data[0];
    std::size_t labels_len = (std::size_t{data[1]} << 8) | data[2];
    const std::string_view rest(reinterpret_cast<const char*>(data) + 3, size - 3);
    if (labels_len > rest.size()) labels_len = rest.size();
    TempFile labels("labels", rest.substr(0, labels_len), (flags & 2) != 0);
    TempFile images("images", rest.substr(labels_len), (flags & 1) != 0);
    try {
        check_dataset(io::read_idx(images.path(), labels.path(), limit_of(flags >> 2)), 0, "IDX dataset sizes");
    } catch (const scnn::Error& e) {
        return checked_message(e);
    }
    return "";
}

std::string csv(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return "";
    const unsigned flags = data[0];
    TempFile file("csv", {reinterpret_cast<const char*>(data) + 1, size - 1}, (flags & 1) != 0);
    try {
        check_dataset(io::read_csv(file.path(), limit_of(flags >> 1)), 1, "CSV dataset sizes");
    } catch (const scnn::Error& e) {
        return checked_message(e);
    }
    return "";
}

std::string plan_json(const std::uint8_t* data, std::size_t size) {
    std::string text;
    try {
        const auto plan = io::plan_from_json(std::string(reinterpret_cast<const char*>(data), size));
        text = io::plan_to_json(plan);
    } catch (const scnn::Error& e) {
        return checked_message(e);
    }
    try {
        expect(io::plan_to_json(io::plan_from_json(text)) == text, "plan JSON round trip changes the plan");
    } catch (const scnn::Error& e) {
        throw std::logic_error(std::string("an accepted plan does not read back: ") + e.what());
    }
    return "";
}

std::string idx_input(const std::string& images, const std::string& labels, unsigned flags) {
    if (labels.size() > 0xffff) throw std::invalid_argument("idx_input: labels file above 65535 bytes");
    std::string in;
    in += char(flags);
    in += char(labels.size() >> 8);
    in += char(labels.size() & 0xff);
    return in + labels + images;
}

}  // namespace scnn::fuzz
