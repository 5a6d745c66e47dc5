#include "engine/ir/fold.hpp"

#include <cstddef>

namespace scnn::ir {

namespace {

// Applies y = scale*x + shift per output channel to the layer producing x. Returns false if `prev` is not
// a Dense, Conv2d or Affine.
bool absorb_affine(Layer& prev, const Affine& a) {
    if (auto* d = std::get_if<Dense>(&prev.op)) {
        for (int o = 0; o < d->out; ++o) {
            const auto s = a.scale[std::size_t(o)];
            for (int i = 0; i < d->in; ++i) d->w[std::size_t(o) * std::size_t(d->in) + std::size_t(i)] *= s;
            d->b[std::size_t(o)] = d->b[std::size_t(o)] * s + a.shift[std::size_t(o)];
        }
        return true;
    }
    if (auto* c = std::get_if<Conv2d>(&prev.op)) {
        const std::size_t per_oc = std::size_t(c->in_c) * std::size_t(c->kh) * std::size_t(c->kw);
        for (int o = 0; o < c->out_c; ++o) {
            const auto s = a.scale[std::size_t(o)];
            for (std::size_t k = 0; k < per_oc; ++k) c->w[std::size_t(o) * per_oc + k] *= s;
            c->b[std::size_t(o)] = c->b[std::size_t(o)] * s + a.shift[std::size_t(o)];
        }
        return true;
    }
    if (auto* p = std::get_if<Affine>(&prev.op)) {
        for (std::size_t ch = 0; ch < p->scale.size(); ++ch) {
            p->scale[ch] *= a.scale[ch];
            p->shift[ch] = p->shift[ch] * a.scale[ch] + a.shift[ch];
        }
        return true;
    }
    return false;
}

}  // namespace

void fold_layers(Network& net) {
    std::vector<Layer> out;
    out.reserve(net.layers.size());
    for (auto& layer : net.layers) {
        if (const auto* a = std::get_if<Affine>(&layer.op); a && !out.empty() && absorb_affine(out.back(), *a)) {
            out.back().out = layer.out;
            continue;
        }
        if (auto* c = std::get_if<Conv2d>(&layer.op); c && !out.empty()) {
            if (const auto* z = std::get_if<ZeroPad>(&out.back().op)) {
                c->pad_top += z->top;
                c->pad_left += z->left;
                c->pad_bottom += z->bottom;
                c->pad_right += z->right;
                layer.in = out.back().in;
                out.pop_back();
            }
        }
        out.push_back(std::move(layer));
    }
    net.layers = std::move(out);
}

}  // namespace scnn::ir
