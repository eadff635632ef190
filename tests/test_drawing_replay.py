"""Real drawings replayed through the drawing page's path (dadc.replay)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import SHARED_DATA

from dsplaybook.dadc.drawing_store import DRAWING_COLUMNS
from dsplaybook.dadc.drawings import PAD, drawing_extent, page_bitmap
from dsplaybook.dadc.replay import (
    Replay,
    as_sent_by_the_page,
    held_out_drawings,
    per_class_accuracy,
    replay,
)
from dsplaybook.dadc.round_model import HumanRoundSettings, train_round_model
from dsplaybook.data.quickdraw import SOURCES, combine_categories
from dsplaybook.data.strokes import read_category, render, render_all

STROKES = SHARED_DATA / "quickdraw_strokes"
FOUR = ["snowman", "cake", "power_outlet", "smiley_face"]
shared = pytest.mark.skipif(
    not (STROKES / "snowman.ndjson").exists(),
    reason="shared QuickDraw strokes are on CI and dev machines only",
)


def test_a_drawing_as_the_page_sends_it_lies_in_the_pad_and_renders_the_same():
    drawing = [[(0.0, 0.0), (255.0, 100.0)], [(30.0, 200.0), (60.0, 180.5)]]
    sent = as_sent_by_the_page(drawing)
    points = np.array([p for s in sent for p in s])
    assert points.min() >= 0 and points.max() <= PAD
    assert all(isinstance(v, int) for p in points.tolist() for v in p)  # mouse pixels
    _, bitmap = page_bitmap(json.loads(json.dumps(sent)), None)
    # the pad's whole pixels move a point by under half a pixel of 240: the same image
    assert np.abs(bitmap.astype(int) - render(drawing).astype(int)).max() <= 40
    assert np.abs(bitmap.astype(int) - render(drawing).astype(int)).mean() < 2


def test_recognition_and_confusion_count_each_drawing_once():
    result = Replay(np.array([0, 0, 0, 1, 1, 2]), np.array([0, 1, 0, 1, 1, 0]), ("a", "b", "c"))
    table = result.recognition()
    assert table["drawings"].tolist() == [3, 2, 1]
    assert table["recognised"].tolist() == pytest.approx([2 / 3, 1.0, 0.0])
    assert result.overall == pytest.approx((2 / 3 + 1 + 0) / 3)
    assert result.confusion().to_numpy().tolist() == [[2, 1, 0], [0, 2, 0], [1, 0, 0]]


def test_held_out_drawings_follow_the_ones_a_dataset_took(tmp_path):
    path = tmp_path / "cake.ndjson"
    path.write_text(
        "".join(
            json.dumps({"word": "cake", "recognized": k != 3, "drawing": [[[k, 9], [0, 9]]]}) + "\n"
            for k in range(8)
        )
    )
    taken = [d[0][0][0] for d in read_category(path, 3)]
    held = [d[0][0][0] for d in held_out_drawings(path, 3, 10)]
    assert taken == [0, 1, 2] and held == [4, 5, 6, 7]  # 3 was not recognised
    assert not set(taken) & set(held)


@shared
def test_real_held_out_drawings_through_the_page_score_as_held_out_bitmaps():
    """The page and the training data agree: round-0 recognition of real drawings no fit
    saw, through the page, within 3 points of the model's accuracy on held-out rendered
    bitmaps, and well above chance (25%)."""
    n_train = 400
    data = combine_categories(
        [render_all(read_category(STROKES / f"{c}.ndjson", n_train)) for c in FOUR],
        FOUR,
        test_fraction=0.25,
        seed=3,
        source=SOURCES["strokes"],
    )
    held = [held_out_drawings(STROKES / f"{c}.ndjson", n_train, 150) for c in FOUR]
    settings = HumanRoundSettings(
        dataset="quickdraw", base_per_class=300, seed=3, hyperparameters={"C": 10.0}
    )
    model = train_round_model(data, pd.DataFrame(columns=list(DRAWING_COLUMNS)), settings)
    drawings = [d for h in held for d in h]
    truth = [k for k, h in enumerate(held) for _ in h]
    page = replay(drawings, truth, model, drawing_extent(data), data.class_names)
    bitmaps = per_class_accuracy(model, data.x_test, data.y_test, 4)
    assert page.overall > 0.8 and bitmaps > 0.8
    assert abs(page.overall - bitmaps) < 0.03
    assert page.confusion().to_numpy().sum() == len(drawings) == 600
