// One converter per ONNX op (or small family of ops); see onnx_importer.hpp.
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "engine/io/onnx_importer.hpp"
#include "engine/ir/error.hpp"

namespace scnn::io::detail {

const std::set<std::string>& supported_ops() {
    static const std::set<std::string> ops = {
        "Gemm",    "MatMul",      "Add",     "Sub",       "Mul",         "Div",               "Conv",
        "Relu",    "Clip",        "Tanh",    "Sigmoid",   "MaxPool",     "AveragePool",       "GlobalAveragePool",
        "Flatten", "Reshape",     "Pad",     "Constant",  "Identity",    "BatchNormalization", "Dropout",
        "Softmax", "LogSoftmax",  "Shape",   "Gather",    "Unsqueeze",   "Squeeze",           "Concat",
        "Slice",   "Cast",        "Transpose"};
    return ops;
}

const onnx::AttributeProto* find_attr(const onnx::NodeProto& node, const std::string& name) {
    for (const auto& a : node.attribute()) {
        if (a.name() == name) return &a;
    }
    return nullptr;
}
std::int64_t attr_int(const onnx::NodeProto& node, const std::string& name, std::int64_t def) {
    const auto* a = find_attr(node, name);
    return a ? a->i() : def;
}
float attr_float(const onnx::NodeProto& node, const std::string& name, float def) {
    const auto* a = find_attr(node, name);
    return a ? a->f() : def;
}
std::string attr_string(const onnx::NodeProto& node, const std::string& name, const std::string& def) {
    const auto* a = find_attr(node, name);
    return a ? a->s() : def;
}
std::vector<std::int64_t> attr_ints(const onnx::NodeProto& node, const std::string& name,
                                    std::vector<std::int64_t> def) {
    const auto* a = find_attr(node, name);
    return a ? std::vector<std::int64_t>(a->ints().begin(), a->ints().end()) : def;
}

ir::Shape shape_of(const std::vector<std::int64_t>& dims, const std::string& where) {
    for (auto d : dims) {
        if (d <= 0 || d > std::numeric_limits<int>::max()) {
            throw Error(fmt::format("{}: invalid dimension {}", where, d));
        }
    }
    switch (dims.size()) {
        case 1: return {int(dims[0]), 1, 1};
        case 2: return {1, int(dims[0]), int(dims[1])};
        case 3: return {int(dims[0]), int(dims[1]), int(dims[2])};
        default: throw Error(fmt::format("{}: tensors of rank {} (plus batch) are not supported", where, dims.size()));
    }
}

namespace {

bool has_input(const onnx::NodeProto& node, int i) { return node.input_size() > i && !node.input(i).empty(); }

// Inputs a node must list before its converter may index them (optional inputs are checked with has_input).
int min_inputs(const std::string& op) {
    if (op == "Constant") return 0;
    if (op == "BatchNormalization") return 5;
    if (op == "Gather" || op == "Reshape" || op == "Add" || op == "Sub" || op == "Mul" || op == "Div" ||
        op == "Gemm" || op == "MatMul" || op == "Conv") {
        return 2;
    }
    return 1;
}

// An attribute holding a size, stride or padding: checked to lie in [lo, hi] so that the int arithmetic of
// shape inference cannot overflow.
std::vector<std::int64_t> attr_small_ints(const onnx::NodeProto& node, const std::string& name,
                                          std::vector<std::int64_t> def, std::int64_t lo, std::int64_t hi) {
    auto v = attr_ints(node, name, std::move(def));
    for (auto x : v) {
        if (x < lo || x > hi) throw Error(fmt::format("{} value {} outside {}..{}", name, x, lo, hi));
    }
    return v;
}

/// Largest kernel, stride or padding accepted (per dimension).
constexpr std::int64_t kMaxWindow = 1 << 16;

// The first value of an optional scalar input such as Clip's min or Pad's constant_value.
double scalar_value(const ConstTensor& t, const std::string& what) {
    if (t.v.empty()) throw Error(fmt::format("{} is an empty tensor", what));
    return t.v[0];
}

// A constant that broadcasts per channel (or is a scalar) against activation dims; returns one value per
// channel of the IR shape, or throws.
std::vector<float> per_channel(const ConstTensor& c, const std::vector<std::int64_t>& dims) {
    const ir::Shape s = shape_of(dims, "operand");
    if (c.size() == 1) return std::vector<float>(std::size_t(s.c), float(c.v[0]));
    std::vector<std::int64_t> d = c.dims;
    while (!d.empty() && d.front() == 1 && d.size() > dims.size()) d.erase(d.begin());
    const bool vec = dims.size() == 1 && d.size() == 1 && d[0] == dims[0];
    const bool chw = dims.size() == 3 && d.size() == 3 && d[0] == dims[0] && d[1] == 1 && d[2] == 1;
    if (!vec && !chw) throw Error("only scalar or per-channel constant operands are supported");
    return c.floats();
}

}  // namespace

void Importer::convert(const onnx::NodeProto& node, const std::string& label) {
    const std::string& op = node.op_type();
    if (node.output_size() < 1) throw Error("node has no output");
    if (node.input_size() < min_inputs(op)) {
        throw Error(fmt::format("expects at least {} input{}, got {}", min_inputs(op), min_inputs(op) == 1 ? "" : "s",
                                node.input_size()));
    }
    const std::string& out = node.output(0);
    bool all_const = node.input_size() > 0;
    for (const auto& in : node.input()) all_const = all_const && (in.empty() || is_const(in));

    if (op == "Constant") return convert_const_only(node);
    if (op == "Shape" || op == "Gather" || op == "Unsqueeze" || op == "Squeeze" || op == "Concat" ||
        op == "Slice" || op == "Cast" || op == "Transpose") {
        return convert_shape_op(node);
    }
    if (op == "Identity" || op == "Dropout") return alias(node.input(0), out);
    if ((op == "Reshape" || op == "Flatten") && all_const) return convert_shape_op(node);
    if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div") return convert_binary(node, label);
    if (op == "Gemm" || op == "MatMul") return convert_dense(node, label);
    if (op == "Conv") return convert_conv(node, label);
    if (op == "MaxPool" || op == "AveragePool" || op == "GlobalAveragePool") return convert_pool(node, label);
    if (op == "Reshape" || op == "Flatten") return convert_reshape(node, label);
    if (op == "Pad") return convert_pad(node, label);
    if (op == "Clip") return convert_clip(node, label);
    if (op == "BatchNormalization") return convert_batchnorm(node, label);

    const auto dims = activation(node.input(0)).dims;
    if (op == "Relu") return push(label, ir::Relu{}, out, dims);
    if (op == "Tanh") return push(label, ir::Tanh{}, out, dims);
    if (op == "Sigmoid") return push(label, ir::Sigmoid{}, out, dims);
    if (op == "Softmax" || op == "LogSoftmax") {
        if (dims.size() != 1) throw Error("Softmax over more than one axis of features is not supported");
        alias(node.input(0), out);
        softmax_outputs_.insert(out);
        return;
    }
    throw Error("unsupported operator");  // unreachable: supported_ops() was checked before
}

void Importer::convert_const_only(const onnx::NodeProto& node) {
    ConstTensor t;
    if (const auto* a = find_attr(node, "value")) {
        t = decode_tensor(a->t(), fmt::format("Constant '{}'", node.output(0)));
    } else if (const auto* f = find_attr(node, "value_float")) {
        t.v = {f->f()};
    } else if (const auto* fs = find_attr(node, "value_floats")) {
        t.v.assign(fs->floats().begin(), fs->floats().end());
        t.dims = {fs->floats_size()};
    } else if (const auto* i = find_attr(node, "value_int")) {
        t.v = {double(i->i())};
        t.integer = true;
    } else if (const auto* is = find_attr(node, "value_ints")) {
        t.v.assign(is->ints().begin(), is->ints().end());
        t.dims = {is->ints_size()};
        t.integer = true;
    } else {
        throw Error("Constant without a supported value attribute");
    }
    set_const(node.output(0), std::move(t));
}

void Importer::convert_shape_op(const onnx::NodeProto& node) {
    const std::string& op = node.op_type();
    const std::string& out = node.output(0);
    auto ints_input_or_attr = [&](int i, const char* attr) {
        return has_input(node, i) ? constant(node.input(i)).ints() : attr_ints(node, attr);
    };
    if (op == "Shape") {
        ConstTensor t;
        t.integer = true;
        if (is_const(node.input(0))) {
            for (auto d : constant(node.input(0)).dims) t.v.push_back(double(d));
        } else {
            t.v.push_back(kBatchDim);
            for (auto d : activation(node.input(0)).dims) t.v.push_back(double(d));
        }
        t.dims = {std::int64_t(t.v.size())};
        const auto n = std::int64_t(t.v.size());
        std::int64_t start = attr_int(node, "start", 0), end = attr_int(node, "end", n);
        if (start != 0 || end != n) t = slice(t, {start}, {end}, {0}, {1});
        return set_const(out, std::move(t));
    }
    const ConstTensor& x = constant(node.input(0));
    if (op == "Gather") return set_const(out, gather(x, constant(node.input(1)), attr_int(node, "axis", 0)));
    if (op == "Unsqueeze") return set_const(out, unsqueeze(x, ints_input_or_attr(1, "axes")));
    if (op == "Squeeze") return set_const(out, squeeze(x, ints_input_or_attr(1, "axes")));
    if (op == "Cast") {
        ConstTensor t = x;
        const auto to = attr_int(node, "to", onnx::TensorProto::FLOAT);
        t.integer = to != onnx::TensorProto::FLOAT && to != onnx::TensorProto::DOUBLE;
        if (t.integer) {
            for (auto& v : t.v) v = v == kBatchDim ? v : std::trunc(v);
        }
        return set_const(out, std::move(t));
    }
    if (op == "Concat") {
        std::vector<ConstTensor> parts;
        for (const auto& in : node.input()) parts.push_back(constant(in));
        return set_const(out, concat(parts, attr_int(node, "axis", 0)));
    }
    if (op == "Slice") {
        return set_const(out, slice(x, ints_input_or_attr(1, "starts"), ints_input_or_attr(2, "ends"),
                                    ints_input_or_attr(3, "axes"), ints_input_or_attr(4, "steps")));
    }
    if (op == "Reshape") return set_const(out, reshape(x, constant(node.input(1)).ints()));
    if (op == "Transpose") return set_const(out, transpose(x, attr_ints(node, "perm")));
    if (op == "Flatten") {
        const auto axis = attr_int(node, "axis", 1);
        std::int64_t a = 1;
        for (std::int64_t i = 0; i < axis && i < std::int64_t(x.dims.size()); ++i) a *= x.dims[std::size_t(i)];
        return set_const(out, reshape(x, {a, -1}));
    }
    throw Error("unsupported shape operator");
}

void Importer::convert_binary(const onnx::NodeProto& node, const std::string& label) {
    const std::string& op = node.op_type();
    const std::string &a = node.input(0), &b = node.input(1);
    if (is_const(a) && is_const(b)) {  // fold constant arithmetic (scalar broadcast or equal shapes)
        const ConstTensor &x = constant(a), &y = constant(b);
        if (x.size() != y.size() && x.size() != 1 && y.size() != 1) {
            throw Error("constant broadcasting beyond scalars is not supported");
        }
        // The result takes the shape of the non-scalar operand (an empty one broadcasts to empty).
        ConstTensor r = x.size() == 1 && y.size() != 1 ? y : x;
        r.integer = x.integer && y.integer;
        for (std::size_t i = 0; i < r.v.size(); ++i) {
            const double p = x.v[x.size() == 1 ? 0 : i], q = y.v[y.size() == 1 ? 0 : i];
            r.v[i] = op == "Add" ? p + q : op == "Sub" ? p - q : op == "Mul" ? p * q : (r.integer ? std::trunc(p / q) : p / q);
        }
        return set_const(node.output(0), std::move(r));
    }
    if (!is_const(a) && !is_const(b)) {
        throw Error(fmt::format("{} of two activations (a residual or branch) is not supported", op));
    }
    const bool act_first = !is_const(a);
    const auto dims = activation(act_first ? a : b).dims;
    const auto c = per_channel(constant(act_first ? b : a), dims);
    ir::Affine aff;
    aff.scale.assign(c.size(), 1.0f);
    aff.shift.assign(c.size(), 0.0f);
    if (c.size() != std::size_t(shape_of(dims, label).c)) throw Error("operand does not match the channels");
    for (std::size_t i = 0; i < c.size(); ++i) {
        if (op == "Add") aff.shift[i] = c[i];
        if (op == "Sub") (act_first ? aff.shift[i] = -c[i] : (aff.scale[i] = -1.0f, aff.shift[i] = c[i]));
        if (op == "Mul") aff.scale[i] = c[i];
        if (op == "Div") {
            if (!act_first) throw Error("dividing a constant by an activation is not supported");
            if (c[i] == 0.0f) throw Error("division by a zero constant");
            aff.scale[i] = 1.0f / c[i];
        }
    }
    push(label, std::move(aff), node.output(0), dims);
}

void Importer::convert_dense(const onnx::NodeProto& node, const std::string& label) {
    const auto dims = activation(node.input(0)).dims;
    if (dims.size() != 1) {
        throw Error(fmt::format("{} input must be [N, features]; flatten it first", node.op_type()));
    }
    const ConstTensor& wt = constant(node.input(1));
    if (wt.dims.size() != 2) throw Error("weight must be a 2-D constant");
    const bool gemm = node.op_type() == "Gemm";
    if (gemm && attr_int(node, "transA", 0) != 0) throw Error("Gemm with transA=1 is not supported");
    const bool trans_b = gemm && attr_int(node, "transB", 0) != 0;
    const float alpha = gemm ? attr_float(node, "alpha", 1.0f) : 1.0f;
    const float beta = gemm ? attr_float(node, "beta", 1.0f) : 1.0f;
    ir::Dense d;
    d.in = int(trans_b ? wt.dims[1] : wt.dims[0]);
    d.out = int(trans_b ? wt.dims[0] : wt.dims[1]);
    if (d.in != dims[0]) throw Error(fmt::format("weight expects {} inputs but receives {}", d.in, dims[0]));
    d.w.resize(std::size_t(d.in) * std::size_t(d.out));
    for (int o = 0; o < d.out; ++o) {
        for (int i = 0; i < d.in; ++i) {
            const std::size_t src = trans_b ? std::size_t(o) * std::size_t(d.in) + std::size_t(i)
                                            : std::size_t(i) * std::size_t(d.out) + std::size_t(o);
            d.w[std::size_t(o) * std::size_t(d.in) + std::size_t(i)] = alpha * float(wt.v[src]);
        }
    }
    d.b.assign(std::size_t(d.out), 0.0f);
    if (gemm && has_input(node, 2)) {
        const auto c = per_channel(constant(node.input(2)), {d.out});
        for (std::size_t o = 0; o < d.b.size(); ++o) d.b[o] = beta * c[c.size() == 1 ? 0 : o];
    }
    const int out = d.out;
    push(label, std::move(d), node.output(0), {out});
}

void Importer::convert_conv(const onnx::NodeProto& node, const std::string& label) {
    const auto dims = activation(node.input(0)).dims;
    if (dims.size() != 3) throw Error("Conv input must be [N, C, H, W]");
    const ConstTensor& wt = constant(node.input(1));
    if (wt.dims.size() != 4) throw Error("only 2-D convolutions (4-D weights) are supported");
    if (attr_int(node, "group", 1) != 1) throw Error("grouped/depthwise convolution is not supported");
    for (auto d : attr_ints(node, "dilations", {1, 1})) {
        if (d != 1) throw Error("dilated convolution is not supported");
    }
    ir::Conv2d c;
    c.out_c = int(wt.dims[0]);
    c.in_c = int(wt.dims[1]);
    c.kh = int(wt.dims[2]);
    c.kw = int(wt.dims[3]);
    const auto strides = attr_small_ints(node, "strides", {1, 1}, 1, kMaxWindow);
    const auto pads = attr_small_ints(node, "pads", {0, 0, 0, 0}, 0, kMaxWindow);
    if (strides.size() != 2 || pads.size() != 4) throw Error("strides/pads must have 2/4 entries");
    const auto auto_pad = attr_string(node, "auto_pad", "NOTSET");
    if (auto_pad != "NOTSET" && auto_pad != "VALID") throw Error(fmt::format("auto_pad {} is not supported", auto_pad));
    c.stride_h = int(strides[0]);
    c.stride_w = int(strides[1]);
    c.pad_top = int(pads[0]);
    c.pad_left = int(pads[1]);
    c.pad_bottom = int(pads[2]);
    c.pad_right = int(pads[3]);
    c.w = wt.floats();
    c.b.assign(std::size_t(c.out_c), 0.0f);
    if (has_input(node, 2)) c.b = per_channel(constant(node.input(2)), {c.out_c});
    const ir::Shape o = ir::infer_shape(c, shape_of(dims, label));
    push(label, std::move(c), node.output(0), {o.c, o.h, o.w});
}

void Importer::convert_pool(const onnx::NodeProto& node, const std::string& label) {
    const auto dims = activation(node.input(0)).dims;
    if (dims.size() != 3) throw Error("pooling input must be [N, C, H, W]");
    if (node.output_size() > 1 && !node.output(1).empty()) throw Error("MaxPool indices output is not supported");
    ir::Pool p;
    p.kind = node.op_type() == "MaxPool" ? ir::PoolKind::Max : ir::PoolKind::Average;
    if (node.op_type() == "GlobalAveragePool") {
        p.kh = int(dims[1]);
        p.kw = int(dims[2]);
    } else {
        const auto k = attr_small_ints(node, "kernel_shape", {}, 1, kMaxWindow);
        const auto strides = attr_small_ints(node, "strides", {1, 1}, 1, kMaxWindow);
        const auto pads = attr_small_ints(node, "pads", {0, 0, 0, 0}, 0, kMaxWindow);
        if (k.size() != 2 || strides.size() != 2 || pads.size() != 4) throw Error("only 2-D pooling is supported");
        if (attr_int(node, "ceil_mode", 0) != 0) throw Error("ceil_mode=1 is not supported");
        for (auto d : attr_ints(node, "dilations", {1, 1})) {
            if (d != 1) throw Error("dilated pooling is not supported");
        }
        const auto auto_pad = attr_string(node, "auto_pad", "NOTSET");
        if (auto_pad != "NOTSET" && auto_pad != "VALID") throw Error(fmt::format("auto_pad {} is not supported", auto_pad));
        p.kh = int(k[0]);
        p.kw = int(k[1]);
        p.stride_h = int(strides[0]);
        p.stride_w = int(strides[1]);
        p.pad_top = int(pads[0]);
        p.pad_left = int(pads[1]);
        p.pad_bottom = int(pads[2]);
        p.pad_right = int(pads[3]);
        p.count_include_pad = attr_int(node, "count_include_pad", 0) != 0;
    }
    const ir::Shape o = ir::infer_shape(p, shape_of(dims, label));
    push(label, p, node.output(0), {o.c, o.h, o.w});
}

void Importer::convert_reshape(const onnx::NodeProto& node, const std::string& label) {
    const auto dims = activation(node.input(0)).dims;
    std::int64_t total = 1;
    for (auto d : dims) total *= d;
    std::vector<std::int64_t> to;
    if (node.op_type() == "Flatten") {
        if (attr_int(node, "axis", 1) != 1) throw Error("Flatten is supported with axis=1 only");
        to = {total};
    } else {
        const ConstTensor& s = constant(node.input(1));
        if (s.v.empty()) throw Error("Reshape to a scalar is not supported");
        const double first = s.v[0];
        // The first entry is the batch: the folded Shape(x)[0], -1, 0 (copy) or the declared batch size.
        if (!(first == kBatchDim || first == -1 || first == 0 || first == double(net_.input_dims[0]))) {
            throw Error(fmt::format("Reshape would change the batch dimension (first entry {})", first));
        }
        std::int64_t known = 1;
        int infer = first == -1 ? 0 : -1;
        for (std::size_t i = 1; i < s.v.size(); ++i) {
            if (s.v[i] == kBatchDim) throw Error("Reshape moves the batch dimension");
            if (!(s.v[i] >= -1 && s.v[i] <= double(total))) {
                throw Error(fmt::format("cannot reshape {} values per image: target dimension {}", total, s.v[i]));
            }
            auto d = static_cast<std::int64_t>(s.v[i]);
            if (d == 0) d = i - 1 < dims.size() ? dims[i - 1] : throw Error("Reshape copies a missing dimension");
            if (d == -1) {
                if (infer >= 0) throw Error("Reshape has more than one -1");
                infer = int(i);
            } else if (d <= 0) {
                throw Error(fmt::format("Reshape has an invalid dimension {}", d));
            } else if (known > total / d) {
                throw Error(fmt::format("cannot reshape {} values per image: the target shape holds more", total));
            } else {
                known *= d;
            }
            to.push_back(d);
        }
        if (infer > 0) {
            if (known == 0 || total % known != 0) throw Error("Reshape cannot infer its -1 dimension");
            to[std::size_t(infer - 1)] = total / known;
        } else if (known != total) {
            throw Error(fmt::format("cannot reshape {} values per image into {}", total, known));
        }
    }
    push(label, ir::Reshape{shape_of(to, label)}, node.output(0), to);
}

void Importer::convert_pad(const onnx::NodeProto& node, const std::string& label) {
    const auto dims = activation(node.input(0)).dims;
    if (attr_string(node, "mode", "constant") != "constant") throw Error("only constant padding is supported");
    const auto pads = has_input(node, 1) ? constant(node.input(1)).ints() : attr_ints(node, "pads");
    float value = attr_float(node, "value", 0.0f);
    if (has_input(node, 2)) value = float(scalar_value(constant(node.input(2)), "Pad constant_value"));
    if (value != 0.0f) throw Error("only zero padding is supported");
    if (dims.size() != 3 || pads.size() != 8) throw Error("padding is supported on [N, C, H, W] only");
    if (pads[0] || pads[1] || pads[4] || pads[5]) throw Error("padding the batch or channel dimension is not supported");
    for (auto p : pads) {
        if (p < 0) throw Error("negative padding (cropping) is not supported");
        if (p > kMaxWindow) throw Error(fmt::format("padding {} is above the limit of {}", p, kMaxWindow));
    }
    ir::ZeroPad z{int(pads[2]), int(pads[3]), int(pads[6]), int(pads[7])};
    push(label, z, node.output(0), {dims[0], dims[1] + pads[2] + pads[6], dims[2] + pads[3] + pads[7]});
}

void Importer::convert_clip(const onnx::NodeProto& node, const std::string& label) {
    const auto dims = activation(node.input(0)).dims;
    ir::Clip c{-std::numeric_limits<float>::infinity(), std::numeric_limits<float>::infinity()};
    if (opset_ < 11) {
        c.lo = attr_float(node, "min", c.lo);
        c.hi = attr_float(node, "max", c.hi);
    } else {
        if (has_input(node, 1)) c.lo = float(scalar_value(constant(node.input(1)), "Clip min"));
        if (has_input(node, 2)) c.hi = float(scalar_value(constant(node.input(2)), "Clip max"));
    }
    if (!(c.lo <= c.hi)) throw Error("Clip min is above max");
    push(label, c, node.output(0), dims);
}

void Importer::convert_batchnorm(const onnx::NodeProto& node, const std::string& label) {
    const auto dims = activation(node.input(0)).dims;
    const int channels = shape_of(dims, label).c;
    const float eps = attr_float(node, "epsilon", 1e-5f);
    std::vector<std::vector<float>> p;
    for (int i = 1; i <= 4; ++i) {
        p.push_back(constant(node.input(i)).floats());
        if (int(p.back().size()) != channels) throw Error("BatchNormalization parameters do not match the channels");
    }
    ir::Affine a;
    for (int ch = 0; ch < channels; ++ch) {
        const auto k = std::size_t(ch);
        const float var = p[3][k];
        if (!(var + eps > 0.0f)) throw Error("BatchNormalization variance + epsilon is not positive");
        const float s = p[0][k] / std::sqrt(var + eps);
        a.scale.push_back(s);
        a.shift.push_back(p[1][k] - p[2][k] * s);
    }
    push(label, std::move(a), node.output(0), dims);
}

}  // namespace scnn::io::detail
