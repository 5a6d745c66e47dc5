"""What the binding promises beyond equal results: the image array is not copied, the GIL is released while
the engine runs, and results do not depend on the thread count."""
import threading
import tracemalloc

import numpy as np
import pytest

import scnn


@pytest.fixture(scope="module")
def data():
    images, _ = scnn.load_dataset("fashion-mnist", 2000)
    return scnn.load("fmnist_tiny"), images


def test_images_are_not_copied(data):
    """numpy reports its allocations to tracemalloc: a copy of the 1.5 MB batch would show in the peak."""
    model, images = data
    plan = model.compile(length=32)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        plan.counts(images)
        plan.predict(images)
        model.predict(images)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert images.nbytes > 1_000_000
    assert peak < images.nbytes // 4  # the outputs: 2000 x 10 int64 = 160 kB


def test_gil_released_while_simulating(data):
    """A Python thread keeps running while Plan.counts works on another; with the GIL held it could not."""
    model, images = data
    plan = model.compile(length=256)
    ticks = []
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            ticks.append(1)

    worker = threading.Thread(target=spin)
    worker.start()
    try:
        before = len(ticks)
        plan.counts(images[:500], threads=1)
        during = len(ticks) - before
    finally:
        stop.set()
        worker.join()
    assert during > 1000


def test_thread_count_does_not_change_results(data):
    model, images = data
    plan = model.compile(length=64)
    assert np.array_equal(plan.counts(images[:200], threads=1), plan.counts(images[:200], threads=3))
    assert np.array_equal(plan.predict(images[:200], early_exit=5, threads=1),
                          plan.predict(images[:200], early_exit=5, threads=3))
    assert np.array_equal(model.scores(images[:200], threads=1), model.scores(images[:200], threads=3))
    assert np.array_equal(model.predict(images[:200], mode="int8", threads=1),
                          model.predict(images[:200], mode="int8", threads=3))
