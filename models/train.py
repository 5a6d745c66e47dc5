#!/usr/bin/python3
"""Train the reference Fashion-MNIST models for scnn and export them to ONNX.

Run with Debian's Python (PyTorch 1.13 and onnx 1.12 are only visible to it):

    /usr/bin/python3 models/train.py                    # all four models
    /usr/bin/python3 models/train.py --only fmnist_cnn  # one model

Data: the IDX files of the Debian package under /usr/share/datasets/fashion-mnist/,
parsed here with gzip + numpy. Pixels are float32 x/255 with no mean/std
normalization (the C++ side feeds x/255 exactly).

For each model <name> this writes <name>.onnx (opset 13, input "input", output
"logits", dynamic batch axis) and <name>.json (metadata, torch float test
accuracy and torch's argmax prediction for each of the 10k test images, in
dataset order). CI never runs this script; the outputs are committed.

After export the graph is checked with onnx.checker, shape inference is run,
and the graph is executed by a small numpy interpreter (onnxruntime is not
available) on the whole test set; its argmax must match torch's predictions.
"""

import argparse
import gzip
import json
import math
import os
import shlex
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SEED = 20240601
DATA_DIR = "/usr/share/datasets/fashion-mnist"
OPSET = 13


# --------------------------------------------------------------------------- data

def read_idx(path):
    """Parse a gzip'd IDX file (big-endian header, unsigned-byte payload)."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    if raw[0] != 0 or raw[1] != 0:
        raise ValueError(f"{path}: bad IDX magic")
    dtype_code, ndim = raw[2], raw[3]
    if dtype_code != 0x08:
        raise ValueError(f"{path}: expected unsigned byte data (0x08), got {dtype_code:#x}")
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    off = 4 + 4 * ndim
    data = np.frombuffer(raw, dtype=np.uint8, offset=off)
    if data.size != int(np.prod(dims)):
        raise ValueError(f"{path}: payload has {data.size} bytes, header says {dims}")
    return data.reshape(dims)


def load_split(data_dir, prefix):
    images = read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"))
    assert images.shape[0] == labels.shape[0]
    x = torch.from_numpy(images.astype(np.float32) / np.float32(255.0)).unsqueeze(1)  # [N,1,28,28]
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


# --------------------------------------------------------------------------- models

class FmnistMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(),
            nn.Linear(784, 128),
            nn.ReLU(),
            nn.Linear(128, 10),
        )

    def forward(self, x):
        return self.net(x)


class FmnistMLPSC(nn.Module):
    """fmnist_mlp with a bounded hidden activation, Hardtanh(0, 1) (exported as Clip(0, 1)), the form
    that sc_train.py fine-tunes for short SC streams (bundled as fmnist_mlp_sc)."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(),
            nn.Linear(784, 128),
            nn.Hardtanh(0.0, 1.0),
            nn.Linear(128, 10),
        )

    def forward(self, x):
        return self.net(x)


class FmnistCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1),
            nn.BatchNorm2d(8),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1),
            nn.BatchNorm2d(16),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.fc1 = nn.Linear(16 * 7 * 7, 64)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        x = self.features(x)
        # Deliberately x.view(x.size(0), -1): exports Shape/Gather/Unsqueeze/Concat
        # before Reshape, a subgraph the scnn importer must fold.
        x = x.view(x.size(0), -1)
        x = F.relu(self.fc1(x))
        return self.fc2(x)


class FmnistTiny(nn.Module):
    """Sized for an ATmega328P (2 KB SRAM, 32 KB flash): 13,258 parameters. The committed model has a
    bounded hidden activation, Hardtanh(0, 1) (exported as Clip(0, 1)), and is fine-tuned for SC by
    sc_train.py; act="relu" is the first version's ReLU."""

    def __init__(self, act="hardtanh"):
        super().__init__()
        self.net = nn.Sequential(
            # count_include_pad=False: same math here (no padding), but torch's exporter
            # then emits a bare AveragePool instead of Constant+Pad(zeros)+AveragePool.
            nn.AvgPool2d(2, count_include_pad=False),  # 28x28 -> 14x14
            nn.Flatten(),
            nn.Linear(196, 64),
            nn.Hardtanh(0.0, 1.0) if act == "hardtanh" else nn.ReLU(),
            nn.Linear(64, 10),
        )

    def forward(self, x):
        return self.net(x)


