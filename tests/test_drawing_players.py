"""Simulated players who draw new fools (dadc.stroke_players)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SHARED_DATA

from dsplaybook.dadc.drawings import strokes_to_bitmap
from dsplaybook.dadc.player_settings import PlayerSettings
from dsplaybook.dadc.player_study import round_table
from dsplaybook.dadc.round_model import HumanRoundSettings, fit_round_model
from dsplaybook.dadc.stroke_players import (
    EDITS,
    play_round,
    relative_reduction,
    simulate_players,
)
from dsplaybook.data.strokes import read_category

L_SHAPE = [[(0.0, 0.0), (0.0, 100.0), (60.0, 100.0)], [(20.0, 20.0), (40.0, 20.0)]]
OTHER = [[(0.0, 0.0), (50.0, 50.0)], [(50.0, 0.0), (0.0, 50.0)]]


@pytest.mark.parametrize("name", sorted(EDITS))
def test_each_trick_changes_the_drawing_and_keeps_it_drawable(name):
    rng = np.random.default_rng(0)
    edited = EDITS[name](L_SHAPE, rng, OTHER)
    assert edited != L_SHAPE and edited and all(edited)
    assert strokes_to_bitmap(edited).sum() > 0


def test_tricks_do_what_they_say():
    rng = np.random.default_rng(1)
    assert len(EDITS["drop_stroke"](L_SHAPE, rng, OTHER)) == 1
    assert len(EDITS["add_stroke"](L_SHAPE, rng, OTHER)) == 3
    assert len(EDITS["borrow_stroke"](L_SHAPE, rng, OTHER)) == 3
    squashed = np.concatenate(EDITS["stretch"](L_SHAPE, rng, OTHER))
    ratios = np.ptp(squashed, axis=0) / np.ptp(np.concatenate(L_SHAPE), axis=0)
    assert 0.39 < ratios.min() < 0.71 and ratios.max() == pytest.approx(1)
    turned = np.concatenate(EDITS["turn"](L_SHAPE, rng, OTHER))
    assert not np.allclose(np.ptp(turned, axis=0), np.ptp(np.concatenate(L_SHAPE), axis=0))
    ten = L_SHAPE * 5
    part = EDITS["partial"](ten, rng, OTHER)
    assert 4 <= len(part) <= 7 and part == ten[: len(part)]  # a prefix: drawn so far


class _Always:
    """A model that always says ``k``."""

    def __init__(self, k):
        self.k = k

    def predict(self, images):
        return np.full(len(images), self.k)


def test_a_round_spends_exactly_its_budget_and_counts_fools_and_rejections():
    pool = [(L_SHAPE, 0)] * 30 + [(OTHER, 1)] * 30
    s = PlayerSettings(round_budget=17, attempts=3)
    # the model says 1 and the peer says 0: every class-0 attempt is a validated fool,
    # every class-1 attempt is rejected by the peer
    got, position = play_round(_Always(1), _Always(0), pool, 0, s, np.random.default_rng(0), None)
    assert got.made == 17 and got.fools == 17 and got.peer_rejected == 0
    assert position == 17  # a fool on the first attempt: one real drawing each
    got, position = play_round(_Always(1), _Always(0), pool, 30, s, np.random.default_rng(0), None)
    assert got.made == 17 and got.fools == 0 and got.peer_rejected == 17 and not got.bitmaps
    assert position == 30 + 6  # three attempts on each of six drawings


def test_relative_reduction_is_the_share_of_errors_avoided():
    assert relative_reduction(0.2, 0.15) == pytest.approx(0.25)
    assert relative_reduction(0.2, 0.25) == pytest.approx(-0.25)


STROKES = SHARED_DATA / "quickdraw_strokes"


@pytest.mark.skipif(
    not (STROKES / "cake.ndjson").exists(), reason="shared strokes: CI and dev machines only"
)
def test_players_and_standard_spend_equal_drawings_and_rerun_identically():
    cats = ["cake", "snowman", "smiley_face"]
    drawings = {c: read_category(STROKES / f"{c}.ndjson", 200) for c in cats}
    initial = [(d, k) for k, c in enumerate(cats) for d in drawings[c][:15]]
    pool = [(d, k) for k, c in enumerate(cats) for d in drawings[c][15:95]]
    test_pairs = [(d, k) for k, c in enumerate(cats) for d in drawings[c][95:155]]
    x_test = np.stack([strokes_to_bitmap(d) for d, _ in test_pairs])
    y_test = np.array([k for _, k in test_pairs])
    peer_pairs = [(d, k) for k, c in enumerate(cats) for d in drawings[c][155:200]]
    model_s = HumanRoundSettings(dataset="quickdraw", seed=0, hyperparameters={"C": 10.0})
    peer = fit_round_model(
        np.stack([strokes_to_bitmap(d) for d, _ in peer_pairs]),
        np.array([k for _, k in peer_pairs]),
        np.ones(len(peer_pairs)),
        HumanRoundSettings(dataset="quickdraw", seed=0, method="logreg"),
    )
    hard = np.arange(len(y_test)) % 4 == 0
    s = PlayerSettings(rounds=2, round_budget=40, attempts=3, copies=2, seed=5)
    runs = [
        simulate_players(initial, pool, (x_test, y_test, hard), peer, s, model_s) for _ in range(2)
    ]
    assert runs[0].equals(runs[1])
    run = runs[0]
    assert (run[run["round"] > 0]["made"] == 40).all()
    first = run[run["round"] == 0]
    assert first["test_error"].nunique() == 1  # both start from the same model
    dadc = run[(run.strategy == "dadc") & (run["round"] > 0)]
    assert dadc["fools"].sum() > 0  # the players find fools on real drawings
    assert (run["test_error"] < 2 / 3).all()  # better than chance (3 classes)
    table = round_table(run)
    assert table["round"].tolist() == [0, 1, 2] and table.loc[0, "test_reduction_mean"] == 0
