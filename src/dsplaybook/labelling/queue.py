"""Which images a person should label next (results/label_budget/<dataset>/queue.csv).

The strategies are the selection registry the label-budget sweep measures
(``label_budget.selection.SELECTIONS``: random, kmeans, typiclust, probcover,
uncertainty), so the page offers what the sweep measured; ``auto`` is kmeans before two
classes are labelled (the best first 100 on Fashion-MNIST: 81.3% vs 78.1% typiclust and
76.5% random, docs/benchmarks.md) and uncertainty after.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field

from dsplaybook.config import Section
from dsplaybook.data.datasets import MnistStyle
from dsplaybook.errors import InputError
from dsplaybook.label_budget.methods import SUPERVISED
from dsplaybook.label_budget.selection import SELECTIONS, Known, SelectionSettings, reduce, select
from dsplaybook.represent.features import FEATURE_SETS

# ``auto`` is not a strategy of its own: kmeans first, uncertainty once two classes exist
QUEUE_STRATEGIES = ("auto", *SELECTIONS)


def queue_file(dataset: str, results: str | Path = "results") -> Path:
    """Where the workflow writes a dataset's label queue (what the label page reads)."""
    return Path(results) / "label_budget" / dataset / "queue.csv"


class Queue(Section):
    """Which images the label page offers next (results/label_budget/<dataset>/queue.csv);
    the strategies' own knobs are ``label_budget.selection``."""

    strategy: Literal[QUEUE_STRATEGIES] = Field(
        "auto", description="auto = kmeans before two classes are labelled, uncertainty after."
    )
    size: int = Field(100, ge=1, description="Images per batch.")
    features: Literal[tuple(FEATURE_SETS)] = Field(
        "hog2",
        description="The feature set the choice is made on (hog2: the space the sweep's "
        "chosen-label figures were measured in, label_budget.selection.features).",
    )
    method: Literal[SUPERVISED] = Field("logreg", description="The model whose uncertainty counts.")


class QueueSettings(Queue):
    """``labelling.queue`` plus the seed and the chosen method's hyperparameters."""

    seed: int
    hyperparameters: Mapping[str, Any] = Field(default_factory=dict)
    selection: SelectionSettings = Field(default_factory=SelectionSettings)


def select_images(
    x: np.ndarray, labels: Mapping[int, int], s: QueueSettings, n_classes: int = 10
) -> tuple[np.ndarray, str]:
    """The next ``s.size`` training rows to label (never one labelled already) and the
    strategy used. ``labels`` maps the rows people labelled to their class."""
    classes = len(set(labels.values()))
    strategy = s.strategy
    if strategy == "auto":
        strategy = "uncertainty" if classes >= 2 else "kmeans"
    if SELECTIONS[strategy].needs_labels and classes < 2:
        raise InputError(
            f"labelling.queue.strategy: {strategy} needs labels of at least two classes; "
            "use typiclust, kmeans or random for the first batch"
        )
    rows = np.fromiter(labels, dtype=int, count=len(labels))
    known = Known(rows, np.array([labels[i] for i in rows], dtype=int))
    seed = s.seed + len(labels)  # a new batch after new labels
    # uncertainty asks the queue's model on its own features; the others measure distance
    # in a PCA of them, as the sweep does
    z = x if strategy == "uncertainty" else reduce(x, s.selection.components, s.seed)
    context = {"method": s.method, "hyperparameters": s.hyperparameters, "classes": n_classes}
    chosen = select(strategy, z, known, np.arange(len(x)), s.size, seed, s.selection, context)
    if strategy == "uncertainty":
        return chosen, strategy
    # in a seeded random order, not row order: on a set stored class by class the first
    # 40 of 100 picks held 4 classes, and a model trained live on them knew no others
    return np.random.default_rng([seed, 1]).permutation(chosen), strategy


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


def read_human_table(path: str) -> pd.DataFrame:
    """human_labels.csv (the export of the store), checked for its key columns."""
    table = pd.read_csv(path)
    missing = [c for c in ("image_index", "label") if c not in table.columns]
    if missing:
        raise InputError(f"{path}: column {missing[0]!r} is missing; delete it and re-run")
    return table


def read_human_labels(path: str) -> dict[int, int]:
    """human_labels.csv -> {image_index: the people's majority label}; images whose
    people tie (label -1) are left out."""
    return resolved_rows(read_human_table(path))


def resolved_rows(table: pd.DataFrame) -> dict[int, int]:
    """{image_index: label} of the rows of human_labels.csv that are not ties."""
    table = table[table["label"].astype(int) >= 0]
    return dict(zip(table["image_index"].astype(int), table["label"].astype(int), strict=True))


def given_labels(data: MnistStyle, human_csv: str) -> dict[int, int]:
    """Labels people gave: the store's export, on top of a folder dataset's class
    sub-folders (people gave those too; an image whose people tie keeps neither). The
    ground truth of fashion_mnist/quickdraw is never counted: there it stands for what
    nobody has labelled yet."""
    table = read_human_table(human_csv)
    labels = resolved_rows(table)
    if not data.files_train:  # only folder datasets record their files
        return labels
    ties = set(table.loc[table["label"].astype(int) < 0, "image_index"].astype(int))
    folder = {int(i): int(data.y_train[i]) for i in data.labelled_train if int(i) not in ties}
    return folder | labels