class ActNoise(nn.Module):
    """Additive Gaussian noise on activations, in training only (identity in eval mode, so the
    export has no node for it). Mimics the count error of SC streams (std in units of the clip
    range, i.e. of a full stream)."""

    def __init__(self, std):
        super().__init__()
        self.std = float(std)

    def forward(self, x):
        if self.training and self.std > 0:
            return x + torch.randn_like(x) * self.std
        return x


class FmnistCNNSC(nn.Module):
    """fmnist_cnn made SC-friendly: every hidden activation is Hardtanh(0, 1) (exported as
    Clip(0, 1)), so the float model itself saturates where an SC stream does (an all-ones stream
    means exactly 1) and the compiler's range is min(1, calibrated percentile) instead of a guess
    at an unbounded ReLU's range; optional noise on the activations in training."""

    def __init__(self, noise=0.0):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1),
            nn.BatchNorm2d(8),
            nn.Hardtanh(0.0, 1.0),
            ActNoise(noise),
            nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1),
            nn.BatchNorm2d(16),
            nn.Hardtanh(0.0, 1.0),
            ActNoise(noise),
            nn.MaxPool2d(2),
        )
        self.fc1 = nn.Linear(16 * 7 * 7, 64)
        self.act1 = nn.Hardtanh(0.0, 1.0)
        self.noise1 = ActNoise(noise)
        self.fc2 = nn.Linear(64, 10)

    def forward(self, x):
        x = torch.flatten(self.features(x), 1)
        x = self.noise1(self.act1(self.fc1(x)))
        return self.fc2(x)


MODELS = {
    "fmnist_mlp": dict(
        cls=FmnistMLP, epochs=15,
        description="Fashion-MNIST MLP: Flatten -> Linear(784,128) -> ReLU -> Linear(128,10).",
    ),
    "fmnist_cnn": dict(
        cls=FmnistCNN, epochs=12,
        description=("Fashion-MNIST CNN: Conv(1->8,3x3,pad1) -> BN -> ReLU -> MaxPool2 -> "
                     "Conv(8->16,3x3,pad1) -> BN -> ReLU -> MaxPool2 -> view(N,-1) -> "
                     "Linear(784,64) -> ReLU -> Linear(64,10). Exported in eval mode: BatchNorm uses "
                     "running statistics and torch's exporter folds it into the preceding Conv."),
    ),
    "fmnist_tiny": dict(
        # the float stage only: the committed model is this, fine-tuned for SC by sc_train.py
        cls=FmnistTiny, epochs=30, schedule="cosine",
        optimizer="Adam lr 1e-3 cosine-annealed to 0, batch 128, cross-entropy",
        description=("Fashion-MNIST tiny MLP for a 2 KB RAM / 32 KB flash MCU: AvgPool2 (28x28 -> 14x14) "
                     "-> Flatten -> Linear(196,64) -> Hardtanh(0,1) -> Linear(64,10). Bounded activation "
                     "(exported as Clip(0,1)); fine-tuned for SC streams by models/sc_train.py."),
    ),
    "fmnist_mlp_sc": dict(
        # the float stage only: the committed model is this, fine-tuned for SC by sc_train.py
        cls=FmnistMLPSC, epochs=15, schedule="cosine",
        optimizer="Adam lr 1e-3 cosine-annealed to 0, batch 128, cross-entropy",
        description=("SC-friendly Fashion-MNIST MLP: Flatten -> Linear(784,128) -> Hardtanh(0,1) -> "
                     "Linear(128,10). Bounded activation (exported as Clip(0,1)); fine-tuned for SC streams "
                     "by models/sc_train.py."),
    ),
    "fmnist_cnn_sc": dict(
        # noise=0: training with activation noise (0.02, 0.05; --noise) gave no better SC accuracy
        cls=FmnistCNNSC, epochs=12, kwargs=dict(noise=0.0), schedule="cosine",
        optimizer="Adam lr 1e-3 cosine-annealed to 0, batch 128, cross-entropy",
        description=("SC-friendly Fashion-MNIST CNN: Conv(1->8,3x3,pad1) -> BN -> Hardtanh(0,1) -> MaxPool2 -> "
                     "Conv(8->16,3x3,pad1) -> BN -> Hardtanh(0,1) -> MaxPool2 -> Flatten -> Linear(784,64) -> "
                     "Hardtanh(0,1) -> Linear(64,10). Bounded activations (exported as Clip(0,1)) so that the "
                     "float model saturates where an SC stream does (the SC range of each layer is then 1). "
                     "BatchNorm folded at export."),
    ),
}


