"""Label the whole unlabelled pool with the best method, with a confidence per image,
and measure on the test set how accuracy trades against coverage."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dsplaybook.config import FromConfig
from dsplaybook.data.datasets import MnistStyle
from dsplaybook.learning.methods import METHODS, make_classifier
from dsplaybook.learning.scores import confidences
from dsplaybook.learning.sweep import draw_labelled, draw_pool, draw_seed, fit_method
from dsplaybook.represent.features import train_test_matrices


def best_cell(summary: pd.DataFrame, budget: int) -> tuple[str, str]:
    """(features, method) with the highest mean accuracy at ``budget`` (ties: name order)."""
    at = summary[summary["budget"] == budget]
    if at.empty:
        raise ValueError(f"no sweep results at budget {budget}")
    best = at.sort_values(["accuracy_mean", "features", "method"], ascending=[False, True, True])
    return str(best.iloc[0]["features"]), str(best.iloc[0]["method"])


def coverage_curve(
    y_true: np.ndarray,
    predicted: np.ndarray,
    confidence: np.ndarray,
    thresholds: np.ndarray | None = None,
) -> pd.DataFrame:
    """For each threshold: share of images accepted and accuracy on them."""
    thresholds = np.round(np.linspace(0, 0.99, 100), 2) if thresholds is None else thresholds
    rows = []
    for t in thresholds:
        accepted = confidence >= t
        rows.append(
            {
                "threshold": float(t),
                "coverage": float(accepted.mean()),
                "accuracy": float((predicted[accepted] == y_true[accepted]).mean())
                if accepted.any()
                else np.nan,
                "accepted": int(accepted.sum()),
            }
        )
    return pd.DataFrame(rows)


def fit_for_labelling(
    method: str, x_train, y_train, labelled, pool, seed, threads, hyperparameters
):  # noqa: ANN001
    """Fit the chosen method. An SVM gets libsvm's Platt-scaled, pairwise-coupled
    probabilities here, because the softmax of its decision values is far from a
    calibrated confidence.

    scikit-learn 1.9 deprecates SVC(probability=True) (removal in 1.11) in favour of
    CalibratedClassifierCV, which calibrates one-vs-rest: on 300 real digits its
    confidences reached 0.9 for 0.1% (sigmoid) or 0.4% (temperature) of test images
    against 18.5% here, all at ≥ 99.9% accuracy. So the deprecation warning is silenced
    for this one call until a pairwise replacement exists (scikit-learn is pinned).
    """
    if method == "svm":
        model = make_classifier("svm", seed, threads, hyperparameters, probability=True)
        with warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore", message="The `probability` parameter", category=FutureWarning
            )
            return model.fit(x_train[labelled], y_train[labelled])
    x_pool = x_train[pool] if METHODS[method].semi_supervised else x_train[:0]
    return fit_method(
        method, x_train[labelled], y_train[labelled], x_pool, seed, threads, hyperparameters
    )


@dataclass(frozen=True)
class LabellingSettings(FromConfig):
    """``labelling`` plus what it shares with the sweep (its draws and unlabelled pool)."""

    budget: int
    features: str  # a feature set, or "best" (with method "best")
    method: str
    pool_size: int
    classifiers: Mapping[str, Mapping[str, Any]]  # hyperparameters per method
    seed: int
    threads: int = 1


@dataclass(frozen=True)
class PoolLabels:
    features: str
    method: str
    labels: pd.DataFrame  # image_index, predicted_class, class_name, confidence
    coverage: pd.DataFrame  # threshold, coverage, accuracy, accepted (on the test set)
    test_accuracy: float


def label_pool(
    data: MnistStyle,
    feature_files: Mapping[str, str | None],
    summary: pd.DataFrame,
    s: LabellingSettings,
) -> PoolLabels:
    """Label every training image the sweep's first draw at ``s.budget`` left unlabelled,
    with the best (or the chosen) cell; ``feature_files`` maps a feature set to its file."""
    if s.features == "best":
        features, method = best_cell(summary, s.budget)
    else:
        features, method = s.features, s.method
    x_train, x_test = train_test_matrices(data, feature_files.get(features))
    seed = draw_seed(s.seed, s.budget, 0)  # the sweep's first draw at this budget
    labelled = draw_labelled(len(x_train), s.budget, seed)
    pool = draw_pool(len(x_train), labelled, s.pool_size, seed)
    model = fit_for_labelling(
        method, x_train, data.y_train, labelled, pool, seed, s.threads, s.classifiers[method]
    )
    unlabelled = np.setdiff1d(np.arange(len(x_train)), labelled)
    predicted, confidence = confidences(model, x_train[unlabelled])
    labels = pd.DataFrame(
        {
            "image_index": unlabelled,
            "predicted_class": predicted,
            "class_name": np.array(data.class_names)[predicted],
            "confidence": np.round(confidence, 6),
        }
    )
    test_pred, test_conf = confidences(model, x_test)
    coverage = coverage_curve(data.y_test, test_pred, test_conf)
    coverage.insert(0, "method", method)
    coverage.insert(0, "features", features)
    accuracy = float((test_pred == data.y_test).mean())
    return PoolLabels(features, method, labels, coverage, accuracy)
