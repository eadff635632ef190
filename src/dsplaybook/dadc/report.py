"""DADC results: the final-round comparison with standard collection, one summary line,
and the error-vs-labels picture."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from dsplaybook.dadc.simulate import STRATEGIES
from dsplaybook.plots import plt, save_figure

ERRORS = {"test_error": "standard test set", "hard_error": "hard test subset"}


def final_round_summary(rounds: pd.DataFrame) -> pd.DataFrame:
    """Per strategy at the last round: errors (mean, sd over seeds), human effort, and the
    relative error reduction against standard collection on the same seeds."""
    last = rounds[rounds["round"] == rounds["round"].max()]
    initial = rounds[rounds["round"] == 0].set_index(["strategy", "seed"])
    standard = last[last["strategy"] == "standard"].set_index("seed")
    rows = []
    for strategy, group in last.groupby("strategy", sort=False):
        group = group.set_index("seed")
        added_labels = group["labels"] - initial.loc[strategy]["labels"].reindex(group.index)
        added_seen = group["candidates_seen"] - initial.loc[strategy]["candidates_seen"].reindex(
            group.index
        )
        row = {
            "strategy": strategy,
            "round": int(group["round"].iloc[0]),
            "labels": int(group["labels"].iloc[0]),
            "seeds": len(group),
            "candidates_seen_mean": group["candidates_seen"].mean(),
            "seen_per_added_label": (added_seen / added_labels).mean(),
            # share of the added labels that the model of the time got wrong
            "fooled_share": rounds.loc[rounds["strategy"] == strategy, "fooled"].sum()
            / added_labels.sum(),
        }
        for column in ERRORS:
            row[f"{column}_mean"] = group[column].mean()
            row[f"{column}_sd"] = group[column].std(ddof=1) if len(group) > 1 else 0.0
            if not standard.empty:
                base = standard[column].reindex(group.index)
                # paired by seed: 1 - error / standard's error, then averaged
                paired = 1 - group[column] / base
                row[f"{column}_reduction_vs_standard"] = 1 - group[column].mean() / base.mean()
                row[f"{column}_reduction_sd"] = paired.std(ddof=1) if len(group) > 1 else 0.0
        rows.append(row)
    return pd.DataFrame(rows)


def summary_line(dataset: str, summary: pd.DataFrame) -> str:
    """DADC's relative error reduction vs standard collection at the final round."""
    by = summary.set_index("strategy")
    if not {"adversarial", "standard"} <= set(by.index):
        return f"{dataset}: DADC summary needs both the adversarial and standard strategies"
    a, s = by.loc["adversarial"], by.loc["standard"]

    def part(column: str, name: str) -> str:
        reduction = a[f"{column}_reduction_vs_standard"]
        return (
            f"{name} error {a[f'{column}_mean']:.1%} vs {s[f'{column}_mean']:.1%} "
            f"({'-' if reduction >= 0 else '+'}{abs(reduction):.1%} relative)"
        )

    return (
        f"{dataset}: DADC vs standard collection at round {int(a['round'])} "
        f"({int(a['labels'])} labels, {int(a['seeds'])} seeds): "
        f"{part('test_error', 'test')}; {part('hard_error', 'hard-set')}; "
        f"the annotator looked at {a['seen_per_added_label']:.1f} images per kept example"
        + (
            f" (the pool ran out of fooling images: {a['fooled_share']:.1%} of kept ones fooled)"
            if a["fooled_share"] < 1
            else ""
        )
    )


def plot_error_vs_labels(rounds: pd.DataFrame, dataset: str, png: str | Path) -> None:
    """Two panels (standard test set, hard subset): mean error ± sd over seeds per strategy."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), sharex=True)
    cmap = plt.get_cmap("tab10")
    present = set(rounds["strategy"])
    strategies = [s for s in STRATEGIES if s in present]  # fixed order and colours
    for ax, (column, title) in zip(axes, ERRORS.items(), strict=True):
        for i, strategy in enumerate(strategies):
            stats = (
                rounds[rounds["strategy"] == strategy]
                .groupby("labels")[column]
                .agg(["mean", "std"])
                .fillna(0.0)
            )
            x = stats.index.to_numpy()
            ax.plot(x, stats["mean"], "o-", ms=3, color=cmap(i), label=strategy)
            ax.fill_between(
                x,
                stats["mean"] - stats["std"],
                stats["mean"] + stats["std"],
                color=cmap(i),
                alpha=0.15,
            )
        ax.set_title(f"{dataset}: {title}")
        ax.set_xlabel("labelled images")
        ax.set_ylabel("error (mean ± sd over seeds)")
        ax.set_ylim(0, min(1.0, float(np.nanmax(rounds[column])) * 1.1 + 0.02))
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    save_figure(fig, png)
