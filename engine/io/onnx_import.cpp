#include "engine/io/onnx_import.hpp"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>

#include <fmt/format.h>

#include "engine/io/one_line.hpp"
#include "engine/io/onnx_importer.hpp"
#include "engine/ir/error.hpp"
#include "engine/ir/fold.hpp"

namespace scnn::io {
namespace detail {

namespace {

template <class T>
std::vector<double> from_raw(const std::string& raw, std::int64_t n, const std::string& what) {
    if (raw.size() != static_cast<std::size_t>(n) * sizeof(T)) {
        throw Error(fmt::format("{} holds {} bytes of data but its shape needs {}", what, raw.size(),
                                static_cast<std::size_t>(n) * sizeof(T)));
    }
    std::vector<double> v(static_cast<std::size_t>(n));
    for (std::size_t i = 0; i < v.size(); ++i) {
        T x;
        std::memcpy(&x, raw.data() + i * sizeof(T), sizeof(T));  // ONNX raw_data is little-endian
        v[i] = static_cast<double>(x);
    }
    return v;
}

template <class Field>
std::vector<double> from_field(const Field& f, std::int64_t n, const std::string& what) {
    if (static_cast<std::int64_t>(f.size()) != n) {
        throw Error(fmt::format("{} holds {} values but its shape needs {}", what, f.size(), n));
    }
    return {f.begin(), f.end()};
}

}  // namespace

ConstTensor decode_tensor(const onnx::TensorProto& t, const std::string& what) {
    if (t.data_location() == onnx::TensorProto::EXTERNAL) {
        throw Error(fmt::format("{} keeps its data in an external file, which is not supported", what));
    }
    ConstTensor out;
    out.dims.assign(t.dims().begin(), t.dims().end());
    const std::int64_t n = element_count(out.dims, what);
    const bool raw = t.has_raw_data();
    switch (t.data_type()) {
        case onnx::TensorProto::FLOAT:
            out.v = raw ? from_raw<float>(t.raw_data(), n, what) : from_field(t.float_data(), n, what);
            break;
        case onnx::TensorProto::DOUBLE:
            out.v = raw ? from_raw<double>(t.raw_data(), n, what) : from_field(t.double_data(), n, what);
            break;
        case onnx::TensorProto::INT64:
            out.v = raw ? from_raw<std::int64_t>(t.raw_data(), n, what) : from_field(t.int64_data(), n, what);
            out.integer = true;
            break;
        case onnx::TensorProto::INT32:
            out.v = raw ? from_raw<std::int32_t>(t.raw_data(), n, what) : from_field(t.int32_data(), n, what);
            out.integer = true;
            break;
        case onnx::TensorProto::BOOL:
            out.v = raw ? from_raw<std::uint8_t>(t.raw_data(), n, what) : from_field(t.int32_data(), n, what);
            out.integer = true;
            break;
        default:
            throw Error(fmt::format("{} has unsupported element type {}", what, t.data_type()));
    }
    return out;
}

const ConstTensor& Importer::constant(const std::string& name) const {
    auto it = consts_.find(name);
    if (it == consts_.end()) throw Error(fmt::format("tensor '{}' must be a constant here", name));
    return it->second;
}

const Activation& Importer::activation(const std::string& name) const {
    auto it = acts_.find(name);
    if (it == acts_.end()) throw Error(fmt::format("tensor '{}' is neither a constant nor the network input", name));
    if (softmax_outputs_.count(name) != 0) {
        throw Error(fmt::format("Softmax/LogSoftmax output '{}' is used further; Softmax is only supported as the "
                                "last node",
                                name));
    }
    if (it->second.produced_at != net_.layers.size()) {
        throw Error(fmt::format("the graph branches at tensor '{}': only sequential networks are supported", name));
    }
    return it->second;
}

void Importer::set_const(const std::string& name, ConstTensor t) {
    folded_values_ += t.size();
    if (folded_values_ > kMaxFoldedValues) {
        throw Error(fmt::format("Constant nodes and folded constants hold more than {} values", kMaxFoldedValues));
    }
    consts_[name] = std::move(t);
}

void Importer::alias(const std::string& from, const std::string& to) {
    if (is_const(from)) {
        set_const(to, consts_.at(from));
    } else {
        acts_[to] = activation(from);
    }
}

ir::Shape Importer::current_shape() const { return net_.layers.empty() ? net_.input : net_.layers.back().out; }

void Importer::push(const std::string& layer_name, ir::Op op, const std::string& out,
                    std::vector<std::int64_t> dims) {
    ir::Layer layer;
    layer.name = layer_name;
    layer.in = current_shape();
    try {
        layer.out = ir::infer_shape(op, layer.in);
    } catch (const Error& e) {
        throw Error(fmt::format("node {}: {}", layer_name, e.what()));
    }
    const ir::Shape expected = shape_of(dims, layer_name);
    if (layer.out.size() != expected.size()) {
        throw Error(fmt::format("node {}: internal shape mismatch {} vs {}", layer_name, ir::to_string(layer.out),
                                ir::to_string(expected)));
    }
    layer.out = expected;
    if (layer.out.size() > (std::int64_t{1} << 26)) {
        throw Error(fmt::format("node {}: output of {} values per image is too large", layer_name, layer.out.size()));
    }
    layer.op = std::move(op);
    net_.layers.push_back(std::move(layer));
    acts_[out] = Activation{net_.layers.size(), std::move(dims)};
}

ir::Network Importer::run() {
    for (const auto& init : graph_.initializer()) {
        consts_[init.name()] = decode_tensor(init, fmt::format("initializer '{}'", init.name()));
    }
    // The one real input: a graph input that is not an initializer.
    std::vector<const onnx::ValueInfoProto*> inputs;
    for (const auto& in : graph_.input()) {
        if (!is_const(in.name())) inputs.push_back(&in);
    }
    if (inputs.size() != 1) {
        throw Error(fmt::format("the model has {} inputs; exactly one image input is supported", inputs.size()));
    }
    const auto& in = *inputs.front();
    if (!in.type().has_tensor_type() || !in.type().tensor_type().has_shape()) {
        throw Error(fmt::format("input '{}' has no tensor shape", in.name()));
    }
    if (in.type().tensor_type().elem_type() != onnx::TensorProto::FLOAT) {
        throw Error(fmt::format("input '{}' is not a float tensor", in.name()));
    }
    net_.input_name = in.name();
    std::vector<std::int64_t> dims;
    for (const auto& d : in.type().tensor_type().shape().dim()) {
        net_.input_dims.push_back(d.has_dim_value() ? d.dim_value() : -1);
    }
    if (net_.input_dims.size() < 2 || net_.input_dims.size() > 4) {
        throw Error(fmt::format("input '{}' has rank {}; expected [N,features], [N,H,W] or [N,C,H,W]", in.name(),
                                net_.input_dims.size()));
    }
    for (std::size_t i = 1; i < net_.input_dims.size(); ++i) {
        if (net_.input_dims[i] <= 0) {
            throw Error(fmt::format("input '{}' has a non-fixed dimension {}; only the batch may be symbolic",
                                    in.name(), i));
        }
        dims.push_back(net_.input_dims[i]);
    }
    element_count(dims, fmt::format("input '{}'", in.name()), std::int64_t{1} << 24);
    net_.input = shape_of(dims, "input");
    acts_[in.name()] = Activation{0, dims};

    // Every unsupported node is reported at once, before any conversion.
    std::vector<std::string> unsupported;
    for (int i = 0; i < graph_.node_size(); ++i) {
        const auto& node = graph_.node(i);
        if (!node.domain().empty() && node.domain() != "ai.onnx") {
            unsupported.push_back(fmt::format("{} ({}::{})", node.name().empty() ? fmt::format("#{}", i) : node.name(),
                                              node.domain(), node.op_type()));
        } else if (supported_ops().count(node.op_type()) == 0) {
            unsupported.push_back(fmt::format("{} ({})", node.name().empty() ? fmt::format("#{}", i) : node.name(),
                                              node.op_type()));
        }
    }
    if (!unsupported.empty()) {
        std::string list;
        for (const auto& u : unsupported) list += (list.empty() ? "" : ", ") + u;
        throw Error(fmt::format("{} unsupported node{}: {}", unsupported.size(), unsupported.size() == 1 ? "" : "s",
                                list));
    }
    for (int i = 0; i < graph_.node_size(); ++i) {
        const auto& node = graph_.node(i);
        const std::string label = node.name().empty() ? fmt::format("{}_{}", node.op_type(), i) : node.name();
        try {
            convert(node, label);
        } catch (const Error& e) {
            const std::string msg = e.what();
            if (msg.rfind("node ", 0) == 0) throw;
            throw Error(fmt::format("node {} ({}): {}", label, node.op_type(), msg));
        }
    }
    if (graph_.output_size() != 1) {
        throw Error(fmt::format("the model has {} outputs; exactly one (class scores) is supported",
                                graph_.output_size()));
    }
    const std::string& out_name = graph_.output(0).name();
    auto it = acts_.find(out_name);
    if (it == acts_.end() || it->second.produced_at != net_.layers.size()) {
        throw Error(fmt::format("output '{}' is not the end of the sequential network", out_name));
    }
    if (it->second.dims.size() != 1) {
        throw Error(fmt::format("output '{}' must be a vector of class scores [N, classes]", out_name));
    }
    net_.output_softmax = softmax_outputs_.count(out_name) != 0;
    ir::fold_layers(net_);
    if (net_.layers.empty()) throw Error("the model has no layers");
    return std::move(net_);
}

}  // namespace detail

ir::Network import_onnx_bytes(std::string_view bytes, const std::string& label) {
    try {
        if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
            throw Error("file too large for protobuf");
        }
        onnx::ModelProto model;
        if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
            throw Error("not a valid ONNX model (protobuf parse failed: truncated or not ONNX)");
        }
        if (model.ir_version() <= 0 || !model.has_graph() || model.graph().node_size() == 0) {
            throw Error("not an ONNX model (no IR version or no graph nodes)");
        }
        int opset = -1;
        for (const auto& o : model.opset_import()) {
            if (o.domain().empty() || o.domain() == "ai.onnx") opset = static_cast<int>(o.version());
        }
        if (opset < 9 || opset > 18) {
            throw Error(opset < 0 ? std::string("the model declares no default-domain opset")
                                  : fmt::format("opset {} is not supported (9-18; 11-17 tested)", opset));
        }
        detail::Importer importer(model.graph(), opset);
        auto net = importer.run();
        net.name = model.graph().name();
        return net;
    } catch (const Error& e) {
        throw Error(detail::one_line(fmt::format("{}: {}", label, e.what())));
    }
}

ir::Network import_onnx(const std::string& path) {
    const std::string name = detail::one_line(path);
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw Error(fmt::format("{}: is a directory, not a model file", name));
    std::ifstream f(path, std::ios::binary | std::ios::ate);
    if (!f) throw Error(fmt::format("{}: cannot open model file", name));
    const auto size = static_cast<std::streamoff>(f.tellg());
    if (size < 0) throw Error(fmt::format("{}: cannot read model file", name));
    if (static_cast<std::size_t>(size) > kMaxModelBytes) {
        throw Error(fmt::format("{}: model file is {} bytes, larger than the {} byte limit", name, size,
                                kMaxModelBytes));
    }
    std::string bytes(static_cast<std::size_t>(size), '\0');
    f.seekg(0);
    if (!f.read(bytes.data(), size)) throw Error(fmt::format("{}: cannot read model file", name));
    return import_onnx_bytes(bytes, path);
}

}  // namespace scnn::io
