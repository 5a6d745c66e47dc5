#!/usr/bin/python3
"""SC-aware training: train a model in float, then fine-tune it through a differentiable stand-in of the
SC compiler and simulator (sc_aware.py) for a target stream length, and export it to ONNX (docs/TRAINING.md).

    /usr/bin/python3 models/sc_train.py --model fmnist_tiny --length 32,64   # the committed fmnist_tiny

Deterministic: fixed seeds and one torch thread by default. Writes <out>/<name>.onnx and <name>.json as
train.py does (the JSON adds "sc_aware": the options and the loss of the first and last fine-tune batches).
"""

import argparse
import json
import math
import os
import shlex
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train as T  # noqa: E402
from sc_aware import ScStandIn  # noqa: E402


def parse_args(argv):
    ap = argparse.ArgumentParser(description="Fine-tune a model for SC streams of a given length and export ONNX.")
    ap.add_argument("--model", required=True, choices=sorted(T.MODELS), help="model class of train.py")
    ap.add_argument("--length", default="64",
                    help="target stream length L, or a comma list (the batches cycle through them); default 64")
    ap.add_argument("--width", type=int, default=8, help="generator width n of the compiler (threshold grid 2^n)")
    ap.add_argument("--percentile", type=float, default=98.0, help="the compiler's --sc-percentile")
    ap.add_argument("--calib", type=int, default=200, help="calibration images (first N of the training split)")
    ap.add_argument("--noise-scale", type=float, default=1.0,
                    help="std of the modelled stream noise relative to independent Bernoulli streams (0 = none; "
                         "0.7 matches the simulator at L = 64, a little more trains a more robust model)")
    ap.add_argument("--float-epochs", type=int, default=None,
                    help="float training epochs before the fine-tune (default: the model's train.py epochs)")
    ap.add_argument("--epochs", type=int, default=6, help="SC-aware fine-tune epochs")
    ap.add_argument("--lr", type=float, default=1e-3, help="fine-tune Adam learning rate (cosine-annealed to 0)")
    ap.add_argument("--batch", type=int, default=128, help="batch size")
    ap.add_argument("--float-weight", type=float, default=0.0,
                    help="add this weight times the float model's cross-entropy to the loss")
    ap.add_argument("--batches", type=int, default=0, help="stop each epoch after N batches (0 = all; quick tests)")
    ap.add_argument("--train-limit", type=int, default=0, help="first N training images only (0 = all 60,000)")
    ap.add_argument("--test-limit", type=int, default=0, help="first N test images only (0 = all 10,000)")
    ap.add_argument("--seed", type=int, default=T.SEED)
    ap.add_argument("--threads", type=int, default=1, help="torch threads (default 1: deterministic)")
    ap.add_argument("--data", default=T.DATA_DIR, help="directory with the Fashion-MNIST IDX .gz files")
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)), help="output directory")
    ap.add_argument("--name", default=None, help="output name (default: --model)")
    a = ap.parse_args(argv)
    a.lengths = [int(v) for v in a.length.split(",")]
    if any(v < 2 for v in a.lengths):
        ap.error("--length: every L must be at least 2")
    return a


