"""The label-budget sweep: how much accuracy each extra label buys, by how the labelled
images are chosen.

For each selection, budget and draw, the same chosen images (``selected/<selection>.csv``,
from ``label_budget.selection``) are "labelled" for every feature set and method (a
paired comparison). Supervised methods see only those; semi-supervised ones also see a
seeded sample of the unlabelled training pool. All are scored on the dataset's official
test set. Each fit is also audited the way a person would check it: ``audit_size`` other
training images (labelled for the audit only) choose the confidence above which the
model's labels reach each ``accept_accuracies``; the share of an unlabelled pool sample
above it is what could be auto-accepted (its true accuracy is reported beside it).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from pydantic import Field
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    balanced_accuracy_score,
    f1_score,
    precision_recall_curve,
)

from dsplaybook.errors import InputError
from dsplaybook.label_budget.methods import METHODS, make_classifier
from dsplaybook.label_budget.scores import class_scores, confidences, predictions_and_scores
from dsplaybook.label_budget.selection import SelectionSettings, pick_labels
from dsplaybook.label_budget.settings import SweepDraws


class SweepSettings(SweepDraws):
    """A cell's settings: the draws plus the seed, threads and its method's hyperparameters."""

    seed: int
    threads: int = 1
    hyperparameters: Mapping[str, Any] = Field(default_factory=dict)
    precision: float = Field(0.9, gt=0, lt=1)  # recall_at_precision's precision
    all_labels: bool = False  # add a fit on every training label (budget = all of them)


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
    hyperparameters=None,
):
    """Fit on the ``labelled`` training images, plus for semi-supervised methods the
    unlabelled ``pool`` (label -1), or every unlabelled training image for a method that
    uses the whole pool (in training-set order, so its graph is built once per cell)."""
    if len(np.unique(y_train[labelled])) < 2:
        # every label drawn is one class (a rare class not met yet): no method can tell
        # classes apart, so the cell scores what a constant answer scores
        from sklearn.dummy import DummyClassifier

        return DummyClassifier(strategy="most_frequent").fit(x_train[labelled], y_train[labelled])
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


def selected_table(
    strategy: str,
    z_train: np.ndarray,
    oracle: Callable[[np.ndarray], np.ndarray],
    budgets: tuple[int, ...],
    draws: int,
    seed: int,
    s: SelectionSettings,
    context: Mapping[str, Any] | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> pd.DataFrame:
    """selected/<strategy>.csv: the training rows labelled at every (budget, draw), chosen
    on the training matrix ``z_train`` alone, labels asked of ``oracle`` (random = today's
    paired draws, ``draw_labelled``)."""
    rows = []
    for budget in budgets:
        if budget > len(z_train):
            draw_labelled(len(z_train), budget, 0)  # the one-line error
        for draw in range(draws):
            cell_seed = draw_seed(seed, budget, draw)
            started = time.perf_counter()
            known = pick_labels(
                strategy, z_train, budget, cell_seed, s, oracle, dict(context or {})
            )
            progress(
                f"{strategy} budget {budget} draw {draw}: {len(known.rows)} images, "
                f"{len(np.unique(known.classes))} classes, {time.perf_counter() - started:.1f} s"
            )
            rows += [
                {"budget": budget, "draw": draw, "seed": cell_seed, "image_index": int(i)}
                for i in np.sort(known.rows)
            ]
    return pd.DataFrame(rows, columns=["budget", "draw", "seed", "image_index"])


def read_selected(path: str, n_train: int) -> dict[tuple[int, int], tuple[int, np.ndarray]]:
    """selected/<strategy>.csv -> {(budget, draw): (seed, labelled rows)}."""
    table = pd.read_csv(path)
    missing = [c for c in ("budget", "draw", "seed", "image_index") if c not in table.columns]
    if missing:
        raise InputError(f"{path}: column {missing[0]!r} is missing; delete it and re-run")
    if len(table) and not table["image_index"].between(0, n_train - 1).all():
        raise InputError(f"{path}: image_index outside the training set; delete it and re-run")
    return {
        (int(b), int(d)): (int(group["seed"].iloc[0]), group["image_index"].to_numpy(dtype=int))
        for (b, d), group in table.groupby(["budget", "draw"])
    }


def audit_rows(
    n_train: int, labelled: np.ndarray, audit_size: int, accept_pool: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Disjoint seeded samples of the unlabelled training rows: the audit set (labelled
    by a person for the audit only) and the pool sample whose accepted share is reported."""
    rest = np.random.default_rng(seed + 2).permutation(np.setdiff1d(np.arange(n_train), labelled))
    audit = np.sort(rest[:audit_size])
    return audit, np.sort(rest[audit_size : audit_size + accept_pool])


