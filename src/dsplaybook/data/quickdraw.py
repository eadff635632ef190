"""Google QuickDraw: fetch per category (numpy bitmaps, or simplified strokes rendered by
``data.strokes``), combine into an MNIST-style set."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

import numpy as np

from dsplaybook.data.datasets import MnistStyle
from dsplaybook.data.download import ContentError, RetryPolicy, fetch_verified
from dsplaybook.data.names import category_filename
from dsplaybook.data.settings import QuickDrawBuild
from dsplaybook.data.strokes import check_stroke_file, read_category, render_all, strokes_url
from dsplaybook.errors import InputError


def category_url(base_url: str, category: str) -> str:
    """Official file name is ``<category>.npy``; names may contain spaces."""
    return base_url.rstrip("/") + "/" + quote(f"{category}.npy")


def mirror_candidates(mirror: str | Path, category: str, suffix: str = ".npy") -> list[Path]:
    folder = Path(mirror)
    return [folder / f"{category}{suffix}", folder / category_filename(category, suffix)]


def check_bitmap_file(path: Path) -> None:
    """Content check for a downloaded category: a readable (N, 784) uint8 .npy."""
    try:
        array = np.load(path, mmap_mode="r", allow_pickle=False)
    except (ValueError, OSError, EOFError) as err:
        raise ContentError(f"not a readable .npy file ({err})") from err
    if array.dtype != np.uint8 or array.ndim != 2 or array.shape[1] != 784:
        raise ContentError(
            f"expected a uint8 (N, 784) bitmap array, got {array.dtype} {array.shape}"
        )
    if array.shape[0] == 0:
        raise ContentError("holds no drawings")


def load_category(path: str | Path, per_category: int) -> np.ndarray:
    """The first ``per_category`` drawings of one category as N×28×28 uint8."""
    path = Path(path)
    try:
        check_bitmap_file(path)
    except ContentError as err:
        raise InputError(f"{path}: {err}; delete it and re-run to download it again") from err
    array = np.load(path, mmap_mode="r", allow_pickle=False)
    if array.shape[0] < per_category:
        raise InputError(
            f"{path}: has {array.shape[0]} drawings but quickdraw.per_category is {per_category}; "
            f"lower quickdraw.per_category to at most {array.shape[0]}"
        )
    return np.asarray(array[:per_category]).reshape(-1, 28, 28)


def combine_categories(
    per_class: list[np.ndarray],
    class_names: list[str],
    test_fraction: float,
    seed: int,
    source: str,
    synthetic: bool = False,
) -> MnistStyle:
    """Stack categories (label = position in ``class_names``), seeded stratified split."""
    from sklearn.model_selection import train_test_split  # lazily: the workflow reads
    # this module at every start, and scikit-learn takes most of a second to import

    if len(per_class) != len(class_names):
        raise ValueError("one array per class name is required")
    images = np.concatenate(per_class)
    labels = np.concatenate([np.full(len(a), i, dtype=np.int64) for i, a in enumerate(per_class)])
    x_train, x_test, y_train, y_test = train_test_split(
        images, labels, test_size=test_fraction, stratify=labels, random_state=seed
    )
    return MnistStyle(
        x_train=np.ascontiguousarray(x_train),
        y_train=y_train,
        x_test=np.ascontiguousarray(x_test),
        y_test=y_test,
        class_names=tuple(class_names),
        source=source,
        synthetic=synthetic,
    )


class QuickDrawSettings(QuickDrawBuild):
    """The ``quickdraw`` keys that shape the dataset, and the seed of its split."""

    seed: int


SOURCES = {
    "synthetic": "SYNTHETIC doodles drawn by dsplaybook (not Google QuickDraw)",
    "official": "Google QuickDraw numpy_bitmap (CC BY 4.0)",
    "strokes": "Google QuickDraw simplified strokes, rendered as numpy_bitmap (CC BY 4.0)",
}


def is_real_quickdraw(source: str) -> bool:
    """Whether a dataset's ``source`` is Google's drawings (bitmaps or rendered strokes)."""
    return source in (SOURCES["official"], SOURCES["strokes"])


def load_any_category(path: str | Path, s: QuickDrawBuild) -> np.ndarray:
    """One category's first drawings as N×28×28 uint8, from bitmaps or strokes."""
    if s.source == "strokes":
        return render_all(read_category(path, s.per_category, s.recognized_only))
    return load_category(path, s.per_category)


def build_quickdraw(category_files: list[str], s: QuickDrawSettings) -> MnistStyle:
    """One file per category (in ``s.categories`` order) -> MNIST-style set, seeded split."""
    return combine_categories(
        [load_any_category(path, s) for path in category_files],
        list(s.categories),
        test_fraction=s.test_fraction,
        seed=s.seed,
        source=SOURCES[s.source],
        synthetic=s.source == "synthetic",
    )


def download_category(
    category: str, dest: str | Path, cfg: Mapping[str, str], retry: RetryPolicy
) -> None:
    """One category's bitmaps from ``cfg['mirror']`` or ``cfg['url']``, verified."""
    fetch_verified(
        dest,
        url=category_url(cfg["url"], category) if cfg["url"] else None,
        mirror_files=mirror_candidates(cfg["mirror"], category) if cfg["mirror"] else (),
        check=check_bitmap_file,
        fix_hint=(
            f"check that {category!r} is a QuickDraw category (exact spelling, spaces allowed) "
            f"or set quickdraw.mirror to a folder holding '{category}.npy'"
        ),
        offline_hint=(
            "the QuickDraw server could not be reached (no network here?); set "
            f"quickdraw.mirror to a folder holding '{category}.npy', or quickdraw.source: "
            "synthetic to run offline"
        ),
        retry=retry,
    )


def download_stroke_category(
    category: str, dest: str | Path, cfg: Mapping[str, str], retry: RetryPolicy
) -> None:
    """One category's simplified strokes from ``cfg['mirror']`` or ``cfg['strokes_url']``."""
    fetch_verified(
        dest,
        url=strokes_url(cfg["strokes_url"], category) if cfg["strokes_url"] else None,
        mirror_files=(
            mirror_candidates(cfg["mirror"], category, ".ndjson") if cfg["mirror"] else ()
        ),
        check=check_stroke_file,
        fix_hint=(
            f"check that {category!r} is a QuickDraw category (exact spelling, spaces allowed) "
            f"or set quickdraw.mirror to a folder holding '{category}.ndjson'"
        ),
        offline_hint=(
            "the QuickDraw server could not be reached (no network here?); set "
            f"quickdraw.mirror to a folder holding '{category}.ndjson' (Google's simplified "
            "format), or quickdraw.source: synthetic to run offline"
        ),
        retry=retry,
    )
