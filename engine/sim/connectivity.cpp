#include "engine/sim/connectivity.hpp"

namespace scnn::sim {

std::vector<std::vector<Conn>> linear_connections(const ir::PlanStage& s) {
    const std::int64_t nout = s.out.size();
    std::vector<std::vector<Conn>> out(static_cast<std::size_t>(nout));
    if (s.kind == ir::StageKind::dense) {
        const auto nin = std::int32_t(s.in.size());
        for (std::int64_t o = 0; o < nout; ++o) {
            auto& v = out[std::size_t(o)];
            v.reserve(std::size_t(nin));
            for (std::int32_t i = 0; i < nin; ++i) v.push_back({i, std::int32_t(o * nin + i)});
        }
    } else if (s.kind == ir::StageKind::affine) {
        const std::int64_t plane = std::int64_t{s.in.h} * s.in.w;
        for (std::int64_t o = 0; o < nout; ++o)
            out[std::size_t(o)].push_back({std::int32_t(o), std::int32_t(o / plane)});
    } else {
        for (int oc = 0; oc < s.out.c; ++oc)
            for (int oy = 0; oy < s.out.h; ++oy)
                for (int ox = 0; ox < s.out.w; ++ox) {
                    auto& v = out[std::size_t((std::int64_t{oc} * s.out.h + oy) * s.out.w + ox)];
                    for (int ic = 0; ic < s.in.c; ++ic)
                        for (int ky = 0; ky < s.kh; ++ky) {
                            const int iy = oy * s.stride_h - s.pad_top + ky;
                            if (iy < 0 || iy >= s.in.h) continue;
                            for (int kx = 0; kx < s.kw; ++kx) {
                                const int ix = ox * s.stride_w - s.pad_left + kx;
                                if (ix < 0 || ix >= s.in.w) continue;
                                v.push_back({std::int32_t((ic * s.in.h + iy) * s.in.w + ix),
                                             std::int32_t(((oc * s.in.c + ic) * s.kh + ky) * s.kw + kx)});
                            }
                        }
                }
    }
    return out;
}

std::int64_t weights_per_channel(const ir::PlanStage& s) {
    if (s.kind == ir::StageKind::dense) return s.in.size();
    if (s.kind == ir::StageKind::conv) return std::int64_t{s.in.c} * s.kh * s.kw;
    return 1;
}

std::vector<std::vector<std::int32_t>> mux_slots(const ir::PlanStage& s) {
    const std::int64_t per = weights_per_channel(s);
    const auto conns = linear_connections(s);
    std::vector<std::vector<std::int32_t>> out(conns.size(), std::vector<std::int32_t>(std::size_t(per), -1));
    for (std::size_t o = 0; o < conns.size(); ++o) {
        const std::int64_t base = channel_of(s, std::int64_t(o)) * per;
        for (const Conn& c : conns[o]) out[o][std::size_t(c.weight - base)] = c.input;
    }
    return out;
}

std::vector<Window> pool_windows(const ir::PlanStage& s) {
    std::vector<Window> out(static_cast<std::size_t>(s.out.size()));
    for (int c = 0; c < s.out.c; ++c)
        for (int oy = 0; oy < s.out.h; ++oy)
            for (int ox = 0; ox < s.out.w; ++ox) {
                Window& w = out[std::size_t((c * s.out.h + oy) * s.out.w + ox)];
                for (int ky = 0; ky < s.pool_kh; ++ky) {
                    const int iy = oy * s.pool_sh - s.pool_pad_top + ky;
                    for (int kx = 0; kx < s.pool_kw; ++kx) {
                        const int ix = ox * s.pool_sw - s.pool_pad_left + kx;
                        if (iy < 0 || iy >= s.in.h || ix < 0 || ix >= s.in.w) continue;
                        w.inputs.push_back((c * s.in.h + iy) * s.in.w + ix);
                    }
                }
                w.divisor = s.count_include_pad ? s.pool_kh * s.pool_kw
                                                : std::max<std::int32_t>(1, std::int32_t(w.inputs.size()));
            }
    return out;
}

}  // namespace scnn::sim
