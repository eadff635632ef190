"""The audit rules through real snakemake: synthetic grids, and released-format files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import WorkflowRun

pytestmark = pytest.mark.workflow


def _released_columns() -> list[str]:
    comps = ("xx", "xy", "xz", "yy", "yz", "zz")
    metrics = (
        "cfs",
        "cfs_shear_only",
        "cfs_normal",
        "cfs_total_shear",
        "cfs_total",
        "max_shear",
        "i1",
        "i2",
        "i3",
    )
    cols = ["grid_id", "x", "y", "z"]
    for kind in ("stresses", "strains"):
        for part in ("full", "deviatoric"):
            cols += [f"{kind}_{part}_{c}" for c in comps]
    for kind in ("stresses", "strains"):
        for part in ("full", "deviatoric"):
            cols += [f"{kind}_{part}_{m}" for m in metrics]
    return cols + ["grid_aftershock_count"]


def _write_released_fixture(folder, n_files=6, cells=60, seed=0):
    """Hand-made grid files in the released format (65 columns, count but no
    aftershocksyn) and a split list with one earthquake on both sides."""
    rng = np.random.default_rng(seed)
    columns = _released_columns()
    assert len(columns) == 65  # as listed in the release's FieldsToWrite.csv
    folder.mkdir(parents=True)
    names = []
    for k in range(n_files):
        event = k // 2 + 1  # two slip models per earthquake
        name = f"19{90 + k}QUAKE{event:02d}{k:02d}AUTH_grid.csv"
        grid = pd.DataFrame(rng.normal(0, 1e5, (cells, len(columns))), columns=columns)
        grid[["x", "y", "z"]] = rng.integers(0, 100, (cells, 3)) * 5.0
        magnitude = np.abs(grid[[f"stresses_full_{c}" for c in ("xx", "xy")]]).sum(axis=1)
        grid["grid_aftershock_count"] = (magnitude > magnitude.median()).astype(int) * 2
        grid.to_csv(folder / name, index=False)
        side = "TEST" if k in (1, 4) else "TRAIN"
        names.append({"Name": name, "Original": side, "Change": "", "ID": event})
    pd.DataFrame(names).to_csv(folder / "names_train_ids.csv", index=False)


def _run(tmp_path, aftershock):
    run = WorkflowRun(workdir=tmp_path / "work", configfile=tmp_path / "c.yaml")
    run.workdir.mkdir()
    run.write_config(
        {
            "datasets": [],
            "aftershock": {"network_epochs": 1, "forest_trees": 10, "resplits": 2, **aftershock},
        }
    )
    return run


def test_released_format_files_run_unchanged(tmp_path):
    fixture = tmp_path / "release"
    _write_released_fixture(fixture)
    run = _run(
        tmp_path,
        {
            "source": "files",
            "split_list": str(fixture / "names_train_ids.csv"),
            "mirror": str(fixture),
        },
    )
    run.snakemake("results/aftershock/audit.md")
    audit = (run.workdir / "results/aftershock/audit.md").read_text()
    assert "the study's released grid files" in audit
    assert "FLAG group overlap: 2 of 3 earthquake groups" in audit
    table = pd.read_csv(run.workdir / "results/aftershock/auc_table.csv")
    assert len(table) == 6 and table["original_test_auc"].between(0, 1).all()


def test_synthetic_audit_outputs(tmp_path):
    run = _run(tmp_path, {"synthetic": {"n_events": 8}})
    run.snakemake("results/aftershock/audit.md", "results/aftershock/train_vs_test.png")
    audit = (run.workdir / "results/aftershock/audit.md").read_text()
    assert "SYNTHETIC" in audit and "## Model selection" in audit
    selection = pd.read_csv(run.workdir / "results/aftershock/model_selection.csv")
    assert len(selection) == 5
    assert (run.workdir / "results/aftershock/roc.png").stat().st_size > 10_000


def test_missing_split_list_is_a_one_line_config_error(tmp_path):
    run = _run(tmp_path, {"source": "files"})
    result = run.snakemake("-n", check=False)
    assert result.returncode != 0
    assert "dsplaybook error: config: key 'aftershock.split_list': required" in result.stderr
