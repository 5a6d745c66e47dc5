#include "codegen/c/int8_layers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "engine/ir/error.hpp"

namespace scnn::codegen::c::int8_detail {

namespace {

using std::int64_t;
using std::size_t;
using Values = std::vector<int64_t>;

int64_t row_sum(const std::vector<std::int8_t>& w, size_t first, size_t n) {
    int64_t s = 0;
    for (size_t i = first; i < first + n; ++i) s += w[i];
    return s;
}

int64_t row_abs_sum(const std::vector<std::int8_t>& w, size_t first, size_t n) {
    int64_t s = 0;
    for (size_t i = first; i < first + n; ++i) s += std::abs(int(w[i]));
    return s;
}

/// Offset of the input zero point in the u domain: x - zp_in = u - zpo.
int64_t zpo(const int8::QLayer& q) { return int64_t{q.in.zero_point} + 128; }

void write_requant_tables(CodeWriter& w, const int8::QLayer& q, const std::string& name) {
    write_table(w, "requantization multipliers, Q0.31", "int32_t", name + "_mult",
                Values(q.multiplier.begin(), q.multiplier.end()));
    write_table(w, "requantization shifts (> 0: left)", "int8_t", name + "_shift",
                Values(q.shift.begin(), q.shift.end()));
}

std::string requant_call(const int8::QLayer& q, const std::string& name, const std::string& acc, const std::string& c) {
    return fmt::format("scnn_requant({}, SCNN_RD_I32(&{}_mult[{}]), SCNN_RD_I8(&{}_shift[{}]), {}, {}, {})", acc, name,
                       c, name, c, q.out.zero_point, q.act_min, q.act_max);
}

void check_channels(const int8::QLayer& q, int64_t weights, int64_t channels, int64_t fan_in) {
    const auto n = [](const auto& v) { return int64_t(v.size()); };
    if (n(q.w) != weights || n(q.bias) != channels || n(q.multiplier) != channels || n(q.shift) != channels) {
        throw Error(fmt::format("layer '{}': quantized parameters do not match its shape", q.layer.name));
    }
    for (size_t c = 0; c < size_t(channels); ++c) {
        if (q.multiplier[c] < 0 || q.shift[c] < -31 || q.shift[c] > 30) {
            throw Error(fmt::format("layer '{}': requantization multiplier or shift out of range", q.layer.name));
        }
        const int64_t worst = 255 * row_abs_sum(q.w, c * size_t(fan_in), size_t(fan_in)) + std::abs(int64_t{q.bias[c]});
        if (worst > INT32_MAX)
            throw Error(fmt::format("layer '{}': the int32 accumulator could overflow", q.layer.name));
    }
}

}  // namespace

std::string comment_safe(const std::string& text) {
    std::string s;
    for (char ch : text) {
        if (ch == '/' && !s.empty() && s.back() == '*') s += ' ';
        s += (ch >= 32 && ch < 127) ? ch : '?';
    }
    return s;
}

void write_window_clip(CodeWriter& w, const std::string& axis, const std::string& o, int stride, int pad, int k,
                       int size) {
    w.linef("const int i{0}0 = {1} * {2} - {3};", axis, o, stride, pad);
    w.linef("const int k{0}0 = i{0}0 < 0 ? -i{0}0 : 0;", axis);
    w.linef("const int k{0}1 = i{0}0 + {1} > {2} ? {2} - i{0}0 : {1};", axis, k, size);
}

void check_layer(const int8::QLayer& q) {
    const auto& L = q.layer;
    for (const auto& s : {L.in, L.out}) {
        if (s.c > 32767 || s.h > 32767 || s.w > 32767) {
            throw Error(fmt::format("layer '{}': a dimension above 32767 ({})", L.name, ir::to_string(s)));
        }
    }
    const auto in_range = [](std::int32_t v) { return v >= -128 && v <= 127; };
    if (!in_range(q.in.zero_point) || !in_range(q.out.zero_point) || !in_range(q.act_min) || !in_range(q.act_max) ||
        q.act_min > q.act_max) {
        throw Error(fmt::format("layer '{}': zero point or clamp range outside int8", L.name));
    }
    if (const auto* d = std::get_if<ir::Dense>(&L.op)) {
        if (d->in > 65535) throw Error(fmt::format("layer '{}': a dense layer with more than 65535 inputs", L.name));
        check_channels(q, int64_t{d->in} * d->out, d->out, d->in);
    } else if (const auto* c = std::get_if<ir::Conv2d>(&L.op)) {
        check_channels(q, int64_t{c->out_c} * c->in_c * c->kh * c->kw, c->out_c, int64_t{c->in_c} * c->kh * c->kw);
    } else if (std::holds_alternative<ir::Affine>(L.op)) {
        check_channels(q, L.in.c, L.in.c, 1);
    } else if (std::holds_alternative<ir::Tanh>(L.op) || std::holds_alternative<ir::Sigmoid>(L.op)) {
        if (q.lut.size() != 256) throw Error(fmt::format("layer '{}': missing 256-entry lookup table", L.name));
    }
}

void add_needs(const int8::QLayer& q, KernelNeeds& needs) {
    const auto& op = q.layer.op;
    const bool dense = std::holds_alternative<ir::Dense>(op), conv = std::holds_alternative<ir::Conv2d>(op);
    if (!dense && !conv && !std::holds_alternative<ir::Affine>(op)) return;
    needs.dot_u8 = needs.dot_u8 || dense;
    needs.acc24 = needs.acc24 || conv;
    needs.requant = true;
    for (int s : q.shift) needs.left_shift = needs.left_shift || s > 0;
}

int64_t table_bytes(const int8::QLayer& q) {
    const auto& op = q.layer.op;
    if (std::holds_alternative<ir::Dense>(op) || std::holds_alternative<ir::Conv2d>(op) ||
        std::holds_alternative<ir::Affine>(op)) {
        return int64_t(q.w.size()) + 9 * int64_t(q.bias.size());  // weights; bias, multiplier (4 B), shift (1 B)
    }
    if (std::holds_alternative<ir::Tanh>(op) || std::holds_alternative<ir::Sigmoid>(op)) return 256;
    return 0;
}

int64_t largest_table_bytes(const int8::QLayer& q) {
    return std::max({int64_t(q.w.size()), 4 * int64_t(q.bias.size()), table_bytes(q) > 0 ? int64_t{256} : 0});
}

int64_t mac_count(const int8::QLayer& q) { return ir::mac_count(q.layer); }

void write_layer(CodeWriter& w, const int8::QLayer& q, const std::string& name, const std::string& idx_t) {
    const auto& op = q.layer.op;
    w.linef("/* layer '{}': {} {} -> {}; input zero point {}, output zero point {}, clamp [{}, {}] */",
            comment_safe(q.layer.name), ir::op_name(op), ir::to_string(q.layer.in), ir::to_string(q.layer.out),
            q.in.zero_point, q.out.zero_point, q.act_min, q.act_max);
    if (std::holds_alternative<ir::Dense>(op)) {
        write_dense(w, q, name);
    } else if (std::holds_alternative<ir::Conv2d>(op)) {
        write_conv(w, q, name, idx_t);
    } else if (std::holds_alternative<ir::Affine>(op)) {
        write_affine(w, q, name, idx_t);
    } else if (std::holds_alternative<ir::Pool>(op)) {
        write_pool(w, q, name, idx_t);
    } else if (std::holds_alternative<ir::ZeroPad>(op)) {
        write_zero_pad(w, q, name, idx_t);
    } else if (std::holds_alternative<ir::Relu>(op) || std::holds_alternative<ir::Clip>(op)) {
        write_clamp(w, q, name, idx_t);
    } else if (std::holds_alternative<ir::Tanh>(op) || std::holds_alternative<ir::Sigmoid>(op)) {
        write_lookup(w, q, name, idx_t);
    } else {
        throw Error(fmt::format("layer '{}': the int8 C emitter has no {} kernel", q.layer.name, ir::op_name(op)));
    }
    w.line();
}

/// Dense: acc = bias - zpo * sum(w) + sum(u * (w + 128)) - 128 * sum(u) = bias + sum((x - zp_in) * w), the
/// first two terms folded into one flash constant per output, sum(u) computed once per layer.
void write_dense(CodeWriter& w, const int8::QLayer& q, const std::string& name) {
    const auto& d = std::get<ir::Dense>(q.layer.op);
    Values wt(q.w.size()), bias(size_t(d.out));
    for (size_t i = 0; i < q.w.size(); ++i) wt[i] = int64_t{q.w[i]} + 128;
    for (size_t o = 0; o < size_t(d.out); ++o)
        bias[o] = q.bias[o] - zpo(q) * row_sum(q.w, o * size_t(d.in), size_t(d.in));
    write_table(w, fmt::format("weights + 128, [{}][{}]", d.out, d.in), "uint8_t", name + "_w", wt);
    write_table(w, "bias - (input zero point + 128) * row sum of the weights", "int32_t", name + "_bias", bias);
    write_requant_tables(w, q, name);
    w.linef("static void {}(const uint8_t *x, uint8_t *y)", name);
    CodeWriter::Block fn(w, "{");
    w.linef("const uint8_t *w = {}_w;", name);
    w.linef("const uint32_t xsum = scnn_sum_u8(x, {}) * 128u;", d.in);
    w.linef("{} o;", count_type(d.out));
    CodeWriter::Block loop(w, fmt::format("for (o = 0; o < {}; ++o) {{", d.out));
    w.line("/* |sum u * w| < 2^31: the modulo-2^32 difference is exact once read as int32_t */");
    w.linef("const int32_t acc = SCNN_RD_I32(&{}_bias[o]) + (int32_t)(scnn_dot_u8(x, w, {}) - xsum);", name, d.in);
    w.linef("y[o] = {};", requant_call(q, name, "acc", "o"));
    w.linef("w += {};", d.in);
}

/// Affine: one int8 weight per channel, acc = bias - zpo * w + u * w.
void write_affine(CodeWriter& w, const int8::QLayer& q, const std::string& name, const std::string& idx_t) {
    const auto& s = q.layer.in;
    Values wt(q.w.begin(), q.w.end()), bias(size_t(s.c));
    for (size_t c = 0; c < size_t(s.c); ++c) bias[c] = q.bias[c] - zpo(q) * q.w[c];
    write_table(w, "weights, one per channel", "int8_t", name + "_w", wt);
    write_table(w, "bias - (input zero point + 128) * weight", "int32_t", name + "_bias", bias);
    write_requant_tables(w, q, name);
    w.linef("static void {}(const uint8_t *x, uint8_t *y)", name);
    CodeWriter::Block fn(w, "{");
    w.linef("{} c;", count_type(s.c));
    w.linef("{} i;", idx_t);
    CodeWriter::Block loop(w, fmt::format("for (c = 0; c < {}; ++c) {{", s.c));
    w.linef("const int16_t wc = SCNN_RD_I8(&{}_w[c]);", name);
    w.linef("const int32_t bc = SCNN_RD_I32(&{}_bias[c]);", name);
    CodeWriter::Block inner(w, fmt::format("for (i = 0; i < {}; ++i) {{", int64_t{s.h} * s.w));
    w.linef("*y++ = {};", requant_call(q, name, "bc + (int32_t)((int16_t)*x++ * wc)", "c"));
}

}  // namespace scnn::codegen::c::int8_detail