# --------------------------------------------------------------------------- training

def evaluate(model, x, y, batch=1000):
    model.eval()
    preds = []
    loss_sum = 0.0
    with torch.no_grad():
        for i in range(0, x.shape[0], batch):
            logits = model(x[i:i + batch])
            loss_sum += F.cross_entropy(logits, y[i:i + batch], reduction="sum").item()
            preds.append(logits.argmax(dim=1))
    preds = torch.cat(preds)
    acc = (preds == y).float().mean().item()
    return acc, loss_sum / x.shape[0], preds


def train(name, spec, epochs, xtr, ytr, xte, yte, batch=128, lr=1e-3):
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    model = spec["cls"](**spec.get("kwargs", {}))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = None
    if spec.get("schedule") == "cosine":  # per step, from lr to 0 over the whole run
        steps = epochs * int(math.ceil(xtr.shape[0] / batch))
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps)
    gen = torch.Generator().manual_seed(SEED)
    n = xtr.shape[0]
    for ep in range(1, epochs + 1):
        t0 = time.time()
        model.train()
        perm = torch.randperm(n, generator=gen)
        tot_loss, tot_correct = 0.0, 0
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            xb, yb = xtr[idx], ytr[idx]
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if sched is not None:
                sched.step()
            tot_loss += loss.item() * xb.shape[0]
            tot_correct += (logits.argmax(1) == yb).sum().item()
        te_acc, te_loss, _ = evaluate(model, xte, yte)
        print(f"[{name}] epoch {ep}/{epochs}: train loss {tot_loss / n:.4f} acc {tot_correct / n:.4f} | "
              f"test loss {te_loss:.4f} acc {te_acc:.4f} | {time.time() - t0:.1f}s", flush=True)
    model.eval()
    return model


# --------------------------------------------------------------------------- ONNX check

def _attrs(node):
    import onnx
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _pool_windows(x, k, s, pads):
    """x [N,C,H,W] -> windows [N,C,Ho,Wo,kh,kw] (no padding supported beyond zeros)."""
    if any(pads):
        raise NotImplementedError("pool padding")
    N, C, H, W = x.shape
    Ho, Wo = (H - k[0]) // s[0] + 1, (W - k[1]) // s[1] + 1
    sn, sc, sh, sw = x.strides
    return np.lib.stride_tricks.as_strided(
        x, (N, C, Ho, Wo, k[0], k[1]), (sn, sc, sh * s[0], sw * s[1], sh, sw), writeable=False)


