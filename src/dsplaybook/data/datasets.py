"""MNIST-style datasets in HDF5: x_train, y_train, x_test, y_test and class names.

A table dataset (``data.tables``) is the same file with float32 rows × features instead
of 28×28 images, ``feature_names`` naming the columns and, optionally, each row's group.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from dsplaybook.atomic import atomic_path
from dsplaybook.errors import InputError

ARRAYS = ("x_train", "y_train", "x_test", "y_test")
TEXTS = ("files_train", "files_test", "feature_names", "groups_train", "groups_test")


@dataclass(frozen=True)
class MnistStyle:
    """Images are uint8 N×28×28 (a table: float32 N×features, ``feature_names`` set);
    labels are integer class indices into ``class_names``."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]
    source: str = ""
    synthetic: bool = False
    # Source image of every training and test row (folder datasets; empty otherwise)
    files_train: tuple[str, ...] = ()
    files_test: tuple[str, ...] = ()
    # A table's encoded columns, and each row's group when it has a group column
    feature_names: tuple[str, ...] = ()
    groups_train: tuple[str, ...] = ()
    groups_test: tuple[str, ...] = ()

    @property
    def is_table(self) -> bool:
        return bool(self.feature_names)

    @property
    def labelled_train(self) -> np.ndarray:
        """Indices of training images whose label is known (-1 marks an unknown one)."""
        return np.flatnonzero(self.y_train >= 0)

    def validate(self, name: str = "dataset") -> None:
        for split in ("train", "test"):
            x, y = getattr(self, f"x_{split}"), getattr(self, f"y_{split}")
            if self.is_table:
                if x.dtype != np.float32 or x.ndim != 2 or x.shape[1] != len(self.feature_names):
                    raise InputError(
                        f"{name}: x_{split} must be float32 N×{len(self.feature_names)}, "
                        f"got {x.dtype} {x.shape}"
                    )
            elif x.dtype != np.uint8 or x.ndim != 3 or x.shape[1:] != (28, 28):
                raise InputError(
                    f"{name}: x_{split} must be uint8 N×28×28, got {x.dtype} {x.shape}"
                )
            if y.ndim != 1 or len(y) != len(x) or not np.issubdtype(y.dtype, np.integer):
                raise InputError(
                    f"{name}: y_{split} must be {len(x)} integer labels, got {y.shape}"
                )
            lowest = -1 if split == "train" else 0  # an unlabelled training image is -1
            if len(y) and (y.min() < lowest or y.max() >= len(self.class_names)):
                raise InputError(
                    f"{name}: y_{split} has labels outside 0..{len(self.class_names) - 1}"
                )
            groups = getattr(self, f"groups_{split}")
            if groups and len(groups) != len(x):
                raise InputError(f"{name}: groups_{split} has {len(groups)} for {len(x)} rows")
            files = getattr(self, f"files_{split}")
            if files and len(files) != len(x):
                raise InputError(
                    f"{name}: files_{split} has {len(files)} names for {len(x)} images"
                )


def dataset_file(name: str, results: str | Path = "results") -> Path:
    """Where the workflow writes a dataset's HDF5 file (``results/data/<name>.h5``)."""
    return Path(results) / "data" / f"{name}.h5"


def write_mnist_style(path: str | Path, data: MnistStyle) -> None:
    """Write ``data`` to ``path`` atomically (gzip-compressed, no timestamps: the same data
    gives the same bytes; a root group with track_order would store times)."""
    data.validate(str(path))
    with atomic_path(path) as tmp, h5py.File(tmp, "w") as h5:
        for key in ARRAYS:
            array = getattr(data, key)
            if key.startswith("y_"):
                array = array.astype(np.int64)
            h5.create_dataset(
                key,
                data=array,
                compression="gzip",
                compression_opts=4,
                shuffle=True,
                track_times=False,
            )
        for key in TEXTS:
            if getattr(data, key):
                h5.create_dataset(
                    key,
                    data=np.array(getattr(data, key), dtype=h5py.string_dtype()),
                    track_times=False,
                )
        h5.attrs["class_names"] = json.dumps(list(data.class_names))
        h5.attrs["source"] = data.source
        h5.attrs["synthetic"] = bool(data.synthetic)


def read_mnist_style(path: str | Path) -> MnistStyle:
    path = Path(path)
    try:
        with h5py.File(path, "r") as h5:
            missing = [k for k in ARRAYS if k not in h5]
            if missing:
                raise InputError(f"{path}: missing datasets {missing}; rebuild it")
            arrays = {k: h5[k][()] for k in ARRAYS}
            texts: dict[str, Any] = {
                k: tuple(s.decode() for s in h5[k][()]) for k in TEXTS if k in h5
            }
            class_names = tuple(json.loads(h5.attrs["class_names"]))
            source = str(h5.attrs.get("source", ""))
            synthetic = bool(h5.attrs.get("synthetic", False))
    except OSError as err:
        raise InputError(f"{path}: not a readable HDF5 file ({err}); rebuild it") from err
    return MnistStyle(
        **arrays,
        class_names=class_names,
        source=source,
        synthetic=synthetic,
        **texts,
    )


def shown_images(data: MnistStyle) -> tuple[np.ndarray, np.ndarray, str]:
    """Images for pictures: the test set, or the training set when there is none (a folder
    of unlabelled images); with their labels (-1 = unknown) and which set they are."""
    if len(data.x_test):
        return data.x_test, data.y_test, "test"
    return data.x_train, data.y_train, "training"


def training_subset(data: MnistStyle, n: int) -> MnistStyle:
    """The first ``n`` training images (0 = all); the test set is untouched."""
    if n <= 0 or n >= len(data.x_train):
        return data
    return dataclasses.replace(
        data,
        x_train=data.x_train[:n],
        y_train=data.y_train[:n],
        files_train=data.files_train[:n],
        groups_train=data.groups_train[:n],
    )
