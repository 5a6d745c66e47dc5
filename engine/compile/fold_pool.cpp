// Compiler pre-pass: an average pool followed (through reshapes only) by a Dense layer is one linear map,
// so it is folded into the Dense weights exactly (in float). SC then multiplies the original inputs
// directly instead of averaging streams first, which removes one stream regeneration (docs/SEMANTICS.md §9.5).
#include <variant>

#include "engine/compile/compiler.hpp"

namespace scnn::compile {

ir::Network fold_average_pools(const ir::Network& net) {
    ir::Network out = net;
    for (std::size_t i = 0; i < out.layers.size(); ++i) {
        const auto* pool = std::get_if<ir::Pool>(&out.layers[i].op);
        if (!pool || pool->kind != ir::PoolKind::Average) continue;
        std::size_t j = i + 1;
        while (j < out.layers.size() && std::holds_alternative<ir::Reshape>(out.layers[j].op)) ++j;
        if (j >= out.layers.size()) continue;
        const auto* dense = std::get_if<ir::Dense>(&out.layers[j].op);
        if (!dense) continue;
        const ir::Shape in = out.layers[i].in, mid = out.layers[i].out;
        const auto nin = int(in.size());
        ir::Dense folded{nin, dense->out, std::vector<float>(std::size_t(nin) * std::size_t(dense->out), 0.0f),
                         dense->b};
        const ir::Pool p = *pool;
        for (int c = 0; c < mid.c; ++c)
            for (int oy = 0; oy < mid.h; ++oy)
                for (int ox = 0; ox < mid.w; ++ox) {
                    std::vector<int> cells;
                    for (int ky = 0; ky < p.kh; ++ky)
                        for (int kx = 0; kx < p.kw; ++kx) {
                            const int iy = oy * p.stride_h - p.pad_top + ky, ix = ox * p.stride_w - p.pad_left + kx;
                            if (iy >= 0 && iy < in.h && ix >= 0 && ix < in.w)
                                cells.push_back((c * in.h + iy) * in.w + ix);
                        }
                    const float div =
                        p.count_include_pad ? float(p.kh * p.kw) : float(std::max<std::size_t>(1, cells.size()));
                    const int m = (c * mid.h + oy) * mid.w + ox;
                    for (int o = 0; o < dense->out; ++o)
                        for (int cell : cells)
                            folded.w[std::size_t(o) * std::size_t(nin) + std::size_t(cell)] +=
                                dense->w[std::size_t(o) * std::size_t(dense->in) + std::size_t(m)] / div;
                }
        ir::Layer flat{out.layers[i].name + "+flatten", ir::Reshape{ir::Shape{nin, 1, 1}}, in, ir::Shape{nin, 1, 1}};
        ir::Layer lin{out.layers[j].name + "+avgpool", folded, ir::Shape{nin, 1, 1}, out.layers[j].out};
        out.layers.erase(out.layers.begin() + std::ptrdiff_t(i), out.layers.begin() + std::ptrdiff_t(j) + 1);
        out.layers.insert(out.layers.begin() + std::ptrdiff_t(i), {flat, lin});
    }
    return out;
}

}  // namespace scnn::compile
