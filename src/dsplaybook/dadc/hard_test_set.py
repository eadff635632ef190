"""The "hard" test subset for the DADC simulation.

The published study scored models on an expert-curated test set of difficult examples.
Its stand-in here: a strong reference model is trained on (a seeded subset of) all
training labels, then every test image gets its *true-class margin* — the reference's
score for the true class minus its best score for any other class. The hard set is the
``fraction`` of test images with the lowest margins: first every image the reference
gets wrong (ordered by margin), then the correct ones it is least sure about.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from dsplaybook.dadc.settings import HardTest
from dsplaybook.errors import InputError
from dsplaybook.label_budget.methods import make_classifier
from dsplaybook.label_budget.scores import predictions_and_scores


def true_class_margins(scores: np.ndarray, y: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Score of the true class minus the best other score (negative ⇔ beaten by another class)."""
    column = np.searchsorted(classes, y)
    if np.any(classes[np.minimum(column, len(classes) - 1)] != y):
        raise ValueError("a label is not among the model's classes")
    rows = np.arange(len(y))
    true_score = scores[rows, column]
    others = scores.copy()
    others[rows, column] = -np.inf
    return true_score - others.max(axis=1)


def hard_test_table(
    y_test: np.ndarray,
    predicted: np.ndarray,
    margins: np.ndarray,
    fraction: float,
) -> pd.DataFrame:
    """One row per test image: reference prediction, margin, and whether it is hard."""
    if not 0 < fraction <= 1:
        raise InputError(f"dadc.hard_test.fraction: {fraction} is outside (0, 1]; use e.g. 0.2")
    n_hard = max(1, int(round(fraction * len(y_test))))
    wrong = predicted != y_test
    # wrong first, then by margin; index breaks ties so the set is reproducible
    order = np.lexsort((np.arange(len(y_test)), margins, ~wrong))
    hard = np.zeros(len(y_test), dtype=bool)
    hard[order[:n_hard]] = True
    return pd.DataFrame(
        {
            "index": np.arange(len(y_test)),
            "label": y_test,
            "reference_prediction": predicted,
            "reference_margin": margins,
            "hard": hard,
        }
    )


def read_hard_mask(path: str, n_test: int) -> np.ndarray:
    """The ``hard`` column of a hard_test.csv, checked against the test set's size."""
    table = pd.read_csv(path)
    if "hard" not in table.columns or len(table) != n_test:
        raise InputError(
            f"{path}: expected {n_test} rows with a 'hard' column; delete it and re-run"
        )
    return table["hard"].to_numpy(dtype=bool)


class HardTestSettings(HardTest):
    """``dadc.hard_test`` plus the reference method's hyperparameters, seed and threads."""

    hyperparameters: Mapping[str, Any]
    seed: int
    threads: int = 1


def build_hard_test_set(
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    s: HardTestSettings,
    progress: Callable[[str], None] = lambda _: None,
) -> pd.DataFrame:
    """Fit the reference on a seeded subset of the training labels; the hard-test table."""
    n = min(s.train_size or len(x_train), len(x_train))
    chosen = np.sort(np.random.default_rng(s.seed).choice(len(x_train), n, False))
    model = make_classifier(s.method, s.seed, s.threads, s.hyperparameters)
    model.fit(x_train[chosen], y_train[chosen])
    predicted, scores = predictions_and_scores(model, x_test)  # one pass over the test set
    margins = true_class_margins(scores, y_test, model.classes_)
    table = hard_test_table(y_test, predicted, margins, s.fraction)
    correct = predicted == y_test
    progress(
        f"reference {s.method} on {s.features}, {n} labelled images: test accuracy "
        f"{correct.mean():.4f}; hard subset {table['hard'].sum()} images, reference "
        f"accuracy there {correct[table['hard']].mean():.4f}"
    )
    return table
