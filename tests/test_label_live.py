"""The label page learns while a person labels: background retraining every
``retrain_every`` labels, a new ranking from the queue's own strategy, the model's
suggestion (real scikit-learn models on separable images, so the right answer is known)."""

from __future__ import annotations

import numpy as np
import pytest
from app_fixtures import page_client, page_state

from dsplaybook.app.server import create_app
from dsplaybook.data.datasets import MnistStyle
from dsplaybook.label_budget.selection import SelectionSettings
from dsplaybook.labelling.live import LiveRanking
from dsplaybook.labelling.queue import QueueSettings, select_images
from dsplaybook.represent.features import flat_pixels
from dsplaybook.sessions.labelling import LabelSession
from dsplaybook.store import LabelStore


def halves(n: int = 300, seed: int = 0) -> MnistStyle:
    """Class 0: ink on the left half; class 1: on the right; noisy, overlapping a little."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    x = rng.integers(0, 90, (n, 28, 28)).astype(np.uint8)
    for i, k in enumerate(y):
        x[i, :, 14 * k : 14 * k + 14] += rng.integers(60, 160, dtype=np.uint8)
    return MnistStyle(x, y, x[:0], y[:0], ("left", "right"))


def live_session(tmp_path, retrain_every: int = 4, size: int = 4) -> LabelSession:
    """A queue of 30; the live model re-ranks once ``size`` (a batch) labels exist."""
    data = halves()
    settings = QueueSettings(strategy="auto", size=size, features="raw", method="logreg",
                             selection=SelectionSettings(kmeans_sample=300), seed=0)  # fmt: skip
    live = LiveRanking(flat_pixels(data.x_train), 2, settings, retrain_every, dict)
    store = LabelStore(tmp_path / "annotations" / "halves.sqlite")
    return LabelSession("halves", data, list(range(30)), store, live=live)


def test_the_model_retrains_after_retrain_every_labels_and_the_queue_follows(tmp_path):
    session = live_session(tmp_path, retrain_every=4)
    client = page_client(create_app(session))
    first = page_state(client, "p")
    assert first["model"] == {"labels": 0, "ranking": 0, "training": False, "estimate": None}
    assert first["suggestion"] is None
    truth = session.data.y_train

    def label_next():
        image = page_state(client, "p")["next"]
        client.post("/api/label", json={"session": "p", "image": image, "label": int(truth[image])})

    label_next()
    assert session.live.version == 0 and not session.live.training  # 1 label: too few
    label_next()  # while there are few labels a model comes sooner: after 2, not 4
    session.live.wait()
    state = page_state(client, "p")
    assert state["model"]["ranking"] == 1 and state["model"]["labels"] == 2
    assert state["suggestion"] is not None and session.live.ranking is None  # < a batch
    for _ in range(2):
        label_next()
    session.live.wait()
    state = page_state(client, "p")
    assert state["model"]["ranking"] == 2 and state["model"]["labels"] == 4
    labelled = set(range(4))
    expected, _ = select_images(session.live.x, {i: int(truth[i]) for i in labelled},
                                session.live.settings)  # fmt: skip
    assert state["next"] == int(expected[0])  # the queue's own uncertainty ranking
    assert state["next"] not in labelled and state["labelled"] == 4 and state["queued"] == 30
    assert session.queue[4:8] == [int(i) for i in expected]  # the ranking, then the rest
    rest = [i for i in range(4, 30) if i not in session.queue[4:8]]
    assert session.queue[8:] == rest[:22]  # then the old order, the same length in all
    guesses = [session.live.suggestion(i, session.data.class_names)["label"] for i in range(300)]
    assert np.mean(np.array(guesses) == truth) > 0.9  # the suggestions are worth accepting
    assert state["suggestion"]["label"] == guesses[state["next"]]
    estimate = state["model"]["estimate"]
    assert estimate["folds"] == 2 and estimate["low"] <= estimate["accuracy"] <= estimate["high"]
    assert 0 <= estimate["pool_share"] <= 1 and estimate["precision"] == 0.95


def test_the_estimate_tracks_the_real_pool_accuracy(tmp_path):
    session = live_session(tmp_path, retrain_every=40)
    truth = session.data.y_train
    for image in range(40):
        session.label(image, int(truth[image]), "p")
    session.live.wait()
    estimate = session.live.estimate
    guesses = np.array([session.live.suggestion(i, ("l", "r"))["label"] for i in range(40, 300)])
    real = float((guesses == truth[40:]).mean())
    assert estimate["folds"] == 5 and abs(estimate["accuracy"] - real) < 0.1, (estimate, real)


def test_the_first_batch_keeps_its_order_until_a_batch_of_labels_exists(tmp_path):
    session = live_session(tmp_path, retrain_every=2, size=6)
    truth = session.data.y_train
    for image in range(4):
        session.label(image, int(truth[image]), "p")
        session.live.wait()
    assert session.live.version >= 1 and session.live.ranking is None  # suggestions only
    assert session.queue == list(range(30))
    for image in range(4, 6):
        session.label(image, int(truth[image]), "p")
        session.live.wait()
    session.state("p")
    assert session.live.ranking is not None and session.queue[6:12] == session.live.ranking


def test_labels_are_stored_while_the_model_trains(tmp_path):
    session = live_session(tmp_path, retrain_every=1)
    client = page_client(create_app(session))
    for image in range(6):  # every label starts (or skips) a retrain; none waits for one
        answer = client.post("/api/label", json={"session": "p", "image": image,
                                                  "label": image % 2})  # fmt: skip
        assert answer.status_code == 200
    session.live.wait()
    assert len(session.store.events()) == 6 and session.live.version >= 1


@pytest.mark.parametrize("every", [0])
def test_retrain_every_zero_is_off(tmp_path, every):
    session = live_session(tmp_path, retrain_every=every)
    client = page_client(create_app(session))
    for image in range(4):
        client.post("/api/label", json={"session": "p", "image": image, "label": image % 2})
    assert session.live.version == 0 and not session.live.training


def test_review_walks_disputes_then_the_least_confident_model_labels(tmp_path):
    session = live_session(tmp_path)
    client = page_client(create_app(session))
    truth = session.data.y_train
    for image in range(4):
        client.post("/api/label", json={"session": "a", "image": image, "label": int(truth[image])})
    session.live.wait()
    client.post("/api/label", json={"session": "b", "image": 0, "label": 1 - int(truth[0])})
    review = page_state(client, "c", "review")
    assert review["mode"] == "review" and review["next"] == 0  # the dispute comes first
    mine = page_state(client, "a", "review")
    assert mine["next"] == 0  # those who disagree see it too, with both labels
    names = session.data.class_names
    assert mine["review"]["reason"] == "dispute"
    assert sorted(v["name"] for v in mine["review"]["votes"]) == sorted(names)
    confidence = session.live._confidence
    listed = session.review_list()
    assert listed[0] == 0 and len(listed) == 1 + session.review_size
    model_part = listed[1:]
    assert not set(model_part) & set(range(4))  # images people labelled are not reviewed
    others = np.setdiff1d(np.arange(300), [*model_part, 0, 1, 2, 3])
    assert confidence[model_part].max() <= confidence[others].min()  # the least confident
    answer = client.post("/api/label", json={"session": "c", "image": 0, "mode": "review",
                                             "label": int(truth[0])}).json()  # fmt: skip
    assert answer["mode"] == "review" and answer["next"] == model_part[0]
    assert answer["labelled"] == 1 and answer["suggestion"] is not None


def test_overlap_images_go_to_two_people_and_their_agreement_is_measured(tmp_path):
    from sklearn.metrics import cohen_kappa_score

    from dsplaybook.labelling.agreement import agreement
    from dsplaybook.store import StandingView

    data = halves(60)
    store = LabelStore(tmp_path / "annotations" / "halves.sqlite")
    session = LabelSession("halves", data, list(range(60)), store, overlap=0.5, seed=3)
    client = page_client(create_app(session))
    twice = set(np.flatnonzero(session._overlap).tolist())
    assert 15 < len(twice) < 45  # about half, seeded
    seen = {"ann": [], "bob": []}
    rng = np.random.default_rng(0)
    for _ in range(60):
        for who in seen:
            image = page_state(client, who)["next"]
            if image is None:
                continue
            label = int(data.y_train[image]) if rng.random() < 0.8 else 1 - int(data.y_train[image])
            client.post("/api/label", json={"session": who, "image": image, "label": label,
                                            "who": who.title()})  # fmt: skip
            seen[who].append(image)
    both = set(seen["ann"]) & set(seen["bob"])
    assert both == twice  # exactly the overlap was labelled by both, nothing else
    assert len(set(seen["ann"]) | set(seen["bob"])) == 60
    assert store.annotators() == {"ann": "Ann", "bob": "Bob"}
    view = StandingView()
    view.refresh(store)
    table = agreement(view.votes(), store.annotators(), data.class_names)
    votes = view.votes()
    a = [votes[i]["ann"] for i in sorted(both)]
    b = [votes[i]["bob"] for i in sorted(both)]
    overall = table.iloc[0]
    assert overall["images"] == len(both)
    assert overall["kappa"] == pytest.approx(cohen_kappa_score(a, b))
    assert overall["agreement"] == pytest.approx(np.mean(np.array(a) == np.array(b)))
    assert list(table["class_name"]) == ["(all)", "left", "right"]


def test_an_intended_double_label_that_agrees_is_no_conflict(tmp_path):
    """Issue 37, point 3: on the overlap two people label on purpose; agreeing is not a
    conflict, disagreeing is a disagreement kept for review; elsewhere a second label is
    a conflict, and it names each side's own class."""
    data = halves(60)
    store = LabelStore(tmp_path / "annotations" / "halves.sqlite")
    session = LabelSession("halves", data, list(range(60)), store, overlap=0.5, seed=3)
    client = page_client(create_app(session))
    twice = np.flatnonzero(session._overlap)
    once = np.flatnonzero(~session._overlap)
    a, b, c = int(twice[0]), int(twice[1]), int(once[0])
    for image in (a, b, c):
        client.post("/api/label", json={"session": "ann", "image": image, "label": 0})
    agree = client.post("/api/label", json={"session": "bob", "image": a, "label": 0}).json()
    assert "conflict" not in agree
    differ = client.post("/api/label", json={"session": "bob", "image": b, "label": 1}).json()
    assert differ["conflict"]["kind"] == "disagreement"
    assert (differ["conflict"]["other"], differ["conflict"]["yours"]) == ("left", "right")
    late = client.post("/api/label", json={"session": "bob", "image": c, "label": 1}).json()
    assert late["conflict"]["kind"] == "conflict" and late["conflict"]["yours"] == "right"
