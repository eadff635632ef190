"""Drawing rounds through real snakemake, from a store a script filled (no person)."""

from __future__ import annotations

import pickle
import time

import numpy as np
import pandas as pd
import pytest
from app_fixtures import CIRCLE, SQUARE, ZIGZAG

from dsplaybook.dadc.drawing_store import DrawingStore
from dsplaybook.dadc.drawings import ink_extent, strokes_to_bitmap
from dsplaybook.dadc.round_model import HumanRoundSettings, bitmaps
from dsplaybook.data.datasets import read_mnist_style
from dsplaybook.sessions.drawing import DrawingRounds

pytestmark = pytest.mark.workflow

HUMAN = {"dataset": "quickdraw", "round_size": 2, "base_per_class": 20, "method": "logreg"}


def test_rounds_table_measures_each_round_and_exports_its_drawings(tiny_workflow, tmp_path):
    run = tiny_workflow
    config = {
        "branches": ["dadc"],
        "datasets": ["quickdraw"],
        "dadc": {"human": HUMAN, "hard_test": {"features": "raw", "method": "logreg"}},
    }
    import yaml

    base = yaml.safe_load(run.configfile.read_text())
    run.write_config({**base, **config})
    run.snakemake("results/data/quickdraw.h5")
    data = read_mnist_style(run.workdir / "results/data/quickdraw.h5")
    store = DrawingStore(tmp_path / "scripted.sqlite")
    settings = HumanRoundSettings.from_config({**HUMAN, "drawings": ""}, seed=7)
    rounds = DrawingRounds(data, store, tmp_path / "models", settings)
    extent = ink_extent(data.x_train)
    for k, strokes in enumerate((CIRCLE, CIRCLE, SQUARE, ZIGZAG, CIRCLE, ZIGZAG, SQUARE)):
        round_before = rounds.round
        bitmap = strokes_to_bitmap(strokes, extent)
        round_, probabilities = rounds.judge(bitmap)
        drawn = rounds.submit(strokes, bitmap, int(np.argsort(probabilities)[0]), "script", round_)
        assert drawn["pending"]  # peer validation (the default): a second session decides
        rounds.validate(drawn["drawing"], "checker", "reject" if k == 0 else "confirm")
        while rounds.training:
            time.sleep(0.05)
        assert rounds.round >= round_before
    assert rounds.round == 3  # three rounds of two validated fools each
    config["dadc"]["human"] = {**HUMAN, "drawings": str(store.path)}
    run.write_config({**base, **config})

    def files():  # what people entered, byte for byte, with its times
        return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.glob("scripted*")}

    before = files()
    planned = run.snakemake("-n")  # rule all now holds the human rounds
    assert files() == before  # parsing the workflow wrote nothing, created nothing
    assert "results/dadc/quickdraw/human/rounds.csv" in planned.stdout + planned.stderr
    folder = run.workdir / "results/dadc/quickdraw/human"
    run.snakemake(*(f"results/dadc/quickdraw/human/{n}" for n in ("rounds.csv", "round_1.h5")))
    table = pd.read_csv(folder / "rounds.csv")
    drawings = store.drawings()
    assert list(table["round"]) == [0, 1, 2]
    assert list(table["drawings"]) == [3, 2, 2] and (table["fool_rate"] == 1.0).all()
    assert list(table["validated"]) == [2, 2, 2] and list(table["rejected"]) == [1, 0, 0]
    assert table.loc[0, "vmer"] == pytest.approx(2 / 3) and (table.loc[1:, "vmer"] == 1).all()
    assert table.loc[0, "rejection_rate"] == pytest.approx(1 / 3)
    model_1 = pickle.loads((tmp_path / "models" / "round_1.pkl").read_bytes())
    fooled_0 = drawings[(drawings["round"] == 0) & (drawings["id"] > 1)]  # the validated two
    expected = (model_1.predict(bitmaps(fooled_0)) != fooled_0["true_class"].to_numpy()).mean()
    assert table.loc[0, "next_model_fooled_rate"] == pytest.approx(expected)
    assert table["next_model_fooled_rate"].between(0, 1).all()  # round 3's model exists
    assert table["test_error"].between(0, 1).all() and table["hard_error"].between(0, 1).all()
    round_1 = read_mnist_style(folder / "round_1.h5")
    assert np.array_equal(round_1.x_train, bitmaps(drawings[drawings["round"] == 1]))
    assert round_1.class_names == data.class_names
    assert (folder / "rounds.png").stat().st_size > 10_000
