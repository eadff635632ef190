"""Which features + method label a pool best, judged on the labels people gave alone.

``auto`` (and ``best`` where there is no sweep to consult: a folder dataset) scores each
candidate cell by stratified cross-validation on the given labels — never a test image.
The choice follows the one-standard-error rule, so that a near-tie cannot flip with a
CPU's floating point: every candidate whose accuracy is within one standard error of the
best's (the paired standard error of their per-image difference, over the same folds)
counts as tied, and of the tied the one listed first in ``labelling.candidates`` wins.
The chosen cell's expected calibration error on the held-out folds says how far its
confidences can be trusted.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from dsplaybook.label_budget.scores import class_probabilities

FOLDS = 5
BINS = 10


def expected_calibration_error(correct: np.ndarray, confidence: np.ndarray) -> float:
    """Mean |accuracy - confidence| over 10 equal-width confidence bins, weighted by size."""
    edges = np.linspace(0, 1, BINS + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, BINS - 1)
    error = 0.0
    for b in range(BINS):
        inside = which == b
        if inside.any():
            error += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    return float(error)


def cross_validated(
    fit, x: np.ndarray, given: Mapping[int, int], seed: int, n_classes: int | None = None
) -> dict:
    """Accuracy and ECE of ``fit(train_rows) -> model`` over stratified folds of the
    labelled rows (as many folds as the rarest class allows, at most FOLDS); ``correct``:
    per labelled row (sorted), whether its held-out model got it right; ``proba``: the
    held-out model's class probabilities for it."""
    rows = np.array(sorted(given), dtype=int)
    y = np.array([given[i] for i in rows])
    folds = fold_count(y)
    if not folds:
        return {"accuracy": np.nan, "ece": np.nan, "folds": 0, "correct": None, "proba": None}
    correct, confidence, proba, _ = held_out(fit, x, rows, y, folds, seed, n_classes)
    ece = expected_calibration_error(correct, confidence)
    return {"accuracy": float(correct.mean()), "ece": ece, "folds": folds, "correct": correct,
            "proba": proba}  # fmt: skip


def paired_standard_error(a: np.ndarray, b: np.ndarray) -> float:
    """Standard error of mean(a - b) for per-row 0/1 outcomes on the same rows."""
    diff = a.astype(float) - b.astype(float)
    return float(diff.std(ddof=1) / np.sqrt(len(diff))) if len(diff) > 1 else 0.0


def one_standard_error_choice(table: pd.DataFrame, correct: list[np.ndarray | None]) -> int:
    """Row of ``table`` (candidates in their listed order) the one-standard-error rule
    picks; writes each candidate's paired standard error against the best into ``se``."""
    accuracy = table["accuracy"].to_numpy(dtype=float)
    if np.isnan(accuracy).all():
        table["se"] = np.nan
        return 0
    best = int(np.nanargmax(accuracy))
    reference = correct[best]
    table["se"] = [
        np.nan if c is None or reference is None else paired_standard_error(reference, c)
        for c in correct
    ]
    tied = accuracy >= accuracy[best] - table["se"].to_numpy(dtype=float)
    return int(np.flatnonzero(tied)[0])


def fold_count(y: np.ndarray) -> int:
    """As many folds as the rarest class present allows, at most FOLDS (0: too few)."""
    if len(y) == 0:
        return 0
    rarest = int(np.unique(y, return_counts=True)[1].min())
    folds = min(FOLDS, rarest)
    return folds if folds >= 2 else 0


def held_out(
    fit,
    x,
    rows,
    y,
    folds: int,
    seed: int,
    n_classes: int | None = None,
    extra: np.ndarray | None = None,
):
    """Per labelled row: whether the model trained without its fold got it right, that
    model's confidence, and its probability of every class (out-of-fold probabilities,
    ``n_classes`` columns: by default the largest label + 1); and, for ``extra`` rows
    (None: none), every fold model's probabilities (folds × rows × classes; else None)."""
    from sklearn.model_selection import StratifiedKFold

    n_classes = int(y.max()) + 1 if n_classes is None else n_classes
    proba = np.zeros((len(rows), n_classes))
    extra_confidence = []
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for train, held in splitter.split(rows, y):
        model = fit(rows[train])
        columns = np.asarray(model.classes_, dtype=int)
        proba[np.ix_(held, columns)] = class_probabilities(model, x[rows[held]])
        if extra is not None and len(extra):
            judged = np.zeros((len(extra), n_classes))
            judged[:, columns] = class_probabilities(model, x[extra])
            extra_confidence.append(judged)
    confidence = proba.max(axis=1)
    found = np.array(extra_confidence) if extra is not None else None
    return proba.argmax(axis=1) == y, confidence, proba, found


def threshold_for(correct: np.ndarray, confidence: np.ndarray, precision: float) -> float | None:
    """The lowest confidence above which held-out accuracy reaches ``precision`` (None if
    no threshold does)."""
    order = np.argsort(-confidence, kind="stable")
    hits = np.cumsum(correct[order]) / np.arange(1, len(order) + 1)
    reaching = np.flatnonzero(hits >= precision)
    return float(confidence[order][reaching.max()]) if len(reaching) else None


def choose_cell(
    candidates: list[tuple[str, str]],
    matrices: Mapping[str, np.ndarray],
    given: Mapping[int, int],
    fit_cell,
    seed: int,
    n_classes: int | None = None,
) -> tuple[tuple[str, str], pd.DataFrame, np.ndarray | None]:
    """The candidate the one-standard-error rule picks by cross-validated accuracy, every
    candidate's figures (accuracy, its standard error against the best, ECE) and the
    chosen one's out-of-fold probabilities (rows: the given images, sorted)."""
    y_full = np.full(len(next(iter(matrices.values()))), -1, dtype=np.int64)
    for i, k in given.items():
        y_full[i] = k
    rows, correct, proba = [], [], []
    for features, method in candidates:
        x = matrices[features]
        scores = cross_validated(
            lambda train, x=x, f=features, m=method: fit_cell(f, m, x, y_full, train),
            x,
            given,
            seed,
            n_classes,
        )
        correct.append(scores.pop("correct"))
        proba.append(scores.pop("proba"))
        rows.append({"features": features, "method": method, **scores})
    table = pd.DataFrame(rows)
    chosen = one_standard_error_choice(table, correct)
    table["chosen"] = np.arange(len(table)) == chosen
    cell = (str(table["features"].iloc[chosen]), str(table["method"].iloc[chosen]))
    return cell, table, proba[chosen]


def describe(table: pd.DataFrame) -> str:
    chosen = table[table["chosen"]].iloc[0]
    return (
        f"chose {chosen['features']} + {chosen['method']} by {int(chosen['folds'])}-fold "
        f"cross-validation on the given labels: estimated accuracy {chosen['accuracy']:.3f}, "
        f"ECE {chosen['ece']:.3f}"
    )
