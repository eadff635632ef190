"""The label page learns while a person labels: background retraining every
``retrain_every`` labels, a new ranking from the queue's own strategy, the model's
suggestion (real scikit-learn models on separable images, so the right answer is known)."""

from __future__ import annotations

import numpy as np
import pytest
from app_fixtures import page_client

from dsplaybook.app.server import LabelSession, create_app
from dsplaybook.data.datasets import MnistStyle
from dsplaybook.label_budget.live import LiveRanking
from dsplaybook.label_budget.queue import QueueSettings, select_images
from dsplaybook.represent.features import flat_pixels
from dsplaybook.store import LabelStore


def halves(n: int = 300, seed: int = 0) -> MnistStyle:
    """Class 0: ink on the left half; class 1: on the right; noisy, overlapping a little."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    x = rng.integers(0, 90, (n, 28, 28)).astype(np.uint8)
    for i, k in enumerate(y):
        x[i, :, 14 * k : 14 * k + 14] += rng.integers(60, 160, dtype=np.uint8)
    return MnistStyle(x, y, x[:0], y[:0], ("left", "right"))


def live_session(tmp_path, retrain_every: int = 4) -> LabelSession:
    data = halves()
    settings = QueueSettings(strategy="auto", size=30, features="raw", method="logreg",
                             kmeans_sample=300, seed=0)  # fmt: skip
    live = LiveRanking(flat_pixels(data.x_train), 2, settings, retrain_every, dict)
    store = LabelStore(tmp_path / "annotations" / "halves.sqlite")
    return LabelSession("halves", data, list(range(30)), store, live=live)


def test_the_model_retrains_after_retrain_every_labels_and_the_queue_follows(tmp_path):
    session = live_session(tmp_path)
    client = page_client(create_app(session))
    first = client.get("/api/state", params={"session": "p"}).json()
    assert first["model"] == {"labels": 0, "ranking": 0, "training": False}
    assert first["suggestion"] is None
    truth = session.data.y_train
    for _ in range(3):
        image = client.get("/api/state", params={"session": "p"}).json()["next"]
        client.post("/api/label", json={"session": "p", "image": image, "label": int(truth[image])})
    assert session.live.version == 0 and not session.live.training  # 3 < retrain_every
    image = client.get("/api/state", params={"session": "p"}).json()["next"]
    client.post("/api/label", json={"session": "p", "image": image, "label": int(truth[image])})
    session.live.wait()
    state = client.get("/api/state", params={"session": "p"}).json()
    assert state["model"]["ranking"] == 1 and state["model"]["labels"] == 4
    labelled = set(range(4))
    expected, _ = select_images(session.live.x, {i: int(truth[i]) for i in labelled},
                                session.live.settings)  # fmt: skip
    assert state["next"] == int(expected[0])  # the queue's own uncertainty ranking
    assert state["next"] not in labelled and state["labelled"] == 4 and state["queued"] == 30
    guesses = [session.live.suggestion(i, session.data.class_names)["label"] for i in range(300)]
    assert np.mean(np.array(guesses) == truth) > 0.9  # the suggestions are worth accepting
    assert state["suggestion"]["label"] == guesses[state["next"]]


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
