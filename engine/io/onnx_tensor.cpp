#include "engine/io/onnx_tensor.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <fmt/format.h>

#include "engine/ir/error.hpp"

namespace scnn::io {

namespace {

std::int64_t norm_axis(std::int64_t axis, std::size_t rank, const char* op) {
    const auto r = static_cast<std::int64_t>(rank);
    if (axis < -r || axis >= r) throw Error(fmt::format("{}: axis {} out of range for rank {}", op, axis, rank));
    return axis < 0 ? axis + r : axis;
}

std::vector<std::int64_t> strides_of(const std::vector<std::int64_t>& dims) {
    std::vector<std::int64_t> s(dims.size(), 1);
    for (std::size_t i = dims.size(); i-- > 1;) s[i - 1] = s[i] * dims[i];
    return s;
}

}  // namespace

std::vector<float> ConstTensor::floats() const { return {v.begin(), v.end()}; }

std::vector<std::int64_t> ConstTensor::ints() const {
    std::vector<std::int64_t> out;
    out.reserve(v.size());
    for (double x : v) {
        // Saturate: INT64_MAX (Slice's "to the end", 2^63 as a double) must not be cast out of range.
        if (std::isnan(x)) throw Error("integer operand is NaN");
        out.push_back(x >= 0x1p63 ? std::numeric_limits<std::int64_t>::max()
                      : x < -0x1p63 ? std::numeric_limits<std::int64_t>::min()
                                    : static_cast<std::int64_t>(x));
    }
    return out;
}

std::int64_t element_count(const std::vector<std::int64_t>& dims, const std::string& what, std::int64_t limit) {
    // The product of the non-zero dims is bounded too, so that no product of any subset of the dims of an
    // accepted tensor can overflow, even when a zero dim makes the tensor empty.
    std::int64_t nonzero = 1;
    bool empty = false;
    for (auto d : dims) {
        if (d < 0) throw Error(fmt::format("{} has a negative dimension ({})", what, d));
        if (d == 0) {
            empty = true;
            continue;
        }
        if (d > limit || nonzero > limit / d) {
            throw Error(fmt::format("{} is too large (more than {} elements)", what, limit));
        }
        nonzero *= d;
    }
    return empty ? 0 : nonzero;
}

ConstTensor gather(const ConstTensor& data, const ConstTensor& indices, std::int64_t axis) {
    if (data.dims.empty()) throw Error("Gather: data must have rank >= 1");
    const auto ax = static_cast<std::size_t>(norm_axis(axis, data.dims.size(), "Gather"));
    ConstTensor out;
    out.integer = data.integer;
    out.dims.assign(data.dims.begin(), data.dims.begin() + static_cast<std::ptrdiff_t>(ax));
    out.dims.insert(out.dims.end(), indices.dims.begin(), indices.dims.end());
    out.dims.insert(out.dims.end(), data.dims.begin() + static_cast<std::ptrdiff_t>(ax) + 1, data.dims.end());
    std::int64_t outer = 1, inner = 1;
    for (std::size_t i = 0; i < ax; ++i) outer *= data.dims[i];
    for (std::size_t i = ax + 1; i < data.dims.size(); ++i) inner *= data.dims[i];
    const std::int64_t n = data.dims[ax];
    element_count(out.dims, "Gather result", kMaxFoldedValues);
    for (std::int64_t o = 0; o < outer; ++o) {
        for (double raw : indices.v) {
            if (!(raw >= double(-n) && raw < double(n))) {
                throw Error(fmt::format("Gather: index {} out of range [0, {})", raw, n));
            }
            auto idx = static_cast<std::int64_t>(raw);
            if (idx < 0) idx += n;
            const auto* src = &data.v[static_cast<std::size_t>((o * n + idx) * inner)];
            out.v.insert(out.v.end(), src, src + inner);
        }
    }
    return out;
}

ConstTensor concat(const std::vector<ConstTensor>& parts, std::int64_t axis) {
    if (parts.empty()) throw Error("Concat: no inputs");
    const auto& first = parts.front();
    if (first.dims.empty()) throw Error("Concat: inputs must have rank >= 1");
    const auto ax = static_cast<std::size_t>(norm_axis(axis, first.dims.size(), "Concat"));
    ConstTensor out = first;
    out.dims[ax] = 0;
    for (const auto& p : parts) {
        if (p.dims.size() != first.dims.size()) throw Error("Concat: inputs differ in rank");
        for (std::size_t i = 0; i < p.dims.size(); ++i) {
            if (i != ax && p.dims[i] != first.dims[i]) throw Error("Concat: inputs differ in shape");
        }
        out.dims[ax] += p.dims[ax];
        out.integer = out.integer && p.integer;
    }
    element_count(out.dims, "Concat result", kMaxFoldedValues);
    std::int64_t outer = 1;
    for (std::size_t i = 0; i < ax; ++i) outer *= first.dims[i];
    out.v.clear();
    for (std::int64_t o = 0; o < outer; ++o) {
        for (const auto& p : parts) {
            const std::int64_t chunk = p.size() / std::max<std::int64_t>(outer, 1);
            const auto* src = p.v.data() + o * chunk;
            out.v.insert(out.v.end(), src, src + chunk);
        }
    }
    return out;
}

ConstTensor slice(const ConstTensor& data, const std::vector<std::int64_t>& starts,
                  const std::vector<std::int64_t>& ends, const std::vector<std::int64_t>& axes_in,
                  const std::vector<std::int64_t>& steps_in) {
    const std::size_t rank = data.dims.size();
    if (starts.size() != ends.size()) throw Error("Slice: starts and ends differ in length");
    std::vector<std::int64_t> axes = axes_in;
    if (axes.empty()) {
        for (std::size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<std::int64_t>(i));
    }
    std::vector<std::int64_t> steps = steps_in.empty() ? std::vector<std::int64_t>(starts.size(), 1) : steps_in;
    if (axes.size() != starts.size() || steps.size() != starts.size()) throw Error("Slice: inconsistent inputs");
    std::vector<std::int64_t> begin(rank, 0), step(rank, 1), count(data.dims);
    for (std::size_t k = 0; k < axes.size(); ++k) {
        const auto a = static_cast<std::size_t>(norm_axis(axes[k], rank, "Slice"));
        const std::int64_t n = data.dims[a];
        if (steps[k] == 0) throw Error("Slice: step 0");
        // A step longer than the axis takes one element; clamping keeps the arithmetic below in range.
        const std::int64_t st = std::clamp(steps[k], -(n + 1), n + 1);
        auto clampi = [&](std::int64_t x, std::int64_t lo, std::int64_t hi) {
            if (x < 0) x += n;
            return std::clamp(x, lo, hi);
        };
        std::int64_t b, e;
        if (st > 0) {
            b = clampi(starts[k], 0, n);
            e = clampi(ends[k], 0, n);
            count[a] = e > b ? (e - b + st - 1) / st : 0;
        } else {
            b = clampi(starts[k], 0, n - 1);
            e = ends[k] < -n ? -1 : clampi(ends[k], -1, n - 1);
            count[a] = b > e ? (b - e - st - 1) / (-st) : 0;
        }
        begin[a] = b;
        step[a] = st;
    }
    ConstTensor out;
    out.integer = data.integer;
    out.dims = count;
    const auto total = element_count(count, "Slice result");
    const auto in_strides = strides_of(data.dims);
    std::vector<std::int64_t> idx(rank, 0);
    for (std::int64_t i = 0; i < total; ++i) {
        std::int64_t off = 0;
        for (std::size_t d = 0; d < rank; ++d) off += (begin[d] + idx[d] * step[d]) * in_strides[d];
        out.v.push_back(data.v[static_cast<std::size_t>(off)]);
        for (std::size_t d = rank; d-- > 0;) {
            if (++idx[d] < count[d]) break;
            idx[d] = 0;
        }
    }
    return out;
}

ConstTensor unsqueeze(const ConstTensor& data, std::vector<std::int64_t> axes) {
    const auto out_rank = data.dims.size() + axes.size();
    for (auto& a : axes) a = norm_axis(a, out_rank, "Unsqueeze");
    std::sort(axes.begin(), axes.end());
    if (std::adjacent_find(axes.begin(), axes.end()) != axes.end()) throw Error("Unsqueeze: repeated axis");
    ConstTensor out = data;
    out.dims.clear();
    std::size_t src = 0;
    for (std::size_t i = 0; i < out_rank; ++i) {
        if (std::binary_search(axes.begin(), axes.end(), static_cast<std::int64_t>(i))) {
            out.dims.push_back(1);
        } else {
            out.dims.push_back(data.dims.at(src++));
        }
    }
    return out;
}

ConstTensor squeeze(const ConstTensor& data, std::vector<std::int64_t> axes) {
    for (auto& a : axes) a = norm_axis(a, data.dims.size(), "Squeeze");
    ConstTensor out = data;
    out.dims.clear();
    for (std::size_t i = 0; i < data.dims.size(); ++i) {
        const bool listed = std::find(axes.begin(), axes.end(), static_cast<std::int64_t>(i)) != axes.end();
        if (listed && data.dims[i] != 1) throw Error(fmt::format("Squeeze: axis {} has size {}", i, data.dims[i]));
        if (!(listed || (axes.empty() && data.dims[i] == 1))) out.dims.push_back(data.dims[i]);
    }
    return out;
}

ConstTensor reshape(const ConstTensor& data, const std::vector<std::int64_t>& shape) {
    ConstTensor out = data;
    out.dims.clear();
    std::int64_t known = 1;
    int infer = -1;
    for (std::size_t i = 0; i < shape.size(); ++i) {
        std::int64_t d = shape[i];
        if (d == 0) {
            if (i >= data.dims.size()) throw Error("Reshape: a 0 in the target shape copies a missing dimension");
            d = data.dims[i];
        }
        if (d == -1) {
            if (infer >= 0) throw Error("Reshape: more than one -1 in the target shape");
            infer = static_cast<int>(i);
        } else if (d < 0) {
            throw Error(fmt::format("Reshape: invalid dimension {}", d));
        } else {
            known = element_count({known, d}, "Reshape target shape");
        }
        out.dims.push_back(d);
    }
    if (infer >= 0) {
        if (known == 0 || data.size() % known != 0) throw Error("Reshape: cannot infer the -1 dimension");
        out.dims[static_cast<std::size_t>(infer)] = data.size() / known;
    } else if (known != data.size()) {
        throw Error(fmt::format("Reshape: {} values cannot take a shape of {} values", data.size(), known));
    }
    return out;
}

ConstTensor transpose(const ConstTensor& data, std::vector<std::int64_t> perm) {
    const std::size_t rank = data.dims.size();
    if (perm.empty()) {
        for (std::size_t i = rank; i-- > 0;) perm.push_back(static_cast<std::int64_t>(i));
    }
    std::vector<bool> seen(rank, false);
    if (perm.size() != rank) throw Error("Transpose: perm does not match the rank");
    for (auto& p : perm) {
        p = norm_axis(p, rank, "Transpose");
        if (seen[static_cast<std::size_t>(p)]) throw Error("Transpose: perm repeats an axis");
        seen[static_cast<std::size_t>(p)] = true;
    }
    ConstTensor out;
    out.integer = data.integer;
    for (auto p : perm) out.dims.push_back(data.dims[static_cast<std::size_t>(p)]);
    const auto in_strides = strides_of(data.dims);
    std::vector<std::int64_t> idx(rank, 0);
    out.v.reserve(data.v.size());
    for (std::size_t i = 0; i < data.v.size(); ++i) {
        std::int64_t off = 0;
        for (std::size_t d = 0; d < rank; ++d) off += idx[d] * in_strides[static_cast<std::size_t>(perm[d])];
        out.v.push_back(data.v[static_cast<std::size_t>(off)]);
        for (std::size_t d = rank; d-- > 0;) {
            if (++idx[d] < out.dims[d]) break;
            idx[d] = 0;
        }
    }
    return out;
}

}  // namespace scnn::io
