// Keeps scnn::Error messages on one line: names taken from input files (ONNX node and tensor names, file
// paths) may hold newlines or other control characters. Internal to engine/io.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace scnn::io::detail {

/// `s` with every control character (0x00-0x1f, 0x7f) written as an escape: \n, \r, \t or \xNN.
inline std::string one_line(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (const char ch : s) {
        const auto u = static_cast<unsigned char>(ch);
        if (u >= 0x20 && u != 0x7f) {
            out += ch;
        } else if (ch == '\n') {
            out += "\\n";
        } else if (ch == '\r') {
            out += "\\r";
        } else if (ch == '\t') {
            out += "\\t";
        } else {
            char buf[5];
            std::snprintf(buf, sizeof buf, "\\x%02x", u);
            out += buf;
        }
    }
    return out;
}

}  // namespace scnn::io::detail
