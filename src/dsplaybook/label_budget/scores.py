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


def training_scores(model, x: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Per-class scores of the training images ``rows`` of a model fitted on every row of
    ``x`` whose last step holds its training images' scores (the graph models:
    ``training_scores``), through any preprocessing steps before it."""
    from sklearn.pipeline import Pipeline

    if isinstance(model, Pipeline):
        return model.steps[-1][1].training_scores(model[:-1].transform(x), rows)
    return model.training_scores(x, rows)


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


def predictions_and_scores(model, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``model.predict(x)`` and ``class_scores(model, x)`` from one pass over ``x``.

    Scoring is most of a sweep cell's time: an RBF SVM's ``predict`` and
    ``decision_function`` each evaluate the kernel between every image and every support
    vector, and the graph models' ``predict`` is the argmax of the ``predict_proba`` the
    scores call again. Here an SVM's one-vs-one decision values are computed once and
    both answers derived from them exactly as libsvm and scikit-learn do; a model whose
    ``predict`` is the argmax of its probabilities (``predicts_argmax_proba``) is asked
    once. Any other model is asked twice, as before."""
    from sklearn.pipeline import Pipeline
    from sklearn.svm import SVC

    final, z = model, x
    if isinstance(model, Pipeline):
        final = model.steps[-1][1]
        if isinstance(final, SVC) or getattr(final, "predicts_argmax_proba", False):
            z = model[:-1].transform(x)
    # scikit-learn 1.9 sets `probability` to "deprecated" by default: ask for the method
    if isinstance(final, SVC) and not hasattr(final, "predict_proba") and len(final.classes_) > 2:
        return _svc_predictions_and_scores(final, z)
    if getattr(final, "predicts_argmax_proba", False):
        proba = final.predict_proba(z)
        return final.classes_[proba.argmax(axis=1)], proba
    return model.predict(x), class_scores(model, x)


def _svc_predictions_and_scores(svc, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """libsvm's prediction (the one-vs-one vote winner; a pair's positive value votes for
    its first class; ties go to the lower class) and scikit-learn's one-vs-rest decision
    values (votes plus the summed confidences squashed below 1/3), from one kernel pass."""
    shape = svc.decision_function_shape
    try:
        svc.decision_function_shape = "ovo"
        dec = svc.decision_function(z)
    finally:
        svc.decision_function_shape = shape
    n = len(svc.classes_)
    libsvm_votes = np.zeros((len(z), n))
    votes = np.zeros((len(z), n))
    confidence = np.zeros((len(z), n))
    pair = 0
    for i in range(n):
        for j in range(i + 1, n):
            d = dec[:, pair]
            libsvm_votes[:, i] += d > 0
            libsvm_votes[:, j] += d <= 0
            votes[:, i] += d >= 0  # scikit-learn: a zero counts for the first class
            votes[:, j] += d < 0
            confidence[:, i] += d
            confidence[:, j] -= d
            pair += 1
    ovr = votes + confidence / (3 * (np.abs(confidence) + 1))
    winner = ovr.argmax(axis=1) if svc.break_ties else libsvm_votes.argmax(axis=1)
    return svc.classes_[winner], (dec if shape == "ovo" else ovr)
