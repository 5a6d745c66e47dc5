// The int8 C emitter's layers without weights: pooling, zero padding, clamps and lookup tables. They work
// on u = q + 128 directly: max, clamps and tables are order-preserving relabellings of q; the average
// converts its sum back to q before rounding (ties away from zero depend on the sign).
#include <fmt/format.h>

#include "codegen/c/int8_layers.hpp"

namespace scnn::codegen::c::int8_detail {

namespace {

using std::int64_t;

void write_signature(CodeWriter& w, const std::string& name) {
    w.linef("static void {}(const uint8_t *x, uint8_t *y)", name);
}

/// The average of the window: TFLite's (sum +- count/2) / count on q = u - 128, ties away from zero.
void write_average(CodeWriter& w, const int8::QLayer& q, const ir::Pool& p, bool padded, const std::string& sum_t) {
    const int64_t k = int64_t{p.kh} * p.kw;
    if (!padded) {
        w.linef("const {} s = ({})(sum - {});", sum_t, sum_t, 128 * k);
        w.linef("*y++ = (uint8_t)((s >= 0 ? (s + {0}) / {1} : (s - {0}) / {1}) + 128);", k / 2, k);
        return;
    }
    w.line("const int32_t cells = ky1 > ky0 && kx1 > kx0 ? (int32_t)(ky1 - ky0) * (kx1 - kx0) : 0;");
    w.line("int32_t s = (int32_t)sum - 128 * cells;");
    if (p.count_include_pad) {
        w.linef("const int32_t count = {};", k);
        w.linef("s += (count - cells) * {};", q.in.zero_point);
    } else {
        w.line("const int32_t count = cells;");
    }
    w.linef("int32_t v = count > 0 ? (s >= 0 ? (s + count / 2) / count : (s - count / 2) / count) : {};",
            q.in.zero_point);
    w.line("if (v < -128) v = -128;");
    w.line("if (v > 127) v = 127;");
    w.line("*y++ = (uint8_t)(v + 128);");
}

}  // namespace

void write_pool(CodeWriter& w, const int8::QLayer& q, const std::string& name, const std::string& idx_t) {
    const auto& p = std::get<ir::Pool>(q.layer.op);
    const auto& in = q.layer.in;
    const auto& out = q.layer.out;
    const bool padded = p.pad_top || p.pad_left || p.pad_bottom || p.pad_right;
    const bool max = p.kind == ir::PoolKind::Max;
    const std::string sum_t = int64_t{p.kh} * p.kw <= 128 ? "int16_t" : "int32_t";
    if (!padded) w.line("/* in place when x == y: output o reads only inputs >= o */");
    write_signature(w, name);
    CodeWriter::Block fn(w, "{");
    w.linef("{} c;", count_type(in.c));
    w.line("int oy, ox, ky, kx;");
    CodeWriter::Block c_loop(w, fmt::format("for (c = 0; c < {}; ++c) {{", in.c));
    CodeWriter::Block oy_loop(w, fmt::format("for (oy = 0; oy < {}; ++oy) {{", out.h));
    if (padded) {
        write_window_clip(w, "y", "oy", p.stride_h, p.pad_top, p.kh, in.h);
    } else {  // every window lies inside the image: walk it with pointers, no clipping
        w.linef("const uint8_t *r = x + (({0})c * {1} + ({0})(oy * {2})) * {3};", idx_t, in.h, p.stride_h, in.w);
    }
    CodeWriter::Block ox_loop(w, fmt::format("for (ox = 0; ox < {}; ++ox) {{", out.w));
    if (padded) {
        write_window_clip(w, "x", "ox", p.stride_w, p.pad_left, p.kw, in.w);
    } else {
        w.linef("const uint8_t *window = r + ({})(ox * {});", idx_t, p.stride_w);
    }
    w.line(max ? "uint8_t best = 0; /* q = -128 */" : fmt::format("{} sum = 0;", sum_t));
    {
        CodeWriter::Block ky_loop(w, padded ? "for (ky = ky0; ky < ky1; ++ky) {"
                                            : fmt::format("for (ky = 0; ky < {}; ++ky) {{", p.kh));
        if (padded) {  // indices, not pointers: ix0 may be negative
            w.linef("const {0} row = ((({0})c * {1}) + ({0})(iy0 + ky)) * {2};", idx_t, in.h, in.w);
        } else {
            w.linef("const uint8_t *row = window + ({})ky * {};", idx_t, in.w);
        }
        CodeWriter::Block kx_loop(w, padded ? "for (kx = kx0; kx < kx1; ++kx) {"
                                            : fmt::format("for (kx = 0; kx < {}; ++kx) {{", p.kw));
        w.line(padded ? fmt::format("const uint8_t u = x[row + ({})(ix0 + kx)];", idx_t) : "const uint8_t u = row[kx];");
        w.line(max ? "if (u > best) best = u;" : "sum += u;");
    }
    if (max) {
        w.line("*y++ = best;");
    } else {
        write_average(w, q, p, padded, sum_t);
    }
}

void write_zero_pad(CodeWriter& w, const int8::QLayer& q, const std::string& name, const std::string& idx_t) {
    const auto& z = std::get<ir::ZeroPad>(q.layer.op);
    const auto& in = q.layer.in;
    const auto& out = q.layer.out;
    write_signature(w, name);
    CodeWriter::Block fn(w, "{");
    w.linef("{} i;", idx_t);
    w.linef("{} c;", count_type(in.c));
    w.line("int iy, ix;");
    w.linef("for (i = 0; i < {}; ++i) y[i] = {}; /* the zero point */", out.size(), q.in.zero_point + 128);
    CodeWriter::Block c_loop(w, fmt::format("for (c = 0; c < {}; ++c) {{", in.c));
    CodeWriter::Block y_loop(w, fmt::format("for (iy = 0; iy < {}; ++iy) {{", in.h));
    w.linef("uint8_t *row = y + (({0})c * {1} + ({0})(iy + {2})) * {3} + {4};", idx_t, out.h, z.top, out.w, z.left);
    w.linef("for (ix = 0; ix < {}; ++ix) row[ix] = *x++;", in.w);
}

void write_clamp(CodeWriter& w, const int8::QLayer& q, const std::string& name, const std::string& idx_t) {
    const int lo = q.act_min + 128, hi = q.act_max + 128;
    write_signature(w, name);
    CodeWriter::Block fn(w, "{");
    w.linef("{} i;", idx_t);
    CodeWriter::Block loop(w, fmt::format("for (i = 0; i < {}; ++i) {{", q.layer.in.size()));
    w.line("uint8_t u = x[i];");
    if (lo > 0) w.linef("if (u < {0}) u = {0};", lo);
    if (hi < 255) w.linef("if (u > {0}) u = {0};", hi);
    w.line("y[i] = u;");
}

void write_lookup(CodeWriter& w, const int8::QLayer& q, const std::string& name, const std::string& idx_t) {
    std::vector<int64_t> lut(256);
    for (std::size_t i = 0; i < 256; ++i) lut[i] = int64_t{q.lut[i]} + 128;
    write_table(w, "output u indexed by input u", "uint8_t", name + "_lut", lut);
    write_signature(w, name);
    CodeWriter::Block fn(w, "{");
    w.linef("{} i;", idx_t);
    w.linef("for (i = 0; i < {}; ++i) y[i] = SCNN_RD_U8(&{}_lut[x[i]]);", q.layer.in.size(), name);
}

}  // namespace scnn::codegen::c::int8_detail
