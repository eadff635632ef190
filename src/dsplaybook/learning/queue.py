"""Which images a person should label next (results/labels/<dataset>/queue.csv).

The strategies reuse the DADC branch's choices: ``kmeans`` (the image nearest each
k-means centroid, a diverse first batch), ``uncertainty`` (the smallest margin between
a model's top two class scores, once labels exist) and ``random``; ``auto`` is kmeans
before any label and uncertainty after.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dsplaybook.config import FromConfig
from dsplaybook.dadc.simulate import kmeans_initial, top_two_margin
from dsplaybook.data.datasets import MnistStyle
from dsplaybook.errors import InputError
from dsplaybook.learning.methods import make_classifier
from dsplaybook.learning.scores import class_scores

QUEUE_STRATEGIES = ("auto", "random", "kmeans", "uncertainty")


@dataclass(frozen=True)
class QueueSettings(FromConfig):
    """``labelling.queue`` plus the seed and the chosen method's hyperparameters."""

    strategy: str
    size: int
    features: str  # the feature set the choice is made on (chooses the input file)
    method: str  # the model whose uncertainty counts (strategy uncertainty)
    kmeans_sample: int
    seed: int
    hyperparameters: Mapping[str, Any] = field(default_factory=dict)


def select_images(
    x: np.ndarray, labels: Mapping[int, int], s: QueueSettings
) -> tuple[np.ndarray, str]:
    """The next ``s.size`` training rows to label (never one labelled already) and the
    strategy used. ``labels`` maps the rows people labelled to their class."""
    if s.strategy not in QUEUE_STRATEGIES:
        raise InputError(f"labelling.queue.strategy: {s.strategy!r}; use one of {QUEUE_STRATEGIES}")
    strategy = s.strategy
    if strategy == "auto":
        strategy = "uncertainty" if len(set(labels.values())) >= 2 else "kmeans"
    if strategy == "uncertainty" and len(set(labels.values())) < 2:
        raise InputError(
            "labelling.queue.strategy: uncertainty needs labels of at least two classes; "
            "use kmeans or random for the first batch"
        )
    candidates = np.setdiff1d(np.arange(len(x)), np.fromiter(labels, dtype=int, count=len(labels)))
    size = min(s.size, len(candidates))
    rng = np.random.default_rng(s.seed + len(labels))  # a new batch after new labels
    if strategy == "random":
        return np.sort(rng.choice(candidates, size=size, replace=False)), strategy
    if strategy == "kmeans":
        picked = kmeans_initial(x[candidates], size, s.kmeans_sample, s.seed + len(labels))
        return candidates[picked], strategy
    labelled = np.fromiter(labels, dtype=int, count=len(labels))
    y = np.array([labels[i] for i in labelled])
    model = make_classifier(s.method, s.seed, 1, s.hyperparameters).fit(x[labelled], y)
    margin = top_two_margin(class_scores(model, x[candidates]))
    return candidates[np.argsort(margin, kind="stable")[:size]], strategy


def queue_table(chosen: np.ndarray, files: tuple[str, ...], strategy: str) -> pd.DataFrame:
    """queue.csv: rank (1 = label first), image_index, file (folder datasets), strategy."""
    return pd.DataFrame(
        {
            "rank": np.arange(1, len(chosen) + 1),
            "image_index": chosen,
            "file": [files[i] for i in chosen] if files else "",
            "strategy": strategy,
        }
    )


def read_human_labels(path: str) -> dict[int, int]:
    """human_labels.csv (the export of the store) -> {image_index: label}."""
    table = pd.read_csv(path)
    missing = [c for c in ("image_index", "label") if c not in table.columns]
    if missing:
        raise InputError(f"{path}: column {missing[0]!r} is missing; delete it and re-run")
    return dict(zip(table["image_index"].astype(int), table["label"].astype(int), strict=True))


def given_labels(data: MnistStyle, human_csv: str) -> dict[int, int]:
    """Labels people gave: the store's export, on top of a folder dataset's class
    sub-folders (people gave those too). The ground truth of fashion_mnist/quickdraw is
    never counted: there it stands for what nobody has labelled yet."""
    labels = read_human_labels(human_csv)
    if not data.files_train:  # only folder datasets record their files
        return labels
    return {int(i): int(data.y_train[i]) for i in data.labelled_train} | labels
