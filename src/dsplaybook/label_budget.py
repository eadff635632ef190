"""The label-budget sweep: how much accuracy each extra label buys.

For each budget and draw, the same seeded random images are "labelled" for every
feature set and method (a paired comparison). Supervised methods see only those;
semi-supervised ones also see a seeded sample of the unlabelled training pool. All
are scored on the dataset's official test set.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import make_pipeline
from sklearn.semi_supervised import LabelSpreading, SelfTrainingClassifier
from sklearn.svm import SVC

from dsplaybook.errors import InputError

SUPERVISED = ("logreg", "svm", "rf", "gb")
SEMI_SUPERVISED = ("labelspread", "selftrain")
METHODS = SUPERVISED + SEMI_SUPERVISED


@dataclass(frozen=True)
class SweepSettings:
    budgets: tuple[int, ...] = (100, 200, 500, 1000, 2000)
    draws: int = 5
    seed: int = 0
    pool_size: int = 10_000  # unlabelled images the semi-supervised methods see
    knn: int = 10  # neighbours in the label-spreading graph
    threads: int = 1


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


class GlobalScaler(TransformerMixin, BaseEstimator):
    """Centre each feature, then divide *all* features by one overall standard deviation.

    Per-feature standardisation inflates near-constant dimensions (border pixels, PCA's
    last components, a VAE's collapsed latent units) to unit variance, i.e. to noise of
    the same weight as the informative ones; on Fashion-MNIST it cost conv-VAE + SVM 19
    points at 100 labels. One global scale keeps the representation's own geometry.
    """

    def fit(self, x, y=None):  # noqa: ANN001
        x = np.asarray(x, dtype=np.float64)
        self.mean_ = x.mean(axis=0)
        self.scale_ = float((x - self.mean_).std()) or 1.0
        return self

    def transform(self, x):  # noqa: ANN001
        return (np.asarray(x, dtype=np.float64) - self.mean_) / self.scale_


def make_classifier(
    method: str, seed: int, threads: int = 1, knn: int = 10, probability: bool = False
):
    """A fresh scikit-learn estimator for ``method`` (semi-supervised ones take -1 labels)."""
    if method == "logreg":
        return make_pipeline(GlobalScaler(), LogisticRegression(C=0.1, max_iter=3000))
    if method == "svm":
        # scikit-learn 1.9 warns whenever `probability` is passed, so only pass it when on
        extra = {"probability": True} if probability else {}
        return make_pipeline(
            GlobalScaler(), SVC(kernel="rbf", C=10, gamma="scale", random_state=seed, **extra)
        )
    if method == "rf":
        return RandomForestClassifier(n_estimators=300, random_state=seed, n_jobs=threads)
    if method == "gb":
        return HistGradientBoostingClassifier(
            max_iter=100, learning_rate=0.1, early_stopping=False, random_state=seed
        )
    if method == "labelspread":
        return make_pipeline(
            GlobalScaler(), LabelSpreading(kernel="knn", n_neighbors=knn, alpha=0.2, max_iter=200)
        )
    if method == "selftrain":
        base = LogisticRegression(C=0.1, max_iter=3000)
        return make_pipeline(
            GlobalScaler(), SelfTrainingClassifier(base, threshold=0.9, max_iter=10)
        )
    raise ValueError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")


def fit_method(method: str, x_lab, y_lab, x_pool, seed: int, threads: int, knn: int):
    """Fit on the labelled images (+ the unlabelled pool for semi-supervised methods)."""
    model = make_classifier(method, seed, threads, knn)
    if method in SEMI_SUPERVISED:
        x = np.concatenate([x_lab, x_pool])
        y = np.concatenate([y_lab, np.full(len(x_pool), -1)])
        model.fit(x, y)
    else:
        model.fit(x_lab, y_lab)
    return model


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
                if method in SEMI_SUPERVISED
                else np.array([], dtype=int)
            )
            started = time.perf_counter()
            model = fit_method(
                method, x_train[labelled], y_train[labelled], x_train[pool], seed, s.threads, s.knn
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
