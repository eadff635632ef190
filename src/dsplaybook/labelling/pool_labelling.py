"""Label the whole unlabelled pool with the best method, with a confidence per image,
and measure on the test set how accuracy trades against coverage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dsplaybook.data.datasets import MnistStyle
from dsplaybook.errors import InputError
from dsplaybook.label_budget.calibration import platt_scaling
from dsplaybook.label_budget.methods import make_classifier
from dsplaybook.label_budget.scores import class_probabilities, confidences
from dsplaybook.label_budget.sweep import (
    best_per_budget,
    draw_labelled,
    draw_pool,
    draw_seed,
    fit_method,
    known_rows,
)
from dsplaybook.labelling.settings import PoolLabelling
from dsplaybook.represent.features import train_test_matrices


def best_cell(summary: pd.DataFrame, budget: int, metric: str = "accuracy") -> tuple[str, str]:
    """(features, method) with the highest mean ``metric`` at ``budget`` with random labels
    (the pool labelling's simulated labels are the sweep's random draw; ties: name order)."""
    at = summary[summary["budget"] == budget]
    if "selection" in at.columns:
        at = at[at["selection"] == "random"]
    if at.empty:
        raise ValueError(f"no sweep results at budget {budget}")
    best = best_per_budget(at, by=(), metric=metric).iloc[0]
    return str(best["features"]), str(best["method"])


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
):
    """Fit the chosen method. An SVM gets libsvm's Platt-scaled, pairwise-coupled
    probabilities here (see ``methods.platt_scaling``), because the softmax of its
    decision values is far from a calibrated confidence. ``fit_method`` gives the pool
    only to the semi-supervised methods."""
    if method == "svm":
        model = make_classifier("svm", seed, threads, hyperparameters, probability=True)
        with platt_scaling():
            return model.fit(x_train[labelled], y_train[labelled])
    return fit_method(method, x_train, y_train, labelled, pool, seed, threads, hyperparameters)


class LabellingSettings(PoolLabelling):
    """``labelling`` plus what it shares with the sweep (its unlabelled pool), the
    hyperparameters of every method, the seed and threads."""

    pool_size: int
    classifiers: Mapping[str, Mapping[str, Any]]
    seed: int
    threads: int = 1


@dataclass(frozen=True)
class PoolLabels:
    features: str
    method: str
    labels: pd.DataFrame  # image_index, predicted_class, class_name, confidence (, file)
    coverage: pd.DataFrame  # threshold, coverage, accuracy, accepted (test set; may be empty)
    test_accuracy: float
    proba: np.ndarray  # class probabilities of the rows of ``labels``


def chosen_cell(
    summary: pd.DataFrame | None, s: LabellingSettings, metric: str = "accuracy"
) -> tuple[str, str]:
    """The cell named in config, or the sweep's best by ``metric`` (``best`` with a sweep)."""
    if s.features not in ("best", "auto"):
        return s.features, s.method
    if summary is None:
        raise InputError(
            "labelling.features: best needs the label-budget sweep, which needs a labelled "
            "test set; use auto, or name labelling.features and labelling.method"
        )
    return best_cell(summary, s.budget, metric)


def chooses_by_cross_validation(summary: pd.DataFrame | None, s: PoolLabelling) -> bool:
    return s.features == "auto" or (s.features == "best" and summary is None)


def cell_fitter(s: LabellingSettings, seed: int):
    """``fit_cell(features, method, x, y_full, train_rows) -> model``: what cross-validation
    fits for each candidate (the pool labelling's own fit, its unlabelled pool drawn as the
    sweep draws it)."""

    def fit_cell(features, method, x, y_full, train):
        y = np.full(len(x), -1, dtype=np.int64)
        y[train] = y_full[train]
        pool = draw_pool(len(x), train, s.pool_size, seed)
        return fit_for_labelling(method, x, y, train, pool, seed, s.threads, s.classifiers[method])

    return fit_cell


def choose_on(
    matrices: Mapping[str, np.ndarray],
    given: Mapping[int, int],
    s: LabellingSettings,
    n_classes: int,
) -> tuple[tuple[str, str], pd.DataFrame, np.ndarray | None]:
    """``auto`` on the feature matrices at hand (training rows): the chosen cell, every
    candidate's figures and the chosen one's out-of-fold probabilities of ``given``'s
    images (sorted). The workflow and the label page's live model both call this."""
    from dsplaybook.labelling.model_choice import choose_cell

    candidates = [(c.features, c.method) for c in s.candidates if c.features in matrices]
    if not candidates:
        raise InputError("labelling.candidates: no candidate's features are built; add raw")
    fit_cell = cell_fitter(s, draw_seed(s.seed, len(given), 0))
    return choose_cell(candidates, matrices, given, fit_cell, s.seed, n_classes)


