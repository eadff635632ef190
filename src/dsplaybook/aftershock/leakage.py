"""A generic leakage audit for any table with a split column and a group column.

Checks, each with its number:
* train vs test score per model, flagging test above train (a classic sign that the
  test set is not independent of training);
* groups (e.g. earthquakes, patients) present on both sides of the split;
* exact and near-duplicate rows across the split;
* single features that predict the label almost perfectly (a leaked target);
* a repeated grouped re-split (seeded), giving each model's AUC distribution when no
  group straddles the split.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupShuffleSplit, cross_validate

log = logging.getLogger("dsplaybook")

# A model is any scikit-learn binary classifier that takes the audit table as X and picks
# its own columns; it is scored by decision_function or predict_proba, as roc_auc is.
Model = Any  # a fitted scikit-learn estimator (BaseEstimator)


class ColumnScore(ClassifierMixin, BaseEstimator):
    """One column of the table used directly as the score (nothing is fitted)."""

    def __init__(self, column: str = ""):
        self.column = column

    def fit(self, x: pd.DataFrame, y) -> ColumnScore:
        self.classes_ = np.unique(np.asarray(y))
        return self

    def decision_function(self, x: pd.DataFrame) -> np.ndarray:
        return x[self.column].to_numpy(float)

    def predict(self, x: pd.DataFrame) -> np.ndarray:
        return self.classes_[(self.decision_function(x) > 0).astype(int)]


@dataclass
class AuditResult:
    split_scores: pd.DataFrame  # model, train_auc, test_auc, inverted
    groups_on_both_sides: list[str]
    group_counts: dict[str, int]
    exact_duplicates: int
    near_duplicates: int
    leaky_features: pd.DataFrame  # feature, auc
    resplit_scores: pd.DataFrame  # model, resplit, train_auc, auc
    findings: list[str] = field(default_factory=list)
    test_scores: dict = field(default_factory=dict)  # model -> (labels, scores) on test

    @property
    def flags(self) -> list[str]:
        return [f for f in self.findings if f.startswith("FLAG")]


def auc(labels: np.ndarray, scores: np.ndarray) -> float:
    if len(np.unique(labels)) < 2:
        return float("nan")
    return float(roc_auc_score(labels, scores))


def positive_scores(model: Model, frame: pd.DataFrame) -> np.ndarray:
    """Scores for the positive class, chosen as scikit-learn's roc_auc scorer does."""
    if hasattr(model, "decision_function"):
        return np.asarray(model.decision_function(frame), dtype=float)
    return np.asarray(model.predict_proba(frame))[:, 1]


def split_scores(
    table: pd.DataFrame,
    label: str,
    split: str,
    models: dict[str, Model],
    margin: float,
    informative: float = 0.6,
    keep: dict | None = None,
) -> pd.DataFrame:
    """Train and test AUC per model; ``inverted`` when an informative model (train AUC of
    at least ``informative``) scores more than ``margin`` higher on the test set."""
    train, test = table[table[split] == "train"], table[table[split] == "test"]
    rows = []
    for name, model in models.items():
        fitted = clone(model).fit(train, train[label].to_numpy())
        test_scores = positive_scores(fitted, test)
        tr, te = (
            auc(train[label].to_numpy(), positive_scores(fitted, train)),
            auc(test[label].to_numpy(), test_scores),
        )
        if keep is not None:
            keep[name] = (test[label].to_numpy(), test_scores)
        inverted = bool(te > tr + margin and tr >= informative)
        log.info("study split: %s train AUC %.3f, test AUC %.3f", name, tr, te)
        rows.append({"model": name, "train_auc": tr, "test_auc": te, "inverted": inverted})
    return pd.DataFrame(rows)


def groups_across_split(table: pd.DataFrame, split: str, group: str) -> list[str]:
    sides = table.groupby(group)[split].nunique()
    return sorted(map(str, sides[sides > 1].index))


def duplicates_across_split(
    table: pd.DataFrame, split: str, columns: Sequence[str], significant: int
) -> tuple[int, int]:
    """Test rows whose ``columns`` equal a training row exactly, and after rounding every
    value to ``significant`` significant digits (near-duplicates)."""
    values = table[list(columns)].to_numpy(float)
    is_test = (table[split] == "test").to_numpy()

    def count(keys: np.ndarray) -> int:
        rows = pd.Series(list(map(bytes, np.ascontiguousarray(keys))), index=table.index)
        train_keys = set(rows[~is_test])
        return int(rows[is_test].isin(train_keys).sum())

    exact = count(values)
    magnitude = np.floor(np.log10(np.abs(np.where(values == 0, 1.0, values))))
    step = 10.0 ** (magnitude - significant + 1)
    near = count(np.round(values / step) * step)
    return exact, near


