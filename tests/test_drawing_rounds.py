"""People's drawings: the bitmap format, the round models and the live loop."""

from __future__ import annotations

import pickle
import shutil
import threading
import time

import numpy as np
import pytest
from app_fixtures import CIRCLE, SQUARE, ZIGZAG, doodle_data, drawing_rounds, page_client

from dsplaybook.app.server import create_app
from dsplaybook.dadc.drawings import ink_extent, parse_strokes, strokes_to_bitmap
from dsplaybook.dadc.round_model import train_round_model
from dsplaybook.errors import InputError
from dsplaybook.label_budget.methods import make_classifier
from dsplaybook.sessions.drawing import DrawingSession


def test_drawn_shapes_look_like_the_datasets_and_are_recognised():
    data = doodle_data(300)
    extent = ink_extent(data.x_train)
    assert 18 <= extent <= 24  # the stand-ins do not fill the box; real QuickDraw does (28)
    model = make_classifier("logreg", 0).fit(data.x_train.reshape(-1, 784) / 255.0, data.y_train)
    for strokes, name in ((CIRCLE, "circle"), (SQUARE, "square"), (ZIGZAG, "zigzag")):
        bitmap = strokes_to_bitmap(strokes, extent)
        assert bitmap.dtype == np.uint8 and bitmap.shape == (28, 28)
        rows, cols = np.nonzero(bitmap > 64)
        assert max(np.ptp(rows), np.ptp(cols)) + 1 == pytest.approx(extent, abs=2)
        guess = model.predict(bitmap.reshape(1, 784) / 255.0)[0]
        assert data.class_names[guess] == name


def test_an_l_keeps_its_ink_where_it_was_drawn():
    bitmap = strokes_to_bitmap([[(10, 10), (10, 200)], [(10, 200), (200, 200)]])
    assert bitmap[:, :8].sum() > 0 and bitmap[-8:, :].sum() > 0  # left edge, bottom edge
    assert bitmap[:14, 14:].sum() == 0  # nothing top-right


@pytest.mark.parametrize(
    ("strokes", "message"),
    [([], "canvas is empty"), ([[]], "canvas is empty"), ("x", "a list of at most"),
     ([[[1, "a"]]], "two numbers"), ([[[1, float("inf")]]], "two numbers")],
)  # fmt: skip
def test_bad_strokes_are_refused(strokes, message):
    with pytest.raises(InputError, match=message):
        parse_strokes(strokes)


def _fool(rounds, strokes=CIRCLE, session="s"):
    """Submit ``strokes`` with a true class the model does not predict (so it fools it)."""
    bitmap = strokes_to_bitmap(strokes, 21)
    round_, probabilities = rounds.judge(bitmap)
    wrong = int(np.argsort(probabilities)[0])
    return rounds.submit(strokes, bitmap, wrong, session, round_)


def _wait_for_round(rounds, k, timeout=60):
    for _ in range(timeout * 20):
        if rounds.round == k and not rounds.training:
            return
        time.sleep(0.05)
    raise AssertionError(f"round {k} never started")


def test_rounds_advance_in_the_background_and_survive_a_restart(tmp_path):
    rounds = drawing_rounds(tmp_path, round_size=2)
    assert rounds.round == 0 and rounds.state()["needed"] == 2
    first = _fool(rounds)
    assert first["fooled"] and first["round"] == 0 and rounds.state()["needed"] == 1
    _fool(rounds, SQUARE)
    _wait_for_round(rounds, 1)
    state = rounds.state()
    assert state["round"] == 1 and state["needed"] == 2 and state["gallery"] == []
    table = rounds.store.drawings()
    expected = train_round_model(rounds.data, table, rounds.settings)  # what the workflow does
    x = rounds.data.x_test
    assert np.array_equal(rounds._models[1].predict(x), expected.predict(x))
    again = drawing_rounds(tmp_path, round_size=2, data=rounds.data)  # an app restart
    assert again.round == 1
    assert list(again.store.rounds()["round"]) == [0, 1]


