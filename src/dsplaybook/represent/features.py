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
    handmade: Callable[..., np.ndarray] | None = None  # (images, its settings, threads)
    settings: str = "hog"  # the represent.<block> a hand-made set reads
    parts: tuple[str, ...] = ()  # a combination of other feature sets (combine_blocks)
    reduced: bool = False  # a combination kept to its leading principal components
    images: bool = True  # applies to image sets
    tables: bool = False  # applies to tables (data.tables)


def _hog(images, settings, threads):
    from dsplaybook.represent.handmade import hog_features

    return hog_features(images, settings, threads)


def _hog2(images, settings, threads):
    from dsplaybook.represent.handmade import hog_two_scales

    return hog_two_scales(images, settings, threads)


def _scattering(images, settings, threads):
    from dsplaybook.represent.handmade import scattering_features

    return scattering_features(images, settings, threads)


# The registry of feature sets a classifier can see. The schema's feature enums and the
# workflow's wildcards are built from / tested against it.
FEATURE_SETS: dict[str, FeatureSet] = {
    "raw": FeatureSet(tables=True),
    "pca": FeatureSet(model="pca.pkl", tables=True),
    "autoencoder": FeatureSet(model="autoencoder_encoder.keras"),
    "cvae": FeatureSet(model="cvae_encoder.keras"),
    "sslcnn": FeatureSet(model="sslcnn_encoder.keras"),
    "hog": FeatureSet(handmade=_hog),
    "hog2": FeatureSet(handmade=_hog2),
    "scattering": FeatureSet(handmade=_scattering, settings="scattering"),
    "hog2_scattering": FeatureSet(parts=("hog2", "scattering")),
    # the same in represent.combined_components dimensions: as accurate, and an RBF SVM
    # on 128 dimensions fits and scores ~10x faster than on 5,589 (docs/label_budget.md)
    "hog2_scattering_pca": FeatureSet(parts=("hog2", "scattering"), reduced=True),
    "trees": FeatureSet(model="trees.pkl", images=False, tables=True),
}
LEARNED = tuple(name for name, f in FEATURE_SETS.items() if f.model)
HANDMADE = tuple(name for name, f in FEATURE_SETS.items() if f.handmade)
COMBINED = tuple(name for name, f in FEATURE_SETS.items() if f.parts)


def feature_path(dataset: str, features: str, results: str | Path = "results") -> Path | None:
    """Where the workflow writes a dataset's feature file; None for raw pixels (no file)."""
    if features == "raw":
        return None
    return Path(results) / "represent" / dataset / f"{features}_features.npz"


def flat_pixels(images: np.ndarray) -> np.ndarray:
    """uint8 N×28×28 -> float32 N×784 in [0, 1] (the 'raw' features)."""
    pixels = int(np.prod(images.shape[1:]))  # not -1: an empty set (no test images) has 0
    return images.reshape(len(images), pixels).astype(np.float32) / 255.0


def model_input(data: MnistStyle, x: np.ndarray) -> np.ndarray:
    """What a fitted representation reads: pixels in [0, 1], or a table's encoded rows."""
    return x if data.is_table else flat_pixels(x)


def table_scaler():
    """A table's raw features: empty cells take the training median, then every column is
    standardised on the training rows (fitted without labels)."""
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(
        SimpleImputer(strategy="median", keep_empty_features=True), StandardScaler()
    )


def fit_pca(data: MnistStyle, n_components: int, seed: int):
    from sklearn.decomposition import PCA
    from sklearn.pipeline import make_pipeline

    if data.is_table:
        k = min(n_components, data.x_train.shape[1])
        model = make_pipeline(table_scaler(), PCA(n_components=k, random_state=seed))
        return model.fit(data.x_train)
    return PCA(n_components=n_components, random_state=seed).fit(flat_pixels(data.x_train))


def fit_tree_embedding(
    data: MnistStyle, n_estimators: int, max_depth: int, components: int, seed: int
):
    """``trees``: the leaves a row reaches in random trees (one-hot, sparse), reduced by a
    truncated SVD; nothing sees a label."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.ensemble import RandomTreesEmbedding
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline

    if not data.is_table:
        raise InputError("trees features apply to tables only; choose another feature set")
    model = make_pipeline(
        SimpleImputer(strategy="median", keep_empty_features=True),
        RandomTreesEmbedding(n_estimators=n_estimators, max_depth=max_depth, random_state=seed),
        TruncatedSVD(n_components=components, random_state=seed),
    )
    return model.fit(data.x_train)


def combine_blocks(
    blocks: list[tuple[np.ndarray, np.ndarray]],
) -> tuple[np.ndarray, np.ndarray]:
    """Feature sets side by side, each centred and divided by the square root of its total
    variance on the training rows, so every block weighs the same in a distance whatever
    its number of dimensions (HOG's 1,620 against scattering's 3,969). Nothing sees a
    label or a test row."""
    trains, tests = [], []
    for train, test in blocks:
        mean = train.mean(axis=0, dtype=np.float64)
        scale = float(np.sqrt(((train - mean) ** 2).sum(dtype=np.float64) / max(len(train), 1)))
        scale = scale or 1.0
        trains.append(((train - mean) / scale).astype(np.float32))
        tests.append(((test - mean) / scale).astype(np.float32))
    return np.hstack(trains), np.hstack(tests)


def combined_features(
    name: str, blocks: list[tuple[np.ndarray, np.ndarray]], components: int
) -> tuple[np.ndarray, np.ndarray]:
    """The combined feature set ``name`` from its parts' (train, test) blocks: side by
    side (:func:`combine_blocks`) and, for a reduced set, projected on the ``components``
    leading principal axes of the training rows. Not whitened: that weighs the weakest
    directions (mostly noise) as much as the strongest, and cost hog2_scattering 42 points
    at 100 labels (33.8% against 75.8%)."""
    train, test = combine_blocks(blocks)
    if not FEATURE_SETS[name].reduced:
        return train, test
    from sklearn.decomposition import PCA  # here, not at the top: the workflow parses this

    pca = PCA(n_components=min(components, *train.shape), svd_solver="covariance_eigh")
    pca.fit(train)  # deterministic: an eigendecomposition, signs fixed by scikit-learn
    return pca.transform(train).astype(np.float32), pca.transform(test).astype(np.float32)


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
    """Training and test matrices: a feature file's, or raw pixels when no file is given (a
    table's raw features: filled and standardised on the training rows)."""
    if not features_path:
        if data.is_table:
            scaler = table_scaler().fit(data.x_train)
            return (
                scaler.transform(data.x_train).astype(np.float32),
                scaler.transform(data.x_test).astype(np.float32),
            )
        return flat_pixels(data.x_train), flat_pixels(data.x_test)
    return read_features(features_path)


def embed_with(model_path: str | Path, data: MnistStyle, threads: int = 1):
    """Train and test features from a fitted model file: a pickled PCA or a Keras encoder."""
    if Path(model_path).suffix == ".pkl":  # a scikit-learn transformer (pca, trees)
        model: Any = load_pickle(model_path)
        return (
            model.transform(model_input(data, data.x_train)),
            model.transform(model_input(data, data.x_test)),
        )
    from dsplaybook.represent.keras_runtime import configure

    configure(0, threads)
    from dsplaybook.represent.autoencoders import embed, load_model

    encoder = load_model(model_path)
    return embed(encoder, data.x_train), embed(encoder, data.x_test)
