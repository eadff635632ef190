"""Per-class scores and confidences of any fitted classifier (the one place that knows
whether a model has probabilities or only decision values)."""

from __future__ import annotations

import numpy as np


def class_scores(model, x: np.ndarray) -> np.ndarray:
    """Per-class scores, columns in ``model.classes_`` order: probabilities when the model
    has them, else its decision values (an SVM without calibration)."""
    if hasattr(model, "predict_proba"):
        return model.predict_proba(x)
    scores = model.decision_function(x)
    # two classes: one column, positive = classes_[1]
    return np.column_stack([-scores, scores]) if scores.ndim == 1 else scores


def class_probabilities(model, x: np.ndarray) -> np.ndarray:
    """Per-class probabilities in ``model.classes_`` order (softmax of the decision values
    for a model without probabilities)."""
    from scipy.special import softmax

    scores = class_scores(model, x)
    return scores if hasattr(model, "predict_proba") else softmax(scores, axis=1)


def confidences(model, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Predicted class and its probability."""
    proba = class_probabilities(model, x)
    return model.classes_[np.argmax(proba, axis=1)], proba.max(axis=1)
