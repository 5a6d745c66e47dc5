// Internal to engine/io: the state of one ONNX import (constants, the one live activation, the layers
// built so far). onnx_import.cpp walks the graph; onnx_nodes.cpp converts one node at a time.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "engine/io/onnx_tensor.hpp"
#include "engine/ir/network.hpp"

namespace scnn::io::detail {

/// The activation flowing through the sequential network: ONNX dims without the batch dimension.
struct Activation {
    std::size_t produced_at = 0;  ///< number of layers that existed when it was produced
    std::vector<std::int64_t> dims;
};

ConstTensor decode_tensor(const onnx::TensorProto& t, const std::string& what);

class Importer {
public:
    Importer(const onnx::GraphProto& graph, int opset) : graph_(graph), opset_(opset) {}
    ir::Network run();

    // --- used by the node converters (onnx_nodes.cpp) ---
    void convert(const onnx::NodeProto& node, const std::string& label);

private:
    bool is_const(const std::string& name) const { return consts_.count(name) != 0; }
    bool is_act(const std::string& name) const { return acts_.count(name) != 0; }
    const ConstTensor& constant(const std::string& name) const;
    const Activation& activation(const std::string& name) const;
    void set_const(const std::string& name, ConstTensor t);  ///< counts against kMaxFoldedValues
    void alias(const std::string& from, const std::string& to);
    void push(const std::string& layer_name, ir::Op op, const std::string& out, std::vector<std::int64_t> dims);
    ir::Shape current_shape() const;

    void convert_const_only(const onnx::NodeProto& node);
    void convert_shape_op(const onnx::NodeProto& node);
    void convert_binary(const onnx::NodeProto& node, const std::string& label);
    void convert_dense(const onnx::NodeProto& node, const std::string& label);
    void convert_conv(const onnx::NodeProto& node, const std::string& label);
    void convert_pool(const onnx::NodeProto& node, const std::string& label);
    void convert_reshape(const onnx::NodeProto& node, const std::string& label);
    void convert_pad(const onnx::NodeProto& node, const std::string& label);
    void convert_clip(const onnx::NodeProto& node, const std::string& label);
    void convert_batchnorm(const onnx::NodeProto& node, const std::string& label);

    const onnx::GraphProto& graph_;
    int opset_;
    std::map<std::string, ConstTensor> consts_;
    std::int64_t folded_values_ = 0;  ///< values held by constants made from nodes (not initializers)
    std::map<std::string, Activation> acts_;
    std::set<std::string> softmax_outputs_;
    ir::Network net_;
};

// Attribute access with defaults.
const onnx::AttributeProto* find_attr(const onnx::NodeProto& node, const std::string& name);
std::int64_t attr_int(const onnx::NodeProto& node, const std::string& name, std::int64_t def);
float attr_float(const onnx::NodeProto& node, const std::string& name, float def);
std::string attr_string(const onnx::NodeProto& node, const std::string& name, const std::string& def);
std::vector<std::int64_t> attr_ints(const onnx::NodeProto& node, const std::string& name,
                                    std::vector<std::int64_t> def = {});

/// ir::Shape for ONNX dims without the batch dimension (rank 1: features; 2: H×W; 3: C×H×W).
ir::Shape shape_of(const std::vector<std::int64_t>& dims, const std::string& where);

/// The op types the importer converts (anything else is listed as unsupported).
const std::set<std::string>& supported_ops();

}  // namespace scnn::io::detail
