"""Shared fixtures: the scnn command, the bundled models and a slice of the Fashion-MNIST test set.
Run through CTest (tests/python/CMakeLists.txt), which sets PYTHONPATH, SCNN_BINARY and SCNN_SOURCE_DIR."""
import json
import os
import subprocess

import pytest

import scnn

SCNN = os.environ.get("SCNN_BINARY", "scnn")
SOURCE = os.environ.get("SCNN_SOURCE_DIR", ".")


def model_path(name):
    return os.path.join(SOURCE, "models", name + ".onnx")


def run_cli(*args, check=True):
    """Runs the scnn command; returns the CompletedProcess (text)."""
    r = subprocess.run([SCNN, *args], capture_output=True, text=True, timeout=600)
    if check and r.returncode != 0:
        raise AssertionError(f"scnn {' '.join(args)} failed: {r.stderr}")
    return r


def cli_eval(tmp_path, *args):
    """`scnn eval ... --json --predictions`: (json dict, list of predictions)."""
    pred = tmp_path / "pred.txt"
    r = run_cli("eval", "-q", "--json", "--predictions", str(pred), *args)
    return json.loads(r.stdout), [int(x) for x in pred.read_text().split()]


@pytest.fixture(scope="session")
def test_set():
    return scnn.load_dataset("fashion-mnist")
