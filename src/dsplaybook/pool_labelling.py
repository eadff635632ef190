"""Label the whole unlabelled pool with the best method, with a confidence per image,
and measure on the test set how accuracy trades against coverage."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy.special import softmax

from dsplaybook.label_budget import SEMI_SUPERVISED, fit_method, make_classifier


def best_cell(summary: pd.DataFrame, budget: int) -> tuple[str, str]:
    """(features, method) with the highest mean accuracy at ``budget`` (ties: name order)."""
    at = summary[summary["budget"] == budget]
    if at.empty:
        raise ValueError(f"no sweep results at budget {budget}")
    best = at.sort_values(["accuracy_mean", "features", "method"], ascending=[False, True, True])
    return str(best.iloc[0]["features"]), str(best.iloc[0]["method"])


def confidences(model, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # noqa: ANN001
    """Predicted class and its probability (softmax of the decision values if needed)."""
    try:
        proba = model.predict_proba(x)
    except AttributeError:  # an SVM without probability estimates
        proba = softmax(model.decision_function(x), axis=1)
    return model.classes_[np.argmax(proba, axis=1)], proba.max(axis=1)


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


def fit_for_labelling(method: str, x_train, y_train, labelled, pool, seed, threads, knn):  # noqa: ANN001
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
        model = make_classifier("svm", seed, threads, knn, probability=True)
        with warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore", message="The `probability` parameter", category=FutureWarning
            )
            return model.fit(x_train[labelled], y_train[labelled])
    x_pool = x_train[pool] if method in SEMI_SUPERVISED else x_train[:0]
    return fit_method(method, x_train[labelled], y_train[labelled], x_pool, seed, threads, knn)
