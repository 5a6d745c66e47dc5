"""Bad input raises scnn.Error (a ValueError) with one line, the same line the scnn command prints."""
import numpy as np
import pytest

import scnn
from conftest import model_path, run_cli


def cli_error(*args):
    r = run_cli(*args, check=False)
    assert r.returncode == 2, r.stderr
    line = r.stderr.strip()
    assert line.startswith("scnn: error: ") and "\n" not in line
    return line[len("scnn: error: "):]


def test_garbage_model_same_message_as_cli(tmp_path):
    bad = tmp_path / "garbage.onnx"
    bad.write_bytes(b"\x08\x07this is not a model" * 10)
    with pytest.raises(scnn.Error) as e:
        scnn.load(str(bad))
    assert str(e.value) == cli_error("info", str(bad))
    assert isinstance(e.value, ValueError)
    with pytest.raises(scnn.Error, match="<bytes>"):
        scnn.load(bad.read_bytes())


def test_unknown_model_name():
    with pytest.raises(scnn.Error, match="neither a file nor a bundled model"):
        scnn.load("no_such_model")


def test_bad_compile_option_same_message_as_cli(tmp_path):
    msg = cli_error("compile", "-m", model_path("fmnist_tiny"), "--adder", "xor", "-o", str(tmp_path / "p.json"))
    with pytest.raises(scnn.Error) as e:
        scnn.load(model_path("fmnist_tiny")).compile(length=64, adder="xor")
    assert str(e.value) == msg
    with pytest.raises(scnn.Error, match="unknown option 'adders'"):
        scnn.load("fmnist_tiny").compile(adders="apc")


def test_bad_plan_json():
    with pytest.raises(scnn.Error):
        scnn.Plan.from_json('{"version": 2}')


@pytest.fixture(scope="module")
def plan():
    return scnn.load("fmnist_tiny").compile(length=32)


def test_bad_image_arrays(plan):
    images = np.zeros((4, 28, 28), np.uint8)
    cases = [
        (images.astype(np.float32), "dtype uint8"),
        (images.astype(np.int64), "dtype uint8"),
        (np.zeros((4, 28, 27), np.uint8), "784"),
        (np.zeros(784, np.uint8), "dimensions"),
        (np.zeros((2, 28, 56), np.uint8)[:, :, ::2], "C-contiguous"),  # a strided view is not copied
        ([[0] * 784], "numpy uint8 array"),
    ]
    for bad, words in cases:
        for call in (plan.counts, plan.predict, scnn.load("fmnist_tiny").predict):
            with pytest.raises(scnn.Error, match=words) as e:
                call(bad)
            assert "\n" not in str(e.value)
    with pytest.raises(scnn.Error, match="early_exit"):
        plan.predict(images, early_exit=-1)
    with pytest.raises(scnn.Error, match="mode"):
        scnn.load("fmnist_tiny").predict(images, mode="sc")


def test_empty_batch(plan):
    empty = np.zeros((0, 28, 28), np.uint8)
    assert plan.counts(empty).shape == (0, 10)
    assert plan.predict(empty).shape == (0,)
