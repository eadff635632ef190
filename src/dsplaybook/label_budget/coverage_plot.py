"""Accuracy vs coverage: accept only predictions above a confidence threshold."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dsplaybook.plots import plt, save_figure


def plot_coverage(coverage: pd.DataFrame, dest: str | Path, title: str) -> None:
    fig, ax = plt.subplots(figsize=(6.5, 4.8))
    points = ax.scatter(
        coverage["coverage"], coverage["accuracy"], c=coverage["threshold"], cmap="viridis", s=12
    )
    ax.plot(coverage["coverage"], coverage["accuracy"], color="gray", lw=0.8)
    fig.colorbar(points, label="confidence threshold")
    ax.set_xlabel("share of test images accepted (coverage)")
    ax.set_ylabel("accuracy on accepted images")
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    save_figure(fig, dest)