@torch.no_grad()
def stand_in_accuracy(sc, x, y, seed, batch=1000):
    """Accuracy of the noisy stand-in (one noise draw per image, seeded)."""
    sc.model.eval()
    torch.manual_seed(seed)
    correct = 0
    for i in range(0, x.shape[0], batch):
        correct += (sc.forward(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return correct / x.shape[0]


def fine_tune(a, model, xtr, ytr, xte, yte):
    """SC-aware fine-tune: Adam, cosine to 0, ranges re-calibrated at the start of every epoch."""
    sis = {L: ScStandIn(model, L, a.width, a.noise_scale, a.percentile) for L in a.lengths}
    calib = xtr[:a.calib]
    per_epoch = int(math.ceil(xtr.shape[0] / a.batch))
    if a.batches:
        per_epoch = min(per_epoch, a.batches)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=max(1, a.epochs * per_epoch))
    gen = torch.Generator().manual_seed(a.seed + 1)
    losses, step = [], 0
    for ep in range(1, a.epochs + 1):
        t0 = time.time()
        for sc in sis.values():
            ranges = sc.calibrate(calib)
        model.train()
        perm = torch.randperm(xtr.shape[0], generator=gen)
        tot = 0.0
        for bi in range(per_epoch):
            idx = perm[bi * a.batch:(bi + 1) * a.batch]
            xb, yb = xtr[idx], ytr[idx]
            sc = sis[a.lengths[step % len(a.lengths)]]
            loss = F.cross_entropy(sc.forward(xb), yb)
            if a.float_weight > 0:
                loss = loss + a.float_weight * F.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            losses.append(loss.item())
            tot += loss.item()
            step += 1
        fl, _, _ = T.evaluate(model, xte, yte)
        accs = " ".join(f"L={L} {stand_in_accuracy(sc, xte, yte, a.seed):.4f}" for L, sc in sis.items())
        print(f"[sc] epoch {ep}/{a.epochs}: loss {tot / per_epoch:.4f} | ranges {[round(r, 3) for r in ranges]} | "
              f"test float {fl:.4f}, stand-in {accs} | {time.time() - t0:.1f}s", flush=True)
    return losses


def main(argv=None):
    a = parse_args(argv if argv is not None else sys.argv[1:])
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    name = a.name or a.model
    os.makedirs(a.out, exist_ok=True)
    cmd = " ".join(shlex.quote(v) for v in ["/usr/bin/python3", "models/sc_train.py"] + sys.argv[1:])
    xtr, ytr = T.load_split(a.data, "train")
    xte, yte = T.load_split(a.data, "t10k")
    # the calibration images are the first of the training split (as scnn's --sc-calib), kept unshuffled
    if a.train_limit:
        xtr, ytr = xtr[:a.train_limit], ytr[:a.train_limit]
    if a.test_limit:
        xte, yte = xte[:a.test_limit], yte[:a.test_limit]
    spec = dict(T.MODELS[a.model])
    float_epochs = spec["epochs"] if a.float_epochs is None else a.float_epochs
    t0 = time.time()
    if float_epochs > 0:
        model = T.train(name, spec, float_epochs, xtr, ytr, xte, yte)
    else:
        torch.manual_seed(a.seed)
        model = spec["cls"](**spec.get("kwargs", {}))
    float_acc, _, _ = T.evaluate(model, xte, yte)
    losses = fine_tune(a, model, xtr, ytr, xte, yte)
    model.eval()
    train_s = time.time() - t0
    acc, _, preds = T.evaluate(model, xte, yte)
    k = max(1, min(20, len(losses) // 4))
    first, last = float(np.mean(losses[:k])), float(np.mean(losses[-k:]))
    print(f"[sc] {name}: float {float_acc:.4f} before the fine-tune, {acc:.4f} after; "
          f"loss {first:.4f} (first {k} batches) -> {last:.4f} (last {k}); {train_s:.1f}s", flush=True)
    ops = T.export_and_check(name, model, a.out, preds, xte)
    meta = {
        "name": name,
        "onnx": f"{name}.onnx",
        "description": spec["description"],
        "input_shape": [1, 1, 28, 28],
        "input_scaling": "float32 pixel/255, no mean/std normalization",
        "parameters": int(sum(p.numel() for p in model.parameters())),
        "epochs": float_epochs + a.epochs,
        "optimizer": (f"float: {spec.get('optimizer', 'Adam lr 1e-3, batch 128, cross-entropy')}, {float_epochs} "
                      f"epochs; SC-aware fine-tune: Adam lr {a.lr} cosine-annealed to 0, {a.epochs} epochs"),
        "seed": a.seed,
        "torch_float_accuracy": round(acc, 6),
        "test_images": int(xte.shape[0]),
        "onnx_ops": ops,
        "opset": T.OPSET,
        "train_seconds": round(train_s, 1),
        "trained_with": cmd,
        "torch_version": torch.__version__,
        "sc_aware": {"lengths": a.lengths, "width": a.width, "percentile": a.percentile, "calib": a.calib,
                     "noise_scale": a.noise_scale, "float_accuracy_before": round(float_acc, 6),
                     "loss_first": round(first, 6), "loss_last": round(last, 6)},
        "predictions": [int(p) for p in preds.tolist()],
    }
    with open(os.path.join(a.out, f"{name}.json"), "w") as f:
        f.write(T.dump_json(meta))
    print(f"[sc] wrote {os.path.join(a.out, name + '.json')}", flush=True)
    return meta


if __name__ == "__main__":
    main()
