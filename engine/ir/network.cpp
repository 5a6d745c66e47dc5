#include "engine/ir/network.hpp"

#include <fmt/format.h>

#include "engine/ir/error.hpp"

namespace scnn::ir {

std::string to_string(const Shape& s) { return fmt::format("{}x{}x{}", s.c, s.h, s.w); }

namespace {

template <class... F>
struct Overload : F... {
    using F::operator()...;
};
template <class... F>
Overload(F...) -> Overload<F...>;

int pooled(int in, int k, int stride, int pad_a, int pad_b) {
    const int span = in + pad_a + pad_b - k;
    if (k < 1 || stride < 1 || span < 0) {
        throw Error(fmt::format("window {} with stride {} does not fit an extent of {} (+{} padding)", k, stride,
                                in, pad_a + pad_b));
    }
    return span / stride + 1;
}

}  // namespace

std::string op_name(const Op& op) {
    return std::visit(Overload{[](const Dense&) { return "Dense"; }, [](const Conv2d&) { return "Conv2d"; },
                               [](const Affine&) { return "Affine"; }, [](const Relu&) { return "Relu"; },
                               [](const Clip&) { return "Clip"; }, [](const Tanh&) { return "Tanh"; },
                               [](const Sigmoid&) { return "Sigmoid"; },
                               [](const Pool& p) { return p.kind == PoolKind::Max ? "MaxPool" : "AvgPool"; },
                               [](const ZeroPad&) { return "ZeroPad"; }, [](const Reshape&) { return "Reshape"; }},
                      op);
}

std::int64_t weight_count(const Layer& layer) {
    return std::visit(Overload{[](const Dense& d) { return std::int64_t(d.w.size() + d.b.size()); },
                               [](const Conv2d& c) { return std::int64_t(c.w.size() + c.b.size()); },
                               [](const Affine& a) { return std::int64_t(a.scale.size() + a.shift.size()); },
                               [](const auto&) { return std::int64_t{0}; }},
                      layer.op);
}

std::int64_t mac_count(const Layer& layer) {
    return std::visit(Overload{[](const Dense& d) { return std::int64_t{d.in} * d.out; },
                               [&](const Conv2d& c) {
                                   return layer.out.size() * std::int64_t{c.in_c} * c.kh * c.kw;
                               },
                               [](const auto&) { return std::int64_t{0}; }},
                      layer.op);
}

Shape infer_shape(const Op& op, const Shape& in) {
    return std::visit(
        Overload{
            [&](const Dense& d) {
                if (in.size() != d.in) {
                    throw Error(fmt::format("dense layer expects {} inputs but receives {} ({})", d.in, in.size(),
                                            to_string(in)));
                }
                return Shape{d.out, 1, 1};
            },
            [&](const Conv2d& c) {
                if (in.c != c.in_c) {
                    throw Error(fmt::format("conv expects {} input channels but receives {}", c.in_c, in.c));
                }
                return Shape{c.out_c, pooled(in.h, c.kh, c.stride_h, c.pad_top, c.pad_bottom),
                             pooled(in.w, c.kw, c.stride_w, c.pad_left, c.pad_right)};
            },
            [&](const Affine& a) {
                if (std::int64_t(a.scale.size()) != in.c || a.shift.size() != a.scale.size()) {
                    throw Error(fmt::format("affine layer has {} channels but its input has {}", a.scale.size(), in.c));
                }
                return in;
            },
            [&](const Pool& p) {
                return Shape{in.c, pooled(in.h, p.kh, p.stride_h, p.pad_top, p.pad_bottom),
                             pooled(in.w, p.kw, p.stride_w, p.pad_left, p.pad_right)};
            },
            [&](const ZeroPad& z) { return Shape{in.c, in.h + z.top + z.bottom, in.w + z.left + z.right}; },
            [&](const Reshape& r) {
                if (r.to.size() != in.size()) {
                    throw Error(fmt::format("cannot reshape {} ({} values) to {} ({} values)", to_string(in),
                                            in.size(), to_string(r.to), r.to.size()));
                }
                return r.to;
            },
            [&](const auto&) { return in; }},
        op);
}

}  // namespace scnn::ir
