"""Your own images as an MNIST-style dataset: a folder of PNG/JPEG files.

Layout: ``<path>/<class name>/*.png|jpg|jpeg`` for images whose label is known and
``<path>/unlabelled/*`` for the rest. Every image becomes 28×28 uint8 grayscale, light
object on dark ground like Fashion-MNIST and QuickDraw (a photo on a light background
is inverted), aspect kept by padding with the border colour. A seeded ``test_fraction``
of the labelled images is held out as the test set; unknown labels are -1; every row
keeps the file it came from (relative to ``path``).
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError
from pydantic import Field

from dsplaybook.data.datasets import MnistStyle
from dsplaybook.data.settings import FolderDataset
from dsplaybook.errors import InputError

log = logging.getLogger("dsplaybook")

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
UNLABELLED = "unlabelled"
SIDE = 28
MAX_PIXELS = 50_000_000  # larger images are refused (decompression bombs)


class FolderSettings(FolderDataset):
    """One ``datasets`` entry with ``source: folder``, and the seed of its split."""

    seed: int = Field(0, ge=0, description="Seed of the test split.")


def image_files(root: str | Path) -> list[Path]:
    """Every image under ``root`` one level down (class or unlabelled folders), sorted."""
    root = Path(root)
    if not root.is_dir():
        raise InputError(f"{root}: dataset folder not found; check the dataset's path")
    return sorted(
        p
        for p in root.glob("*/*")
        if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file() and not p.name.startswith(".")
    )


def class_names(root: Path, configured: tuple[str, ...]) -> tuple[str, ...]:
    found = sorted(p.name for p in root.iterdir() if p.is_dir() and p.name != UNLABELLED)
    if not configured:
        return tuple(found)
    unknown = [c for c in found if c not in configured]
    if unknown:
        raise InputError(
            f"{root / unknown[0]}: a class folder not in the dataset's classes "
            f"{list(configured)}; add it there or move its images to {UNLABELLED}/"
        )
    return tuple(configured)


def to_bitmap(path: Path) -> np.ndarray:
    """One image file -> 28×28 uint8, light on dark, aspect kept. InputError if unreadable."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise InputError(f"{path}: {image.width}×{image.height} pixels is too large")
                gray = ImageOps.exif_transpose(image).convert("L")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombWarning, ValueError) as err:
        raise InputError(f"{path}: not a readable image ({err})") from err
    pixels = np.asarray(gray, dtype=np.uint8)
    border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    if border.mean() > 127:  # dark object on a light ground: invert to the datasets' look
        pixels = 255 - pixels
        border = 255 - border
    side = max(pixels.shape)
    square = np.full((side, side), int(np.median(border)), dtype=np.uint8)
    top, left = (side - pixels.shape[0]) // 2, (side - pixels.shape[1]) // 2
    square[top : top + pixels.shape[0], left : left + pixels.shape[1]] = pixels
    resized = Image.fromarray(square).resize((SIDE, SIDE), Image.Resampling.LANCZOS)
    return np.asarray(resized, dtype=np.uint8)


def build_folder_dataset(s: FolderSettings) -> tuple[MnistStyle, list[str]]:
    """The dataset and the files skipped as unreadable (``on_bad_image: skip``)."""
    root = Path(s.path)
    files_found = image_files(root)
    names = class_names(root, s.classes)
    if not names:
        raise InputError(
            f"{root}: no class folders and no classes in config; list the dataset's classes"
        )
    images, labels, files, skipped = [], [], [], []
    for path in files_found:
        try:
            images.append(to_bitmap(path))
        except InputError as err:
            if s.on_bad_image == "fail":
                raise InputError(f"{err}; remove it or set on_bad_image: skip") from err
            log.warning("skipped %s", err)
            skipped.append(str(path.relative_to(root)))
            continue
        folder = path.parent.name
        labels.append(-1 if folder == UNLABELLED else names.index(folder))
        files.append(str(path.relative_to(root)))
    if not images:
        raise InputError(f"{root}: no readable PNG/JPEG images in its sub-folders")
    x, y = np.stack(images), np.array(labels, dtype=np.int64)
    labelled = np.flatnonzero(y >= 0)
    rng = np.random.default_rng(s.seed)
    n_test = int(round(s.test_fraction * len(labelled)))
    is_test = np.zeros(len(y), dtype=bool)
    is_test[rng.choice(labelled, size=n_test, replace=False)] = True
    data = MnistStyle(
        x_train=x[~is_test],
        y_train=y[~is_test],
        x_test=x[is_test],
        y_test=y[is_test],
        class_names=names,
        source=f"image folder {root}",
        files_train=tuple(np.array(files)[~is_test]),
        files_test=tuple(np.array(files)[is_test]),
    )
    return data, skipped
