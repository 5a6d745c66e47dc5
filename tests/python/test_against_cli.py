"""The Python module against the scnn command on the same model and images: equal plans, counts,
predictions and accuracies (float, int8, SC, SC with early exit)."""
import json
import os
import re

import numpy as np
import pytest

import scnn
from conftest import SOURCE, cli_eval, model_path, run_cli

N = 300  # images of the quick checks


def test_load_and_shapes(test_set):
    images, labels = test_set
    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (10000,)
    model = scnn.load("fmnist_tiny")
    assert model.input_shape == (1, 28, 28) and model.classes == 10
    assert scnn.load(model_path("fmnist_tiny")).layers == model.layers


@pytest.mark.parametrize("mode", ["float", "int8"])
def test_float_int8_predictions_equal_cli(tmp_path, test_set, mode):
    images, labels = test_set
    path = model_path("fmnist_tiny")
    j, cli_pred = cli_eval(tmp_path, "-m", path, "--mode", mode, "-n", str(N))
    pred = scnn.load(path).predict(images[:N], mode=mode)
    assert pred.dtype == np.int64 and pred.shape == (N,)
    assert pred.tolist() == cli_pred
    assert (pred == labels[:N]).sum() == j["correct"]


def test_plan_json_equals_cli_compile(tmp_path):
    path = model_path("fmnist_tiny")
    out = tmp_path / "plan.json"
    run_cli("compile", "-m", path, "-L", "64", "--adder", "apc,mux", "--width", "9,8", "-o", str(out))
    plan = scnn.load(path).compile(length=64, adder=["apc", "mux"], width=[9, 8])
    assert plan.to_json() == out.read_text()
    again = scnn.Plan.from_json(plan.to_json())
    assert again.to_json() == plan.to_json() and again.length == 64 and again.classes == 10


def test_sc_counts_and_predictions_equal_cli(tmp_path, test_set):
    images, _ = test_set
    path = model_path("fmnist_tiny")
    plan_file = tmp_path / "plan.json"
    run_cli("compile", "-m", path, "-L", "128", "-o", str(plan_file))
    cli_plan = scnn.Plan.load(str(plan_file))
    plan = scnn.load(path).compile(length=128)
    _, cli_pred = cli_eval(tmp_path, "--plan", str(plan_file), "-n", str(N))
    counts = plan.counts(images[:N])
    assert counts.dtype == np.int64 and counts.shape == (N, 10)
    # counts of the plan the CLI wrote, with 1 and 2 threads, and the literal reference simulator
    assert np.array_equal(counts, cli_plan.counts(images[:N], threads=1))
    assert np.array_equal(counts, plan.counts(images[:N], threads=2))
    assert np.array_equal(counts[:5], plan.reference_counts(images[:5]))
    pred = plan.predict(images[:N])
    assert pred.tolist() == cli_pred
    assert np.array_equal(pred, np.argmax(counts, axis=1))  # argmax takes the first maximum: ties to lowest


def test_early_exit_equals_cli(tmp_path, test_set):
    images, labels = test_set
    path = model_path("fmnist_tiny")
    j, cli_pred = cli_eval(tmp_path, "-m", path, "--mode", "sc", "-L", "256", "-n", str(N), "--early-exit", "20")
    pred, cycles = scnn.load(path).compile(length=256).predict(images[:N], early_exit=20, return_cycles=True)
    assert pred.tolist() == cli_pred
    assert cycles.mean() == pytest.approx(j["mean_cycles"])
    assert (cycles <= 256).all() and cycles.mean() < 256


def test_early_exit_every_equals_cli(tmp_path, test_set):
    images, _ = test_set
    path = model_path("fmnist_tiny")
    out = tmp_path / "plan.json"
    run_cli("compile", "-m", path, "-L", "256", "--early-exit-every", "16", "-o", str(out))
    plan = scnn.load(path).compile(length=256, early_exit_every=16)
    assert plan.early_exit_every == 16 and plan.to_json() == out.read_text()
    j, cli_pred = cli_eval(tmp_path, "--plan", str(out), "-n", str(N), "--early-exit", "10")
    pred, cycles = plan.predict(images[:N], early_exit=10, return_cycles=True)
    assert pred.tolist() == cli_pred and cycles.mean() == pytest.approx(j["mean_cycles"])
    assert (cycles % 16 == 0).all()
    plan.early_exit_every = 64  # as `scnn eval --plan P --early-exit-every 64`: same plan otherwise
    j64, cli_pred64 = cli_eval(tmp_path, "--plan", str(out), "-n", str(N), "--early-exit", "10",
                               "--early-exit-every", "64")
    pred64, cycles64 = plan.predict(images[:N], early_exit=10, return_cycles=True)
    assert pred64.tolist() == cli_pred64 and cycles64.mean() == pytest.approx(j64["mean_cycles"])
    with pytest.raises(scnn.Error, match="early_exit_every"):
        plan.early_exit_every = 0


def readme_python_example():
    """The ```python block of README.md's "Using scnn as a library" section."""
    text = open(os.path.join(SOURCE, "README.md"), encoding="utf-8").read()
    section = text[text.index("## Using scnn as a library"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_python_example_gives_the_cli_accuracy(capsys):
    """README: the Python example reproduces `scnn eval`'s SC accuracy (fmnist_mlp, L = 256, 10k images)."""
    code = readme_python_example()
    exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - the README's own example
    printed = capsys.readouterr().out
    j = json.loads(run_cli("eval", "-q", "--json", "-m", "fmnist_mlp", "--mode", "sc", "-L", "256").stdout)
    assert printed.strip() == f"SC L=256: {j['accuracy']:.2%}"
    assert f"# {printed.strip()}" in code  # the figure written in the README is the measured one


def test_explicit_calibration_images(test_set):
    train, _ = scnn.load_dataset("fashion-mnist:train", 200)
    model = scnn.load("fmnist_tiny")
    assert model.compile(length=64, calib=train).to_json() == model.compile(length=64).to_json()
    q = model.quantize(calib=scnn.load_dataset("fashion-mnist:train", 1000)[0])
    assert q is model
    images, _ = test_set
    assert np.array_equal(model.scores(images[:50], mode="int8"),
                          scnn.load("fmnist_tiny").scores(images[:50], mode="int8"))


def test_nchw_and_flat_layouts(test_set):
    images, _ = test_set
    plan = scnn.load("fmnist_tiny").compile(length=64)
    x = images[:20]
    base = plan.counts(x)
    assert np.array_equal(base, plan.counts(x.reshape(20, 1, 28, 28)))
    assert np.array_equal(base, plan.counts(x.reshape(20, 784)))
