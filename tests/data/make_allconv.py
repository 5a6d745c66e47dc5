#!/usr/bin/env python3
"""Trains a small all-convolutional Fashion-MNIST classifier that ends in global average pooling (no Dense
layer), the way many users write classifiers, and exports it as a test fixture for "any model the importer
accepts runs in SC": conv 3x3/2 -> ReLU -> conv 3x3/2 -> ReLU -> conv 1x1 (one channel per class) ->
AdaptiveAvgPool2d(1) -> flatten. It was not designed or tuned for SC.

Run with Debian's PyTorch (about a minute on 2 cores):  /usr/bin/python3 tests/data/make_allconv.py
Writes tests/data/allconv/allconv_gap.onnx and allconv_gap.json ({"float_accuracy", "predictions"} on the first
1000 test images). The files are committed; CI never runs this script.
"""
import gzip
import json
import os

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


class AllConvGap(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.ReLU(),
                                      nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(),
                                      nn.Conv2d(32, 10, 1))
        self.gap = nn.AdaptiveAvgPool2d(1)

    def forward(self, x):
        return torch.flatten(self.gap(self.features(x)), 1)


def main():
    torch.manual_seed(7)
    torch.set_num_threads(2)
    xtr = torch.tensor(read_idx(f"{DATA}/train-images-idx3-ubyte.gz"), dtype=torch.float32).unsqueeze(1) / 255
    ytr = torch.tensor(read_idx(f"{DATA}/train-labels-idx1-ubyte.gz"), dtype=torch.long)
    xte = torch.tensor(read_idx(f"{DATA}/t10k-images-idx3-ubyte.gz")[:1000], dtype=torch.float32).unsqueeze(1) / 255
    yte = torch.tensor(read_idx(f"{DATA}/t10k-labels-idx1-ubyte.gz")[:1000], dtype=torch.long)
    model = AllConvGap()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    for epoch in range(3):
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 128):
            idx = perm[i:i + 128]
            opt.zero_grad()
            nn.functional.cross_entropy(model(xtr[idx]), ytr[idx]).backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        pred = model(xte).argmax(1)
    acc = float((pred == yte).float().mean())
    os.makedirs(os.path.join(HERE, "allconv"), exist_ok=True)
    path = os.path.join(HERE, "allconv", "allconv_gap.onnx")
    torch.onnx.export(model, (xte[:1],), path, opset_version=13, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    with open(os.path.join(HERE, "allconv", "allconv_gap.json"), "w") as f:
        json.dump({"float_accuracy": acc, "images": 1000, "predictions": pred.tolist(),
                   "how": AllConvGap.__doc__ or "conv-relu-conv-relu-conv1x1-gap"}, f)
    print(f"allconv_gap: float accuracy {acc:.4f} on the first 1000 test images")


if __name__ == "__main__":
    main()
