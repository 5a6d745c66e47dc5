#!/usr/bin/env bash
# Prints the bad-input matrix of docs/ROBUSTNESS.md: each broken model or dataset file, the one line the
# scnn command prints for it and its exit status. Files are made in a temporary directory (shown as $DIR).
# Usage: tests/fuzz/bad_inputs.sh [path/to/scnn]   (default build/cli/scnn; needs /usr/bin/python3 + onnx)
set -uo pipefail
cd "$(dirname "$0")/../.."
scnn=$(realpath "${1:-build/cli/scnn}")
repo=$(pwd)
DIR=$(mktemp -d /tmp/scnn-bad.XXXXXX)
trap 'rm -rf "$DIR"' EXIT
cd "$DIR"

/usr/bin/python3 - "$repo" <<'PY'
import gzip, struct, sys
import onnx
from onnx import TensorProto, helper, numpy_helper
import numpy as np
repo = sys.argv[1]
def w(name, data):
    open(name, "wb").write(data)
tiny = open(repo + "/models/fmnist_tiny.onnx", "rb").read()
w("empty.onnx", b"")
w("garbage.onnx", bytes((i * 97 + 13) & 0xff for i in range(4096)))
w("truncated.onnx", tiny[: len(tiny) // 2])
w("text.onnx", b"label,p0\n1,2\n")
def model(nodes, inits, in_shape, opset=13, out="y"):
    g = helper.make_graph(nodes, "bad", [helper.make_tensor_value_info("x", TensorProto.FLOAT, in_shape)],
                          [helper.make_tensor_value_info(out, TensorProto.FLOAT, None)], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 7
    return m.SerializeToString()
N = helper.make_node
w("unsupported.onnx", model([N("Relu", ["x"], ["a"], name="relu0"), N("LSTM", ["a"], ["b"], name="my_lstm"),
                             N("Resize", ["b"], ["y"], name="my_resize")], [], ["N", 4]))
w("opset5.onnx", model([N("Relu", ["x"], ["y"])], [], ["N", 4], opset=5))
w("huge_input.onnx", model([N("Relu", ["x"], ["y"])], [], ["N", 100000, 100000]))
short = numpy_helper.from_array(np.zeros((3, 4), np.float32), "w")
short.ClearField("raw_data"); short.float_data.extend([0.0] * 5)
w("short_init.onnx", model([N("Gemm", ["x", "w"], ["y"], transB=1)], [short], ["N", 4]))
w("residual.onnx", model([N("Relu", ["x"], ["a"]), N("Add", ["a", "x"], ["y"], name="res_add")], [], ["N", 4]))
w("missing_input.onnx", model([N("Gemm", ["x"], ["y"], name="fc")], [], ["N", 4]))
w("newline_name.onnx", model([N("Relu", ["x"], ["a"])], [], ["N", 4], out="not\nthere"))
w("reshape_huge.onnx", model([N("Reshape", ["x", "s"], ["y"], name="rs")],
                             [numpy_helper.from_array(np.array([-1, 2**62], np.int64), "s")], ["N", 4]))
w("pad_huge.onnx", model([N("Pad", ["x", "p"], ["q"], name="pad"), N("Flatten", ["q"], ["y"])],
                         [numpy_helper.from_array(np.array([0, 0, 2**40, 0, 0, 0, 0, 0], np.int64), "p")],
                         ["N", 1, 4, 4]))

def idx3(n, r, c, px=b""):
    return struct.pack(">IIII", 0x803, n, r, c) + px
def idx1(n, lab=b""):
    return struct.pack(">II", 0x801, n) + lab
w("img", idx3(2, 28, 28, bytes(2 * 784))); w("lab", idx1(2, b"\x01\x02"))
w("img_magic", struct.pack(">IIII", 0x801, 2, 28, 28))
w("img_size", idx3(2, 0, 28))
w("lab3", idx1(3, b"\x01\x02\x03"))
w("img_short", idx3(2, 28, 28, bytes(100)))
w("img_3gb", idx3(4096, 512, 512, bytes(10))); w("lab_3gb", idx1(4096, bytes(4096)))
w("img_0", idx3(0, 28, 28)); w("lab_0", idx1(0))
w("img_5gb", idx3(400, 4096, 4096)); w("lab_5gb", idx1(400, bytes(400)))
w("img_corrupt.gz", gzip.compress(idx3(2, 28, 28, bytes(2 * 784)), mtime=0)[:30] + b"\xff" * 40)
row = "1," + ",".join(["0"] * 784) + "\n"
w("ok.csv", row.encode())
w("nul.csv", row.encode() + b"2,0\x00,3\n")
w("nonnum.csv", b"label,p\n1,2\nx,y\n")
w("pixel.csv", b"1,300\n")
w("label.csv", b"256,3\n")
w("ragged.csv", b"1,2,3\n1,2\n")
w("header_only.csv", b"label,p0\n")
w("one_value.csv", b"7\n")
w("trunc.csv.gz", gzip.compress(row.encode(), mtime=0)[:-6])
w("corrupt.csv.gz", gzip.compress((row * 3).encode(), mtime=0)[:20] + b"\x00\xff" * 30)
w("small.csv", b"1,2,3\n")
PY
mkdir -p adir
truncate -s 2G big.onnx

row() {  # description, command...
    local what=$1; shift
    local err code
    err=$("$@" 2>&1 >/dev/null | head -c 400 | tr '\n' '~')
    code=$?
    "$@" >/dev/null 2>&1; code=$?
    err=${err%\~}
    printf '| %s | `%s` | %s |\n' "$what" "${err//$DIR/\$DIR}" "$code"
}
echo '| bad input | message on stderr | exit |'
echo '|---|---|---|'
info() { row "$1" "$scnn" info "$2"; }
info "model file missing" "$DIR/none.onnx"
info "model path is a directory" "$DIR/adir"
info "empty model file" "$DIR/empty.onnx"
info "4 KB of garbage" "$DIR/garbage.onnx"
info "model cut in half" "$DIR/truncated.onnx"
info "a text file" "$DIR/text.onnx"
info "2 GiB file (sparse)" "$DIR/big.onnx"
info "unsupported operators" "$DIR/unsupported.onnx"
info "opset 5" "$DIR/opset5.onnx"
info "input 100000x100000" "$DIR/huge_input.onnx"
info "initializer shorter than its shape" "$DIR/short_init.onnx"
info "residual Add of two activations" "$DIR/residual.onnx"
info "Gemm node without a weight input" "$DIR/missing_input.onnx"
info "output name with a newline, not in the graph" "$DIR/newline_name.onnx"
info "Reshape to 2^62" "$DIR/reshape_huge.onnx"
info "Pad of 2^40" "$DIR/pad_huge.onnx"
ev() { row "$1" "$scnn" eval -m fmnist_tiny -n 2 -d "$2"; }
ev "unknown dataset spec" "mnist-ish"
ev "idx: spec without labels" "idx:$DIR/img"
ev "idx: images file missing" "idx:$DIR/none,$DIR/lab"
ev "idx: images path is a directory" "idx:$DIR/adir,$DIR/lab"
ev "idx: wrong magic" "idx:$DIR/img_magic,$DIR/lab"
ev "idx: 0 rows per image" "idx:$DIR/img_size,$DIR/lab"
ev "idx: 3 labels for 2 images" "idx:$DIR/img,$DIR/lab3"
ev "idx: pixels cut short" "idx:$DIR/img_short,$DIR/lab"
ev "idx: header promises 1 GiB, file has 10 bytes" "idx:$DIR/img_3gb,$DIR/lab_3gb"
ev "idx: 400 images of 4096x4096 (6.7 GB)" "idx:$DIR/img_5gb,$DIR/lab_5gb"
ev "idx: 0 images" "idx:$DIR/img_0,$DIR/lab_0"
ev "idx: corrupt gzip" "idx:$DIR/img_corrupt.gz,$DIR/lab"
ev "csv: file missing" "csv:$DIR/none.csv"
ev "csv: a directory" "csv:$DIR/adir"
ev "csv: /dev/zero" "csv:/dev/zero"
ev "csv: NUL byte" "csv:$DIR/nul.csv"
ev "csv: non-numeric row" "csv:$DIR/nonnum.csv"
ev "csv: pixel 300" "csv:$DIR/pixel.csv"
ev "csv: label 256" "csv:$DIR/label.csv"
ev "csv: rows of different length" "csv:$DIR/ragged.csv"
ev "csv: header only" "csv:$DIR/header_only.csv"
ev "csv: a row with only a label" "csv:$DIR/one_value.csv"
ev "csv: gzip cut in its trailer" "csv:$DIR/trunc.csv.gz"
ev "csv: corrupt gzip" "csv:$DIR/corrupt.csv.gz"
ev "csv: 2 pixels for a 784-input model" "csv:$DIR/small.csv"
row "negative --limit" "$scnn" eval -m fmnist_tiny -n -1
row "SC: unknown generator" "$scnn" eval -m fmnist_tiny --mode sc --sng foo -n 1
row "SC: generator width 17" "$scnn" eval -m fmnist_tiny --mode sc --width 17 -n 1
row "SC: OR adder on bipolar streams" "$scnn" eval -m fmnist_tiny --mode sc --encoding bipolar --adder or -n 1
row "SC: 3 adders for 2 linear layers" "$scnn" eval -m fmnist_tiny --mode sc --adder apc,mux,apc -n 1
row "SC: Stanh on an APC" "$scnn" compile -m fmnist_tiny --neuron stanh -o "$DIR/p.json"
