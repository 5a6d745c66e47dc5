#include "engine/io/plan_json.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <limits>
#include <type_traits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/io/one_line.hpp"
#include "engine/ir/error.hpp"

namespace scnn::io {

using nlohmann::json;

namespace {

json shape_json(const ir::Shape& s) { return json::array({s.c, s.h, s.w}); }

json gen_json(const ir::PlanGenerator& g) {
    return {{"kind", g.kind},           {"width", g.width},   {"poly", g.poly},    {"seed", g.seed},
            {"dimension", g.dimension}, {"offset", g.offset}, {"rotate", g.rotate}};
}

template <class T>
struct VectorOf {
    using type = void;
};
template <class T>
struct VectorOf<std::vector<T>> {
    using type = T;
};
template <class T>
constexpr bool kIntegral = std::is_integral_v<T> && !std::is_same_v<T, bool>;

// True when v is a JSON integer (not a float: nlohmann would cast it unchecked) that fits in I.
template <class I>
bool fits(const json& v) {
    if (v.is_number_unsigned()) return v.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<I>::max());
    if (!v.is_number_integer()) return false;
    const auto x = v.get<std::int64_t>();
    if (x < 0) return std::is_signed_v<I> && x >= static_cast<std::int64_t>(std::numeric_limits<I>::min());
    return static_cast<std::uint64_t>(x) <= static_cast<std::uint64_t>(std::numeric_limits<I>::max());
}

// Reads j[key] as T, with errors naming `path.key`. Integer fields (and arrays of them) must hold JSON
// integers in T's range.
template <class T>
T get(const json& j, const std::string& path, const char* key) {
    const std::string where = path.empty() ? key : path + "." + key;
    if (!j.is_object() || !j.contains(key)) throw Error(fmt::format("plan field '{}' is missing", where));
    const json& v = j.at(key);
    using Elem = typename VectorOf<T>::type;
    if constexpr (kIntegral<T>) {
        if (!fits<T>(v)) {
            throw Error(fmt::format("plan field '{}' must be an integer in [{}, {}]", where,
                                    std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
        }
    } else if constexpr (kIntegral<Elem>) {
        if (!v.is_array()) throw Error(fmt::format("plan field '{}' must be an array of integers", where));
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (!fits<Elem>(v[i])) {
                throw Error(fmt::format("plan field '{}[{}]' must be an integer in [{}, {}]", where, i,
                                        std::numeric_limits<Elem>::min(), std::numeric_limits<Elem>::max()));
            }
        }
    }
    try {
        return v.get<T>();
    } catch (const json::exception&) {
        throw Error(fmt::format("plan field '{}' has the wrong type", where));
    }
}
template <class T>
T get_or(const json& j, const std::string& path, const char* key, T fallback) {
    return j.is_object() && j.contains(key) ? get<T>(j, path, key) : fallback;
}

ir::Shape get_shape(const json& j, const std::string& path, const char* key) {
    const auto v = get<std::vector<int>>(j, path, key);
    if (v.size() != 3 || v[0] < 1 || v[1] < 1 || v[2] < 1) {
        throw Error(fmt::format("plan field '{}.{}' must be [C, H, W] with positive entries", path, key));
    }
    return {v[0], v[1], v[2]};
}

}  // namespace

std::string plan_to_json(const ir::ScPlan& p) {
    json j;
    j["format"] = "scnn-sc-plan";
    j["version"] = p.version;
    j["encoding"] = p.encoding;
    j["model"] = p.model;
    j["options"] = p.options;
    j["length"] = p.length;
    j["early_exit_every"] = p.early_exit_every;
    j["input"] = shape_json(p.input);
    j["input_gen"] = p.input_gen;
    j["input_thresholds"] = p.input_thresholds;
    j["tie_rule"] = p.tie_rule;
    j["mean_abs_scc"] = p.mean_abs_scc;
    j["scc_pairs"] = p.scc_pairs;
    j["generators"] = json::array();
    for (const auto& g : p.generators) j["generators"].push_back(gen_json(g));
    j["stages"] = json::array();
    for (const auto& s : p.stages) {
        json t{{"kind", ir::stage_kind_name(s.kind)},
               {"name", s.name},
               {"in", shape_json(s.in)},
               {"out", shape_json(s.out)},
               {"in_scale", s.in_scale},
               {"out_scale", s.out_scale}};
        if (ir::is_linear(s.kind)) {
            t["activation"] = s.activation;
            t["final"] = s.final;
            t["signed_out"] = s.signed_out;
            t["weight_gen"] = s.weight_gen;
            t["adder"] = s.adder;
            t["select_gen"] = s.select_gen;
            if (s.kind == ir::StageKind::conv) {
                t["conv"] = {{"kh", s.kh},
                             {"kw", s.kw},
                             {"stride_h", s.stride_h},
                             {"stride_w", s.stride_w},
                             {"pad_top", s.pad_top},
                             {"pad_left", s.pad_left}};
            }
            if (!s.final) {
                t["neuron"] = {{"kind", s.neuron}, {"k", s.k}, {"d", s.d}, {"acc_min", s.acc_min}, {"acc_max", s.acc_max}};
            }
            t["bias"] = s.bias;
            t["weights"] = s.weights;
        } else if (s.kind == ir::StageKind::gather) {
            t["index"] = s.index;
        } else {
            t["pool"] = {{"kh", s.pool_kh},
                         {"kw", s.pool_kw},
                         {"stride_h", s.pool_sh},
                         {"stride_w", s.pool_sw},
                         {"pad_top", s.pool_pad_top},
                         {"pad_left", s.pool_pad_left},
                         {"count_include_pad", s.count_include_pad}};
        }
        j["stages"].push_back(std::move(t));
    }
    return j.dump(1) + "\n";
}

namespace {

ir::ScPlan parse_plan(const std::string& text) {
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {
        std::string what = e.what();
        if (auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
        throw Error(fmt::format("plan is not valid JSON ({})", what));
    }
    if (get<std::string>(j, "", "format") != "scnn-sc-plan")
        throw Error("plan field 'format' must be \"scnn-sc-plan\"");
    ir::ScPlan p;
    p.version = get<int>(j, "", "version");
    if (p.version < 1 || p.version > ir::kScPlanVersion) {
        throw Error(fmt::format("plan field 'version' is {}, this scnn reads versions 1 to {}", p.version,
                                ir::kScPlanVersion));
    }
    // version 1 had no encoding, adder or neuron kind: its defaults are the only values it knew
    const bool v2 = p.version >= 2;
    if (v2) p.encoding = get<std::string>(j, "", "encoding");
    p.model = get_or<std::string>(j, "", "model", "");
    p.options = get_or<std::string>(j, "", "options", "");
    p.length = get<std::int64_t>(j, "", "length");
    // version 3 added the early-exit check interval; older plans checked every 64 cycles
    if (p.version >= 3) p.early_exit_every = get<std::int64_t>(j, "", "early_exit_every");
    p.input = get_shape(j, "", "input");
    p.input_gen = get<int>(j, "", "input_gen");
    p.input_thresholds = get<std::vector<std::int32_t>>(j, "", "input_thresholds");
    p.tie_rule = get_or<std::string>(j, "", "tie_rule", "lowest-index");
    p.mean_abs_scc = get_or<double>(j, "", "mean_abs_scc", 0.0);
    p.scc_pairs = get_or<std::int64_t>(j, "", "scc_pairs", 0);
    const json gens = get<json>(j, "", "generators");
    if (!gens.is_array()) throw Error("plan field 'generators' must be an array");
    for (std::size_t g = 0; g < gens.size(); ++g) {
        const std::string path = fmt::format("generators[{}]", g);
        ir::PlanGenerator x;
        x.kind = get<std::string>(gens[g], path, "kind");
        static const char* const kinds[] = {"lfsr",   "lfsr-fibonacci", "lfsr-galois", "sobol",
                                            "halton", "ramp",           "random"};
        if (std::find(std::begin(kinds), std::end(kinds), x.kind) == std::end(kinds)) {
            throw Error(fmt::format("plan field '{}.kind' is '{}' (lfsr, lfsr-galois, sobol, halton, ramp, random)",
                                    path, x.kind));
        }
        x.width = get<unsigned>(gens[g], path, "width");
        x.poly = get_or<std::uint32_t>(gens[g], path, "poly", 0);
        x.seed = get_or<std::uint32_t>(gens[g], path, "seed", 1);
        x.dimension = get_or<unsigned>(gens[g], path, "dimension", 1);
        x.offset = get_or<std::uint64_t>(gens[g], path, "offset", 0);
        x.rotate = get_or<unsigned>(gens[g], path, "rotate", 0);
        p.generators.push_back(x);
    }
    const json stages = get<json>(j, "", "stages");
    if (!stages.is_array()) throw Error("plan field 'stages' must be an array");
    for (std::size_t i = 0; i < stages.size(); ++i) {
        const std::string path = fmt::format("stages[{}]", i);
        const json& t = stages[i];
        ir::PlanStage s;
        try {
            s.kind = ir::parse_stage_kind(get<std::string>(t, path, "kind"));
        } catch (const Error& e) {
            throw Error(fmt::format("plan field '{}.kind': {}", path, e.what()));
        }
        s.name = get_or<std::string>(t, path, "name", "");
        s.in = get_shape(t, path, "in");
        s.out = get_shape(t, path, "out");
        s.in_scale = get_or<double>(t, path, "in_scale", 1.0);
        s.out_scale = get_or<double>(t, path, "out_scale", 1.0);
        if (s.kind == ir::StageKind::gather) {
            s.index = get<std::vector<std::int32_t>>(t, path, "index");
        } else if (s.kind == ir::StageKind::max_pool || s.kind == ir::StageKind::avg_pool) {
            const json pl = get<json>(t, path, "pool");
            const std::string pp = path + ".pool";
            s.pool_kh = get<int>(pl, pp, "kh"), s.pool_kw = get<int>(pl, pp, "kw");
            s.pool_sh = get<int>(pl, pp, "stride_h"), s.pool_sw = get<int>(pl, pp, "stride_w");
            s.pool_pad_top = get_or<int>(pl, pp, "pad_top", 0), s.pool_pad_left = get_or<int>(pl, pp, "pad_left", 0);
            s.count_include_pad = get_or<bool>(pl, pp, "count_include_pad", false);
        } else {
            s.activation = get_or<std::string>(t, path, "activation", "");
            s.final = get<bool>(t, path, "final");
            s.signed_out = get<bool>(t, path, "signed_out");
            s.weight_gen = get<int>(t, path, "weight_gen");
            if (v2) {
                s.adder = get<std::string>(t, path, "adder");
                s.select_gen = get<int>(t, path, "select_gen");
            }
            s.weights = get<std::vector<std::int32_t>>(t, path, "weights");
            s.bias = get<std::vector<std::int32_t>>(t, path, "bias");
            if (s.kind == ir::StageKind::conv) {
                const json c = get<json>(t, path, "conv");
                const std::string cp = path + ".conv";
                s.kh = get<int>(c, cp, "kh"), s.kw = get<int>(c, cp, "kw");
                s.stride_h = get<int>(c, cp, "stride_h"), s.stride_w = get<int>(c, cp, "stride_w");
                s.pad_top = get<int>(c, cp, "pad_top"), s.pad_left = get<int>(c, cp, "pad_left");
            }
            if (!s.final) {
                const json n = get<json>(t, path, "neuron");
                const std::string np = path + ".neuron";
                if (v2) s.neuron = get<std::string>(n, np, "kind");
                s.k = get<std::vector<std::int64_t>>(n, np, "k");
                s.d = get<std::int64_t>(n, np, "d");
                s.acc_min = get<std::int64_t>(n, np, "acc_min");
                s.acc_max = get<std::int64_t>(n, np, "acc_max");
            }
        }
        p.stages.push_back(std::move(s));
    }
    ir::validate(p);
    return p;
}

}  // namespace

ir::ScPlan plan_from_json(const std::string& text) {
    try {
        return parse_plan(text);
    } catch (const Error& e) {  // kinds and names come from the file: keep the message on one line
        throw Error(detail::one_line(e.what()));
    }
}

ir::ScPlan read_plan(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw Error(fmt::format("{}: cannot open the plan file", detail::one_line(path)));
    std::stringstream ss;
    ss << f.rdbuf();
    try {
        return plan_from_json(ss.str());
    } catch (const Error& e) {
        throw Error(fmt::format("{}: {}", detail::one_line(path), e.what()));
    }
}

}  // namespace scnn::io
