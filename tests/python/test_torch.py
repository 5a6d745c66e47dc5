"""A torch.nn.Module round-trips through scnn.from_torch (ONNX in memory) to torch's own outputs."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import scnn  # noqa: E402


def small_models():
    torch.manual_seed(0)
    mlp = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
    cnn = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.BatchNorm2d(4), torch.nn.ReLU(),
                              torch.nn.MaxPool2d(2), torch.nn.Flatten(), torch.nn.Linear(4 * 14 * 14, 10))
    cnn.eval()
    return {"mlp": mlp, "cnn": cnn}


@pytest.mark.parametrize("kind", ["mlp", "cnn"])
def test_round_trip_same_as_torch(kind):
    images, _ = scnn.load_dataset("fashion-mnist", 500)
    module = small_models()[kind]
    model = scnn.from_torch(module, torch.zeros(1, 1, 28, 28))
    assert model.name == "<bytes>" and model.classes == 10
    with torch.no_grad():
        expected = module(torch.from_numpy(images).float().div(255).unsqueeze(1)).numpy()
    scores = model.scores(images)
    assert scores.shape == expected.shape
    np.testing.assert_allclose(scores, expected, rtol=1e-4, atol=1e-4)
    assert np.array_equal(model.predict(images), expected.argmax(axis=1))
    # and the same model compiles and simulates
    assert model.compile(length=64).predict(images[:10]).shape == (10,)
