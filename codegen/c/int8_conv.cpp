// The int8 C emitter's convolution: direct (no im2col buffer: RAM is the scarce resource on an MCU), the
// window clipped to the image once per output position instead of testing every tap.
#include <fmt/format.h>

#include <cstdlib>

#include "codegen/c/int8_layers.hpp"
#include "engine/ir/error.hpp"

namespace scnn::codegen::c::int8_detail {

namespace {

using std::int64_t;
using std::size_t;

bool has_padding(const ir::Conv2d& c) { return c.pad_top || c.pad_left || c.pad_bottom || c.pad_right; }

/// Largest |sum over a window of u * w| over the output channels (u <= 255).
int64_t worst_window_sum(const int8::QLayer& q, size_t fan_in) {
    int64_t worst = 0;
    for (size_t oc = 0; oc < q.bias.size(); ++oc) {
        int64_t s = 0;
        for (size_t i = oc * fan_in; i < (oc + 1) * fan_in; ++i) s += 255 * std::abs(int(q.w[i]));
        worst = std::max(worst, s);
    }
    return worst;
}

/// Per output channel: acc = bias + sum over valid taps of (x - zp_in) * w = bias + sum(u * w) - zpo * sum(w),
/// with sum(w) over the valid taps. Without padding (or with zpo == 0) every window has all taps, so
/// -zpo * sum(w) is folded into the bias table; otherwise the code sums the valid taps' weights too.
void write_conv_tables(CodeWriter& w, const int8::QLayer& q, const std::string& name, bool tap_sums) {
    const auto& c = std::get<ir::Conv2d>(q.layer.op);
    const size_t fan_in = size_t(c.in_c) * size_t(c.kh) * size_t(c.kw);
    const int64_t zpo = int64_t{q.in.zero_point} + 128;
    std::vector<int64_t> wt(q.w.begin(), q.w.end()), bias(q.bias.size());
    for (size_t oc = 0; oc < bias.size(); ++oc) {
        int64_t s = 0;
        for (size_t i = oc * fan_in; i < (oc + 1) * fan_in; ++i) s += q.w[i];
        bias[oc] = tap_sums ? int64_t{q.bias[oc]} : q.bias[oc] - zpo * s;
    }
    write_table(w, fmt::format("weights, [{}][{}][{}][{}]", c.out_c, c.in_c, c.kh, c.kw), "int8_t", name + "_w", wt);
    write_table(w, tap_sums ? "bias" : "bias - (input zero point + 128) * sum of the weights", "int32_t",
                name + "_bias", bias);
    write_table(w, "requantization multipliers, Q0.31", "int32_t", name + "_mult",
                std::vector<int64_t>(q.multiplier.begin(), q.multiplier.end()));
    write_table(w, "requantization shifts (> 0: left)", "int8_t", name + "_shift",
                std::vector<int64_t>(q.shift.begin(), q.shift.end()));
}

}  // namespace

void write_conv(CodeWriter& w, const int8::QLayer& q, const std::string& name, const std::string& idx_t) {
    const auto& c = std::get<ir::Conv2d>(q.layer.op);
    const auto& in = q.layer.in;
    const auto& out = q.layer.out;
    const size_t fan_in = size_t(c.in_c) * size_t(c.kh) * size_t(c.kw);
    if (fan_in > 32767)
        throw Error(fmt::format("layer '{}': more than 32767 weights per output channel", q.layer.name));
    const int64_t zpo = int64_t{q.in.zero_point} + 128;
    const bool tap_sums = has_padding(c) && zpo != 0;
    const std::string acc_t = worst_window_sum(q, fan_in) < (int64_t{1} << 23) ? "scnn_acc24_t" : "int32_t";
    write_conv_tables(w, q, name, tap_sums);

    w.linef("static void {}(const uint8_t *x, uint8_t *y)", name);
    CodeWriter::Block fn(w, "{");
    w.linef("const int8_t *wo = {}_w;", name);
    w.linef("{} oc;", count_type(c.out_c));
    w.line("int oy, ox, ic, ky, kx;");
    CodeWriter::Block oc_loop(w, fmt::format("for (oc = 0; oc < {}; ++oc) {{", c.out_c));
    w.linef("const int32_t bias = SCNN_RD_I32(&{}_bias[oc]);", name);
    {
        CodeWriter::Block oy_loop(w, fmt::format("for (oy = 0; oy < {}; ++oy) {{", out.h));
        write_window_clip(w, "y", "oy", c.stride_h, c.pad_top, c.kh, in.h);
        CodeWriter::Block ox_loop(w, fmt::format("for (ox = 0; ox < {}; ++ox) {{", out.w));
        write_window_clip(w, "x", "ox", c.stride_w, c.pad_left, c.kw, in.w);
        w.linef("{} acc = 0;", acc_t);
        if (tap_sums) w.line("int32_t wsum = 0;");
        {
            CodeWriter::Block ic_loop(w, fmt::format("for (ic = 0; ic < {}; ++ic) {{", c.in_c));
            CodeWriter::Block ky_loop(w, "for (ky = ky0; ky < ky1; ++ky) {");
            w.linef("const {0} row = ((({0})ic * {1}) + ({0})(iy0 + ky)) * {2};", idx_t, in.h, in.w);
            w.linef("const int8_t *wr = wo + (ic * {} + ky) * {};", c.kh, c.kw);
            CodeWriter::Block kx_loop(w, "for (kx = kx0; kx < kx1; ++kx) {");
            w.line("const int8_t wv = SCNN_RD_I8(&wr[kx]);");
            w.linef("acc += (int16_t)x[row + ({})(ix0 + kx)] * wv;", idx_t);
            if (tap_sums) w.line("wsum += wv;");
        }
        const std::string acc = tap_sums ? fmt::format("bias + (int32_t)acc - {} * wsum", zpo) : "bias + (int32_t)acc";
        w.linef("*y++ = scnn_requant({}, SCNN_RD_I32(&{}_mult[oc]), SCNN_RD_I8(&{}_shift[oc]), {}, {}, {});", acc, name,
                name, q.out.zero_point, q.act_min, q.act_max);
    }
    w.linef("wo += {};", fan_in);
}

}  // namespace scnn::codegen::c::int8_detail
