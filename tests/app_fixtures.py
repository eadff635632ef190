"""A tiny dataset, queue and store for the label page's tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dsplaybook.app.server import LabelSession
from dsplaybook.app.store import LabelStore
from dsplaybook.data.datasets import MnistStyle

CLASSES = tuple(f"class {k}" for k in range(10)) + ("eleventh",)


def tiny_session(tmp_path: Path, n: int = 40, queue: int = 15) -> LabelSession:
    rng = np.random.default_rng(0)
    data = MnistStyle(
        x_train=rng.integers(0, 255, (n, 28, 28), dtype=np.uint8),
        y_train=np.arange(n) % len(CLASSES),
        x_test=np.zeros((0, 28, 28), np.uint8),
        y_test=np.zeros(0, np.int64),
        class_names=CLASSES,
    )
    order = [int(i) for i in rng.permutation(n)[:queue]]
    return LabelSession("tiny", data, order, LabelStore(tmp_path / "annotations" / "tiny.sqlite"))
