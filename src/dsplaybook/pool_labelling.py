"""Label the whole unlabelled pool with the best method, with a confidence per image,
and measure on the test set how accuracy trades against coverage."""

from __future__ import annotations

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
    if hasattr(model, "predict_proba"):
        try:
            proba = model.predict_proba(x)
        except AttributeError:
            proba = softmax(model.decision_function(x), axis=1)
    else:
        proba = softmax(model.decision_function(x), axis=1)
    classes = model.classes_ if hasattr(model, "classes_") else model[-1].classes_
    return classes[np.argmax(proba, axis=1)], proba.max(axis=1)


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
    """Fit the chosen method. An SVM gets Platt-scaled probabilities here, because the
    softmax of its one-vs-rest decision values is far from a calibrated confidence."""
    if method == "svm":
        model = make_classifier("svm", seed, threads, knn, probability=True)
        return model.fit(x_train[labelled], y_train[labelled])
    x_pool = x_train[pool] if method in SEMI_SUPERVISED else x_train[:0]
    return fit_method(method, x_train[labelled], y_train[labelled], x_pool, seed, threads, knn)
