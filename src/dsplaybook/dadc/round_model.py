"""A drawing round's model: what it sees (HOG or raw pixels), what it trains on (a seeded
base subset of the dataset plus the drawings that count, each fooling drawing with varied
copies and a weight). The same function trains the models in the app and in the
workflow's evaluation, so both agree."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from pydantic import Field

from dsplaybook.dadc.drawings import ink_extent, strokes_to_bitmap, varied
from dsplaybook.dadc.settings import HumanRounds
from dsplaybook.data.datasets import MnistStyle
from dsplaybook.label_budget.methods import make_classifier
from dsplaybook.represent.features import flat_pixels


class HumanRoundSettings(HumanRounds):
    """``dadc.human`` plus the seed and the method's hyperparameters."""

    seed: int
    hyperparameters: Mapping[str, Any] = Field(default_factory=dict)


class RoundModel:
    """An estimator with the features it was trained on: images in, classes out."""

    def __init__(self, estimator, s: HumanRoundSettings):
        self.estimator = estimator
        self.features, self.cell, self.orientations = (
            s.features,
            s.hog_cell_size,
            s.hog_orientations,
        )

    @property
    def classes_(self) -> np.ndarray:
        return self.estimator.classes_

    def transform(self, images: np.ndarray) -> np.ndarray:
        if self.features == "raw":
            return flat_pixels(images)
        from dsplaybook.represent.handmade import hog_of

        return hog_of(images, self.orientations, self.cell)

    def predict(self, images: np.ndarray) -> np.ndarray:
        return self.estimator.predict(self.transform(images))

    def probabilities(self, images: np.ndarray, n_classes: int) -> np.ndarray:
        """N × n_classes (zero for classes the model never saw)."""
        from dsplaybook.label_budget import scores

        full = np.zeros((len(images), n_classes))
        full[:, np.asarray(self.classes_, dtype=int)] = scores.class_probabilities(
            self.estimator, self.transform(images)
        )
        return full


def bitmaps(table: pd.DataFrame) -> np.ndarray:
    """The stored 784-byte bitmaps as N×28×28 uint8."""
    if table.empty:
        return np.zeros((0, 28, 28), np.uint8)
    return np.stack([np.frombuffer(b, np.uint8).reshape(28, 28) for b in table["bitmap"]])


def base_indices(y: np.ndarray, per_class: int, seed: int) -> np.ndarray:
    """A seeded subset of up to ``per_class`` training images of every class."""
    rng = np.random.default_rng(seed)
    chosen = [
        rng.choice(np.flatnonzero(y == k), min(per_class, int((y == k).sum())), replace=False)
        for k in np.unique(y[y >= 0])
    ]
    return np.sort(np.concatenate(chosen))


def copies_of(row, extent: float, s: HumanRoundSettings) -> np.ndarray:
    """``s.copies`` varied redrawings of one stored drawing, seeded by its id."""
    rng = np.random.default_rng([s.seed, int(row.id)])
    strokes = json.loads(row.strokes)
    return np.stack([strokes_to_bitmap(varied(strokes, rng), extent) for _ in range(s.copies)])


def training_set(
    data: MnistStyle, drawings: pd.DataFrame, s: HumanRoundSettings
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Images, classes and weights: the base subset (weight 1), every drawing given
    (weight ``s.weight``) and, for a fooling one, ``s.copies`` varied copies (same weight)."""
    base = base_indices(data.y_train, s.base_per_class, s.seed)
    images, labels = [data.x_train[base], bitmaps(drawings)], [data.y_train[base]]
    labels.append(drawings["true_class"].to_numpy(dtype=np.int64))
    fooling = drawings[drawings["fooled"] == 1] if len(drawings) else drawings
    if s.copies and len(fooling):
        extent = ink_extent(data.x_train)
        for row in fooling.itertuples():
            images.append(copies_of(row, extent, s))
            labels.append(np.full(s.copies, int(row.true_class), np.int64))
    x, y = np.concatenate(images), np.concatenate(labels)
    weights = np.full(len(y), s.weight)
    weights[: len(base)] = 1.0
    return x, y, weights


def train_round_model(
    data: MnistStyle, drawings: pd.DataFrame, s: HumanRoundSettings
) -> RoundModel:
    """Round model: ``s.method`` on ``s.features`` of ``training_set``; ``drawings`` are
    those that count (see ``validation.counted``)."""
    x, y, weights = training_set(data, drawings, s)
    model = RoundModel(make_classifier(s.method, s.seed, 1, s.hyperparameters), s)
    features = model.transform(x)
    estimator = model.estimator
    last = estimator.steps[-1][0] if hasattr(estimator, "steps") else None
    fit_weights = {f"{last}__sample_weight" if last else "sample_weight": weights}
    estimator.fit(features, y, **fit_weights)
    return model
