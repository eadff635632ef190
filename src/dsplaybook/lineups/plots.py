"""Picture of simulated lineup scores: one box per lineup, the target, the portfolio."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from dsplaybook.lineups.simulation import Portfolio
from dsplaybook.plots import plt, save_figure


def plot_score_distributions(portfolio: Portfolio, projected: np.ndarray, dest: str | Path) -> None:
    n = portfolio.lineup_scores.shape[1]
    fig, ax = plt.subplots(figsize=(max(6, 0.35 * n + 2), 4.5))
    chosen = set(portfolio.order)
    boxes = ax.boxplot(
        portfolio.lineup_scores,
        positions=range(1, n + 1),
        widths=0.6,
        showfliers=False,
        patch_artist=True,
    )
    for k, box in enumerate(boxes["boxes"]):
        box.set_facecolor("#fdae6b" if k in chosen else "#c6dbef")
    ax.plot(range(1, n + 1), projected, "k.", label="projected points")
    ax.axhline(portfolio.target, color="#d62728", ls="--", label=f"target {portfolio.target:.1f}")
    ax.set_xlabel("lineup (best projection first)")
    ax.set_ylabel("simulated fantasy points")
    ax.set_title(
        f"Orange: portfolio of {len(portfolio.order)}, P(≥1 hits target) = "
        f"{portfolio.hit_probability[-1]:.1%} vs {portfolio.baseline_hit:.1%} for top projected",
        fontsize=9,
    )
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    save_figure(fig, dest)


def plot_contest(
    payouts: dict[str, np.ndarray],
    fees: dict[str, float],
    ownership: pd.DataFrame,
    title: str,
    dest: str | Path,
) -> None:
    """Left: each portfolio's profit per held-out slate (its distribution, log-scaled
    beyond ±fee). Right: the field's ownership against salary, by position."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    colours = {
        "opponent_aware": "#d62728",
        "projection_max": "#1f77b4",
        "variance_aware": "#2ca02c",
    }
    for name, totals in payouts.items():
        profit = np.sort(totals - fees[name])
        share = 1.0 - np.arange(len(profit)) / len(profit)
        left.step(
            profit,
            share,
            where="post",
            color=colours.get(name),
            label=f"{name.replace('_', ' ')} (simulated, not measured)",
        )
    left.set_xscale("symlog", linthresh=max(fees.values()))
    left.set_yscale("log")
    left.set_xlabel("profit of the portfolio in one slate (symlog)")
    left.set_ylabel("P(profit ≥ x)")
    left.legend(fontsize=8, loc="lower left")
    left.set_title(title, fontsize=9)
    for position, rows in ownership.groupby(ownership["position"].str.split("/").str[0]):
        right.scatter(rows["salary"], 100 * rows["field_ownership"], s=10, label=position)
    right.set_xlabel("salary")
    right.set_ylabel("field ownership (%)")
    right.set_title("Simulated field: who the opponents play", fontsize=9)
    right.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    save_figure(fig, dest)


def plot_backtest(contests, lineups: pd.DataFrame, summary: pd.DataFrame, slate: str, dest) -> None:
    """One panel per real contest: the real field's scores (histogram) and our lineups'
    real scores as ticks per method, for the largest portfolio backtested there."""
    colours = {
        "opponent_aware": "#d62728",
        "projection_max": "#1f77b4",
        "variance_aware": "#2ca02c",
    }
    n = len(contests)
    fig, axes = plt.subplots(n, 1, figsize=(9, 2.6 * n), squeeze=False)
    for ax, contest in zip(axes[:, 0], contests, strict=True):
        field = contest.standings.entries["points"].to_numpy()
        ax.hist(field[field > 0], bins=80, color="#bbbbbb", label=f"real field ({len(field):,})")
        mine = lineups[lineups["contest"] == contest.name]
        if len(mine):
            size = int(mine["entries"].max())
            top = ax.get_ylim()[1]
            for k, (method, rows) in enumerate(mine[mine["entries"] == size].groupby("method")):
                row = summary[
                    (summary["contest"] == contest.name)
                    & (summary["entries"] == size)
                    & (summary["method"] == method)
                ].iloc[0]
                ax.vlines(
                    rows["points"], top * (0.55 + 0.15 * k), top * (0.68 + 0.15 * k),
                    color=colours.get(method), linewidth=1,
                    label=f"{method.replace('_', ' ')} ×{size}: real ROI {row['roi']:+.0%}, "
                    f"mean percentile {row['mean_percentile']:.2f}",
                )  # fmt: skip
        title = f"{slate}: {contest.name} (${contest.entry_fee:g})".replace("$", r"\$")
        ax.set_title(title, fontsize=9)  # a $ would start matplotlib's math text
        ax.set_xlabel("real fantasy points")
        ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    save_figure(fig, dest)
