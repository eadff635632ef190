"""Learning-curve picture: accuracy vs labels (log x), mean ± sd band per method."""

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


def _with_curve_names(summary: pd.DataFrame) -> pd.DataFrame:
    return summary.assign(curve=summary["features"] + " + " + summary["method"])


def curves_to_draw(summary: pd.DataFrame, top: int = 8) -> list[str]:
    """The ``top`` best (features + method) curves at the largest budget, plus the best at
    every other budget, so the winner at 100 labels is never left off the picture."""
    summary = _with_curve_names(summary)
    largest = summary[summary["budget"] == summary["budget"].max()]
    curves = list(largest.sort_values("accuracy_mean", ascending=False)["curve"][:top])
    for _, at_budget in summary.groupby("budget"):
        best = at_budget.sort_values(["accuracy_mean", "curve"], ascending=[False, True])
        if best["curve"].iloc[0] not in curves:
            curves.append(best["curve"].iloc[0])
    return curves


def plot_learning_curves(
    summary: pd.DataFrame, dataset: str, png: str | Path, svg: str | Path, top: int = 8
) -> None:
    """One line per (features, method) of ``curves_to_draw``, mean ± sd band."""
    curves = curves_to_draw(summary, top)
    summary = _with_curve_names(summary)
    fig, ax = plt.subplots(figsize=(8, 5.5))
    cmap = plt.get_cmap("tab10")
    for i, curve in enumerate(curves):
        rows = summary[summary["curve"] == curve].sort_values("budget")
        sd = rows["accuracy_sd"].fillna(0)
        ax.plot(rows["budget"], rows["accuracy_mean"], "o-", color=cmap(i % 10), label=curve, ms=4)
        ax.fill_between(
            rows["budget"],
            rows["accuracy_mean"] - sd,
            rows["accuracy_mean"] + sd,
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
    ax.set_xlabel("labelled training images")
    ax.set_ylabel("test accuracy (mean ± sd over draws)")
    ax.set_title(
        f"{dataset}: accuracy vs labels (best {len(curves)} of {summary['curve'].nunique()})"
    )
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    save_figure(fig, png, svg)
