"""Pictures from the original posts: reconstructions and the 2-D latent space."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dsplaybook.plots import plt, save_figure


def plot_reconstructions(
    originals: np.ndarray, rows: dict[str, np.ndarray], dest: str | Path, title: str
) -> None:
    """Originals on top, then one row of reconstructions per model."""
    n = len(originals)
    all_rows = {"original": originals / 255.0, **rows}
    fig, axes = plt.subplots(
        len(all_rows), n, figsize=(n * 0.9 + 1.5, len(all_rows) * 0.95 + 0.5), squeeze=False
    )
    for r, (name, images) in enumerate(all_rows.items()):
        for c in range(n):
            ax = axes[r, c]
            ax.imshow(images[c], cmap="gray_r", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
        axes[r, 0].set_ylabel(name, rotation=0, ha="right", va="center", fontsize=9)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    save_figure(fig, dest)


def plot_latent_map(
    codes: np.ndarray,
    labels: np.ndarray,
    class_names: tuple[str, ...],
    dest: str | Path,
    title: str,
) -> None:
    """Images placed by their 2-D VAE code, coloured by class (unknown labels grey)."""
    fig, ax = plt.subplots(figsize=(7.5, 6.5))
    cmap = plt.get_cmap("tab10" if len(class_names) <= 10 else "tab20")
    unknown = codes[labels < 0]
    if len(unknown):
        ax.scatter(unknown[:, 0], unknown[:, 1], s=2, color="0.7", label="unlabelled", alpha=0.5)
    for k, name in enumerate(class_names):
        pts = codes[labels == k]
        ax.scatter(pts[:, 0], pts[:, 1], s=2, color=cmap(k % cmap.N), label=name, alpha=0.6)
    ax.set_xlabel("latent dimension 1")
    ax.set_ylabel("latent dimension 2")
    ax.set_title(title, fontsize=10)
    ax.legend(markerscale=5, fontsize=8, loc="best")
    fig.tight_layout()
    save_figure(fig, dest)


def plot_reconstruction_pairs(
    data,
    models: dict[str, tuple[str, str]],
    n_images: int,
    seed: int,
    dest: str | Path,
    title: str,
) -> None:
    """Seeded test images on top, then each (encoder file, decoder file)'s reconstructions."""
    from dsplaybook.data.datasets import shown_images
    from dsplaybook.represent.autoencoders import load_model, reconstruct

    pool, _, _ = shown_images(data)
    rng = np.random.default_rng(seed)
    images = pool[np.sort(rng.choice(len(pool), min(n_images, len(pool)), replace=False))]
    rows = {
        name: reconstruct(load_model(encoder), load_model(decoder), images)
        for name, (encoder, decoder) in models.items()
    }
    plot_reconstructions(images, rows, dest, title)
