// Helpers for the int8 C firmware tests: emit a quantized network, build the C natively (or cross-compile
// one object), run it on images and compare with engine/int8 image by image.
#pragma once

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "codegen/c/int8_emit.hpp"
#include "engine/int8/int8_exec.hpp"
#include "engine/ref/float_exec.hpp"
#include "tests/support/run_command.hpp"

namespace scnn::test {

inline const std::string kRuntimeDir = std::string(SCNN_SOURCE_DIR) + "/firmware/runtime";

/// Writes the generated files of `qnet` into `dir`.
inline void write_model(const int8::QuantizedNetwork& qnet, const TempDir& dir) {
    for (const auto& [name, text] : codegen::c::emit_int8(qnet, {"test_firmware_int8"})) {
        std::ofstream(dir.file(name)) << text;
    }
}

/// Builds the model in `dir` with the host gcc and the test main; returns the command's result.
inline CommandResult build_native(const TempDir& dir) {
    return run_command("gcc -std=c99 -Wall -Wextra -Werror -O2 -I" + dir.path.string() + " -I" + kRuntimeDir + " " +
                       dir.file("scnn_model.c") + " " + std::string(SCNN_SOURCE_DIR) +
                       "/tests/firmware_int8/int8_main.c -o " + dir.file("model"));
}

/// One image's result: the logits and the returned class.
struct Row {
    std::vector<int> logits;
    int best = -1;
    bool operator==(const Row&) const = default;
};

/// Runs the built model on `images` (each qnet.input.size() pixels).
inline std::vector<Row> run_native(const TempDir& dir, const std::vector<std::vector<std::uint8_t>>& images,
                                   std::size_t classes) {
    {
        std::ofstream f(dir.file("images.bin"), std::ios::binary);
        for (const auto& im : images) f.write(reinterpret_cast<const char*>(im.data()), std::streamsize(im.size()));
    }
    const auto r = run_command(dir.file("model") + " " + dir.file("images.bin"));
    std::vector<Row> rows;
    std::istringstream in(r.out);
    for (std::size_t i = 0; i < images.size(); ++i) {
        Row row;
        row.logits.resize(classes);
        for (auto& v : row.logits) in >> v;
        in >> row.best;
        if (!in) break;
        rows.push_back(row);
    }
    return rows;
}

/// engine/int8 on one image, as a Row.
inline Row expected_row(const int8::QuantizedNetwork& qnet, const std::vector<std::uint8_t>& image) {
    const auto y = int8::run(qnet, int8::quantize_input(qnet, ref::pixels_to_input(image)));
    return Row{std::vector<int>(y.begin(), y.end()), int8::argmax(y)};
}

/// Number of images whose generated-C row differs from engine/int8 (a missing row counts as different);
/// `first` receives the first differing image or -1.
inline int mismatches(const int8::QuantizedNetwork& qnet, const std::vector<std::vector<std::uint8_t>>& images,
                      const std::vector<Row>& rows, int* first) {
    int bad = 0;
    *first = -1;
    for (std::size_t i = 0; i < images.size(); ++i) {
        if (i < rows.size() && rows[i] == expected_row(qnet, images[i])) continue;
        if (*first < 0) *first = int(i);
        ++bad;
    }
    return bad;
}

}  // namespace scnn::test
