"""Google QuickDraw numpy bitmaps: fetch per category, combine into an MNIST-style set."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import numpy as np
from sklearn.model_selection import train_test_split

from dsplaybook.datasets import MnistStyle
from dsplaybook.download import ContentError
from dsplaybook.errors import InputError

OFFICIAL_URL = "https://storage.googleapis.com/quickdraw_dataset/full/numpy_bitmap/"


def category_url(base_url: str, category: str) -> str:
    """Official file name is ``<category>.npy``; names may contain spaces."""
    return base_url.rstrip("/") + "/" + quote(f"{category}.npy")


def category_filename(category: str) -> str:
    """File name used under resources/: spaces become underscores (shell friendly)."""
    return category.replace(" ", "_") + ".npy"


def mirror_candidates(mirror: str | Path, category: str) -> list[Path]:
    folder = Path(mirror)
    return [folder / f"{category}.npy", folder / category_filename(category)]


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
