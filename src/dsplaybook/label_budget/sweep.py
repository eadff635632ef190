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
from sklearn.metrics import accuracy_score, f1_score

from dsplaybook.errors import InputError
from dsplaybook.label_budget.methods import METHODS, make_classifier
from dsplaybook.label_budget.scores import confidences
from dsplaybook.label_budget.selection import SelectionSettings, pick_labels
from dsplaybook.label_budget.settings import SweepDraws


class SweepSettings(SweepDraws):
    """A cell's settings: the draws plus the seed, threads and its method's hyperparameters."""

    seed: int
    threads: int = 1
    hyperparameters: Mapping[str, Any] = Field(default_factory=dict)


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


def accept_threshold(confidence: np.ndarray, correct: np.ndarray, accuracy: float) -> float:
    """The lowest confidence above which the audit images' labels are at least
    ``accuracy`` correct (inf when no threshold is: nothing is accepted)."""
    order = np.argsort(-confidence, kind="stable")
    running = np.cumsum(correct[order]) / np.arange(1, len(order) + 1)
    ok = np.flatnonzero(running >= accuracy)
    return float(confidence[order][ok[-1]]) if len(ok) else float("inf")


def accept_columns(
    model,
    x_train: np.ndarray,
    y_train: np.ndarray,
    audit: np.ndarray,
    pool: np.ndarray,
    accuracies: tuple[float, ...],
) -> dict[str, float]:
    """accept_<pct>: the pool's share above the audit's threshold for that accuracy;
    accept_<pct>_accuracy: how right those accepted labels really are (NaN: none)."""
    audit_label, audit_confidence = confidences(model, x_train[audit])
    pool_label, pool_confidence = confidences(model, x_train[pool])
    out = {}
    for accuracy in accuracies:
        name = f"accept_{round(accuracy * 100)}"
        t = accept_threshold(audit_confidence, audit_label == y_train[audit], accuracy)
        accepted = pool_confidence >= t
        out[name] = float(accepted.mean()) if len(pool) else float("nan")
        right = pool_label[accepted] == y_train[pool][accepted]
        out[f"{name}_accuracy"] = float(right.mean()) if accepted.any() else float("nan")
    return out


def run_cell(
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    method: str,
    s: SweepSettings,
    selected: Mapping[tuple[int, int], tuple[int, np.ndarray]] | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> pd.DataFrame:
    """Every (budget, draw) of one method on one feature set: accuracy, macro-F1, the
    auto-accepted shares, fit time. ``selected`` holds the labelled rows per (budget,
    draw) (``read_selected``); without it, seeded random draws (``draw_labelled``)."""
    rows = []
    for budget in s.budgets:
        for draw in range(s.draws):
            if selected is None:
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
            predicted = model.predict(x_test)
            audit, accept_pool = audit_rows(
                len(x_train), labelled, s.audit_size, s.accept_pool, seed
            )
            rows.append(
                {
                    "budget": budget,
                    "draw": draw,
                    "seed": seed,
                    "accuracy": accuracy_score(y_test, predicted),
                    "macro_f1": f1_score(y_test, predicted, average="macro"),
                    **accept_columns(
                        model, x_train, y_train, audit, accept_pool, s.accept_accuracies
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


def summarise(sweep: pd.DataFrame) -> pd.DataFrame:
    """Mean ± sd per (dataset, selection, features, method, budget) of the accuracy, and
    the means of the auto-accepted shares (and their true accuracy)."""
    accept = {f"{c}_mean": (c, "mean") for c in _accept_names(sweep)}
    return (
        sweep.groupby([*KEYS, "budget"], sort=True)
        .agg(
            accuracy_mean=("accuracy", "mean"),
            accuracy_sd=("accuracy", "std"),
            macro_f1_mean=("macro_f1", "mean"),
            draws=("draw", "count"),
            **accept,
        )
        .reset_index()
    )


def labels_needed(summary: pd.DataFrame, goals: tuple[float, ...]) -> pd.DataFrame:
    """Per (dataset, selection) and goal: the labels its best cell needs to reach that mean
    test accuracy, interpolated on log budget between the swept budgets (NaN beyond the
    largest), with the smallest swept budget that reaches it and that cell."""
    rows = []
    best = best_per_budget(summary)
    for (dataset, selection), curve in best.groupby(["dataset", "selection"]):
        curve = curve.sort_values("budget")
        budgets, accuracy = curve["budget"].to_numpy(float), curve["accuracy_mean"].to_numpy()
        for goal in goals:
            reached = np.flatnonzero(accuracy >= goal)
            row = {"dataset": dataset, "selection": selection, "goal": goal}
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
    return pd.DataFrame(
        rows, columns=["dataset", "selection", "goal", "labels", "swept_budget", "cell"]
    )


def tidy_cells(cells: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cells -> (sweep: keys, accuracy, macro_f1, accepted shares; fit times), sorted by
    the keys. Fit times are wall-clock, so they stay out of the sweep table, which is
    byte-identical per config."""
    cells = cells.sort_values(CELL_KEYS).reset_index(drop=True)
    scores = [*CELL_KEYS, "accuracy", "macro_f1", *_accept_names(cells)]
    return cells[scores], cells[[*CELL_KEYS, "fit_seconds"]]


def best_per_budget(
    summary: pd.DataFrame, by: tuple[str, ...] = ("dataset", "selection")
) -> pd.DataFrame:
    """The best (features, method) cell at every budget (per dataset and selection), by
    mean accuracy (ties: the first cell in name order)."""
    keys = [k for k in by if k in summary.columns]
    ranked = summary.sort_values(
        ["accuracy_mean", "features", "method"], ascending=[False, True, True]
    )
    best = ranked.groupby([*keys, "budget"]).head(1)
    return best.sort_values([*keys, "budget"]).reset_index(drop=True)
