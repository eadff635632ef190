"""Matplotlib set-up for headless rule jobs and the one way a figure reaches disk."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: rules run on servers and cluster nodes
import matplotlib.pyplot as plt

from dsplaybook.atomic import atomic_path

__all__ = ["plt", "save_figure"]


def save_figure(fig, *dests: str | Path, dpi: int = 100) -> None:
    """Write ``fig`` atomically to each destination (format from its suffix), then close it.

    SVG files carry no date, so the same figure gives the same bytes.
    """
    for dest in dests:
        fmt = Path(dest).suffix.lstrip(".") or "png"
        metadata = {"Date": None} if fmt == "svg" else None
        with atomic_path(dest) as tmp:
            fig.savefig(tmp, format=fmt, dpi=dpi, metadata=metadata)
    plt.close(fig)
