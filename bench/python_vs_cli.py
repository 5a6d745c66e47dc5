#!/usr/bin/python3
"""Images per second of the Python module's Plan.counts / Plan.predict against `scnn eval --plan` on the same
plan, images and thread count, in the same run (the binding should cost almost nothing).

    PYTHONPATH=build/python /usr/bin/python3 bench/python_vs_cli.py [--scnn build/cli/scnn] [--model fmnist_mlp]
        [--length 256] [--threads 2] [--repeat 3]

The CLI's figure is its own `seconds` (inference only, without loading); the Python figure times the call
alone. The best of --repeat runs of each is kept, runs alternate so that both see the same machine load.
"""
import argparse
import json
import os
import subprocess
import tempfile
import time

import scnn


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scnn", default="build/cli/scnn")
    ap.add_argument("--model", default="fmnist_mlp")
    ap.add_argument("--length", type=int, default=256)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        plan_path = os.path.join(tmp, "plan.json")
        subprocess.run([a.scnn, "compile", "-m", a.model, "-L", str(a.length), "-o", plan_path], check=True,
                       capture_output=True)
        plan = scnn.Plan.load(plan_path)
        images, labels = scnn.load_dataset("fashion-mnist")
        n = len(images)
        best = {"cli": 0.0, "counts": 0.0, "predict": 0.0}
        for _ in range(a.repeat):
            r = subprocess.run([a.scnn, "eval", "-q", "--json", "--plan", plan_path, "-j", str(a.threads)],
                               check=True, capture_output=True, text=True)
            j = json.loads(r.stdout)
            best["cli"] = max(best["cli"], j["images"] / j["seconds"])
            t = time.perf_counter()
            counts = plan.counts(images, threads=a.threads)
            best["counts"] = max(best["counts"], n / (time.perf_counter() - t))
            t = time.perf_counter()
            pred = plan.predict(images, threads=a.threads)
            best["predict"] = max(best["predict"], n / (time.perf_counter() - t))
        assert (counts.argmax(axis=1) == pred).all()
        acc = (pred == labels).mean()
        print(f"{a.model} SC L={a.length}, {n} images, {a.threads} threads; accuracy python {100 * acc:.2f} %, "
              f"cli {100 * j['accuracy']:.2f} %")
        print(f"scnn eval --plan    {best['cli']:10.0f} images/s")
        print(f"Plan.predict        {best['predict']:10.0f} images/s  ({best['predict'] / best['cli']:.3f} x the CLI)")
        print(f"Plan.counts         {best['counts']:10.0f} images/s  ({best['counts'] / best['cli']:.3f} x the CLI)")


if __name__ == "__main__":
    main()
