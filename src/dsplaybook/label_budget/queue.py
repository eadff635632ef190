"""Which images a person should label next (results/label_budget/<dataset>/queue.csv).

The strategies (``PICKERS``) use the selection functions the DADC simulation uses
(``label_budget.selection``): ``kmeans`` (the image nearest each k-means centroid, a diverse
first batch), ``uncertainty`` (the smallest margin between a model's top two class
scores, once labels exist) and ``random``; ``auto`` is kmeans before any label and
uncertainty after.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field

from dsplaybook.config import Section
from dsplaybook.data.datasets import MnistStyle
from dsplaybook.errors import InputError
from dsplaybook.label_budget.methods import SUPERVISED, make_classifier
from dsplaybook.label_budget.selection import kmeans_initial, pick_uncertain, random_initial
from dsplaybook.represent.features import FEATURE_SETS


def _random(x, candidates, labels, s, size, seed):  # noqa: ANN001, ANN202
    return candidates[random_initial(len(candidates), size, seed)]


def _kmeans(x, candidates, labels, s, size, seed):  # noqa: ANN001, ANN202
    picks = candidates[kmeans_initial(x[candidates], size, s.kmeans_sample, seed)]
    # in a seeded random order, not row order: on a set stored class by class the first
    # 40 of 100 picks held 4 classes, and a model trained live on them knew no others
    return np.random.default_rng([seed, 1]).permutation(picks)


def _uncertainty(x, candidates, labels, s, size, seed):  # noqa: ANN001, ANN202
    labelled = np.fromiter(labels, dtype=int, count=len(labels))
    y = np.array([labels[i] for i in labelled])
    model = make_classifier(s.method, s.seed, 1, s.hyperparameters).fit(x[labelled], y)
    return pick_uncertain(model, x, candidates, size)


# The registry of queue strategies: (x, candidates, labels, settings, size, seed) -> the
# ``size`` rows to label, from ``candidates`` (sorted).
# ``auto`` is not an entry: it means kmeans before two classes are labelled, then
# uncertainty.
PICKERS: dict[str, Callable[..., np.ndarray]] = {
    "random": _random,
    "kmeans": _kmeans,
    "uncertainty": _uncertainty,
}
QUEUE_STRATEGIES = ("auto", *PICKERS)


class Queue(Section):
    """Which images the label page offers next (results/label_budget/<dataset>/queue.csv)."""

    strategy: Literal[QUEUE_STRATEGIES] = Field(
        "auto", description="auto = kmeans before any label, uncertainty after."
    )
    size: int = Field(100, ge=1, description="Images per batch.")
    features: Literal[tuple(FEATURE_SETS)] = Field(
        "pca", description="The feature set the choice is made on."
    )
    method: Literal[SUPERVISED] = Field("logreg", description="The model whose uncertainty counts.")
    kmeans_sample: int = Field(10_000, ge=1, description="Images k-means sees.")


class QueueSettings(Queue):
    """``labelling.queue`` plus the seed and the chosen method's hyperparameters."""

    seed: int
    hyperparameters: Mapping[str, Any] = Field(default_factory=dict)


def select_images(
    x: np.ndarray, labels: Mapping[int, int], s: QueueSettings
) -> tuple[np.ndarray, str]:
    """The next ``s.size`` training rows to label (never one labelled already) and the
    strategy used. ``labels`` maps the rows people labelled to their class."""
    classes = len(set(labels.values()))
    strategy = s.strategy
    if strategy == "auto":
        strategy = "uncertainty" if classes >= 2 else "kmeans"
    if strategy == "uncertainty" and classes < 2:
        raise InputError(
            "labelling.queue.strategy: uncertainty needs labels of at least two classes; "
            "use kmeans or random for the first batch"
        )
    candidates = np.setdiff1d(np.arange(len(x)), np.fromiter(labels, dtype=int, count=len(labels)))
    size = min(s.size, len(candidates))
    seed = s.seed + len(labels)  # a new batch after new labels
    return PICKERS[strategy](x, candidates, labels, s, size, seed), strategy


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
