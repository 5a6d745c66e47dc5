// Constant tensors seen during ONNX import: initializers, Constant nodes and the folded results of
// shape arithmetic (Shape, Gather, Unsqueeze, Concat, Slice, Squeeze, Cast). Internal to engine/io.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace scnn::io {

/// Marks the symbolic batch dimension inside folded shape tensors (what Shape(x)[0] evaluates to).
/// Exactly representable as a double; never a legal ONNX dimension.
inline constexpr double kBatchDim = -4503599627370496.0;  // -2^52

/// A constant tensor of any ONNX numeric type, values held as doubles (exact for int64 up to 2^52).
struct ConstTensor {
    std::vector<std::int64_t> dims;  ///< ONNX dims; empty = scalar
    std::vector<double> v;           ///< row-major values, size == element_count(dims)
    bool integer = false;            ///< came from an integer type (shape arithmetic)

    [[nodiscard]] std::int64_t size() const { return static_cast<std::int64_t>(v.size()); }
    [[nodiscard]] std::vector<float> floats() const;
    [[nodiscard]] std::vector<std::int64_t> ints() const;
};

/// Number of elements for `dims`; throws scnn::Error naming `what` if a dim is negative or the count is
/// above `limit` elements.
std::int64_t element_count(const std::vector<std::int64_t>& dims, const std::string& what,
                           std::int64_t limit = std::int64_t{1} << 28);

/// Largest tensor that shape arithmetic may build from smaller ones (Gather, Concat), and the most values
/// all Constant nodes and folded results of one model may hold together.
inline constexpr std::int64_t kMaxFoldedValues = std::int64_t{1} << 26;

// Shape-arithmetic folds on constants. `axis` may be negative (counts from the end).
ConstTensor gather(const ConstTensor& data, const ConstTensor& indices, std::int64_t axis);
ConstTensor concat(const std::vector<ConstTensor>& parts, std::int64_t axis);
ConstTensor slice(const ConstTensor& data, const std::vector<std::int64_t>& starts,
                  const std::vector<std::int64_t>& ends, const std::vector<std::int64_t>& axes,
                  const std::vector<std::int64_t>& steps);
ConstTensor unsqueeze(const ConstTensor& data, std::vector<std::int64_t> axes);
ConstTensor squeeze(const ConstTensor& data, std::vector<std::int64_t> axes);
ConstTensor reshape(const ConstTensor& data, const std::vector<std::int64_t>& shape);
/// Permutes the dimensions; an empty `perm` reverses them (ONNX default).
ConstTensor transpose(const ConstTensor& data, std::vector<std::int64_t> perm);

}  // namespace scnn::io