def candidate_matrices(
    data: MnistStyle, feature_files: Mapping[str, str | None], s: PoolLabelling
) -> dict[str, np.ndarray]:
    """The training rows of every candidate's features that are built (raw always is)."""
    built = {
        c.features for c in s.candidates if c.features == "raw" or feature_files.get(c.features)
    }
    return {f: train_test_matrices(data, feature_files.get(f))[0] for f in sorted(built)}


def cross_validated_cell(
    data: MnistStyle,
    feature_files: Mapping[str, str | None],
    given: Mapping[int, int],
    s: LabellingSettings,
) -> tuple[tuple[str, str], pd.DataFrame, np.ndarray | None]:
    """``auto``: the candidate cell with the best cross-validated accuracy on ``given``
    (see ``choose_on``)."""
    matrices = candidate_matrices(data, feature_files, s)
    return choose_on(matrices, given, s, len(data.class_names))


def out_of_fold(
    x_train: np.ndarray, given: Mapping[int, int], method: str, s: LabellingSettings, classes: int
) -> np.ndarray | None:
    """The held-out probabilities (``classes`` columns) of ``given``'s images (sorted)
    under ``method`` on the features ``x_train`` (None: too few labels of a class to
    cross-validate)."""
    from dsplaybook.labelling.model_choice import cross_validated

    y_full = np.full(len(x_train), -1, dtype=np.int64)
    for i, k in given.items():
        y_full[i] = k
    fit_cell = cell_fitter(s, draw_seed(s.seed, len(given), 0))
    scores = cross_validated(
        lambda train: fit_cell("", method, x_train, y_full, train), x_train, given, s.seed, classes
    )
    return scores["proba"]


def fit_on_given(x_train: np.ndarray, given: Mapping[int, int], method: str, s: LabellingSettings):
    """The chosen method trained on ``given`` (training row -> class), seeded as the
    sweep's first draw at this many labels."""
    labelled = np.array(sorted(given), dtype=int)
    y = np.full(len(x_train), -1, dtype=np.int64)
    y[labelled] = [given[i] for i in labelled]
    seed = draw_seed(s.seed, len(labelled), 0)
    pool = draw_pool(len(x_train), labelled, s.pool_size, seed)
    return fit_for_labelling(
        method, x_train, y, labelled, pool, seed, s.threads, s.classifiers[method]
    )


def simulated_labels(data: MnistStyle, s: LabellingSettings) -> dict[int, int]:
    """The sweep's first draw at ``s.budget``: the images a simulated person labels (among
    the rows whose label is known, as the sweep draws)."""
    known = known_rows(data.y_train)
    labelled = known[draw_labelled(len(known), s.budget, draw_seed(s.seed, s.budget, 0))]
    return dict(zip(labelled.tolist(), data.y_train[labelled].tolist(), strict=True))


def label_pool(
    data: MnistStyle,
    feature_files: Mapping[str, str | None],
    given: Mapping[int, int],
    features: str,
    method: str,
    s: LabellingSettings,
) -> PoolLabels:
    """Train ``features`` + ``method`` on the ``given`` labels (training row -> class) and
    label every other training image with a confidence. The same labels give the same
    result whichever path (simulated or human) they came from."""
    x_train, x_test = train_test_matrices(data, feature_files.get(features))
    labelled = np.array(sorted(given), dtype=int)
    if len(set(given.values())) < 2:
        raise InputError(
            f"labelling: {len(given)} labelled images of {len(set(given.values()))} class(es); "
            "label images of at least two classes first"
        )
    model = fit_on_given(x_train, given, method, s)
    unlabelled = np.setdiff1d(np.arange(len(x_train)), labelled)
    proba = np.zeros((len(unlabelled), len(data.class_names)))
    proba[:, np.asarray(model.classes_, dtype=int)] = class_probabilities(
        model, x_train[unlabelled]
    )
    predicted, confidence = proba.argmax(axis=1), proba.max(axis=1)
    labels = pd.DataFrame(
        {
            "image_index": unlabelled,
            "predicted_class": predicted,
            "class_name": np.array(data.class_names)[predicted],
            "confidence": np.round(confidence, 6),
        }
    )
    if data.files_train:
        labels["file"] = np.array(data.files_train)[unlabelled]
    coverage, accuracy = pd.DataFrame(), float("nan")
    if len(x_test):
        test_pred, test_conf = confidences(model, x_test)
        coverage = coverage_curve(data.y_test, test_pred, test_conf)
        coverage.insert(0, "method", method)
        coverage.insert(0, "features", features)
        accuracy = float((test_pred == data.y_test).mean())
    return PoolLabels(features, method, labels, coverage, accuracy, proba)
