"""Real QuickDraw bitmaps through the mirror setting (development and CI machines only).

The project never depends on ../shared; this test uses it the way a cluster user would
use a pre-staged folder: as `quickdraw.mirror`, with no URL to fall back on.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SHARED_DATA, WorkflowRun

from dsplaybook.data.datasets import read_mnist_style

QUICKDRAW_MIRROR = SHARED_DATA / "quickdraw"
CATEGORIES = ["eyeglasses", "hat", "laptop", "snowman"]

pytestmark = [
    pytest.mark.workflow,
    pytest.mark.skipif(
        not all((QUICKDRAW_MIRROR / f"{c}.npy").exists() for c in CATEGORIES),
        reason=f"real QuickDraw bitmaps not present at {QUICKDRAW_MIRROR} (CI/dev machines only)",
    ),
]


def test_real_quickdraw_categories_build_through_the_mirror(tmp_path):
    run = WorkflowRun(workdir=tmp_path / "work", configfile=tmp_path / "qd.yaml")
    run.workdir.mkdir()
    run.write_config(
        {
            "branches": ["data"],
            "datasets": ["quickdraw"],
            "quickdraw": {
                "source": "official",
                "categories": CATEGORIES,
                "per_category": 5000,
                "url": "",
                "mirror": str(QUICKDRAW_MIRROR),
            },
        }
    )
    run.snakemake()
    data = read_mnist_style(run.workdir / "results/data/quickdraw.h5")
    assert data.x_train.shape == (16000, 28, 28) and data.x_test.shape == (4000, 28, 28)
    assert data.class_names == tuple(CATEGORIES)
    assert np.bincount(data.y_test).tolist() == [1000] * 4
    assert not data.synthetic and "QuickDraw" in data.source
    # the first drawing of "hat" in the mirror is somewhere in the combined set
    first_hat = np.load(QUICKDRAW_MIRROR / "hat.npy", mmap_mode="r")[0].reshape(28, 28)
    hats = np.concatenate([data.x_train[data.y_train == 1], data.x_test[data.y_test == 1]])
    assert any(np.array_equal(first_hat, h) for h in hats)
    assert (run.workdir / "results/data/quickdraw_samples.png").stat().st_size > 10_000


STROKES_MIRROR = SHARED_DATA / "quickdraw_strokes"
STROKE_CATEGORIES = ["snowman", "cake", "power outlet", "smiley face"]
needs_strokes = pytest.mark.skipif(
    not (STROKES_MIRROR / "snowman.ndjson").exists(),
    reason=f"real QuickDraw strokes not present at {STROKES_MIRROR} (CI/dev machines only)",
)


def strokes_run(tmp_path, categories, per_category, **config) -> WorkflowRun:
    """A workflow on shared stroke files through the mirror, with no URL to fall back on."""
    run = WorkflowRun(workdir=tmp_path / "work", configfile=tmp_path / "qd.yaml")
    run.workdir.mkdir()
    quickdraw = {"source": "strokes", "categories": categories, "per_category": per_category,
                 "strokes_url": "", "mirror": str(STROKES_MIRROR)}  # fmt: skip
    run.write_config({"datasets": ["quickdraw"], "quickdraw": quickdraw, **config})
    return run


@needs_strokes
def test_real_strokes_build_a_set_rendered_as_the_page_renders(tmp_path):
    """Stroke files (names with spaces found under their underscore names) -> an
    MNIST-style set named quickdraw_strokes, each image the page's rendering of one of
    the first recognised drawings."""
    from dsplaybook.dadc.drawings import strokes_to_bitmap
    from dsplaybook.data.strokes import read_category

    run = strokes_run(tmp_path, STROKE_CATEGORIES, 200, branches=["data"])
    run.snakemake()
    data = read_mnist_style(run.workdir / "results/data/quickdraw_strokes.h5")
    assert data.x_train.shape == (640, 28, 28) and data.x_test.shape == (160, 28, 28)
    assert data.class_names == tuple(STROKE_CATEGORIES) and "strokes" in data.source
    first_cake = read_category(STROKES_MIRROR / "cake.ndjson", 1)[0]
    cakes = np.concatenate([data.x_train[data.y_train == 1], data.x_test[data.y_test == 1]])
    page = strokes_to_bitmap([[(x * 1.1 + 7, y * 1.1 + 3) for x, y in s] for s in first_cake])
    assert any(np.array_equal(page, c) for c in cakes)


@needs_strokes
def test_drawing_players_study_runs_from_stroke_files_and_reruns_identically(tmp_path):
    import shutil

    import pandas as pd

    players = {
        "rounds": 2, "round_budget": 30, "attempts": 3, "seeds": 2, "initial": 10,
        "pool": 60, "reference": 40, "peer": 30, "test": 40,
    }  # fmt: skip
    run = strokes_run(
        tmp_path,
        ["cake", "snowman", "smiley face"],
        100,
        branches=["data", "dadc"],
        dadc={"players": players},
    )
    folder = run.workdir / "results/dadc/quickdraw_strokes/players"
    run.snakemake(str(folder.relative_to(run.workdir) / "summary.csv"))
    rounds = pd.read_csv(folder / "rounds.csv")
    assert rounds["seed"].nunique() == 2
    assert (rounds[rounds["round"] > 0]["made"] == 30).all()  # equal drawings made
    assert (rounds["test_size"] == 120).all() and (rounds["hard_size"] == 24).all()
    summary = pd.read_csv(folder / "summary.csv")
    assert summary["round"].tolist() == [0, 1, 2] and (summary["seeds"] == 2).all()
    assert summary.loc[0, "test_reduction_mean"] == 0  # the same start
    assert (folder / "players.png").stat().st_size > 10_000
    first = (folder / "rounds.csv").read_bytes()
    shutil.rmtree(folder)
    run.snakemake(str(folder.relative_to(run.workdir) / "summary.csv"))
    assert (folder / "rounds.csv").read_bytes() == first