def accept_threshold(
    confidence: np.ndarray,
    correct: np.ndarray,
    accuracy: float,
    level: float = 0.95,
    candidates: int = 20,
) -> float:
    """The lowest confidence above which the audit shows, with one-sided confidence
    ``level``, that at least ``accuracy`` of the labels are right (inf: no threshold does,
    nothing is accepted).

    The audited share above a threshold is only an estimate: taking the lowest threshold
    whose *observed* share reaches 99% accepted labels that were 98.2-99.2% right on fresh
    images. Here each of ``candidates`` thresholds (at evenly spaced ranks of the audit's
    confidences) is tested with the Clopper-Pearson lower bound at 1 - (1 - level) /
    candidates (Bonferroni), so with probability ``level`` every passing threshold, the
    chosen one included, keeps its promise."""
    from scipy.stats import beta

    n = len(confidence)
    if n == 0:
        return float("inf")
    ordered = np.sort(confidence)[::-1]
    cut = ordered[np.unique(np.linspace(n / candidates, n, candidates).round().astype(int)) - 1]
    # ties: a threshold accepts every audit image at or above it
    size = n - np.searchsorted(np.sort(confidence), cut, side="left")
    right = np.array([int(correct[confidence >= t].sum()) for t in cut])
    alpha = (1 - level) / len(cut)
    with np.errstate(invalid="ignore"):
        lower = np.nan_to_num(beta.ppf(alpha, right, size - right + 1), nan=0.0)
    ok = np.flatnonzero(lower >= accuracy)
    return float(cut[ok[-1]]) if len(ok) else float("inf")


def accept_columns(
    model,
    x_train: np.ndarray,
    y_train: np.ndarray,
    audit: np.ndarray,
    pool: np.ndarray,
    accuracies: tuple[float, ...],
    level: float = 0.95,
    candidates: int = 20,
) -> dict[str, float]:
    """accept_<pct>: the pool's share above the audit's threshold for that accuracy
    (:func:`accept_threshold`);
    accept_<pct>_accuracy: how right those accepted labels really are (NaN: none)."""
    if not len(audit) or not len(pool):  # every row labelled: nothing left to accept
        return {
            f"accept_{round(a * 100)}{suffix}": float("nan")
            for a in accuracies
            for suffix in ("", "_accuracy")
        }
    audit_label, audit_confidence = confidences(model, x_train[audit])
    pool_label, pool_confidence = confidences(model, x_train[pool])
    out = {}
    for accuracy in accuracies:
        name = f"accept_{round(accuracy * 100)}"
        right = audit_label == y_train[audit]
        t = accept_threshold(audit_confidence, right, accuracy, level, candidates)
        accepted = pool_confidence >= t
        out[name] = float(accepted.mean()) if len(pool) else float("nan")
        right = pool_label[accepted] == y_train[pool][accepted]
        out[f"{name}_accuracy"] = float(right.mean()) if accepted.any() else float("nan")
    return out


def known_rows(y_train: np.ndarray) -> np.ndarray:
    """The training rows the sweep may draw labels from: those whose label is known (a
    table may leave some empty; the simulated person can only reveal known ones)."""
    return np.flatnonzero(y_train >= 0)


def all_class_scores(
    model, x: np.ndarray, n_classes: int, scores: np.ndarray | None = None
) -> np.ndarray:
    """Per-class scores with one column per class of the dataset (a class the labels never
    showed scores lowest everywhere); ``scores``: the model's, if already computed."""
    scores = class_scores(model, x) if scores is None else scores
    # label spreading leaves NaN where no labelled neighbour reaches a row: no evidence
    scores = np.nan_to_num(scores, nan=0.0)
    out = np.full((len(x), n_classes), np.min(scores) - 1.0 if scores.size else 0.0)
    out[:, np.asarray(model.classes_, dtype=int)] = scores
    return out


def recall_at_precision(truth: np.ndarray, score: np.ndarray, precision: float) -> float:
    """The largest recall of the positives at which the precision is at least
    ``precision`` (0 when no threshold reaches it)."""
    if not truth.any():
        return float("nan")
    p, r, _ = precision_recall_curve(truth, score)
    reached = r[p >= precision]
    return float(reached.max()) if len(reached) else 0.0