def leaky_features(
    table: pd.DataFrame, label: str, features: Sequence[str], threshold: float
) -> pd.DataFrame:
    y = table[label].to_numpy()
    rows = []
    for feature in features:
        a = auc(y, table[feature].to_numpy(float))
        rows.append({"feature": feature, "auc": max(a, 1 - a)})
    frame = pd.DataFrame(rows).sort_values("auc", ascending=False)
    return frame[frame["auc"] >= threshold].reset_index(drop=True)


def grouped_resplits(
    table: pd.DataFrame,
    label: str,
    group: str,
    models: dict[str, Model],
    n_splits: int,
    test_size: float,
    seed: int,
) -> pd.DataFrame:
    """Train and test AUC of each model over seeded splits that keep groups apart."""
    splitter = GroupShuffleSplit(n_splits=n_splits, test_size=test_size, random_state=seed)
    frames = []
    for name, model in models.items():
        scores = cross_validate(
            model,
            table,
            table[label].to_numpy(),
            groups=table[group],
            cv=splitter,
            scoring="roc_auc",
            return_train_score=True,
            error_score=np.nan,  # a split with one class on a side has no AUC
        )
        log.info(
            "%d grouped re-splits: %s AUC %.3f", n_splits, name, np.nanmean(scores["test_score"])
        )
        frames.append(
            pd.DataFrame(
                {
                    "model": name,
                    "resplit": range(n_splits),
                    "train_auc": scores["train_score"],
                    "auc": scores["test_score"],
                }
            )
        )
    rows = pd.concat(frames, ignore_index=True)
    return rows.sort_values(["resplit"], kind="stable").reset_index(drop=True)


SHIFT_MARGIN = 0.02  # a test set this much (in AUC) below the re-splits is a shift, at least


def run_audit(
    table: pd.DataFrame,
    *,
    label: str,
    split: str,
    group: str,
    features: Sequence[str],
    duplicate_columns: Sequence[str],
    models: dict[str, Model],
    n_resplits: int = 10,
    test_size: float = 0.2,
    seed: int = 0,
    inversion_margin: float = 0.005,
    leak_threshold: float = 0.98,
    near_significant: int = 3,
    informative_auc: float = 0.6,
    inversion_sd: float = 1.0,
    perfect_auc: float | None = None,
    report_shift: bool = False,
) -> AuditResult:
    """Run every check; ``findings`` are plain sentences, flags start with 'FLAG'.
    ``perfect_auc`` also flags a model at least that good on the test set (columns that
    together restate the label); ``report_shift`` notes a test set much harder than the
    re-splits (below their mean by ``inversion_sd`` sd and at least ``SHIFT_MARGIN``)."""
    missing = [c for c in (label, split, group, *features) if c not in table.columns]
    if missing:
        raise ValueError(f"audit: column {missing[0]!r} is not in the table")
    kept: dict = {}
    scores = split_scores(table, label, split, models, inversion_margin, informative_auc, kept)
    both = groups_across_split(table, split, group)
    exact, near = duplicates_across_split(table, split, duplicate_columns, near_significant)
    leaks = leaky_features(table, label, features, leak_threshold)
    resplits = grouped_resplits(table, label, group, models, n_resplits, test_size, seed)
    scores["inverted"] = _unusual_inversions(scores, resplits, inversion_sd)
    result = AuditResult(
        split_scores=scores,
        groups_on_both_sides=both,
        group_counts={"total": int(table[group].nunique())},
        exact_duplicates=exact,
        near_duplicates=near,
        leaky_features=leaks,
        resplit_scores=resplits,
        test_scores=kept,
    )
    result.findings = _findings(
        result, table, split, group, n_resplits, inversion_sd, perfect_auc, report_shift
    )
    return result


