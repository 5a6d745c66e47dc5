// scnn info MODEL — the imported network: layers, shapes, weights, MACs.
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "engine/io/onnx_import.hpp"

namespace scnn::cli {

namespace {

struct InfoOptions {
    std::string model = kDefaultModel;
    bool json = false;
};

void run_info(const InfoOptions& o) {
    const std::string path = resolve_model(o.model);
    const ir::Network net = io::import_onnx(path);
    std::int64_t weights = 0, macs = 0;
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : net.layers) {
        weights += ir::weight_count(l);
        macs += ir::mac_count(l);
        layers.push_back({{"name", l.name}, {"op", ir::op_name(l.op)}, {"in", ir::to_string(l.in)},
                          {"out", ir::to_string(l.out)}, {"weights", ir::weight_count(l)}, {"macs", ir::mac_count(l)}});
    }
    if (o.json) {
        nlohmann::json j{{"model", path},      {"input", ir::to_string(net.input)}, {"input_dims", net.input_dims},
                         {"classes", net.output().size()}, {"layers", layers},        {"weights", weights},
                         {"macs", macs},       {"output_softmax", net.output_softmax}};
        fmt::print("{}\n", j.dump(2));
        return;
    }
    fmt::print("model   {}\ninput   {} (shapes are CxHxW, batch omitted)\n\n", path, ir::to_string(net.input));
    fmt::print("{:>3}  {:<28} {:<8} {:>10} {:>10} {:>9} {:>10}\n", "#", "name", "op", "in", "out", "weights", "MACs");
    int i = 0;
    for (const auto& l : net.layers) {
        fmt::print("{:>3}  {:<28} {:<8} {:>10} {:>10} {:>9} {:>10}\n", i++, l.name.substr(0, 28), ir::op_name(l.op),
                   ir::to_string(l.in), ir::to_string(l.out), ir::weight_count(l), ir::mac_count(l));
    }
    fmt::print("\n{} layers, {} weights ({:.1f} KiB as float, {:.1f} KiB as int8), {} MACs per image, {} classes{}\n",
               net.layers.size(), weights, double(weights) * 4 / 1024, double(weights) / 1024, macs,
               net.output().size(), net.output_softmax ? " (trailing softmax dropped: argmax is unchanged)" : "");
}

}  // namespace

void add_info_command(CLI::App& app) {
    auto opts = std::make_shared<InfoOptions>();
    auto* cmd = app.add_subcommand("info", "Show the layers, shapes, weights and MACs of a model");
    cmd->add_option("model", opts->model, "ONNX file or bundled model name")->capture_default_str();
    cmd->add_flag("--json", opts->json, "Print one JSON object instead of a table");
    cmd->callback([opts] { run_info(*opts); });
}

}  // namespace scnn::cli
