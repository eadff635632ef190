"""How datasets and their files are named in resources/ and results/ (one place, read by
the settings tree, the workflow and the app)."""

from __future__ import annotations

BUILTIN = ("fashion_mnist", "quickdraw")  # datasets config `datasets` names by word


def quickdraw_id(source: str) -> str:
    """The QuickDraw set's name in results/: marked when it is the synthetic stand-in."""
    return {"official": "quickdraw", "strokes": "quickdraw_strokes"}.get(
        source, "quickdraw_synthetic"
    )


def category_suffix(source: str) -> str:
    """File type of a QuickDraw source's per-category files under resources/."""
    return ".ndjson" if source == "strokes" else ".npy"


def category_filename(category: str, suffix: str = ".npy") -> str:
    """File name used under resources/: spaces become underscores (shell friendly)."""
    return category.replace(" ", "_") + suffix
