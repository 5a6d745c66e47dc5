// Builds small ONNX models in tests with the protobuf API (no Python in CI).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

namespace scnn::test {

class OnnxBuilder {
public:
    /// A model with one float input of `dims` (use -1 for a symbolic batch) and the given default opset.
    explicit OnnxBuilder(std::vector<std::int64_t> dims, int opset = 13, std::string input = "input") {
        model_.set_ir_version(7);
        auto* op = model_.add_opset_import();
        op->set_domain("");
        op->set_version(opset);
        auto* g = model_.mutable_graph();
        g->set_name("test");
        auto* in = g->add_input();
        in->set_name(input);
        auto* tt = in->mutable_type()->mutable_tensor_type();
        tt->set_elem_type(onnx::TensorProto::FLOAT);
        for (auto d : dims) {
            auto* dim = tt->mutable_shape()->add_dim();
            if (d < 0) dim->set_dim_param("batch");
            else dim->set_dim_value(d);
        }
    }

    /// Adds a float initializer.
    void init(const std::string& name, std::vector<std::int64_t> dims, const std::vector<float>& v) {
        auto* t = model_.mutable_graph()->add_initializer();
        t->set_name(name);
        t->set_data_type(onnx::TensorProto::FLOAT);
        for (auto d : dims) t->add_dims(d);
        for (float x : v) t->add_float_data(x);
    }
    /// Adds an int64 initializer.
    void init_i64(const std::string& name, std::vector<std::int64_t> dims, const std::vector<std::int64_t>& v) {
        auto* t = model_.mutable_graph()->add_initializer();
        t->set_name(name);
        t->set_data_type(onnx::TensorProto::INT64);
        for (auto d : dims) t->add_dims(d);
        for (auto x : v) t->add_int64_data(x);
    }

    /// Adds a node; returns it so the caller can add attributes with the helpers below.
    onnx::NodeProto& node(const std::string& op, std::initializer_list<std::string> inputs,
                          std::initializer_list<std::string> outputs, const std::string& name = "") {
        auto* n = model_.mutable_graph()->add_node();
        n->set_op_type(op);
        n->set_name(name.empty() ? op + "_" + std::to_string(model_.graph().node_size()) : name);
        for (const auto& i : inputs) n->add_input(i);
        for (const auto& o : outputs) n->add_output(o);
        return *n;
    }

    static void attr(onnx::NodeProto& n, const std::string& name, std::int64_t v) {
        auto* a = n.add_attribute();
        a->set_name(name);
        a->set_type(onnx::AttributeProto::INT);
        a->set_i(v);
    }
    static void attr_f(onnx::NodeProto& n, const std::string& name, float v) {
        auto* a = n.add_attribute();
        a->set_name(name);
        a->set_type(onnx::AttributeProto::FLOAT);
        a->set_f(v);
    }
    static void attr(onnx::NodeProto& n, const std::string& name, std::vector<std::int64_t> v) {
        auto* a = n.add_attribute();
        a->set_name(name);
        a->set_type(onnx::AttributeProto::INTS);
        for (auto x : v) a->add_ints(x);
    }
    /// A Constant node holding an int64 vector.
    void constant_i64(const std::string& out, const std::vector<std::int64_t>& v) {
        auto& n = node("Constant", {}, {out});
        auto* a = n.add_attribute();
        a->set_name("value");
        a->set_type(onnx::AttributeProto::TENSOR);
        auto* t = a->mutable_t();
        t->set_data_type(onnx::TensorProto::INT64);
        t->add_dims(std::int64_t(v.size()));
        for (auto x : v) t->add_int64_data(x);
    }

    /// Declares the graph output and returns the serialized model.
    std::string finish(const std::string& output) {
        auto* o = model_.mutable_graph()->add_output();
        o->set_name(output);
        o->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
        return model_.SerializeAsString();
    }

    onnx::ModelProto& model() { return model_; }

private:
    onnx::ModelProto model_;
};

/// Deterministic pseudo-random floats in [-1, 1) for weights.
inline std::vector<float> pseudo_random(std::size_t n, std::uint32_t seed) {
    std::vector<float> v(n);
    std::uint32_t s = seed * 2654435761u + 1u;
    for (auto& x : v) {
        s = s * 1664525u + 1013904223u;
        x = float(s >> 8) / float(1u << 23) - 1.0f;
    }
    return v;
}

}  // namespace scnn::test
