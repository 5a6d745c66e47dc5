// Dataset readers: IDX (raw and gzip) and CSV, valid and broken files, and the Debian Fashion-MNIST package.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <zlib.h>

#include "engine/io/dataset.hpp"
#include "engine/ir/error.hpp"

namespace fs = std::filesystem;
using scnn::io::load_dataset;

namespace {

struct TempDir {
    fs::path path;
    TempDir() : path(fs::temp_directory_path() / fs::path("scnn-test-" + std::to_string(::getpid()) + "-" +
                                                          std::to_string(reinterpret_cast<std::uintptr_t>(this)))) {
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

std::string be32(std::uint32_t v) {
    return {char(v >> 24), char((v >> 16) & 0xff), char((v >> 8) & 0xff), char(v & 0xff)};
}

void write(const std::string& path, const std::string& bytes, bool gz = false) {
    if (gz) {
        gzFile f = gzopen(path.c_str(), "wb");
        gzwrite(f, bytes.data(), unsigned(bytes.size()));
        gzclose(f);
    } else {
        std::ofstream(path, std::ios::binary) << bytes;
    }
}

std::string idx_images(std::uint32_t n, std::uint32_t rows, std::uint32_t cols, std::size_t data_bytes) {
    std::string s = be32(0x803) + be32(n) + be32(rows) + be32(cols);
    for (std::size_t i = 0; i < data_bytes; ++i) s += char(i % 251);
    return s;
}

std::string idx_labels(std::uint32_t n, std::size_t data_bytes, std::uint32_t magic = 0x801) {
    std::string s = be32(magic) + be32(n);
    for (std::size_t i = 0; i < data_bytes; ++i) s += char(i % 10);
    return s;
}

std::string error_of(const std::string& spec) {
    try {
        load_dataset(spec);
    } catch (const scnn::Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("IDX pairs read raw and gzip-compressed, with a limit", "[dataset]") {
    TempDir t;
    for (bool gz : {false, true}) {
        write(t.file("img"), idx_images(3, 2, 4, 24), gz);
        write(t.file("lab"), idx_labels(3, 3), gz);
        const auto d = load_dataset("idx:" + t.file("img") + "," + t.file("lab"));
        CHECK(d.count == 3);
        CHECK(d.height == 2);
        CHECK(d.width == 4);
        CHECK(d.image(2)[1] == 17);
        CHECK(d.labels == std::vector<std::uint8_t>{0, 1, 2});
        CHECK(load_dataset("idx:" + t.file("img") + "," + t.file("lab"), 2).count == 2);
    }
}

TEST_CASE("Broken IDX files are clear errors", "[dataset][bad-input]") {
    TempDir t;
    const std::string spec = "idx:" + t.file("img") + "," + t.file("lab");
    write(t.file("img"), idx_images(3, 2, 4, 24));
    write(t.file("lab"), idx_labels(3, 3, 0x803));
    CHECK_THAT(error_of(spec), Catch::Contains("lab") && Catch::Contains("not an IDX label file"));
    write(t.file("lab"), idx_labels(4, 4));
    CHECK_THAT(error_of(spec), Catch::Contains("4 labels but") && Catch::Contains("3 images"));
    write(t.file("lab"), idx_labels(3, 3));
    write(t.file("img"), idx_images(3, 2, 4, 20));
    CHECK_THAT(error_of(spec), Catch::Contains("ends early while reading the pixels"));
    write(t.file("img"), be32(0x801) + be32(1));
    CHECK_THAT(error_of(spec), Catch::Contains("not an IDX image file"));
    write(t.file("img"), idx_images(3, 0, 4, 0));
    CHECK_THAT(error_of(spec), Catch::Contains("absurd image size"));
    write(t.file("img"), idx_images(0xffffffffu, 4096, 4096, 0));
    write(t.file("lab"), idx_labels(0xffffffffu, 0));
    CHECK_THAT(error_of(spec), Catch::Contains("limit"));
    CHECK_THAT(error_of("idx:" + t.file("missing") + "," + t.file("lab")), Catch::Contains("cannot open"));
    CHECK_THAT(error_of("idx:only-one"), Catch::Contains("idx:IMAGES,LABELS"));
    CHECK_THAT(error_of("mnist-ish"), Catch::Contains("unknown dataset"));
}

TEST_CASE("CSV: label first, optional header, gzip; bad rows are errors with a line number", "[dataset]") {
    TempDir t;
    write(t.file("ok.csv"), "label,p0,p1,p2\n3,0,128,255\n7, 1, 2, 3\n", false);
    auto d = load_dataset("csv:" + t.file("ok.csv"));
    CHECK(d.count == 2);
    CHECK(d.pixels_per_image() == 3);
    CHECK(d.labels == std::vector<std::uint8_t>{3, 7});
    CHECK(d.image(0)[2] == 255);
    write(t.file("ok.csv.gz"), "1,2,3\n4,5,6\n", true);
    CHECK(load_dataset("csv:" + t.file("ok.csv.gz")).count == 2);

    write(t.file("bad1.csv"), "1,2,3\n4,5\n");
    CHECK_THAT(error_of("csv:" + t.file("bad1.csv")), Catch::Contains("bad1.csv:2") && Catch::Contains("1 pixels"));
    write(t.file("bad2.csv"), "1,2,3\n4,x,6\n");
    CHECK_THAT(error_of("csv:" + t.file("bad2.csv")), Catch::Contains("bad2.csv:2"));
    write(t.file("bad3.csv"), "1,2,300\n");
    CHECK_THAT(error_of("csv:" + t.file("bad3.csv")), Catch::Contains("outside 0..255"));
    write(t.file("empty.csv"), "");
    CHECK_THAT(error_of("csv:" + t.file("empty.csv")), Catch::Contains("no data rows"));
}

TEST_CASE("Fashion-MNIST from the Debian package", "[dataset][fashion-mnist]") {
    const auto test = load_dataset("fashion-mnist");
    CHECK(test.count == 10000);
    CHECK(test.height == 28);
    CHECK(test.width == 28);
    std::array<int, 10> per_class{};
    for (auto l : test.labels) {
        REQUIRE(l < 10);
        ++per_class[l];
    }
    for (int c : per_class) CHECK(c == 1000);
    CHECK(load_dataset("fashion-mnist:train", 100).count == 100);
}
