"""A picture of a few images per class, one row per class, labelled with class names."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dsplaybook.data.datasets import MnistStyle
from dsplaybook.plots import plt, save_figure


def pick_per_class(
    labels: np.ndarray, n_classes: int, per_class: int, seed: int
) -> list[np.ndarray]:
    """Seeded choice of up to ``per_class`` indices for every class (empty if absent)."""
    rng = np.random.default_rng(seed)
    picks = []
    for c in range(n_classes):
        idx = np.flatnonzero(labels == c)
        picks.append(np.sort(rng.choice(idx, size=min(per_class, len(idx)), replace=False)))
    return picks


def plot_sample_grid(
    data: MnistStyle, dest: str | Path, title: str, per_class: int, seed: int
) -> None:
    picks = pick_per_class(data.y_train, len(data.class_names), per_class, seed)
    rows = len(data.class_names)
    fig, axes = plt.subplots(
        rows, per_class, figsize=(0.9 * per_class + 1.6, 0.9 * rows + 0.6), squeeze=False
    )
    for row, (name, idx) in enumerate(zip(data.class_names, picks, strict=True)):
        for col in range(per_class):
            ax = axes[row, col]
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_visible(False)
            if col < len(idx):
                ax.imshow(data.x_train[idx[col]], cmap="gray_r", vmin=0, vmax=255)
        axes[row, 0].set_ylabel(name, rotation=0, ha="right", va="center", fontsize=9)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    save_figure(fig, dest)
