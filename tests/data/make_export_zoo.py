#!/usr/bin/env python3
"""Exports small PyTorch models written the ways users actually write them, as ONNX test fixtures.

Run with Debian's PyTorch:  /usr/bin/python3 tests/data/make_export_zoo.py
Writes tests/data/zoo/NAME.onnx and NAME.json ({"input_shape", "input", "output", "opset", "how"}): torch's
output for one fixed input, which tests/io/test_export_zoo.cpp compares with the float executor. The weights
are random (seeded); the files are committed and CI never runs this script.
"""
import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "zoo")


class ViewFlatten(nn.Module):
    """x.view(x.size(0), -1) after a conv stack, with BatchNorm2d and functional ReLU."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.fc = nn.Linear(4 * 4 * 4, 5)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn(self.conv(x))), 2)
        return self.fc(x.view(x.size(0), -1))


class ReshapeShape(nn.Module):
    """x.reshape(x.shape[0], -1), ReLU6 (Clip), Hardtanh, no-bias Linear, log_softmax at the end."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 3, 3, stride=2, bias=False)
        self.fc1 = nn.Linear(3 * 3 * 3, 6, bias=False)
        self.fc2 = nn.Linear(6, 4)

    def forward(self, x):
        x = F.relu6(self.conv(x))
        x = F.hardtanh(self.fc1(x.reshape(x.shape[0], -1)))
        return F.log_softmax(self.fc2(x), dim=1)


class TorchFlatten(nn.Module):
    """torch.flatten(x, 1), AvgPool2d with padding (exports Pad + AveragePool), AdaptiveAvgPool2d(1)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3)
        self.pool = nn.AvgPool2d(3, stride=2, padding=1)
        self.conv2 = nn.Conv2d(4, 6, 1)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(6, 3)

    def forward(self, x):
        x = self.gap(torch.tanh(self.conv2(self.pool(self.conv1(x)))))
        return self.fc(torch.flatten(x, 1))


def bn1d_mlp():
    """nn.Sequential with BatchNorm1d at the input (kept as affine) and after a Linear (folded), Sigmoid,
    Dropout, Softmax."""
    return nn.Sequential(nn.Flatten(), nn.BatchNorm1d(16), nn.Linear(16, 8), nn.BatchNorm1d(8), nn.Sigmoid(),
                         nn.Dropout(0.5), nn.Linear(8, 3), nn.Softmax(dim=1))


class MatMulAdd(nn.Module):
    """Explicit x @ W + b and arithmetic with constants (normalization inside the model)."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(12, 5))
        self.b = nn.Parameter(torch.randn(5))

    def forward(self, x):
        x = (x - 0.5) / 0.25
        return torch.relu(x @ self.w + self.b) * 2.0


CASES = [
    # name, module, input shape (batch first), opset, keep_batchnorm (export in training-free eval mode)
    ("view_flatten_opset13", ViewFlatten(), (1, 1, 8, 8), 13),
    ("view_flatten_opset11", ViewFlatten(), (1, 1, 8, 8), 11),
    ("reshape_shape_opset17", ReshapeShape(), (1, 2, 7, 7), 17),
    ("torch_flatten_opset12", TorchFlatten(), (1, 1, 9, 9), 12),
    ("bn1d_mlp_opset14", bn1d_mlp(), (1, 4, 4), 14),
    ("matmul_add_opset13", MatMulAdd(), (1, 12), 13),
]


def randomize_bn(module):
    for m in module.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            with torch.no_grad():
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)


def main():
    torch.manual_seed(1234)
    os.makedirs(OUT, exist_ok=True)
    for name, module, shape, opset in CASES:
        randomize_bn(module)
        module.eval()
        x = torch.rand(*shape)
        with torch.no_grad():
            y = module(x)
        path = os.path.join(OUT, name + ".onnx")
        # Keep BatchNorm nodes in the graph (no constant folding) so the importer's own folding is tested.
        torch.onnx.export(module, (x,), path, opset_version=opset, input_names=["input"], output_names=["out"],
                          dynamic_axes={"input": {0: "batch"}, "out": {0: "batch"}}, do_constant_folding=False,
                          training=torch.onnx.TrainingMode.EVAL)
        meta = {"input_shape": list(shape), "input": x.flatten().tolist(), "output": y.flatten().tolist(),
                "opset": opset, "how": module.__doc__ or "nn.Sequential"}
        with open(os.path.join(OUT, name + ".json"), "w") as f:
            json.dump(meta, f)
        print(f"{name}: {os.path.getsize(path)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
