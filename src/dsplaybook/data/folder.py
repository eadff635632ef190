"""Your own images as an MNIST-style dataset: a folder of image files.

Layout: ``<path>/<class name>/*`` for images whose label is known and
``<path>/unlabelled/*`` (or ``unlabeled/``) for the rest. Every image becomes 28×28
uint8 grayscale, light object on dark ground like Fashion-MNIST and QuickDraw (see
``data.images``). A seeded ``test_fraction`` of the labelled images is held out as the
test set; unknown labels are -1; every row keeps the file it came from (relative to
``path``).

What is read is decided once, by ``scan_folder``, for both the workflow (the rule's
inputs) and the build: files whose real path lies inside the folder, one level down,
with an image extension and a name the workflow can carry. Hidden entries, ``__MACOSX``
and ``.ipynb_checkpoints`` are ignored; everything left out is logged and counted.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pydantic import Field

from dsplaybook.data.datasets import MnistStyle
from dsplaybook.data.images import ImageRefused, to_bitmap
from dsplaybook.data.settings import FolderDataset
from dsplaybook.errors import InputError

log = logging.getLogger("dsplaybook")

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp")
UNLABELLED = ("unlabelled", "unlabeled")  # both spellings mean: label unknown
IGNORED_FOLDERS = ("__MACOSX", ".ipynb_checkpoints")  # archive and notebook debris
WORKFLOW_UNSAFE = "{}<>"  # Snakemake reads {x} in a path as a wildcard, <x> as a path variable
LOGGED = 20  # files named one by one in the build log; the rest are counted


class FolderSettings(FolderDataset):
    """One ``datasets`` entry with ``source: folder``, and the seed of its split."""

    seed: int = Field(0, ge=0, description="Seed of the test split.")


@dataclass
class FolderScan:
    """What a folder holds, decided once: the image files to read (sorted), the class
    folders, and every entry left out with the reason."""

    root: Path
    images: list[Path] = field(default_factory=list)
    class_folders: list[str] = field(default_factory=list)
    ignored: list[tuple[str, str]] = field(default_factory=list)  # (entry, why): noted
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file, why and fix)
    other_suffixes: Counter = field(default_factory=Counter)  # extension -> files

    def summary(self) -> str:
        parts = [
            f"{n} {suffix or '(no extension)'}" for suffix, n in sorted(self.other_suffixes.items())
        ]
        others = f"; not images by extension: {', '.join(parts)}" if parts else ""
        return f"{len(self.ignored)} entries ignored, {len(self.refused)} refused{others}"


def scan_folder(root: str | Path) -> FolderScan:
    root = Path(root)
    if not root.is_dir():
        raise InputError(f"{root}: dataset folder not found; check the dataset's path")
    real_root = root.resolve()
    scan = FolderScan(root)
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        name = _printable(entry.name)
        if not entry.is_dir():
            scan.ignored.append((name, "a file outside the class folders"))
        elif entry.name.startswith(".") or entry.name in IGNORED_FOLDERS:
            scan.ignored.append((name, "a hidden or system folder"))
        elif not _carried(entry.name):
            scan.refused.append((name, _unsafe_reason(entry.name)))
        elif entry.is_symlink() and not Path(entry.path).resolve().is_relative_to(real_root):
            scan.refused.append((name, "a link to a folder outside the dataset; copy it in"))
        else:
            if entry.name not in UNLABELLED:
                scan.class_folders.append(entry.name)
            _scan_class_folder(scan, Path(entry.path), real_root, entry.is_symlink())
    return scan


def _scan_class_folder(scan: FolderScan, folder: Path, real_root: Path, linked: bool) -> None:
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        relative = f"{_printable(folder.name)}/{_printable(entry.name)}"
        suffix = os.path.splitext(entry.name)[1].lower()
        if entry.name.startswith("."):
            scan.ignored.append((relative, "hidden"))
        elif entry.is_dir():
            scan.ignored.append((relative, "a folder inside a class folder (not read)"))
        elif suffix not in IMAGE_SUFFIXES:
            scan.other_suffixes[_printable(suffix)] += 1
        elif not _carried(entry.name):
            scan.refused.append((relative, _unsafe_reason(entry.name)))
        elif (linked or entry.is_symlink()) and not Path(entry.path).resolve().is_relative_to(
            real_root
        ):
            scan.refused.append((relative, "a link to a file outside the dataset; copy it in"))
        elif not entry.is_file():
            scan.ignored.append((relative, "not a regular file (a broken link?)"))
        else:
            scan.images.append(Path(entry.path))


def _carried(name: str) -> bool:
    """A name the workflow can list as an input: UTF-8 text without braces or angle
    brackets (Snakemake's path templating)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8, kept by Python as surrogates
        return False
    return not any(c in name for c in WORKFLOW_UNSAFE)


def _unsafe_reason(name: str) -> str:
    if any(c in name for c in "{}"):
        return "its name has { or }, which Snakemake reads as a wildcard; rename it"
    if any(c in name for c in "<>"):
        return "its name has < or >, which Snakemake reads as a path variable; rename it"
    return "its name is not valid UTF-8; rename it (e.g. convmv -f latin1 -t utf8)"


def _printable(name: str) -> str:
    return name.encode("utf-8", "backslashreplace").decode("utf-8")


def image_files(root: str | Path) -> list[Path]:
    """The image files a build of ``root`` reads (the rule's inputs), sorted."""
    return scan_folder(root).images


def class_names(scan: FolderScan, configured: tuple[str, ...]) -> tuple[str, ...]:
    found = sorted(scan.class_folders)
    if not configured:
        return tuple(found)
    unknown = [c for c in found if c not in configured]
    if unknown:
        raise InputError(
            f"{scan.root / unknown[0]}: a class folder not in the dataset's classes "
            f"{list(configured)}; add it there or move its images to {UNLABELLED[0]}/"
        )
    return tuple(configured)


def build_folder_dataset(s: FolderSettings) -> tuple[MnistStyle, list[str]]:
    """The dataset and the files skipped (``on_bad_image: skip``), each logged."""
    root = Path(s.path)
    scan = scan_folder(root)
    names = class_names(scan, s.classes)
    if not names:
        raise InputError(
            f"{root}: no class folders and no classes in config; list the dataset's classes"
        )
    for entry, why in scan.ignored[:LOGGED]:
        log.info("ignored %s: %s", root / entry, why)
    if len(scan.ignored) > LOGGED:
        log.info(
            "ignored %d more entries (hidden, system or outside the class folders)",
            len(scan.ignored) - LOGGED,
        )
    skipped: list = []
    for entry, why in scan.refused:
        _refuse(s, f"{root / entry}: {why}", len(skipped))
        skipped.append(entry)
    images, labels, files = [], [], []
    for path in scan.images:
        try:
            images.append(to_bitmap(path, s.max_pixels, s.max_aspect))
        except ImageRefused as err:
            _refuse(s, str(err), len(skipped))
            skipped.append(str(path.relative_to(root)))
            continue
        folder = path.parent.name
        labels.append(-1 if folder in UNLABELLED else names.index(folder))
        files.append(str(path.relative_to(root)))
    log.info("%s: %d images read, %d skipped, %s", root, len(images), len(skipped), scan.summary())
    if not images:
        raise InputError(f"{root}: no readable images in its sub-folders")
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


def _refuse(s: FolderSettings, message: str, already: int) -> None:
    """Stop (``on_bad_image: fail``) or log: the first LOGGED files by name, then a count
    in the summary line (a folder of 10,000 bad files is not a 10,000-line log)."""
    if s.on_bad_image == "fail":
        raise InputError(f"{message}; or remove it, or set on_bad_image: skip")
    if already < LOGGED:
        log.warning("skipped %s", message)
    elif already == LOGGED:
        log.warning("skipping more files; the summary line counts them all")
