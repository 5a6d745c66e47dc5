// ONNX import: reads a model as PyTorch exports it (opsets 9–18; 11–17 tested) into a sequential
// ir::Network. Shape-arithmetic subgraphs (Shape/Gather/Unsqueeze/Concat/Slice/Squeeze/Cast feeding a
// Reshape) are folded; BatchNormalization and bias Adds fold into the preceding Dense/Conv. Every problem is
// reported as scnn::Error with one line: an unsupported model lists every unsupported node (name, op type).
#pragma once

#include <string>
#include <string_view>

#include "engine/ir/network.hpp"

namespace scnn::io {

/// Reads and converts the ONNX file at `path`. Throws scnn::Error naming the file on any problem.
ir::Network import_onnx(const std::string& path);

/// Converts an in-memory serialized ModelProto; `label` names it in messages.
ir::Network import_onnx_bytes(std::string_view bytes, const std::string& label);

/// Largest model file accepted (bytes).
inline constexpr std::size_t kMaxModelBytes = std::size_t{1} << 30;

}  // namespace scnn::io
