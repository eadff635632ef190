"""Learning-curve pictures: accuracy vs labels (log x), mean ± sd band per (features,
method) with random labels, and per selection (its best cell), with the pool's
auto-accepted shares."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from matplotlib.ticker import ScalarFormatter

from dsplaybook.plots import plt, save_figure

# Reference points quoted in the product brief (Fashion-MNIST), drawn for comparison.
REFERENCES = {
    "fashion_mnist": [
        ("SVM raw (ref.)", [(100, 0.44)]),
        ("AE + SVM (ref.)", [(100, 0.59), (1000, 0.78)]),
        ("RF (ref.)", [(1000, 0.80)]),
        ("CVAE + SVM (ref.)", [(500, 0.80)]),
    ]
}

# Accuracy the project aims for on Fashion-MNIST (issue 15), drawn as targets.
TARGETS = {"fashion_mnist": [(100, 0.76), (500, 0.84), (1000, 0.85), (2000, 0.87)]}
# ... and with chosen labels (issue 26)
CHOSEN_TARGETS = {"fashion_mnist": [(100, 0.80), (500, 0.86), (1000, 0.875), (2000, 0.89)]}
# Anchors: graphlearning's ResultsFromPaper (transductive, VAE features, 100 trials) and
# Zalando's benchmark table (crowd-sourced human accuracy; HOG + SVM on all 60,000 labels)
ANCHORS = {
    "fashion_mnist": [("Poisson-MBO (paper)", [(100, 0.761)]), ("Laplace (paper)", [(1600, 0.823)])]
}
LEVELS = {"fashion_mnist": [("crowd (Zalando)", 0.835), ("HOG + SVM, 60k labels", 0.926)]}


def _with_curve_names(summary: pd.DataFrame) -> pd.DataFrame:
    if "selection" in summary.columns:  # this picture: random labels, every cell
        summary = summary[summary["selection"] == "random"]
    return summary.assign(curve=summary["features"] + " + " + summary["method"])


def curves_to_draw(summary: pd.DataFrame, top: int = 8, metric: str = "accuracy") -> list[str]:
    """The ``top`` best (features + method) curves at the largest budget, plus the best at
    every other budget, so the winner at 100 labels is never left off the picture."""
    summary = _with_curve_names(summary)
    largest = summary[summary["budget"] == summary["budget"].max()]
    curves = list(largest.sort_values(f"{metric}_mean", ascending=False)["curve"][:top])
    for _, at_budget in summary.groupby("budget"):
        best = at_budget.sort_values([f"{metric}_mean", "curve"], ascending=[False, True])
        if best["curve"].iloc[0] not in curves:
            curves.append(best["curve"].iloc[0])
    return curves


def plot_learning_curves(
    summary: pd.DataFrame,
    dataset: str,
    png: str | Path,
    svg: str | Path,
    top: int = 8,
    metric: str = "accuracy",
) -> None:
    """One line per (features, method) of ``curves_to_draw``, mean ± sd band."""
    curves = curves_to_draw(summary, top, metric)
    summary = _with_curve_names(summary)
    fig, ax = plt.subplots(figsize=(8, 5.5))
    cmap = plt.get_cmap("tab10")
    for i, curve in enumerate(curves):
        rows = summary[summary["curve"] == curve].sort_values("budget")
        sd, mean = rows[f"{metric}_sd"].fillna(0), rows[f"{metric}_mean"]
        ax.plot(rows["budget"], mean, "o-", color=cmap(i % 10), label=curve, ms=4)
        ax.fill_between(
            rows["budget"],
            mean - sd,
            mean + sd,
            color=cmap(i % 10),
            alpha=0.15,
        )
    for name, points in REFERENCES.get(dataset, []):
        xs, ys = zip(*points, strict=True)
        ax.plot(xs, ys, "k", marker="x", ls=":", lw=0.8, ms=7, alpha=0.6)
        ax.annotate(name, (xs[-1], ys[-1]), xytext=(4, -10), textcoords="offset points", fontsize=7)
    targets = TARGETS.get(dataset, [])
    if targets:
        xs, ys = zip(*targets, strict=True)
        ax.plot(xs, ys, ls="none", marker="_", ms=18, mew=2, color="crimson", label="target")
    ax.set_xscale("log")
    ax.set_xticks(sorted(summary["budget"].unique()))
    ax.get_xaxis().set_major_formatter(ScalarFormatter())
    name = metric.replace("_", " ")
    ax.set_xlabel("labelled training rows" if metric != "accuracy" else "labelled training images")
    ax.set_ylabel(f"test {name} (mean ± sd over draws)")
    ax.set_title(
        f"{dataset}: {name} vs labels (best {len(curves)} of {summary['curve'].nunique()})"
    )
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    save_figure(fig, png, svg)


def _band(ax, x, mean, sd, colour, label, style="o-") -> None:
    ax.plot(x, mean, style, color=colour, label=label, ms=4)
    ax.fill_between(x, mean - sd, mean + sd, color=colour, alpha=0.15)


def plot_selections(
    summary: pd.DataFrame, dataset: str, png: str | Path, metric: str = "accuracy"
) -> None:
    """Left: each selection's best cell per budget, mean ± sd, with the targets and the
    anchors. Right: the share of the unlabelled pool accepted at each audited accuracy."""
    from dsplaybook.label_budget.sweep import best_per_budget

    best = best_per_budget(summary, metric=metric)
    accept = sorted(
        c
        for c in summary.columns
        if c.startswith("accept_") and c.endswith("_mean") and "accuracy" not in c
    )
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5.5))
    cmap = plt.get_cmap("tab10")
    for i, (selection, rows) in enumerate(best.groupby("selection", sort=False)):
        rows = rows.sort_values("budget")
        colour = cmap(i % 10)
        cells = dict.fromkeys(rows["features"] + " + " + rows["method"])
        name = f"{selection} ({', '.join(cells)})"
        mean, sd = rows[f"{metric}_mean"], rows[f"{metric}_sd"].fillna(0)
        _band(left, rows["budget"], mean, sd, colour, name)
        for column, style in zip(accept, ("o-", "s--", "^:"), strict=False):
            level = column.removeprefix("accept_").removesuffix("_mean")
            right.plot(
                rows["budget"],
                rows[column],
                style,
                color=colour,
                ms=4,
                label=f"{selection} @ {level}%",
            )
    for name, points in ANCHORS.get(dataset, []):
        xs, ys = zip(*points, strict=True)
        left.plot(xs, ys, "kx", ms=8)
        left.annotate(
            name, (xs[-1], ys[-1]), xytext=(4, -10), textcoords="offset points", fontsize=7
        )
    for name, level in LEVELS.get(dataset, []):
        left.axhline(level, color="grey", ls=":", lw=0.8)
        left.annotate(
            name,
            (best["budget"].min(), level),
            xytext=(2, 3),
            textcoords="offset points",
            fontsize=7,
            color="grey",
        )
    for targets, marker_colour, name in (
        (CHOSEN_TARGETS, "crimson", "target (chosen labels)"),
        (TARGETS, "darkorange", "target (random labels)"),
    ):
        if targets.get(dataset):
            xs, ys = zip(*targets[dataset], strict=True)
            left.plot(xs, ys, ls="none", marker="_", ms=18, mew=2, color=marker_colour, label=name)
    for ax in (left, right):
        ax.set_xscale("log")
        ax.set_xticks(sorted(best["budget"].unique()))
        ax.get_xaxis().set_major_formatter(ScalarFormatter())
        ax.set_xlabel("labelled training images (chosen by the selection)")
        ax.grid(alpha=0.3)
    left.set_ylabel(
        f"test {metric.replace('_', ' ')} of the selection's best cell (mean ± sd over draws)"
    )
    left.set_title(f"{dataset}: which images to label")
    left.legend(fontsize=8, loc="lower right")
    right.set_ylabel("share of the unlabelled pool auto-accepted")
    right.set_title("auto-accepted at an audited accuracy (threshold from audit labels)")
    right.legend(fontsize=7, loc="upper left", ncol=2)
    fig.tight_layout()
    save_figure(fig, png)