def ranking_scores(scores: np.ndarray, y_test: np.ndarray, precision: float) -> dict[str, float]:
    """average_precision and recall_at_precision: of the positive (last) class for two
    classes, averaged over the classes (one vs rest) for more."""
    n = scores.shape[1]
    classes = [n - 1] if n == 2 else [c for c in range(n) if (y_test == c).any()]
    ap = [average_precision_score(y_test == c, scores[:, c]) for c in classes]
    rp = [recall_at_precision(y_test == c, scores[:, c], precision) for c in classes]
    return {"average_precision": float(np.mean(ap)), "recall_at_precision": float(np.mean(rp))}


def scores_on_test(model, x_test, y_test, n_classes: int, precision: float) -> dict[str, float]:
    """Every score of a fitted model on the test set (the rare-class ones too)."""
    predicted, scores = predictions_and_scores(model, x_test)
    return {
        "accuracy": accuracy_score(y_test, predicted),
        "balanced_accuracy": balanced_accuracy_score(y_test, predicted),
        "macro_f1": f1_score(y_test, predicted, average="macro"),
        **ranking_scores(all_class_scores(model, x_test, n_classes, scores), y_test, precision),
    }


def run_cell(
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    method: str,
    s: SweepSettings,
    selected: Mapping[tuple[int, int], tuple[int, np.ndarray]] | None = None,
    progress: Callable[[str], None] = lambda _: None,
    n_classes: int | None = None,
) -> pd.DataFrame:
    """Every (budget, draw) of one method on one feature set: accuracy, balanced accuracy,
    macro-F1, average precision, recall at ``s.precision``, the auto-accepted shares, fit
    time. ``selected`` holds the labelled rows per (budget, draw) (``read_selected``);
    without it, seeded random draws (``draw_labelled``). ``s.all_labels`` adds one fit on
    every training label (budget = their number, draw 0; no audit: no row is left)."""
    n_classes = n_classes or int(max(y_train.max(), y_test.max())) + 1
    rows = []
    plan = [(budget, draw) for budget in s.budgets for draw in range(s.draws)]
    if s.all_labels:
        plan.append((len(x_train), 0))
    for budget, draw in plan:
        if budget == len(x_train):
            seed, labelled = draw_seed(s.seed, budget, draw), np.arange(len(x_train))
        elif selected is None:
            seed = draw_seed(s.seed, budget, draw)
            labelled = draw_labelled(len(x_train), budget, seed)
        else:
            if (budget, draw) not in selected:
                raise InputError(
                    f"label_budget: no selected images for budget {budget} draw {draw}; "
                    "re-run select_labels"
                )
            seed, labelled = selected[budget, draw]
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
        audit, accept_pool = audit_rows(len(x_train), labelled, s.audit_size, s.accept_pool, seed)
        rows.append(
            {
                "budget": budget,
                "draw": draw,
                "seed": seed,
                **scores_on_test(model, x_test, y_test, n_classes, s.precision),
                **accept_columns(
                    model,
                    x_train,
                    y_train,
                    audit,
                    accept_pool,
                    s.accept_accuracies,
                    s.accept_level,
                    s.accept_candidates,
                ),
                "fit_seconds": fit_seconds,
            }
        )
        progress(f"{method} budget {budget} draw {draw}: accuracy {rows[-1]['accuracy']:.4f}")
    return pd.DataFrame(rows)


KEYS = ["dataset", "selection", "features", "method"]
CELL_KEYS = [*KEYS, "budget", "draw", "seed"]


def _accept_names(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c.startswith("accept_")]


SCORES = (
    "accuracy",
    "balanced_accuracy",
    "macro_f1",
    "average_precision",
    "recall_at_precision",
)


def _scores(table: pd.DataFrame) -> list[str]:
    return [c for c in SCORES if c in table.columns]  # cells of older releases: accuracy, F1


def summarise(sweep: pd.DataFrame) -> pd.DataFrame:
    """Mean ± sd per (dataset, selection, features, method, budget) of every score, and
    the means of the auto-accepted shares (and their true accuracy)."""
    scores = {
        f"{c}_{stat}": (c, "mean" if stat == "mean" else "std")
        for c in _scores(sweep)
        for stat in ("mean", "sd")
    }
    accept = {f"{c}_mean": (c, "mean") for c in _accept_names(sweep)}
    return (
        sweep.groupby([*KEYS, "budget"], sort=True)
        .agg(**scores, draws=("draw", "count"), **accept)
        .reset_index()
    )


