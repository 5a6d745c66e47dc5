"""From a torch.nn.Module to a scnn.Model, through ONNX in memory (no file is written)."""
import io


def from_torch(module, example_input, opset_version=13):
    """Exports `module` (in eval mode, without gradients) with `example_input` (a tensor of one input batch,
    e.g. torch.zeros(1, 1, 28, 28)) to ONNX in an io.BytesIO and loads the bytes with scnn.load.
    The model sees pixels as x/255, as the bundled models were trained. Needs torch (Debian: python3-torch)."""
    import torch

    from . import load

    buffer = io.BytesIO()
    was_training = module.training
    module.eval()
    try:
        with torch.no_grad():
            torch.onnx.export(module, example_input, buffer, opset_version=opset_version,
                              input_names=["input"], output_names=["output"],
                              dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    finally:
        module.train(was_training)
    return load(buffer.getvalue())
