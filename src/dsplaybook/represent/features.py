"""Feature files: learned representations of the train and test images (.npz).

Unsupervised models are fitted on the training images only; the test images are
only ever embedded with the finished model.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from dsplaybook.atomic import atomic_path
from dsplaybook.data.datasets import MnistStyle
from dsplaybook.errors import InputError


@dataclass(frozen=True)
class FeatureSet:
    """Where a feature set comes from: a model fitted on the training images (a file
    under results/represent/<dataset>/), a hand-made function of the images, or
    neither (raw pixels)."""

    model: str | None = None
    handmade: Callable[..., np.ndarray] | None = None  # (images, HogSettings, threads)


def _hog(images, settings, threads):
    from dsplaybook.represent.handmade import hog_features

    return hog_features(images, settings, threads)


def _hog2(images, settings, threads):
    from dsplaybook.represent.handmade import hog_two_scales

    return hog_two_scales(images, settings, threads)


# The registry of feature sets a classifier can see. The schema's feature enums and the
# workflow's wildcards are built from / tested against it.
FEATURE_SETS: dict[str, FeatureSet] = {
    "raw": FeatureSet(),
    "pca": FeatureSet(model="pca.pkl"),
    "autoencoder": FeatureSet(model="autoencoder_encoder.keras"),
    "cvae": FeatureSet(model="cvae_encoder.keras"),
    "sslcnn": FeatureSet(model="sslcnn_encoder.keras"),
    "hog": FeatureSet(handmade=_hog),
    "hog2": FeatureSet(handmade=_hog2),
}
LEARNED = tuple(name for name, f in FEATURE_SETS.items() if f.model)
HANDMADE = tuple(name for name, f in FEATURE_SETS.items() if f.handmade)


def feature_path(dataset: str, features: str, results: str | Path = "results") -> Path | None:
    """Where the workflow writes a dataset's feature file; None for raw pixels (no file)."""
    if features == "raw":
        return None
    return Path(results) / "represent" / dataset / f"{features}_features.npz"


def flat_pixels(images: np.ndarray) -> np.ndarray:
    """uint8 N×28×28 -> float32 N×784 in [0, 1] (the 'raw' features)."""
    pixels = int(np.prod(images.shape[1:]))  # not -1: an empty set (no test images) has 0
    return images.reshape(len(images), pixels).astype(np.float32) / 255.0


def fit_pca(data: MnistStyle, n_components: int, seed: int):
    from sklearn.decomposition import PCA

    return PCA(n_components=n_components, random_state=seed).fit(flat_pixels(data.x_train))


def save_pickle(obj: object, dest: str | Path) -> None:
    with atomic_path(dest) as tmp, open(tmp, "wb") as fh:
        pickle.dump(obj, fh, protocol=5)


def load_pickle(path: str | Path) -> object:
    with open(path, "rb") as fh:
        return pickle.load(fh)


def write_features(dest: str | Path, train: np.ndarray, test: np.ndarray) -> None:
    with atomic_path(dest) as tmp, open(tmp, "wb") as fh:
        np.savez(fh, train=train.astype(np.float32), test=test.astype(np.float32))


def read_features(path: str | Path) -> tuple[np.ndarray, np.ndarray]:
    try:
        with np.load(path) as npz:
            return npz["train"], npz["test"]
    except (OSError, KeyError, ValueError) as err:
        raise InputError(f"{path}: not a feature file ({err}); delete it and re-run") from err


def train_test_matrices(data: MnistStyle, features_path: str | Path | None):
    """Training and test matrices: a feature file's, or raw pixels when no file is given."""
    if not features_path:
        return flat_pixels(data.x_train), flat_pixels(data.x_test)
    return read_features(features_path)


def embed_with(model_path: str | Path, data: MnistStyle, threads: int = 1):
    """Train and test features from a fitted model file: a pickled PCA or a Keras encoder."""
    if Path(model_path).suffix == ".pkl":
        pca: Any = load_pickle(model_path)
        return pca.transform(flat_pixels(data.x_train)), pca.transform(flat_pixels(data.x_test))
    from dsplaybook.represent.keras_runtime import configure

    configure(0, threads)
    from dsplaybook.represent.autoencoders import embed, load_model

    encoder = load_model(model_path)
    return embed(encoder, data.x_train), embed(encoder, data.x_test)
