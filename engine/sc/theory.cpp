#include "engine/sc/theory.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/core.h>

#include "engine/ir/error.hpp"

namespace scnn::sc::theory {

double stanh_stationary(double x, std::uint32_t states) {
    if (x >= 1.0) return 1.0;
    if (x <= -1.0) return -1.0;
    return std::tanh(0.5 * static_cast<double>(states) * std::atanh(x));
}

double stanh_approx(double x, std::uint32_t states) { return std::tanh(0.5 * static_cast<double>(states) * x); }

double sc_relu_stationary(double x, std::uint32_t states) {
    return x * (1.0 + stanh_stationary(x, states)) / 2.0;
}

double btanh_stationary(std::span<const double> x, std::uint32_t states) {
    if (x.empty() || states < 2 || states % 2 != 0 || states > (1u << 14))
        throw Error("btanh_stationary: needs inputs and an even state count in 2 .. 16384");
    // Distribution of c = number of ones among the n inputs (Poisson-binomial).
    const std::size_t n = x.size();
    std::vector<double> pc(n + 1, 0.0);
    pc[0] = 1.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double p = std::clamp((x[i] + 1.0) / 2.0, 0.0, 1.0);
        for (std::size_t k = i + 1; k > 0; --k) pc[k] = pc[k] * (1.0 - p) + pc[k - 1] * p;
        pc[0] *= 1.0 - p;
    }
    const auto S = static_cast<std::int64_t>(states);
    std::vector<double> pi(states, 0.0), next(states);
    pi[states / 2] = 1.0;
    for (int iter = 0; iter < 200000; ++iter) {
        std::fill(next.begin(), next.end(), 0.0);
        for (std::int64_t s = 0; s < S; ++s) {
            if (pi[s] == 0.0) continue;
            for (std::size_t c = 0; c <= n; ++c) {
                const std::int64_t v = std::clamp<std::int64_t>(s + 2 * static_cast<std::int64_t>(c) -
                                                                     static_cast<std::int64_t>(n), 0, S - 1);
                next[v] += pi[s] * pc[c];
            }
        }
        double diff = 0.0;
        for (std::uint32_t s = 0; s < states; ++s) diff += std::fabs(next[s] - pi[s]);
        pi.swap(next);
        if (diff < 1e-13) break;
    }
    double hi = 0.0;
    for (std::uint32_t s = states / 2; s < states; ++s) hi += pi[s];
    return 2.0 * hi - 1.0;
}

double btanh_approx(std::span<const double> x, std::uint32_t states) {
    double mu = 0.0, var = 0.0;
    for (double v : x) {
        mu += v;
        var += 1.0 - v * v;
    }
    if (var <= 0.0) return mu > 0.0 ? 1.0 : (mu < 0.0 ? -1.0 : 0.0);
    return std::tanh(static_cast<double>(states) * mu / (2.0 * var));
}

double hard_tanh(std::span<const double> x) {
    double s = 0.0;
    for (double v : x) s += v;
    return std::clamp(s, -1.0, 1.0);
}

double and_variance(double pa, double pb, std::uint64_t length) {
    const double p = pa * pb;
    return p * (1.0 - p) / static_cast<double>(length);
}

double xnor_variance(double xa, double xb, std::uint64_t length) {
    const double q = (1.0 + xa * xb) / 2.0;
    return 4.0 * q * (1.0 - q) / static_cast<double>(length);
}

double rounding_floor(std::uint64_t length) {
    const double l = static_cast<double>(length);
    return 1.0 / (12.0 * l * l);
}

}  // namespace scnn::sc::theory