def _findings(
    r: AuditResult,
    table: pd.DataFrame,
    split: str,
    group: str,
    n_resplits: int,
    inversion_sd: float = 1.0,
    perfect_auc: float | None = None,
    report_shift: bool = False,
) -> list[str]:
    out = []
    for row in r.split_scores.itertuples():
        if row.inverted:
            out.append(
                f"FLAG train/test inversion: {row.model} scores AUC {row.test_auc:.3f} on the test "
                f"set but only {row.train_auc:.3f} on its own training set, a wider gap than the "
                f"grouped re-splits show (mean + {inversion_sd:g} sd); a test set easier than "
                "the training data usually shares information with it."
            )
    if r.groups_on_both_sides:
        n_rows = int(table[group].isin(r.groups_on_both_sides).sum())
        out.append(
            f"FLAG group overlap: {len(r.groups_on_both_sides)} of {r.group_counts['total']} "
            f"{group} groups ({n_rows} rows) sit on both sides of the split: "
            f"{', '.join(r.groups_on_both_sides[:8])}"
            f"{' …' if len(r.groups_on_both_sides) > 8 else ''}."
        )
    n_test = int((table[split] == "test").sum())
    if r.exact_duplicates:
        out.append(
            f"FLAG exact duplicates: {r.exact_duplicates} of {n_test} test rows also "
            "appear in the training set."
        )
    if r.near_duplicates > r.exact_duplicates:
        out.append(
            f"FLAG near-duplicates: {r.near_duplicates} of {n_test} test rows match a "
            "training row after rounding."
        )
    for row in r.leaky_features.itertuples():
        out.append(f"FLAG leaked feature: {row.feature} alone reaches AUC {row.auc:.3f}.")
    for row in r.split_scores.itertuples():
        if perfect_auc is not None and row.test_auc >= perfect_auc:
            out.append(
                f"FLAG near-perfect model: {row.model} reaches AUC {row.test_auc:.4f} on the "
                "test rows; check that no columns together restate the label (other labels, "
                "outcomes recorded after the fact)."
            )
    if not r.resplit_scores.empty:
        summary = r.resplit_scores.groupby("model")["auc"].agg(["mean", "std"])
        for row in r.split_scores.itertuples():
            m = summary.loc[row.model]
            out.append(
                f"{row.model}: AUC {row.test_auc:.3f} on the original split, "
                f"{m['mean']:.3f} ± {m['std']:.3f} over {n_resplits} grouped re-splits."
            )
        for row in r.split_scores.itertuples():
            mean, sd = summary.loc[row.model]
            if report_shift and row.test_auc < mean - max(inversion_sd * sd, SHIFT_MARGIN):
                out.append(
                    f"NOTE shift: {row.model} reaches AUC {row.test_auc:.3f} on the test rows "
                    f"but {mean:.3f} ± {sd:.3f} on re-splits of the same rows: the test rows "
                    "differ from the training rows (new kinds, later times, other sites), "
                    "which no re-split shows. Not a leak; expect the test figure, not the "
                    "re-split one, in use."
                )
    if not any(f.startswith("FLAG") for f in out):
        out.insert(0, "No leakage found: every check passed.")
    return out


def _unusual_inversions(scores: pd.DataFrame, resplits: pd.DataFrame, k_sd: float) -> list[bool]:
    """Keep an inversion only if the original split's test-minus-train gap is larger than
    the gaps of the grouped re-splits (their mean + ``k_sd`` sd). Test above train happens by chance
    when groups differ in how predictable they are; what points to leakage is a gap that
    splits which keep groups apart do not produce."""
    gaps = (resplits["auc"] - resplits["train_auc"]).groupby(resplits["model"])
    flags = []
    for row in scores.itertuples():
        if not row.inverted or row.model not in gaps.groups or gaps.get_group(row.model).size < 2:
            flags.append(bool(row.inverted))
            continue
        g = gaps.get_group(row.model)
        flags.append(bool(row.test_auc - row.train_auc > g.mean() + k_sd * g.std()))
    return flags


def model_selection_table(
    table: pd.DataFrame,
    *,
    label: str,
    split: str,
    group: str,
    candidates: dict[str, tuple[dict, Model]],
    n_splits: int,
    test_size: float,
    seed: int,
) -> pd.DataFrame:
    """Each candidate's AUC on the original test set and over grouped re-splits: a leaky
    split can pick a different 'best' model than a grouped one."""
    models = {name: model for name, (_, model) in candidates.items()}
    original = split_scores(table, label, split, models, margin=0.0).set_index("model")
    grouped = grouped_resplits(table, label, group, models, n_splits, test_size, seed)
    grouped = grouped.groupby("model")["auc"].agg(["mean", "std"])
    rows = []
    for name, (params, _) in candidates.items():
        rows.append(
            {
                "candidate": name,
                "parameters": " ".join(f"{k}={v}" for k, v in params.items()),
                "original_test_auc": original.loc[name, "test_auc"],
                "grouped_auc_mean": grouped.loc[name, "mean"],
                "grouped_auc_sd": grouped.loc[name, "std"],
            }
        )
    return pd.DataFrame(rows)
