"""Fashion-MNIST: official file names, content checksums and class names."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np

from dsplaybook.data.datasets import MnistStyle
from dsplaybook.data.download import RetryPolicy, expect_sha256, fetch_verified
from dsplaybook.data.idx import read_idx
from dsplaybook.errors import InputError

# SHA-256 of the *decompressed* idx files (identical in the official release and
# in Debian's dataset-fashion-mnist package, whose .gz bytes differ).
CONTENT_SHA256 = {
    "train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}

FILES = tuple(CONTENT_SHA256)


def expected_sha256(part: str, overrides: dict[str, str] | None = None) -> str:
    """The content checksum of ``part``: config's override (another dataset) or the official."""
    return (overrides or {}).get(part) or CONTENT_SHA256[part]


CLASS_NAMES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)


def mirror_candidates(mirror: str | Path, filename: str) -> list[Path]:
    """Names a mirror folder may hold the file under: gzip first, then plain."""
    folder = Path(mirror)
    return [folder / f"{filename}.gz", folder / filename]


def load_fashion_mnist(
    train_images: str | Path,
    train_labels: str | Path,
    test_images: str | Path,
    test_labels: str | Path,
    class_names: tuple[str, ...] = CLASS_NAMES,
) -> MnistStyle:
    """Read the four decompressed idx files into an MNIST-style dataset (official split)."""
    x_train, y_train = read_idx(train_images), read_idx(train_labels)
    x_test, y_test = read_idx(test_images), read_idx(test_labels)
    for images, labels, img_path, label_path in (
        (x_train, y_train, train_images, train_labels),
        (x_test, y_test, test_images, test_labels),
    ):
        if images.ndim != 3 or images.shape[1:] != (28, 28):
            raise InputError(f"{img_path}: images have shape {images.shape}, expected N×28×28")
        if len(images) != len(labels):
            raise InputError(
                f"{img_path}: {len(images)} images but {len(labels)} labels; delete {img_path} "
                f"and {label_path} and re-run to download both again"
            )
    n_classes = len(class_names)
    for labels, path in ((y_train, train_labels), (y_test, test_labels)):
        if labels.size and int(labels.max()) >= n_classes:
            raise InputError(
                f"{path}: label {int(labels.max())} has no class name (have {n_classes})"
            )
    return MnistStyle(
        x_train=x_train,
        y_train=y_train.astype(np.int64),
        x_test=x_test,
        y_test=y_test.astype(np.int64),
        class_names=tuple(class_names),
        source="Fashion-MNIST (Zalando Research), official 60k/10k split",
    )


def download_part(part: str, dest: str | Path, cfg: Mapping, retry: RetryPolicy) -> None:
    """One idx file from ``cfg['mirror']`` or ``cfg['url']``, checked against its content
    checksum (``cfg['sha256']`` overrides the official one)."""
    mirror = cfg["mirror"]
    fetch_verified(
        dest,
        url=cfg["url"].rstrip("/") + f"/{part}.gz" if cfg["url"] else None,
        mirror_files=mirror_candidates(mirror, part) if mirror else (),
        check=expect_sha256(expected_sha256(part, cfg.get("sha256"))),
        fix_hint=(
            f"set fashion_mnist.mirror to a folder holding {part}.gz "
            "(e.g. run `make setup` for Debian's copy) or check the network/URL"
        ),
        offline_hint=(
            "the Fashion-MNIST server could not be reached (no network here?); run `make "
            f"setup` for Debian's copy or set fashion_mnist.mirror to a folder holding {part}.gz"
        ),
        retry=retry,
    )
