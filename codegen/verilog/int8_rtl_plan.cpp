#include "codegen/verilog/int8_rtl_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "engine/int8/int8_exec.hpp"
#include "engine/ir/error.hpp"
#include "engine/ref/float_exec.hpp"

namespace scnn::codegen::verilog {

namespace {

/// Adds a Dense or Conv2d layer as a Mac step over `taps` inputs per output pixel: weight rows (group-major,
/// P lanes, zero weights past `out`; row t of a group holds tap t of its P channels) and one channel word per
/// output channel. A Dense layer is a 1x1 convolution of a 1x1 image with `in` channels.
void add_mac(const int8::QLayer& q, int out, int taps, Int8Rtl& r, Int8Step& s) {
    const int p = r.macs;
    s.kind = Int8StepKind::Mac;
    s.in = taps;
    s.out = out;
    s.groups = (out + p - 1) / p;
    s.outputs = std::int64_t{out} * s.pout.h * s.pout.w;
    s.zp_in = q.in.zero_point;
    s.zp_out = q.out.zero_point;
    s.act_min = q.act_min;
    s.act_max = q.act_max;
    const auto weight = [&](int o, int t) { return q.w[std::size_t(o) * std::size_t(taps) + std::size_t(t)]; };
    for (int g = 0; g < s.groups; ++g) {
        for (int t = 0; t < taps; ++t) {
            std::vector<std::int8_t> row(std::size_t(p), 0);
            for (int lane = 0; lane < p && g * p + lane < out; ++lane) row[std::size_t(lane)] = weight(g * p + lane, t);
            r.wrom.push_back(std::move(row));
        }
    }
    for (int o = 0; o < out; ++o) {
        std::int64_t abs_sum = 0;
        for (int t = 0; t < taps; ++t) abs_sum += std::abs(int(weight(o, t)));
        const std::int64_t bound = 255 * abs_sum;
        r.acc_w = std::max(r.acc_w, signed_bits(-bound, bound));
        Int8ChannelWord c;
        c.bias = q.bias[std::size_t(o)];
        c.mult = q.multiplier[std::size_t(o)];
        const int shift = q.shift[std::size_t(o)];
        c.rsh = shift < 0 ? -shift : 0;
        c.lsh = shift > 0 ? shift : 0;
        if (c.rsh > 31 || c.lsh > 30) throw Error(fmt::format("layer '{}': shift {} out of range", q.layer.name, shift));
        r.left_shift = r.left_shift || c.lsh > 0;
        r.bias_w = std::max(r.bias_w, signed_bits(c.bias, c.bias));
        r.crom.push_back(c);
    }
}

void add_dense(const int8::QLayer& q, const ir::Dense& d, Int8Rtl& r, Int8Step& s) {
    s.pin = ir::Shape{d.in, 1, 1};
    s.pout = ir::Shape{d.out, 1, 1};
    s.pool = ir::Pool{};  // 1x1 window
    add_mac(q, d.out, d.in, r, s);
}

void add_conv(const int8::QLayer& q, const ir::Conv2d& c, Int8Rtl& r, Int8Step& s) {
    s.pin = q.layer.in;
    s.pout = q.layer.out;
    s.pool.kh = c.kh;
    s.pool.kw = c.kw;
    s.pool.stride_h = c.stride_h;
    s.pool.stride_w = c.stride_w;
    s.pool.pad_top = c.pad_top;
    s.pool.pad_left = c.pad_left;
    add_mac(q, c.out_c, c.in_c * c.kh * c.kw, r, s);
}

/// Adds a pooling layer or a standalone clamp (a 1x1 max pool) as a Pool step.
void add_pool(const int8::QLayer& q, const ir::Pool& p, Int8Rtl& r, Int8Step& s) {
    s.kind = Int8StepKind::Pool;
    s.pin = q.layer.in;
    s.pout = q.layer.out;
    s.pool = p;
    s.outputs = q.layer.out.size();
    s.act_min = q.act_min;
    s.act_max = q.act_max;
    s.average = p.kind == ir::PoolKind::Average;
    s.divisor = p.kh * p.kw;
    s.count_pad = p.count_include_pad;
    const bool padded = p.pad_top > 0 || p.pad_left > 0 || p.pad_bottom > 0 || p.pad_right > 0;
    if (s.average && padded && !p.count_include_pad) {
        throw Error(fmt::format("int8 RTL: layer '{}': average pooling over padding that is not counted needs a "
                                "divider by a variable count; not supported",
                                q.layer.name));
    }
    if (s.divisor > 4096) throw Error(fmt::format("int8 RTL: layer '{}': pooling window too large", q.layer.name));
    s.zp_in = q.in.zero_point;
    r.pool_sum_w = std::max(r.pool_sum_w, signed_bits(-129 * std::int64_t{s.divisor}, 129 * std::int64_t{s.divisor}));
}

/// Folds `q` into the write port when it is a pooling layer the port can compute (see Int8InputPool).
bool fuse_input_pool(const int8::QLayer& q, Int8Rtl& r) {
    const auto* p = std::get_if<ir::Pool>(&q.layer.op);
    if (p == nullptr || p->kh != p->stride_h || p->kw != p->stride_w) return false;
    if ((p->pad_top | p->pad_left | p->pad_bottom | p->pad_right) != 0) return false;
    const int cells = p->kh * p->kw;
    const bool average = p->kind == ir::PoolKind::Average;
    if (average && (cells & (cells - 1)) != 0) return false;
    Int8InputPool& f = r.input_pool;
    f.fused = true;
    f.average = average;
    while ((1 << f.shift) < cells) ++f.shift;
    f.in = q.layer.in;
    f.out = q.layer.out;
    f.kh = p->kh;
    f.kw = p->kw;
    f.width = average ? signed_bits(-128 * std::int64_t{cells}, 128 * std::int64_t{cells}) + 1 : 8;
    r.input_words = q.layer.out.size();
    return true;
}

std::string unsupported(const ir::Op& op) {
    if (std::holds_alternative<ir::Affine>(op)) return "Affine";
    if (std::holds_alternative<ir::Tanh>(op)) return "Tanh";
    if (std::holds_alternative<ir::Sigmoid>(op)) return "Sigmoid";
    if (std::holds_alternative<ir::ZeroPad>(op)) return "ZeroPad";
    return "this";
}

}  // namespace

int signed_bits(std::int64_t lo, std::int64_t hi) {
    int bits = 1;
    while (lo < -(std::int64_t{1} << (bits - 1)) || hi > (std::int64_t{1} << (bits - 1)) - 1) ++bits;
    return bits;
}

void check_int8_macs(int macs) {
    if (macs < 1 || macs > kInt8MaxMacs)
        throw Error(fmt::format("--macs must be in [1, {}], got {}", kInt8MaxMacs, macs));
}

Int8Rtl plan_int8_rtl(const int8::QuantizedNetwork& qnet, int macs) {
    check_int8_macs(macs);
    if (qnet.layers.empty()) throw Error("int8 RTL: the network has no layers");
    Int8Rtl r;
    r.macs = macs;
    r.input_size = int(qnet.input.size());
    r.input_words = qnet.input.size();
    r.buf_words = {1, 1};
    int src = 1;  // step 0 reads the input array and writes buffer 0
    bool first = true;
    for (const int8::QLayer& q : qnet.layers) {
        const ir::Op& op = q.layer.op;
        if (std::holds_alternative<ir::Reshape>(op)) continue;
        if (std::exchange(first, false) && fuse_input_pool(q, r)) continue;
        Int8Step s;
        s.name = q.layer.name;
        s.src = src;
        if (const auto* d = std::get_if<ir::Dense>(&op)) {
            add_dense(q, *d, r, s);
        } else if (const auto* c = std::get_if<ir::Conv2d>(&op)) {
            add_conv(q, *c, r, s);
        } else if (const auto* p = std::get_if<ir::Pool>(&op)) {
            add_pool(q, *p, r, s);
        } else if (std::holds_alternative<ir::Relu>(op) || std::holds_alternative<ir::Clip>(op)) {
            ir::Pool one;  // 1x1 max pool, stride 1: a clamp
            int8::QLayer as_pool = q;
            as_pool.layer.out = q.layer.in;
            add_pool(as_pool, one, r, s);
        } else {
            throw Error(fmt::format("int8 RTL: layer '{}' ({}) is not supported yet (Dense, Conv2d, pooling, "
                                    "ReLU/Clip and Reshape are)",
                                    q.layer.name, unsupported(op)));
        }
        src = 1 - src;
        r.buf_words[std::size_t(src)] = std::max(r.buf_words[std::size_t(src)], s.outputs);
        r.steps.push_back(std::move(s));
    }
    if (r.wrom.empty()) throw Error("int8 RTL: the network has no Dense or Conv2d layer (nothing for the MAC lanes to do)");
    const ir::Shape& out = qnet.layers.back().layer.out;
    r.classes = int(out.size());
    if (r.classes < 1 || r.classes > 256) throw Error(fmt::format("int8 RTL: {} outputs (1..256 supported)", r.classes));
    r.sum_w = std::max(r.acc_w, r.bias_w) + 1;
    for (int v = 0; v < 256; ++v) {
        const std::vector<std::uint8_t> px(std::size_t(r.input_size), std::uint8_t(v));
        r.in_lut[std::size_t(v)] = int8::quantize_input(qnet, ref::pixels_to_input(px))[0];
    }
    r.cycles = int8_cycles(r);
    return r;
}

std::int64_t int8_cycles(const Int8Rtl& plan) {
    std::int64_t cycles = 1;  // the clock that samples start
    for (const Int8Step& s : plan.steps) {
        std::int64_t work = 0;
        if (s.kind == Int8StepKind::Mac) {
            const std::int64_t pixels = std::int64_t{s.pout.h} * s.pout.w;
            for (int g = 0; g < s.groups; ++g) work += pixels * (s.in + 2 + std::min(plan.macs, s.out - g * plan.macs));
        } else {
            work = s.outputs * s.pool.kh * s.pool.kw;
        }
        cycles += 1 + work + 4;
    }
    return cycles;
}

}  // namespace scnn::codegen::verilog
