#include "tests/firmware/golden.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/compile/compiler.hpp"
#include "engine/io/plan_json.hpp"
#include "engine/ir/error.hpp"
#include "engine/sim/simulate.hpp"
#include "tests/sim/random_net.hpp"

namespace scnn::test {

namespace {

struct Recipe {
    const char* name;
    int net;  // 0 mlp, 1 conv, 2 pooled tail (max end)
    std::uint32_t seed;
    std::int64_t length;
    const char *sng, *encoding, *adder, *neuron;
    std::int64_t every;
    int trace_stage;
};

const Recipe kRecipes[] = {
    {"mlp_sobol_apc", 0, 7, 96, "sobol", "split-unipolar", "apc", "delta-sigma", 64, 0},
    {"mlp_lfsr_bipolar_btanh", 0, 8, 50, "lfsr", "bipolar", "apc", "btanh", 16, 1},
    {"conv_halton_mux", 1, 11, 40, "halton", "split-unipolar", "mux", "delta-sigma", 8, 2},
    {"conv_galois_or_stanh", 1, 12, 33, "lfsr-galois", "split-unipolar", "or", "stanh", 64, 0},
    {"pooled_max_ramp", 2, 3, 48, "ramp", "split-unipolar", "apc", "delta-sigma", 8, 3},
};

}  // namespace

std::vector<GoldenCase> make_golden_cases(const std::string& stamp) {
    std::vector<GoldenCase> out;
    for (const auto& r : kRecipes) {
        const auto net = r.net == 2 ? random_pooled_tail_net(r.seed, true) : random_net(r.seed, r.net == 1);
        std::vector<std::vector<float>> calib;
        for (std::uint32_t i = 0; i < 8; ++i) calib.push_back(to_input(random_pixels(100 + i, std::size_t(net.input.size()))));
        compile::CompileOptions o;
        o.length = r.length;
        o.sng = r.sng;
        o.encoding = r.encoding;
        o.adder = r.adder;
        o.neuron = r.neuron;
        o.early_exit_every = r.every;
        o.fold_pools = false;
        GoldenCase c;
        c.name = r.name;
        c.stamp = stamp;
        c.plan = compile::compile(net, calib, o, r.name);
        c.trace_stage = r.trace_stage;
        for (std::uint32_t i = 0; i < 3; ++i) {
            c.images.push_back(random_pixels(500 + 17 * i + r.seed, std::size_t(net.input.size())));
            const sim::TraceFn trace = [&](int stage, std::int64_t, std::span<const std::int32_t> v) {
                if (i == 0 && stage == c.trace_stage) c.trace.emplace_back(v.begin(), v.end());
            };
            c.counts.push_back(sim::reference_run(c.plan, c.images.back(), trace));
        }
        out.push_back(std::move(c));
    }
    return out;
}

std::string golden_to_json(const GoldenCase& c) {
    nlohmann::ordered_json j;
    j["generated"] = c.stamp;
    j["name"] = c.name;
    j["plan"] = nlohmann::ordered_json::parse(io::plan_to_json(c.plan));
    j["images"] = c.images;
    j["counts"] = c.counts;
    j["trace_stage"] = c.trace_stage;
    j["trace"] = c.trace;
    return j.dump(1) + "\n";
}

GoldenCase golden_from_json(const std::string& text) {
    try {
        const auto j = nlohmann::json::parse(text);
        GoldenCase c;
        c.stamp = j.at("generated").get<std::string>();
        c.name = j.at("name").get<std::string>();
        c.plan = io::plan_from_json(j.at("plan").dump());
        c.images = j.at("images").get<std::vector<std::vector<std::uint8_t>>>();
        c.counts = j.at("counts").get<std::vector<std::vector<std::int64_t>>>();
        c.trace_stage = j.at("trace_stage").get<int>();
        c.trace = j.at("trace").get<std::vector<std::vector<std::int32_t>>>();
        return c;
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("golden case: ") + e.what());
    }
}

GoldenCase golden_from_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw Error("cannot read golden case " + path);
    std::ostringstream ss;
    ss << f.rdbuf();
    return golden_from_json(ss.str());
}

std::vector<std::uint8_t> all_images(const GoldenCase& c) {
    std::vector<std::uint8_t> px;
    for (const auto& im : c.images) px.insert(px.end(), im.begin(), im.end());
    return px;
}

std::vector<std::string> golden_files() {
    std::vector<std::string> files;
    for (const auto& e : std::filesystem::directory_iterator(std::string(SCNN_SOURCE_DIR) + "/tests/golden"))
        if (e.path().extension() == ".json") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace scnn::test
