"""scnn: stochastic-computing neural networks, measured (docs/LIBRARY.md).

    import scnn
    model = scnn.load("fmnist_mlp")                    # a bundled model, an .onnx path, or ONNX bytes
    images, labels = scnn.load_dataset("fashion-mnist")  # (N, 28, 28) uint8, (N,) uint8
    plan = model.compile(length=256)                   # the CLI's defaults and calibration set
    accuracy = (plan.predict(images) == labels).mean()

Images are (N, H, W) or (N, C, H, W) C-contiguous uint8 arrays of 0-255 pixels; they are read in place,
never copied, and the GIL is released while the engine runs. Errors raise scnn.Error (a ValueError) with
the same one-line message the `scnn` command prints.
"""
import os

from ._scnn import Error, Model, Plan, _load, _load_dataset
from ._torch import from_torch

__all__ = ["Error", "Model", "Plan", "load", "load_dataset", "from_torch", "models_dir"]

_HERE = os.path.dirname(os.path.abspath(__file__))


def models_dir():
    """Folder of the bundled models: $SCNN_MODELS_DIR, else PREFIX/share/scnn/models of an installed
    package, else the source tree's models/ folder of a build tree."""
    env = os.environ.get("SCNN_MODELS_DIR")
    if env:
        return env
    installed = os.path.normpath(os.path.join(_HERE, "..", "..", "..", "..", "share", "scnn", "models"))
    if os.path.isdir(installed):
        return installed
    from ._scnn import _source_models_dir
    return _source_models_dir


def load(source):
    """A Model from an .onnx path (str or os.PathLike), the name of a bundled model ("fmnist_mlp"), or the
    bytes of a serialized ONNX model, as the `scnn` command reads its --model argument."""
    if isinstance(source, str) and "/" not in source and not source.endswith(".onnx") \
            and not os.path.exists(source):
        bundled = os.path.join(models_dir(), source + ".onnx")
        if not os.path.exists(bundled):
            raise Error(f"model '{source}' is neither a file nor a bundled model in {models_dir()}")
        source = bundled
    return _load(source)


def load_dataset(spec="fashion-mnist", limit=0):
    """(images, labels) of a dataset spec as the CLI's --data takes it: fashion-mnist, fashion-mnist:train,
    idx:IMAGES,LABELS, csv:PATH. images: (N, H, W) uint8; labels: (N,) uint8. limit > 0 keeps the first N."""
    return _load_dataset(spec, limit)