def test_twenty_concurrent_submissions_store_twenty_rows(tmp_path):
    rounds = drawing_rounds(tmp_path, round_size=1000)
    client = page_client(create_app(None, drawing=DrawingSession("doodles", rounds, 21.0)))
    answers = []

    def submit(k):
        body = {
            "strokes": CIRCLE if k % 2 else ZIGZAG,
            "true_class": k % 4,
            "session": f"t{k}",
            "round": 0,
        }
        answers.append(client.post("/api/draw/submit", json=body).status_code)

    threads = [threading.Thread(target=submit, args=(k,)) for k in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [200] * 20 and len(rounds.store.drawings()) == 20
    empty = client.post("/api/draw/guess", json={"strokes": []})
    assert empty.status_code == 400 and "canvas is empty" in empty.json()["error"]
    assert len(rounds.store.drawings()) == 20


@pytest.mark.parametrize(
    "damage", ["missing", "corrupt", "altered", "all files gone", "a folder in its place"]
)
def test_a_damaged_round_model_is_rebuilt_from_the_store(tmp_path, damage, caplog):
    rounds = drawing_rounds(tmp_path, round_size=1)
    _fool(rounds)
    _wait_for_round(rounds, 1)
    x = rounds.data.x_test
    expected = rounds._models[1].predict(x)
    models = tmp_path / "annotations" / "doodles.models"
    if damage == "missing":
        (models / "round_1.pkl").unlink()
    elif damage == "corrupt":
        (models / "round_1.pkl").write_bytes(b"not a pickle")
    elif damage == "altered":
        (models / "round_1.pkl").write_bytes(pickle.dumps(rounds._models[1]) + b"\0")
    elif damage == "a folder in its place":
        (models / "round_1.pkl").unlink()
        (models / "round_1.pkl").mkdir()
        (models / "round_1.pkl" / "kept.txt").write_text("someone's")  # left alone
    else:
        shutil.rmtree(models)
    again = drawing_rounds(tmp_path, round_size=1, data=rounds.data)  # an app restart
    assert again.round == 1 and "rebuilding it from the store" in caplog.text
    assert np.array_equal(again._models[1].predict(x), expected)  # the same model again
    if damage == "a folder in its place":
        assert (models / "round_1.pkl" / "kept.txt").read_text() == "someone's"
        assert (models / "round_1.rebuilt-1.pkl").is_file() and "not a file" in caplog.text
    else:
        assert (models / "round_1.pkl").is_file()
    _fool(again, SQUARE)  # the next round gets a new number: no collision
    _wait_for_round(again, 2)
    assert list(again.store.rounds()["round"]) == [0, 1, 2]
    caplog.clear()
    drawing_rounds(tmp_path, round_size=1, data=rounds.data)  # the rebuild was recorded
    assert "rebuilding" not in caplog.text


def test_a_drawing_guessed_in_a_closed_round_is_refused_not_misfiled(tmp_path):
    rounds = drawing_rounds(tmp_path, round_size=1)
    client = page_client(create_app(None, drawing=DrawingSession("doodles", rounds, 21.0)))
    guessed = client.post("/api/draw/guess", json={"strokes": CIRCLE}).json()["round"]
    _fool(rounds)
    _wait_for_round(rounds, 1)
    body = {"strokes": CIRCLE, "true_class": 1, "session": "tab", "round": guessed}
    stale = client.post("/api/draw/submit", json=body)
    assert stale.status_code == 409 and "round 0 closed; guess again" in stale.json()["error"]
    assert len(rounds.store.drawings()) == 1  # only the drawing that closed round 0
    fresh = client.post("/api/draw/submit", json={**body, "round": 1})
    assert fresh.status_code == 200 and fresh.json()["round"] == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [({"strokes": [[[1e308, 5], [10, 10]]]}, "strokes[0][0]"),
     ({"strokes": [[[-1e308, 5]]]}, "strokes[0][0]"),
     ({"strokes": [[[10, 10], ["12", 40]]]}, "strokes[0][1]"),
     ({"strokes": [[[True, False]]]}, "strokes[0][0]"),
     ({"strokes": [[[1, 2, 3]]]}, "strokes[0][0]"),
     ({"strokes": [[[10, 10]], "x"]}, "strokes[1]"),
     ({"strokes": [[[10, 10]] * 5001]}, "more than 5000 points"),
     ({"true_class": 9}, "true_class must be a class number from 0 to 3"),
     ({"true_class": True}, "true_class"),
     ({"session": ""}, "session is required"),
     ({"session": 7}, "session is required"),
     ({"round": "0"}, "round:"),
     ({"round": None}, "round:")],
)  # fmt: skip
def test_bad_drawing_input_names_the_field_and_stores_nothing(tmp_path, change, field):
    rounds = drawing_rounds(tmp_path, round_size=1000)
    client = page_client(create_app(None, drawing=DrawingSession("doodles", rounds, 21.0)))
    body = {"strokes": CIRCLE, "true_class": 1, "session": "tab", "round": 0, **change}
    answer = client.post("/api/draw/submit", json=body)
    assert answer.status_code == 400 and field in answer.json()["error"], answer.json()
    assert rounds.store.drawings().empty


def test_nan_in_the_json_body_is_refused(tmp_path):
    rounds = drawing_rounds(tmp_path, round_size=1000)
    client = page_client(create_app(None, drawing=DrawingSession("doodles", rounds, 21.0)))
    body = b'{"strokes": [[[NaN, 1], [2, 2]]], "true_class": 1, "session": "t", "round": 0}'
    answer = client.post(
        "/api/draw/submit", content=body, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 400 and rounds.store.drawings().empty