def run_onnx_numpy(model, x):
    """Minimal numpy interpreter for the ops these models export (a consistency check,
    not a general runtime)."""
    from onnx import numpy_helper
    env = {init.name: numpy_helper.to_array(init) for init in model.graph.initializer}
    env[model.graph.input[0].name] = x
    for node in model.graph.node:
        a = _attrs(node)
        ins = [env[i] if i else None for i in node.input]
        op = node.op_type
        if op == "Constant":
            out = numpy_helper.to_array(a["value"])
        elif op == "Flatten":
            ax = a.get("axis", 1)
            out = ins[0].reshape(int(np.prod(ins[0].shape[:ax])), -1)
        elif op == "Gemm":
            A, B = ins[0], ins[1]
            if a.get("transA", 0):
                A = A.T
            if a.get("transB", 0):
                B = B.T
            out = a.get("alpha", 1.0) * (A @ B)
            if len(ins) > 2 and ins[2] is not None:
                out = out + a.get("beta", 1.0) * ins[2]
        elif op == "MatMul":
            out = ins[0] @ ins[1]
        elif op == "Add":
            out = ins[0] + ins[1]
        elif op == "Relu":
            out = np.maximum(ins[0], 0)
        elif op == "Clip":
            out = ins[0]
            if len(ins) > 1 and ins[1] is not None:
                out = np.maximum(out, ins[1])
            if len(ins) > 2 and ins[2] is not None:
                out = np.minimum(out, ins[2])
        elif op == "Conv":
            X, Wt = ins[0], ins[1]
            if a.get("group", 1) != 1 or any(d != 1 for d in a.get("dilations", [1, 1])):
                raise NotImplementedError("Conv group/dilation")
            pads = a.get("pads", [0, 0, 0, 0])
            st = a.get("strides", [1, 1])
            Xp = np.pad(X, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
            kh, kw = Wt.shape[2], Wt.shape[3]
            win = _pool_windows(np.ascontiguousarray(Xp), (kh, kw), st, [0, 0, 0, 0])  # N,C,Ho,Wo,kh,kw
            out = np.einsum("nchwij,ocij->nohw", win, Wt, optimize=True)
            if len(ins) > 2 and ins[2] is not None:
                out = out + ins[2].reshape(1, -1, 1, 1)
        elif op == "BatchNormalization":
            X, sc, b, mu, var = ins
            eps = a.get("epsilon", 1e-5)
            r = lambda v: v.reshape(1, -1, 1, 1)
            out = (X - r(mu)) / np.sqrt(r(var) + eps) * r(sc) + r(b)
        elif op in ("MaxPool", "AveragePool"):
            k = a["kernel_shape"]
            win = _pool_windows(np.ascontiguousarray(ins[0]), k, a.get("strides", k), a.get("pads", [0, 0, 0, 0]))
            out = win.max(axis=(4, 5)) if op == "MaxPool" else win.mean(axis=(4, 5))
        elif op == "Shape":
            out = np.array(ins[0].shape, dtype=np.int64)
        elif op == "Gather":
            out = np.take(ins[0], ins[1], axis=a.get("axis", 0))
        elif op == "Unsqueeze":
            out = np.expand_dims(ins[0], tuple(int(v) for v in ins[1]))
        elif op == "Concat":
            out = np.concatenate(ins, axis=a["axis"])
        elif op == "Reshape":
            out = ins[0].reshape(tuple(int(v) for v in ins[1]))
        else:
            raise NotImplementedError(f"numpy check: op {op} not supported")
        env[node.output[0]] = np.asarray(out, dtype=np.asarray(out).dtype)
    return env[model.graph.output[0].name]


def export_and_check(name, model, out_dir, torch_preds, xte):
    import onnx
    path = os.path.join(out_dir, f"{name}.onnx")
    dummy = torch.zeros(1, 1, 28, 28)
    torch.onnx.export(
        model, dummy, path,
        export_params=True, opset_version=OPSET, do_constant_folding=True,
        input_names=["input"], output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
    )
    m = onnx.load(path)
    onnx.checker.check_model(m)
    onnx.shape_inference.infer_shapes(m, check_type=True, strict_mode=True)
    ops = [n.op_type for n in m.graph.node]
    print(f"[{name}] exported {path} ({os.path.getsize(path)} bytes), opset "
          f"{m.opset_import[0].version}, ops: {' '.join(ops)}", flush=True)

    # Consistency: run the exported graph with the numpy interpreter on the whole
    # test set (batch > 1 exercises the dynamic batch axis) and compare with torch.
    xs = xte.numpy()
    onnx_preds, max_diff = [], 0.0
    with torch.no_grad():
        for i in range(0, xs.shape[0], 1000):
            lo = run_onnx_numpy(m, xs[i:i + 1000])
            lt = model(xte[i:i + 1000]).numpy()
            max_diff = max(max_diff, float(np.abs(lo - lt).max()))
            onnx_preds.append(lo.argmax(1))
    onnx_preds = np.concatenate(onnx_preds)
    mismatches = int((onnx_preds != torch_preds.numpy()).sum())
    print(f"[{name}] numpy ONNX run vs torch: max |logit diff| {max_diff:.2e}, "
          f"argmax mismatches {mismatches}/{xs.shape[0]}", flush=True)
    if max_diff > 1e-3 or mismatches > 2:
        raise RuntimeError(f"{name}: exported graph disagrees with torch")
    return ops


# --------------------------------------------------------------------------- main

def dump_json(meta):
    """Indented JSON with each list on a single line (predictions stay one line)."""
    lines = [f"  {json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}" for k, v in meta.items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Train the scnn reference Fashion-MNIST models and export ONNX + JSON metadata.")
    ap.add_argument("--only", choices=sorted(MODELS), action="append",
                    help="train only this model (repeatable); default: all")
    ap.add_argument("--epochs-scale", type=float, default=1.0,
                    help="multiply each model's default epoch count by F (min 1 epoch)")
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)),
                    help="output directory (default: the directory of this script)")
    ap.add_argument("--data", default=DATA_DIR, help="directory with the Fashion-MNIST IDX .gz files")
    ap.add_argument("--noise", type=float, default=None,
                    help="override the training activation-noise std of models that have one (experiments)")
    ap.add_argument("--threads", type=int, default=2,
                    help="torch CPU threads (default 2; 1 is faster on a loaded 2-core machine)")
    args = ap.parse_args(argv)

    torch.set_num_threads(args.threads)
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    os.makedirs(args.out, exist_ok=True)

    cmd = " ".join(shlex.quote(a) for a in ["/usr/bin/python3", "models/train.py"] + sys.argv[1:])
    xtr, ytr = load_split(args.data, "train")
    xte, yte = load_split(args.data, "t10k")
    print(f"data: train {tuple(xtr.shape)}, test {tuple(xte.shape)}", flush=True)

    names = args.only or list(MODELS)
    for name in names:
        spec = dict(MODELS[name])
        if args.noise is not None and "noise" in spec.get("kwargs", {}):
            spec["kwargs"] = dict(spec["kwargs"], noise=args.noise)
        epochs = max(1, int(math.ceil(spec["epochs"] * args.epochs_scale)))
        t0 = time.time()
        model = train(name, spec, epochs, xtr, ytr, xte, yte)
        train_s = time.time() - t0
        acc, _, preds = evaluate(model, xte, yte)
        nparams = sum(p.numel() for p in model.parameters())
        print(f"[{name}] trained in {train_s:.1f}s: {nparams} parameters, test accuracy {acc:.4f}", flush=True)
        ops = export_and_check(name, model, args.out, preds, xte)
        meta = {
            "name": name,
            "onnx": f"{name}.onnx",
            "description": spec["description"],
            "input_shape": [1, 1, 28, 28],
            "input_scaling": "float32 pixel/255, no mean/std normalization",
            "parameters": int(nparams),
            "epochs": epochs,
            "optimizer": spec.get("optimizer", "Adam lr 1e-3, batch 128, cross-entropy"),
            "seed": SEED,
            "torch_float_accuracy": round(acc, 6),
            "test_images": int(xte.shape[0]),
            "onnx_ops": ops,
            "opset": OPSET,
            "train_seconds": round(train_s, 1),
            "trained_with": cmd,
            "torch_version": torch.__version__,
            "predictions": [int(p) for p in preds.tolist()],
        }
        with open(os.path.join(args.out, f"{name}.json"), "w") as f:
            f.write(dump_json(meta))
        print(f"[{name}] wrote {os.path.join(args.out, name + '.json')}", flush=True)


if __name__ == "__main__":
    main()
