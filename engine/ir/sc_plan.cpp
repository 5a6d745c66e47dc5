#include "engine/ir/sc_plan.hpp"

#include <fmt/core.h>

#include "engine/ir/error.hpp"

namespace scnn::ir {

std::string stage_kind_name(StageKind k) {
    switch (k) {
        case StageKind::dense:
            return "dense";
        case StageKind::conv:
            return "conv";
        case StageKind::affine:
            return "affine";
        case StageKind::max_pool:
            return "max_pool";
        case StageKind::avg_pool:
            return "avg_pool";
        case StageKind::gather:
            return "gather";
    }
    return "?";
}

StageKind parse_stage_kind(const std::string& s) {
    for (auto k : {StageKind::dense, StageKind::conv, StageKind::affine, StageKind::max_pool, StageKind::avg_pool,
                   StageKind::gather}) {
        if (stage_kind_name(k) == s) return k;
    }
    throw Error(fmt::format("unknown stage kind '{}' (dense, conv, affine, max_pool, avg_pool, gather)", s));
}

int output_channels(const PlanStage& s) { return s.kind == StageKind::dense ? int(s.out.size()) : s.out.c; }

namespace {

void need(bool ok, std::size_t i, const PlanStage& s, const char* field, const std::string& what) {
    if (!ok) throw Error(fmt::format("plan stage {} ('{}'): field '{}' {}", i, s.name, field, what));
}

}  // namespace

void validate(const ScPlan& plan) {
    if (plan.version < 1 || plan.version > kScPlanVersion) {
        throw Error(fmt::format("plan field 'version' is {}, this scnn reads versions 1 to {}", plan.version,
                                kScPlanVersion));
    }
    if (plan.encoding != "split-unipolar" && plan.encoding != "bipolar")
        throw Error(fmt::format("plan field 'encoding' is '{}' (split-unipolar, bipolar)", plan.encoding));
    const bool bipolar = plan.encoding == "bipolar";
    if (plan.length < 1 || plan.length > (std::int64_t{1} << 20)) {
        throw Error(fmt::format("plan field 'length' must be in 1 .. 2^20, got {}", plan.length));
    }
    if (plan.early_exit_every < 1 || plan.early_exit_every > (std::int64_t{1} << 20)) {
        throw Error(fmt::format("plan field 'early_exit_every' must be in 1 .. 2^20, got {}", plan.early_exit_every));
    }
    if (plan.generators.empty()) throw Error("plan field 'generators' is empty");
    for (std::size_t g = 0; g < plan.generators.size(); ++g) {
        if (plan.generators[g].width < 3 || plan.generators[g].width > 30) {
            throw Error(fmt::format("plan field 'generators[{}].width' must be in 3 .. 30", g));
        }
    }
    const auto gen_ok = [&](int g) { return g >= 0 && std::size_t(g) < plan.generators.size(); };
    if (!gen_ok(plan.input_gen)) throw Error("plan field 'input_gen' is not a generator index");
    if (plan.input_thresholds.size() != 256) throw Error("plan field 'input_thresholds' must have 256 entries");
    const std::int64_t in_range = std::int64_t{1} << plan.generators[std::size_t(plan.input_gen)].width;
    for (auto t : plan.input_thresholds) {
        if (t < 0 || t > in_range) throw Error("plan field 'input_thresholds' has a value outside [0, M]");
    }
    if (plan.stages.empty()) throw Error("plan field 'stages' is empty");
    Shape cur = plan.input;
    for (std::size_t i = 0; i < plan.stages.size(); ++i) {
        const PlanStage& s = plan.stages[i];
        need(s.in == cur, i, s, "in",
             fmt::format("is {} but the previous stage gives {}", to_string(s.in), to_string(cur)));
        need(s.in.size() >= 1 && s.out.size() >= 1 && s.out.size() <= (1 << 26), i, s, "out", "has an absurd size");
        const bool last = i + 1 == plan.stages.size();
        const bool linear = is_linear(s.kind);
        need(!s.final || (last && linear), i, s, "final", "may only be set on the last stage, a linear one");
        need(!last || !linear || s.final, i, s, "final", "must be true on a linear last stage");
        if (linear) {
            need(gen_ok(s.weight_gen), i, s, "weight_gen", "is not a generator index");
            const std::int64_t m = std::int64_t{1} << plan.generators[std::size_t(s.weight_gen)].width;
            const std::int64_t lo = bipolar ? 0 : -m;
            need(s.adder == "apc" || s.adder == "mux" || s.adder == "or", i, s, "adder",
                 fmt::format("is '{}' (apc, mux, or)", s.adder));
            need(!(bipolar && s.adder == "or"), i, s, "adder", "'or' adds split-unipolar streams only");
            need(s.adder == "mux" ? gen_ok(s.select_gen) : s.select_gen == -1, i, s, "select_gen",
                 "must be a generator index for the mux adder and -1 otherwise");
            need(s.neuron == "delta-sigma" || s.neuron == "fsm", i, s, "neuron",
                 fmt::format("is '{}' (delta-sigma, fsm)", s.neuron));
            const int oc = output_channels(s);
            std::size_t nw = 0;
            if (s.kind == StageKind::dense) nw = std::size_t(s.in.size() * s.out.size());
            if (s.kind == StageKind::affine) {
                nw = std::size_t(s.in.c);
                need(s.in == s.out, i, s, "out", "of an affine stage must equal its input");
            }
            if (s.kind == StageKind::conv) {
                need(s.kh >= 1 && s.kw >= 1 && s.stride_h >= 1 && s.stride_w >= 1 && s.pad_top >= 0 && s.pad_left >= 0,
                     i, s, "kh", "conv geometry is invalid");
                nw = std::size_t(s.out.c) * std::size_t(s.in.c) * std::size_t(s.kh) * std::size_t(s.kw);
            }
            need(s.weights.size() == nw, i, s, "weights", fmt::format("must have {} entries", nw));
            need(s.bias.size() == std::size_t(oc), i, s, "bias", fmt::format("must have {} entries", oc));
            for (auto w : s.weights)
                need(std::int64_t{w} >= lo && std::int64_t{w} <= m, i, s, "weights", "exceeds the generator range");
            for (auto b : s.bias)
                need(std::int64_t{b} >= lo && std::int64_t{b} <= m, i, s, "bias", "exceeds the generator range");
            if (!s.final) {
                need(s.k.size() == std::size_t(oc), i, s, "k", fmt::format("must have {} entries", oc));
                for (auto k : s.k) need(k >= 1 && k < (std::int64_t{1} << 40), i, s, "k", "must be in 1 .. 2^40");
                need(s.d >= 1 && s.d <= (1 << 24), i, s, "d", "must be in 1 .. 2^24");
                need(s.acc_min <= 0 && s.acc_max >= 0 && s.acc_min >= -(std::int64_t{1} << 52) &&
                         s.acc_max <= (std::int64_t{1} << 52),
                     i, s, "acc_min", "must be <= 0 <= acc_max, both within 2^52");
            }
        } else if (s.kind == StageKind::gather) {
            need(s.index.size() == std::size_t(s.out.size()), i, s, "index", "must have one entry per output");
            for (auto x : s.index) need(x < s.in.size(), i, s, "index", "points past the input");
        } else {
            need(s.pool_kh >= 1 && s.pool_kw >= 1 && s.pool_sh >= 1 && s.pool_sw >= 1 && s.pool_pad_top >= 0 &&
                     s.pool_pad_left >= 0 && s.pool_kh * s.pool_kw <= 4096,
                 i, s, "pool_kh", "pooling geometry is invalid");
            need(s.in.c == s.out.c, i, s, "out", "pooling keeps the channel count");
        }
        cur = s.out;
    }
}

}  // namespace scnn::ir
