#include <algorithm>
#include <cmath>

#include "engine/compile/compiler.hpp"
#include "engine/ir/error.hpp"
#include "engine/ref/float_exec.hpp"
#include "engine/sc/correlation.hpp"
#include "engine/sc/sng.hpp"
#include "engine/sim/connectivity.hpp"
#include "engine/sim/simulate.hpp"

namespace scnn::compile {

namespace {

double percentile_of_nonzero(std::vector<float>& v, double percentile) {
    // percentile over the non-zero magnitudes (ReLU outputs are mostly zero)
    const auto nz = std::partition(v.begin(), v.end(), [](float a) { return a > 0; });
    const auto n = std::size_t(nz - v.begin());
    if (n == 0) return 0.0;
    const auto k = std::min(n - 1, std::size_t(std::floor(double(n - 1) * percentile / 100.0)));
    std::nth_element(v.begin(), v.begin() + std::ptrdiff_t(k), nz);
    return double(v[k]);
}

}  // namespace

std::vector<std::vector<double>> activation_ranges(const ir::Network& net,
                                                   const std::vector<std::vector<float>>& calibration,
                                                   double percentile) {
    std::vector<std::vector<std::vector<float>>> values(net.layers.size());  // [layer][channel][sample]
    for (std::size_t i = 0; i < net.layers.size(); ++i) values[i].resize(std::size_t(net.layers[i].out.c));
    for (const auto& x : calibration) {
        const auto outs = ref::run_all(net, x);
        for (std::size_t i = 0; i < outs.size(); ++i) {
            const std::size_t plane = std::size_t(net.layers[i].out.h) * std::size_t(net.layers[i].out.w);
            for (std::size_t e = 0; e < outs[i].size(); ++e) values[i][e / plane].push_back(std::fabs(outs[i][e]));
        }
    }
    std::vector<std::vector<double>> r(net.layers.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        std::vector<float> all;
        for (auto& ch : values[i]) {
            all.insert(all.end(), ch.begin(), ch.end());
            r[i].push_back(percentile_of_nonzero(ch, percentile));
        }
        r[i].push_back(percentile_of_nonzero(all, percentile));
    }
    return r;
}

std::pair<double, std::int64_t> measure_independence(const ir::ScPlan& plan, const std::vector<float>& image,
                                                     std::int64_t max_pairs) {
    // the first linear stage, reached through identity gathers (flatten) only
    auto first = plan.stages.begin();
    while (first != plan.stages.end() && first->kind == ir::StageKind::gather) {
        for (std::size_t k = 0; k < first->index.size(); ++k)
            if (first->index[k] != std::int32_t(k)) return {0.0, 0};
        ++first;
    }
    if (first == plan.stages.end() || first->kind == ir::StageKind::max_pool ||
        first->kind == ir::StageKind::avg_pool) {
        return {0.0, 0};
    }
    const auto L = std::size_t(plan.length);
    const auto in_cfg = sim::to_sng_config(plan.generators[std::size_t(plan.input_gen)]);
    const auto w_cfg = sim::to_sng_config(plan.generators[std::size_t(first->weight_gen)]);
    const auto conns = sim::linear_connections(*first);
    double sum = 0;
    std::int64_t pairs = 0;
    for (std::size_t o = 0; o < conns.size() && pairs < max_pairs; ++o) {
        for (const auto& c : conns[o]) {
            const auto p = std::size_t(std::lround(std::clamp(image[std::size_t(c.input)], 0.0f, 1.0f) * 255.0f));
            const auto tx = std::uint64_t(plan.input_thresholds[p]);
            const auto tw = std::uint64_t(std::abs(first->weights[std::size_t(c.weight)]));
            const std::uint64_t mx = sc::sng_range(in_cfg), mw = sc::sng_range(w_cfg);
            if (tx == 0 || tx >= mx || tw == 0 || tw >= mw) continue;
            sum += std::fabs(sc::scc(sc::generate_packed(in_cfg, tx, L), sc::generate_packed(w_cfg, tw, L)));
            if (++pairs >= max_pairs) break;
        }
    }
    return {pairs > 0 ? sum / double(pairs) : 0.0, pairs};
}

}  // namespace scnn::compile
