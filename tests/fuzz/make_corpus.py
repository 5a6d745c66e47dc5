#!/usr/bin/python3
"""Writes the seed corpora of the fuzz targets under tests/fuzz/corpus/<target>/ (small, committed).

Run: /usr/bin/python3 tests/fuzz/make_corpus.py   (needs Debian's python3-onnx; deterministic output)
The input layouts are documented in tests/fuzz/harness.hpp.
"""
import gzip
import os
import shutil
import struct

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(ROOT))


def out(target, name, data):
    d = os.path.join(ROOT, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def gz(data):
    return gzip.compress(data, mtime=0)


# ---- ONNX -----------------------------------------------------------------------------------------------
rng = np.random.default_rng(1)


def init(name, shape, dtype=np.float32, values=None):
    a = np.asarray(values, dtype=dtype).reshape(shape) if values is not None else \
        rng.standard_normal(shape).astype(dtype)
    return numpy_helper.from_array(a, name)


def model(nodes, inits, in_shape, out_dim, opset=13, raw=True):
    g = helper.make_graph(nodes, "seed", [helper.make_tensor_value_info("x", TensorProto.FLOAT, in_shape)],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", out_dim])], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], producer_name="scnn-fuzz-seed")
    m.ir_version = 7
    if not raw:  # the same tensors with typed fields instead of raw_data
        for t in m.graph.initializer:
            a = numpy_helper.to_array(t)
            t.ClearField("raw_data")
            if a.dtype == np.float32:
                t.float_data.extend(a.flatten().tolist())
            else:
                t.int64_data.extend(a.flatten().tolist())
    return m.SerializeToString()


N = helper.make_node
out("onnx", "mlp_gemm", model(
    [N("Gemm", ["x", "w1", "b1"], ["h"], transB=1), N("Relu", ["h"], ["r"]),
     N("Gemm", ["r", "w2", "b2"], ["y"], transB=1)],
    [init("w1", (5, 4)), init("b1", (5,)), init("w2", (3, 5)), init("b2", (3,))], ["N", 4], 3))
out("onnx", "mlp_matmul_fields", model(
    [N("MatMul", ["x", "w"], ["m"]), N("Add", ["m", "b"], ["a"]), N("Sigmoid", ["a"], ["s"]),
     N("Softmax", ["s"], ["y"], axis=1)],
    [init("w", (4, 3)), init("b", (3,))], [1, 4], 3, raw=False))
out("onnx", "cnn_bn_pool", model(
    [N("Pad", ["x", "pads"], ["p"]), N("Conv", ["p", "cw", "cb"], ["c"], kernel_shape=[3, 3], strides=[1, 1]),
     N("BatchNormalization", ["c", "g", "be", "mu", "var"], ["bn"], epsilon=1e-5), N("Relu", ["bn"], ["r"]),
     N("MaxPool", ["r"], ["mp"], kernel_shape=[2, 2], strides=[2, 2]),
     N("Flatten", ["mp"], ["f"], axis=1), N("Gemm", ["f", "fw", "fb"], ["y"], transB=1)],
    [init("pads", (8,), np.int64, [0, 0, 1, 1, 0, 0, 1, 1]), init("cw", (2, 1, 3, 3)), init("cb", (2,)),
     init("g", (2,)), init("be", (2,)), init("mu", (2,)), init("var", (2,), values=[1.0, 2.0]),
     init("fw", (3, 2 * 3 * 3)), init("fb", (3,))], ["N", 1, 6, 6], 3))
out("onnx", "shape_reshape", model(
    [N("Shape", ["x"], ["s"]), N("Constant", [], ["zero"], value=helper.make_tensor("z", TensorProto.INT64, [], [0])),
     N("Gather", ["s", "zero"], ["n"], axis=0), N("Unsqueeze", ["n", "ax"], ["nu"]),
     N("Constant", [], ["rest"], value_ints=[-1]), N("Concat", ["nu", "rest"], ["shape"], axis=0),
     N("Reshape", ["x", "shape"], ["f"]), N("Slice", ["s", "st", "en"], ["hw"]), N("Cast", ["hw"], ["hwf"], to=1),
     N("Gemm", ["f", "w", "b"], ["y"], transB=1)],
    [init("ax", (1,), np.int64, [0]), init("st", (1,), np.int64, [1]), init("en", (1,), np.int64, [3]),
     init("w", (2, 6)), init("b", (2,))], ["N", 2, 3], 2))
out("onnx", "avgpool_clip_tanh", model(
    [N("AveragePool", ["x"], ["ap"], kernel_shape=[2, 2], strides=[1, 1], pads=[1, 1, 0, 0]),
     N("Clip", ["ap", "lo", "hi"], ["cl"]), N("Mul", ["cl", "k"], ["mu"]), N("Sub", ["mu", "k"], ["su"]),
     N("Div", ["su", "k"], ["dv"]), N("Tanh", ["dv"], ["t"]), N("GlobalAveragePool", ["t"], ["gp"]),
     N("Reshape", ["gp", "shp"], ["f"]), N("Identity", ["f"], ["id"]), N("Dropout", ["id"], ["dr"]),
     N("LogSoftmax", ["dr"], ["y"], axis=1)],
    [init("lo", (), values=0.0), init("hi", (), values=6.0), init("k", (2, 1, 1), values=[2.0, 0.5]),
     init("shp", (2,), np.int64, [0, -1])], ["N", 2, 4, 4], 2))
out("onnx", "opset9_clip_attr", model(
    [N("Gemm", ["x", "w", "b"], ["h"]), N("Clip", ["h"], ["c"], min=0.0, max=6.0),
     N("Identity", ["c"], ["y"])], [init("w", (3, 2)), init("b", (2,))], [1, 3], 2, opset=9))
tiny = os.path.join(REPO, "models", "fmnist_tiny.onnx")
if os.path.getsize(tiny) < 100_000:
    shutil.copyfile(tiny, os.path.join(ROOT, "corpus", "onnx", "fmnist_tiny"))
# Real PyTorch exports (shape subgraphs, BatchNorm, Flatten/view variants) from the export zoo.
zoo = os.path.join(REPO, "tests", "data", "zoo")
if os.path.isdir(zoo):
    for f in sorted(os.listdir(zoo)):
        if f.endswith(".onnx") and os.path.getsize(os.path.join(zoo, f)) < 20_000:
            shutil.copyfile(os.path.join(zoo, f), os.path.join(ROOT, "corpus", "onnx", "zoo_" + f[:-5]))


# ---- IDX ------------------------------------------------------------------------------------------------
def idx_images(n, rows, cols, seed=0):
    px = bytes((seed + 37 * i) & 0xff for i in range(n * rows * cols))
    return struct.pack(">IIII", 0x803, n, rows, cols) + px


def idx_labels(n):
    return struct.pack(">II", 0x801, n) + bytes(i % 10 for i in range(n))


def idx_input(images, labels, flags=0):
    return bytes([flags]) + struct.pack(">H", len(labels)) + labels + images


out("idx", "raw_2x3x2", idx_input(idx_images(2, 3, 2), idx_labels(2)))
out("idx", "gzflags_3x4x4_limit2", idx_input(idx_images(3, 4, 4, 5), idx_labels(3), flags=1 | 2 | (2 << 2)))
out("idx", "gzbytes_1x2x2", idx_input(gz(idx_images(1, 2, 2)), gz(idx_labels(1))))
out("idx", "count_mismatch", idx_input(idx_images(2, 1, 1), idx_labels(3)))
out("idx", "truncated_pixels", idx_input(idx_images(4, 2, 2)[:-3], idx_labels(4)))

# ---- CSV ------------------------------------------------------------------------------------------------
out("csv", "header_3rows", b"\x00label,p0,p1,p2\n1,0,255,17\n0,3,4,5\n9,250,1,2\n")
out("csv", "crlf_spaces_limit1", bytes([1 << 1]) + b"2, 10, 20\r\n3 ,30,40\r\n\r\n")
out("csv", "gzflag", b"\x01" + b"5,1,2,3,4\n6,5,6,7,8\n")
out("csv", "gzbytes", b"\x00" + gz(b"7,0,0\n8,1,1\n"))
out("csv", "bad_pixel", b"\x00" + b"1,2,300\n")
