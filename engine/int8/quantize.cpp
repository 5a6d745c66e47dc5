#include "engine/int8/quantize.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>

#include "engine/int8/fixed_point.hpp"
#include "engine/ir/error.hpp"
#include "engine/ref/float_exec.hpp"

namespace scnn::int8 {

namespace {

using std::size_t;

/// Smallest calibrated range; a tensor that is (almost) always zero gets [0, kMinRange].
constexpr double kMinRange = 1e-6;
/// Largest magnitude of an int32 bias; weight scales are raised if needed to keep biases below it.
constexpr double kMaxBias = double(std::int64_t{1} << 30);
/// Bias of a channel whose weights are all zero (its weight scale is chosen to put the bias here).
constexpr double kZeroChannelBias = double(std::int64_t{1} << 24);

std::int32_t saturate_int8(double v) {
    if (std::isnan(v)) return 0;
    return static_cast<std::int32_t>(std::clamp(std::round(v), -128.0, 127.0));
}

// ---------------------------------------------------------------------------------------------------------------
// Calibration statistics of one tensor.
//
// min/max always; for percentile p < 100 the exact [100-p, p] percentiles of all values of the tensor over all
// calibration inputs, with linear interpolation between order statistics (numpy's default "linear" method).
// Only the tails are kept: the k smallest and k largest values in two bounded heaps, k being what the
// interpolation needs, so memory is about (100-p)% of the values, not all of them.
class RangeStats {
public:
    RangeStats(std::int64_t total, double percentile) : n_(total), p_(percentile) {
        if (p_ < 100.0) {
            const double pos_lo = (1.0 - p_ / 100.0) * double(n_ - 1);
            const double pos_hi = (p_ / 100.0) * double(n_ - 1);
            k_lo_ = size_t(std::min<std::int64_t>(std::int64_t(std::floor(pos_lo)) + 2, n_));
            k_hi_ = size_t(std::min<std::int64_t>(n_ - std::int64_t(std::floor(pos_hi)), n_));
        }
    }

    void add(std::span<const float> values) {
        for (const float v : values) {
            min_ = std::min(min_, double(v));
            max_ = std::max(max_, double(v));
            if (k_lo_ == 0) continue;
            push_bounded(low_, k_lo_, v, std::less<float>{});      // max-heap of the smallest values
            push_bounded(high_, k_hi_, v, std::greater<float>{});  // min-heap of the largest values
        }
    }

    /// Calibrated [lo, hi] before forcing 0 into the range.
    [[nodiscard]] std::pair<double, double> range() const {
        if (k_lo_ == 0) return {min_, max_};
        std::vector<float> low = low_, high = high_;
        std::sort(low.begin(), low.end());                           // ascending: low[i] = order statistic i
        std::sort(high.begin(), high.end(), std::greater<float>{});  // descending: high[i] = statistic n-1-i
        const auto at_low = [&](std::int64_t i) { return double(low[size_t(i)]); };
        const auto at_high = [&](std::int64_t i) { return double(high[size_t(n_ - 1 - i)]); };
        const auto interpolate = [&](double pos, auto at) {
            const auto i = std::int64_t(std::floor(pos));
            const double frac = pos - double(i);
            const std::int64_t j = std::min(i + 1, n_ - 1);
            return at(i) + frac * (at(j) - at(i));
        };
        return {interpolate((1.0 - p_ / 100.0) * double(n_ - 1), at_low),
                interpolate((p_ / 100.0) * double(n_ - 1), at_high)};
    }

private:
    template <class Less>
    static void push_bounded(std::vector<float>& heap, size_t k, float v, Less less) {
        if (heap.size() < k) {
            heap.push_back(v);
            std::push_heap(heap.begin(), heap.end(), less);
        } else if (less(v, heap.front())) {
            std::pop_heap(heap.begin(), heap.end(), less);
            heap.back() = v;
            std::push_heap(heap.begin(), heap.end(), less);
        }
    }

