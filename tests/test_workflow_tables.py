"""A table through real snakemake: fetched from a mirror folder, built, audited, swept with
chosen and random labels (and all labels as the reference), pool-labelled."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import WorkflowRun

pytestmark = pytest.mark.workflow

TARGETS = [
    "results/data/parts.h5",
    "results/audit/parts/findings.txt",
    "results/label_budget/parts/summary.csv",
    "results/label_budget/parts/labels_needed.csv",
    "results/label_budget/parts/learning_curves.png",
    "results/label_budget/parts/selections.png",
    "results/label_budget/parts/labels.csv",
]


def machine_table(n: int = 1200, seed: int = 0) -> pd.DataFrame:
    """Machines with a rare failure that depends on torque and wear (and their type)."""
    rng = np.random.default_rng(seed)
    kind = rng.choice(["L", "M", "H"], n, p=[0.6, 0.3, 0.1])
    torque = rng.normal(40, 10, n)
    wear = rng.uniform(0, 250, n)
    risk = (torque - 40) / 10 + (wear - 125) / 60 + (kind == "L") * 0.5
    failure = (risk + rng.normal(0, 0.5, n) > 2.3).astype(int).astype(str)
    failure[rng.random(n) < 0.1] = ""  # not yet inspected: unlabelled
    return pd.DataFrame(
        {
            "id": np.arange(n),
            "machine": [f"m{i % 60}" for i in range(n)],
            "type": kind,
            "torque": torque.round(2),
            "wear": wear.round(1),
            "failure": failure,
        }
    )


@pytest.fixture(scope="module")
def table_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("tables")
    (root / "mirror").mkdir()
    machine_table().to_csv(root / "mirror" / "parts.csv", index=False)
    run = WorkflowRun(workdir=root / "work", configfile=root / "c.yaml")
    run.workdir.mkdir()
    entry = {
        "name": "parts",
        "source": "table",
        "file": "parts.csv",
        "mirror": str(root / "mirror"),
        "label": "failure",
        "classes": ["0", "1"],
        "numeric": ["torque", "wear"],
        "categorical": ["type"],
        "drop": ["id"],
        "group": "machine",
        "sweep": {"budgets": [30, 100], "selection_cells": ["raw:logreg"]},
    }
    run.write_config(
        {
            "seed": 5,
            "branches": ["data", "label_budget"],
            "datasets": [entry],
            "label_budget": {
                "draws": 2,
                "methods": ["logreg", "rf", "graphspread"],
                "skip": [],
                "selections": ["random", "kmeans"],
                "pool_size": 300,
                "audit_size": 100,
                "accept_pool": 200,
            },
            "labelling": {"budget": 100},
            "aftershock": {"table_audit": {"resplits": 3, "forest_trees": 10}},
        }
    )
    run.snakemake(*TARGETS)
    return run


def test_a_table_runs_end_to_end_with_rare_class_scores(table_run):
    out = table_run.workdir / "results"
    for target in TARGETS:
        assert (table_run.workdir / target).stat().st_size > 0, target
    summary = pd.read_csv(out / "label_budget/parts/summary.csv")
    for column in ("average_precision_mean", "recall_at_precision_mean", "macro_f1_sd"):
        assert column in summary.columns
    # every feature set that applies to a table, none that does not
    assert set(summary["features"]) == {"raw", "pca", "trees"}
    assert set(summary["selection"]) == {"random", "kmeans"}
    labelled = int((machine_table()["failure"] != "").sum())
    train = summary[summary["budget"] > 100]["budget"].unique()
    assert len(train) == 1 and train[0] < labelled  # all training labels: the reference
    # better than chance: average precision of a random ranking is the prevalence (12%)
    failure = machine_table()["failure"]
    prevalence = (failure == "1").sum() / (failure != "").sum()
    best = summary[summary["budget"] == 100]["average_precision_mean"].max()
    assert best > 3 * prevalence
    needed = pd.read_csv(out / "label_budget/parts/labels_needed.csv")
    assert set(needed["metric"]) == {"average_precision"}
    assert needed["goal_is"].str.contains("all labels").all()
    labels = pd.read_csv(out / "label_budget/parts/labels.csv")
    assert len(labels) > 0


def test_a_table_audit_sees_no_group_across_its_grouped_split(table_run):
    findings = (table_run.workdir / "results/audit/parts/findings.txt").read_text()
    assert "re-splits by group" in findings
    assert "group overlap" not in findings


def test_a_bad_table_stops_the_build_with_one_line(table_run, tmp_path):
    bad = machine_table(100).astype({"torque": object})
    bad.loc[5, "torque"] = "n/a?"
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    bad.to_csv(mirror / "parts.csv", index=False)
    config = (table_run.configfile.read_text()).replace(
        str(table_run.configfile.parent / "mirror"), str(mirror)
    )
    run = WorkflowRun(workdir=tmp_path / "work", configfile=tmp_path / "c.yaml")
    run.workdir.mkdir()
    run.configfile.write_text(config)
    result = run.snakemake("results/data/parts.h5", check=False)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if "dsplaybook error" in line]
    assert errors and "column 'torque' row 6" in errors[0] and "not a number" in errors[0]
    assert not (run.workdir / "results/data/parts.h5").exists()
