"""Picture of simulated lineup scores: one box per lineup, the target, the portfolio."""

from __future__ import annotations

from pathlib import Path

import numpy as np

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