    std::int64_t n_;
    double p_;
    size_t k_lo_ = 0, k_hi_ = 0;  ///< 0: min/max only
    double min_ = std::numeric_limits<double>::infinity();
    double max_ = -std::numeric_limits<double>::infinity();
    std::vector<float> low_, high_;
};

/// Asymmetric int8 parameters covering [lo, hi] (widened to include 0 and to at least kMinRange).
QuantParams choose_params(double lo, double hi) {
    lo = std::min(lo, 0.0);
    hi = std::max(hi, 0.0);
    if (hi - lo < kMinRange) {
        if (hi > -lo) {
            hi = lo + kMinRange;
        } else if (lo < 0.0) {
            lo = hi - kMinRange;
        } else {
            hi = kMinRange;
        }
    }
    QuantParams p;
    p.scale = float((hi - lo) / 255.0);
    p.zero_point = saturate_int8(-128.0 - lo / double(p.scale));
    return p;
}

// ---------------------------------------------------------------------------------------------------------------
// Layer quantization.

/// Is `op` an activation that TFLite folds into the preceding Dense/Conv2d/Affine?
bool fusable_activation(const ir::Op& op) {
    return std::holds_alternative<ir::Relu>(op) || std::holds_alternative<ir::Clip>(op);
}

bool has_weights(const ir::Op& op) {
    return std::holds_alternative<ir::Dense>(op) || std::holds_alternative<ir::Conv2d>(op) ||
           std::holds_alternative<ir::Affine>(op);
}

/// Narrows [act_min, act_max] to a ReLU or Clip expressed in the quantized domain of `p`.
void apply_activation(const ir::Op& op, const QuantParams& p, QLayer& q) {
    double lo = 0.0, hi = std::numeric_limits<double>::infinity();
    if (const auto* c = std::get_if<ir::Clip>(&op)) {
        lo = c->lo;
        hi = c->hi;
    }
    const double s = p.scale;
    q.act_min = std::max(q.act_min, saturate_int8(double(p.zero_point) + lo / s));
    if (std::isfinite(hi)) q.act_max = std::min(q.act_max, saturate_int8(double(p.zero_point) + hi / s));
}

/// Weights, bias and requantization of a Dense/Conv2d/Affine with `channels` output channels (weight layout
/// [channel][...]; an Affine is one weight per channel). Needs q.in and q.out.
void quantize_weights(const std::string& name, std::span<const float> w, std::span<const float> b, int channels,
                      QLayer& q) {
    if (channels < 1 || b.size() != size_t(channels) || w.size() % size_t(channels) != 0) {
        throw Error(fmt::format("layer '{}': {} weights and {} biases do not match {} output channels", name, w.size(),
                                b.size(), channels));
    }
    const size_t per = w.size() / size_t(channels);
    q.w.resize(w.size());
    q.bias.resize(size_t(channels));
    q.multiplier.resize(size_t(channels));
    q.shift.resize(size_t(channels));
    const double s_in = q.in.scale, s_out = q.out.scale;
    for (size_t c = 0; c < size_t(channels); ++c) {
        const auto ws = w.subspan(c * per, per);
        double max_abs = 0.0;
        for (const float v : ws) max_abs = std::max(max_abs, std::fabs(double(v)));
        if (!std::isfinite(max_abs) || !std::isfinite(b[c])) {
            throw Error(fmt::format("layer '{}': non-finite weight or bias in channel {}", name, c));
        }
        // An all-zero channel outputs its bias alone: any weight scale is valid, so pick one that puts the
        // bias at 2^24 (fine relative to the output step); without a bias either, 1.
        double s_w = max_abs > 0.0  ? max_abs / 127.0
                     : b[c] != 0.0f ? std::fabs(double(b[c])) / (s_in * kZeroChannelBias)
                                    : 1.0;
        // Keep |bias| <= 2^30: a channel whose bias dwarfs its weights gets a coarser weight scale.
        s_w = std::max(s_w, std::fabs(double(b[c])) / (s_in * kMaxBias));
        std::int64_t abs_sum = 0;
        for (size_t i = 0; i < per; ++i) {
            const auto v = static_cast<std::int8_t>(std::clamp(std::round(double(ws[i]) / s_w), -127.0, 127.0));
            q.w[c * per + i] = v;
            abs_sum += std::abs(int(v));
        }
        q.bias[c] = static_cast<std::int32_t>(std::clamp(std::round(double(b[c]) / (s_in * s_w)), -kMaxBias, kMaxBias));
        // |x - zp| <= 255, so this bounds every int32 accumulator of the channel.
        if (abs_sum * 255 + std::abs(std::int64_t{q.bias[c]}) > std::numeric_limits<std::int32_t>::max()) {
            throw Error(
                fmt::format("layer '{}': channel {} could overflow the int32 accumulator ({} weights)", name, c, per));
        }
        quantize_multiplier(s_in * s_w / s_out, &q.multiplier[c], &q.shift[c]);
    }
}

/// 256-entry table of f over the int8 domain of q.in, into the int8 domain of q.out.
template <class F>
void build_lut(QLayer& q, F f) {
    q.lut.resize(256);
    for (int v = -128; v <= 127; ++v) {
        const double real = double(q.in.scale) * double(v - q.in.zero_point);
        q.lut[size_t(v + 128)] =
            static_cast<std::int8_t>(saturate_int8(f(real) / double(q.out.scale) + double(q.out.zero_point)));
    }
}

/// A run of the float network that becomes one QLayer: layers [first, last], last > first only for fusion.
struct Step {
    size_t first, last;
    bool calibrated;  ///< output params measured on the tensor after `last`
};

std::vector<Step> plan_steps(const ir::Network& net) {
    std::vector<Step> steps;
    for (size_t i = 0; i < net.layers.size(); ++i) {
        Step s{i, i, has_weights(net.layers[i].op)};
        if (s.calibrated) {
            while (s.last + 1 < net.layers.size() && fusable_activation(net.layers[s.last + 1].op)) ++s.last;
        }
        steps.push_back(s);
        i = s.last;
    }
    return steps;
}

}  // namespace

QuantizedNetwork quantize(const ir::Network& net, const std::vector<std::vector<float>>& calibration,
                          const CalibrationOptions& options) {
    if (calibration.empty()) throw Error("int8 quantization needs at least one calibration input");
    if (!(options.percentile > 50.0 && options.percentile <= 100.0)) {
        throw Error(fmt::format("calibration percentile must be in (50, 100], got {}", options.percentile));
    }
    for (size_t i = 0; i < calibration.size(); ++i) {
        if (std::int64_t(calibration[i].size()) != net.input.size()) {
            throw Error(fmt::format("calibration input {} has {} values but the network takes {} ({})", i,
                                    calibration[i].size(), net.input.size(), ir::to_string(net.input)));
        }
    }
    const std::vector<Step> steps = plan_steps(net);

    // Tensor t is the network input (t = 0) or the output of layer t-1. Only the input and the outputs of
    // calibrated steps need statistics.
    const auto count = std::int64_t(calibration.size());
    std::vector<std::optional<RangeStats>> stats(net.layers.size() + 1);
    stats[0].emplace(count * net.input.size(), options.percentile);
    for (const Step& s : steps) {
        if (s.calibrated) stats[s.last + 1].emplace(count * net.layers[s.last].out.size(), options.percentile);
    }
    const auto add = [&](size_t t, std::span<const float> values) {
        if (!stats[t]) return;
        for (const float v : values) {
            if (!std::isfinite(v)) {
                throw Error(t == 0 ? std::string("calibration input contains a non-finite value")
                                   : fmt::format("layer '{}' produced a non-finite value during calibration",
                                                 net.layers[t - 1].name));
            }
        }
        stats[t]->add(values);
    };
    for (const auto& input : calibration) {
        add(0, input);
        const auto outs = ref::run_all(net, input);
        for (size_t i = 0; i < outs.size(); ++i) add(i + 1, outs[i]);
    }
    const auto params_of = [&](size_t t) {
        const auto [lo, hi] = stats[t]->range();
        return choose_params(lo, hi);
    };

    QuantizedNetwork qnet;
    qnet.input = net.input;
    qnet.input_params = params_of(0);
    QuantParams current = qnet.input_params;
    for (const Step& s : steps) {
        const ir::Layer& layer = net.layers[s.first];
        QLayer q;
        q.layer = layer;
        q.in = current;
        q.out = current;  // pooling, padding, reshape and standalone ReLU/Clip keep their input's params
        if (s.calibrated) {
            q.out = params_of(s.last + 1);
            for (size_t j = s.first + 1; j <= s.last; ++j) apply_activation(net.layers[j].op, q.out, q);
        }
        if (const auto* d = std::get_if<ir::Dense>(&layer.op)) {
            quantize_weights(layer.name, d->w, d->b, d->out, q);
        } else if (const auto* c = std::get_if<ir::Conv2d>(&layer.op)) {
            quantize_weights(layer.name, c->w, c->b, c->out_c, q);
        } else if (const auto* a = std::get_if<ir::Affine>(&layer.op)) {
            quantize_weights(layer.name, a->scale, a->shift, int(a->scale.size()), q);
        } else if (fusable_activation(layer.op)) {
            apply_activation(layer.op, q.in, q);
        } else if (std::holds_alternative<ir::Tanh>(layer.op)) {
            q.out = QuantParams{1.0f / 128.0f, 0};
            build_lut(q, [](double x) { return std::tanh(x); });
        } else if (std::holds_alternative<ir::Sigmoid>(layer.op)) {
            q.out = QuantParams{1.0f / 256.0f, -128};
            build_lut(q, [](double x) { return 1.0 / (1.0 + std::exp(-x)); });
        }
        current = q.out;
        qnet.layers.push_back(std::move(q));
    }
    return qnet;
}

}  // namespace scnn::int8
