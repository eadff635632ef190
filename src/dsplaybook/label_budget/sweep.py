"""The label-budget sweep: how much accuracy each extra label buys.

For each budget and draw, the same seeded random images are "labelled" for every
feature set and method (a paired comparison). Supervised methods see only those;
semi-supervised ones also see a seeded sample of the unlabelled training pool. All
are scored on the dataset's official test set.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from pydantic import Field
from sklearn.metrics import accuracy_score, f1_score

from dsplaybook.errors import InputError
from dsplaybook.label_budget.methods import METHODS, make_classifier
from dsplaybook.label_budget.settings import SweepDraws


class SweepSettings(SweepDraws):
    """A cell's settings: the draws plus the seed, threads and its method's hyperparameters."""

    seed: int
    threads: int = 1
    hyperparameters: Mapping[str, Any] = Field(default_factory=dict)


def draw_seed(seed: int, budget: int, draw: int) -> int:
    """One seed per (budget, draw), shared by every feature set and method."""
    return (seed * 1_000_003 + budget * 101 + draw) % 2**31


def draw_labelled(n_train: int, budget: int, seed: int) -> np.ndarray:
    """Seeded random choice of training images to label (no stratification: a real
    annotator does not know the classes before labelling)."""
    if budget > n_train:
        raise InputError(
            f"label_budget.budgets: {budget} labels exceed the {n_train} training images; "
            "lower the budgets"
        )
    return np.sort(np.random.default_rng(seed).choice(n_train, size=budget, replace=False))


def draw_pool(n_train: int, labelled: np.ndarray, size: int, seed: int) -> np.ndarray:
    rest = np.setdiff1d(np.arange(n_train), labelled)
    size = min(size, len(rest))
    return np.sort(np.random.default_rng(seed + 1).choice(rest, size=size, replace=False))


def fit_method(
    method: str,
    x_train: np.ndarray,
    y_train: np.ndarray,
    labelled: np.ndarray,
    pool: np.ndarray,
    seed: int,
    threads: int,
    hyperparameters=None,  # noqa: ANN001
):  # noqa: ANN201
    """Fit on the ``labelled`` training images, plus for semi-supervised methods the
    unlabelled ``pool`` (label -1), or every unlabelled training image for a method that
    uses the whole pool (in training-set order, so its graph is built once per cell)."""
    model = make_classifier(method, seed, threads, hyperparameters)
    entry = METHODS[method]
    if entry.whole_pool:
        y = np.full(len(x_train), -1)
        y[labelled] = y_train[labelled]
        return model.fit(x_train, y)
    if entry.semi_supervised:
        x = np.concatenate([x_train[labelled], x_train[pool]])
        y = np.concatenate([y_train[labelled], np.full(len(pool), -1)])
        return model.fit(x, y)
    return model.fit(x_train[labelled], y_train[labelled])


def run_cell(
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    method: str,
    s: SweepSettings,
    progress: Callable[[str], None] = lambda _: None,
) -> pd.DataFrame:
    """Every (budget, draw) of one method on one feature set: accuracy, macro-F1, fit time."""
    rows = []
    for budget in s.budgets:
        for draw in range(s.draws):
            seed = draw_seed(s.seed, budget, draw)
            labelled = draw_labelled(len(x_train), budget, seed)
            pool = (
                draw_pool(len(x_train), labelled, s.pool_size, seed)
                if METHODS[method].semi_supervised and not METHODS[method].whole_pool
                else np.array([], dtype=int)
            )
            started = time.perf_counter()
            model = fit_method(
                method, x_train, y_train, labelled, pool, seed, s.threads, s.hyperparameters
            )
            fit_seconds = time.perf_counter() - started
            predicted = model.predict(x_test)
            rows.append(
                {
                    "budget": budget,
                    "draw": draw,
                    "seed": seed,
                    "accuracy": accuracy_score(y_test, predicted),
                    "macro_f1": f1_score(y_test, predicted, average="macro"),
                    "fit_seconds": fit_seconds,
                }
            )
            progress(f"{method} budget {budget} draw {draw}: accuracy {rows[-1]['accuracy']:.4f}")
    return pd.DataFrame(rows)


def summarise(sweep: pd.DataFrame, threshold: float = 0.8) -> pd.DataFrame:
    """Mean ± sd per (dataset, features, method, budget) and the labels needed to reach
    ``threshold`` mean accuracy (NaN when no budget reaches it)."""
    keys = ["dataset", "features", "method"]
    summary = (
        sweep.groupby([*keys, "budget"], sort=True)
        .agg(
            accuracy_mean=("accuracy", "mean"),
            accuracy_sd=("accuracy", "std"),
            macro_f1_mean=("macro_f1", "mean"),
            draws=("draw", "count"),
        )
        .reset_index()
    )
    reached = (
        summary[summary["accuracy_mean"] >= threshold]
        .groupby(keys)["budget"]
        .min()
        .rename(f"labels_to_{round(threshold * 100)}pct")
    )
    return summary.merge(reached, on=keys, how="left")


CELL_KEYS = ["dataset", "features", "method", "budget", "draw", "seed"]


def tidy_cells(cells: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cells -> (sweep: keys, accuracy, macro_f1; fit times), sorted by the keys. Fit times
    are wall-clock, so they stay out of the sweep table, which is byte-identical per config."""
    cells = cells.sort_values(CELL_KEYS).reset_index(drop=True)
    return cells[[*CELL_KEYS, "accuracy", "macro_f1"]], cells[[*CELL_KEYS, "fit_seconds"]]


def best_per_budget(summary: pd.DataFrame) -> pd.DataFrame:
    """The best (features, method) cell at every budget, by mean accuracy."""
    best = summary.sort_values("accuracy_mean", ascending=False).groupby("budget").head(1)
    return best.sort_values("budget")