def reference_goals(summary: pd.DataFrame, shares: tuple[float, ...], metric: str) -> dict:
    """Goals as shares of the all-labels figure: the best cell's mean ``metric`` at the
    largest budget (the fit on every training label, ``SweepSettings.all_labels``)."""
    column = f"{metric}_mean"
    top = summary[summary["budget"] == summary["budget"].max()]
    reference = float(top[column].max())
    return {share * reference: f"{share:g} × all labels ({reference:.4f})" for share in shares}


def labels_needed(
    summary: pd.DataFrame,
    goals: tuple[float, ...],
    metric: str = "accuracy",
    reference_shares: tuple[float, ...] = (),
) -> pd.DataFrame:
    """Per (dataset, selection) and goal: the labels its best cell needs to reach that mean
    test ``metric``, interpolated on log budget between the swept budgets (NaN beyond the
    largest), with the smallest swept budget that reaches it and that cell. With
    ``reference_shares`` the goals are those shares of the all-labels figure (the largest
    budget: every training label), which is then left out of the curves searched."""
    rows = []
    named = {goal: f"{goal:g}" for goal in goals}
    if reference_shares:
        named = reference_goals(summary, reference_shares, metric)
        summary = summary[summary["budget"] < summary["budget"].max()]
    best = best_per_budget(summary, metric=metric)
    for (dataset, selection), curve in best.groupby(["dataset", "selection"]):
        curve = curve.sort_values("budget")
        budgets, accuracy = curve["budget"].to_numpy(float), curve[f"{metric}_mean"].to_numpy()
        for goal in named:
            reached = np.flatnonzero(accuracy >= goal)
            row = {"dataset": dataset, "selection": selection, "goal": goal,
                   "metric": metric, "goal_is": named[goal]}  # fmt: skip
            if not len(reached):
                rows.append({**row, "labels": np.nan, "swept_budget": np.nan, "cell": ""})
                continue
            i = reached[0]
            labels = budgets[i]
            if i > 0 and accuracy[i - 1] < goal:  # log-linear between the two budgets
                share = (goal - accuracy[i - 1]) / (accuracy[i] - accuracy[i - 1])
                labels = np.exp(
                    np.log(budgets[i - 1]) + share * np.log(budgets[i] / budgets[i - 1])
                )
            cell = curve.iloc[i]
            rows.append(
                {
                    **row,
                    "labels": round(float(labels)),
                    "swept_budget": int(budgets[i]),
                    "cell": f"{cell['features']} + {cell['method']}",
                }
            )
    columns = ["dataset", "selection", "goal", "labels", "swept_budget", "cell", "metric"]
    return pd.DataFrame(rows, columns=[*columns, "goal_is"])


def tidy_cells(cells: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cells -> (sweep: keys, accuracy, macro_f1, accepted shares; fit times), sorted by
    the keys. Fit times are wall-clock, so they stay out of the sweep table, which is
    byte-identical per config."""
    cells = cells.sort_values(CELL_KEYS).reset_index(drop=True)
    scores = [*CELL_KEYS, *_scores(cells), *_accept_names(cells)]
    return cells[scores], cells[[*CELL_KEYS, "fit_seconds"]]


def mark_best(summary: pd.DataFrame, metric: str = "accuracy") -> pd.DataFrame:
    """``summary`` with two 0/1 columns saying which cell is best by mean ``metric`` at
    its budget: ``best_in_selection`` among the cells of its selection,
    ``best_at_budget`` among every selection's cells (per dataset; ties: the first in
    name order, as ``best_per_budget``)."""
    out = summary.copy()
    for column, by in (
        ("best_in_selection", ("dataset", "selection")),
        ("best_at_budget", ("dataset",)),
    ):
        best = best_per_budget(summary, by=by, metric=metric)
        keys = [*[k for k in by if k in summary.columns], "budget", "features", "method"]
        keys += [] if "selection" in by else ["selection"]
        chosen = set(best[keys].itertuples(index=False, name=None))
        out[column] = [int(t in chosen) for t in summary[keys].itertuples(index=False, name=None)]
    return out


def best_per_budget(
    summary: pd.DataFrame,
    by: tuple[str, ...] = ("dataset", "selection"),
    metric: str = "accuracy",
) -> pd.DataFrame:
    """The best (features, method) cell at every budget (per dataset and selection), by
    mean ``metric`` (ties: the first cell in name order)."""
    keys = [k for k in by if k in summary.columns]
    ranked = summary.sort_values(
        [f"{metric}_mean", "features", "method"], ascending=[False, True, True]
    )
    best = ranked.groupby([*keys, "budget"]).head(1)
    return best.sort_values([*keys, "budget"]).reset_index(drop=True)
