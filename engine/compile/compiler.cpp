// Network → SC plan (docs/SEMANTICS.md §9.5): compile() runs the PlanBuilder's steps in order. This file
// holds the whole-plan steps and the stages without weights; linear_stage.cpp maps linear layers.
#include "engine/compile/compiler.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <variant>

#include "engine/compile/plan_builder.hpp"
#include "engine/ir/error.hpp"
#include "engine/sc/sng_config.hpp"

namespace scnn::compile {

namespace detail {

bool is_linear_op(const ir::Op& op) {
    return std::holds_alternative<ir::Dense>(op) || std::holds_alternative<ir::Conv2d>(op) ||
           std::holds_alternative<ir::Affine>(op);
}

bool is_activation_op(const ir::Op& op) {
    return std::holds_alternative<ir::Relu>(op) || std::holds_alternative<ir::Clip>(op) ||
           std::holds_alternative<ir::Tanh>(op) || std::holds_alternative<ir::Sigmoid>(op);
}

PlanBuilder::PlanBuilder(const ir::Network& original, const std::vector<std::vector<float>>& calibration,
                         const CompileOptions& options)
    : net_(options.fold_pools ? fold_average_pools(original) : original),
      calibration_(calibration),
      o_(options),
      bipolar_(options.encoding == "bipolar"),
      adders_{"--adder", split_list(options.adder)},
      neurons_{"--neuron", split_list(options.neuron)},
      kinds_{"--sng", split_list(options.sng)},
      widths_{"--width", split_list(options.width)} {}

void PlanBuilder::check_options() {
    if (o_.length < 1 || o_.length > (std::int64_t{1} << 20))
        throw Error(fmt::format("--length must be in 1 .. 2^20, got {}", o_.length));
    if (o_.early_exit_every < 1 || o_.early_exit_every > (std::int64_t{1} << 20))
        throw Error(fmt::format("--early-exit-every must be in 1 .. 2^20, got {}", o_.early_exit_every));
    if (o_.encoding != "split-unipolar" && o_.encoding != "bipolar")
        throw Error(fmt::format("--encoding '{}' is not one of split-unipolar, bipolar", o_.encoding));
    for (const auto& a : adders_.list) {
        if (a != "apc" && a != "mux" && a != "or")
            throw Error(fmt::format("--adder '{}' is not one of apc, mux, or", a));
        if (a == "or" && bipolar_) throw Error("--adder or adds split-unipolar streams only (not --encoding bipolar)");
    }
    for (const auto& nm : neurons_.list)
        if (nm != "delta-sigma" && nm != "btanh" && nm != "stanh")
            throw Error(fmt::format("--neuron '{}' is not one of delta-sigma, btanh, stanh", nm));
    if (!(o_.percentile > 50 && o_.percentile <= 100)) throw Error("--percentile must be in (50, 100]");
    if (calibration_.empty()) throw Error("compile: no calibration images");
    for (const auto& k : kinds_.list) {
        try {
            sc::parse_sng_kind(k);
        } catch (const Error& e) {
            throw Error(fmt::format("--sng: {}", e.what()));
        }
    }
    for (const auto& w : widths_.list) parse_width(w);
}

void PlanBuilder::start_plan(const std::string& model_name) {
    plan_.model = model_name.empty() ? net_.name : model_name;
    plan_.length = o_.length;
    plan_.early_exit_every = o_.early_exit_every;
    plan_.input = net_.input;
    // the input generator takes the first entry of --sng and --width
    plan_.generators.push_back(allocate_generator(o_, kinds_.list[0], parse_width(widths_.list[0]), 0));
    plan_.input_gen = 0;
    const std::int64_t m = generator_range(plan_.generators[0]);
    for (int p = 0; p < 256; ++p) plan_.input_thresholds.push_back(encode(double(p) / 255.0, m, bipolar_));
    plan_.encoding = o_.encoding;
    plan_.options = fmt::format(
        "length={} width={} sng={} seed={} encoding={} adder={} neuron={} percentile={} per_channel={} "
        "channel_ranges={} fold_pools={}",
        o_.length, o_.width, o_.sng, o_.seed, o_.encoding, o_.adder, o_.neuron, o_.percentile, o_.per_channel,
        o_.channel_ranges, o_.fold_pools);
}

void PlanBuilder::find_tail() {
    // the last linear layer becomes the final (counting) stage
    for (std::size_t i = 0; i < net_.layers.size(); ++i)
        if (is_linear_op(net_.layers[i].op)) last_linear_ = int(i);
    if (last_linear_ < 0) throw Error("compile: the network has no Dense, Conv or affine layer");
    // unless pools (or padding) follow it: then it is a hidden stage and the output is the count of the last
    // streams; the last layer that is not a reshape or an activation ends the plan
    last_compute_ = last_linear_;
    for (std::size_t i = std::size_t(last_linear_) + 1; i < net_.layers.size(); ++i) {
        const ir::Op& op = net_.layers[i].op;
        if (std::holds_alternative<ir::Pool>(op) || std::holds_alternative<ir::ZeroPad>(op)) {
            last_compute_ = int(i);
        } else if (!is_activation_op(op) && !std::holds_alternative<ir::Reshape>(op)) {
            throw Error(fmt::format("compile: layer '{}' ({}) after the last linear layer is not supported",
                                    net_.layers[i].name, ir::op_name(net_.layers[i].op)));
        }
    }
    pooled_tail_ = last_compute_ != last_linear_;
    // the last linear layer of a pooled tail: its range is the largest |logit| (no clipping of the scores)
    full_ranges_ = pooled_tail_ ? activation_ranges(net_, calibration_, 100.0) : ranges_;
}

std::vector<double> PlanBuilder::reshape_stage(const ir::Layer& L, ir::PlanStage& st) const {
    st.kind = ir::StageKind::gather;
    for (std::int64_t k = 0; k < L.out.size(); ++k) st.index.push_back(std::int32_t(k));
    return vel_;
}

std::vector<double> PlanBuilder::pad_stage(const ir::Layer& L, ir::PlanStage& st) const {
    const auto& zp = std::get<ir::ZeroPad>(L.op);
    st.kind = ir::StageKind::gather;
    std::vector<double> next;
    for (int c = 0; c < L.out.c; ++c)
        for (int y = 0; y < L.out.h; ++y)
            for (int x = 0; x < L.out.w; ++x) {
                const int iy = y - zp.top, ix = x - zp.left;
                const bool outside = iy < 0 || iy >= L.in.h || ix < 0 || ix >= L.in.w;
                st.index.push_back(outside ? -1 : (c * L.in.h + iy) * L.in.w + ix);
                next.push_back(channel_scale(L.in, c));
            }
    return next;
}

std::vector<double> PlanBuilder::pool_stage(const ir::Layer& L, ir::PlanStage& st) const {
    const auto& pl = std::get<ir::Pool>(L.op);
    st.kind = pl.kind == ir::PoolKind::Max ? ir::StageKind::max_pool : ir::StageKind::avg_pool;
    st.pool_kh = pl.kh, st.pool_kw = pl.kw, st.pool_sh = pl.stride_h, st.pool_sw = pl.stride_w;
    st.pool_pad_top = pl.pad_top, st.pool_pad_left = pl.pad_left;
    st.count_include_pad = pl.count_include_pad;
    std::vector<double> next;
    for (int c = 0; c < L.out.c; ++c)
        next.insert(next.end(), std::size_t(L.out.h) * std::size_t(L.out.w), channel_scale(L.in, c));
    return next;
}

void PlanBuilder::finish() {
    for (const Choices* c : {&adders_, &neurons_, &kinds_, &widths_}) c->check_count();
    ir::validate(plan_);
    const auto [scc, pairs] = measure_independence(plan_, calibration_.front());
    plan_.mean_abs_scc = scc;
    plan_.scc_pairs = pairs;
}

ir::ScPlan PlanBuilder::build(const std::string& model_name) {
    check_options();
    ranges_ = activation_ranges(net_, calibration_, o_.percentile);
    start_plan(model_name);
    find_tail();
    vel_.assign(std::size_t(net_.input.size()), 1.0);
    for (std::size_t i = 0; i < net_.layers.size(); ++i) {
        const ir::Layer& L = net_.layers[i];
        const bool is_reshape = std::holds_alternative<ir::Reshape>(L.op);
        const bool is_pool = std::holds_alternative<ir::Pool>(L.op);
        const bool is_pad = std::holds_alternative<ir::ZeroPad>(L.op);
        // after the last stage: reshapes and monotone activations (the argmax is unchanged) are dropped
        if (!is_pool && !is_pad && int(i) > last_compute_) continue;
        ir::PlanStage st;
        st.name = L.name;
        st.in = L.in;
        st.out = L.out;
        st.in_scale = vel_[0];
        std::vector<double> next = is_reshape ? reshape_stage(L, st)
                                   : is_pad   ? pad_stage(L, st)
                                   : is_pool  ? pool_stage(L, st)
                                              : linear_stage(i, st);
        if (!ir::is_linear(st.kind) && !next.empty()) st.out_scale = next.front();  // informative
        vel_ = std::move(next);
        plan_.stages.push_back(std::move(st));
    }
    finish();
    return std::move(plan_);
}

}  // namespace detail

ir::ScPlan compile(const ir::Network& net, const std::vector<std::vector<float>>& calibration,
                   const CompileOptions& options, const std::string& model_name) {
    return detail::PlanBuilder(net, calibration, options).build(model_name);
}

}  // namespace scnn::compile
