"""People in the loop through real snakemake: queue, store, export, labels and review."""

from __future__ import annotations

import os
import shutil

import numpy as np
import pandas as pd
import pytest
from conftest import WorkflowRun, real_digits_workflow
from test_folder_dataset import make_folder

from dsplaybook.data.datasets import read_mnist_style
from dsplaybook.label_budget.sweep import draw_labelled, draw_seed
from dsplaybook.store import LabelStore

pytestmark = pytest.mark.workflow

SMALL = {
    "seed": 5,
    "branches": ["label_budget"],
    "represent": {"pca_components": 10},
    "label_budget": {
        "budgets": [100, 200],
        "draws": 1,
        "features": ["raw", "pca"],
        "methods": ["logreg", "svm"],
        "skip": [],
        "pool_size": 300,
        "selections": ["random"],
        "selection": {"kmeans_sample": 500},
    },
    "labelling": {"budget": 100, "queue": {"size": 20}},
}


def test_people_giving_the_true_labels_reproduce_the_simulated_path(tmp_path):
    run = real_digits_workflow(tmp_path, SMALL)
    labels = "results/label_budget/fashion_mnist/labels.csv"
    run.snakemake(labels)
    simulated = (run.workdir / labels).read_bytes()
    data = read_mnist_style(run.workdir / "results/data/fashion_mnist.h5")
    chosen = draw_labelled(len(data.y_train), 100, draw_seed(5, 100, 0))
    store = LabelStore(run.workdir / "annotations" / "fashion_mnist.sqlite")
    for i in chosen:
        store.label(int(i), int(data.y_train[i]), "person")
    store.label(int(chosen[0]), 9, "person")  # a slip of the finger, then undone
    store.undo("person")
    config = {**SMALL, "labelling": {**SMALL["labelling"], "source": "human"}}
    run.write_config({**_config(run), **config})
    result = run.snakemake(labels, "results/label_budget/fashion_mnist/review.csv")
    assert "label_pool_from_people" in result.stdout + result.stderr
    assert (run.workdir / labels).read_bytes() == simulated
    review = pd.read_csv(run.workdir / "results/label_budget/fashion_mnist/review.csv")
    table = pd.read_csv(run.workdir / labels)
    uncertain = review[review["reason"] == "uncertain"]
    assert len(uncertain) == 100
    assert uncertain["confidence"].max() <= table["confidence"].median()
    doubted = review[review["reason"] == "likely_wrong"]  # true labels the model doubts:
    assert set(doubted["image_index"]) <= set(chosen.tolist())  # only people's
    assert len(doubted) < 0.3 * len(chosen)  # its own held-out errors, not most labels
    human = pd.read_csv(run.workdir / "results/label_budget/fashion_mnist/human_labels.csv")
    assert sorted(human["image_index"]) == sorted(chosen.tolist())


def _config(run: WorkflowRun) -> dict:
    import yaml

    return yaml.safe_load(run.configfile.read_text())


def test_a_folder_goes_to_queue_then_labels_and_review(tmp_path):
    make_folder(tmp_path / "shoes", per_class=8, unlabelled=30)
    sandal = tmp_path / "shoes" / "sandals" / "0.png"  # names a DAG cannot carry, and debris
    for odd in (b"brace{x}.png", b"caf\xe9.png", b"<logs>.png", b"../unlabelled/<script>.png"):
        with open(os.fsencode(sandal.parent) + b"/" + odd, "wb") as fh:
            fh.write(sandal.read_bytes())  # <word>: a Snakemake path variable
    (tmp_path / "shoes" / "__MACOSX").mkdir()
    (tmp_path / "shoes" / "__MACOSX" / "0.png").write_bytes(sandal.read_bytes())
    run = WorkflowRun(workdir=tmp_path / "work", configfile=tmp_path / "c.yaml")
    run.workdir.mkdir()
    run.write_config(
        {
            "branches": ["data", "label_budget"],
            "datasets": [{"name": "shoes", "source": "folder", "path": str(tmp_path / "shoes")}],
            "represent": {
                "pca_components": 5,
                "autoencoder": {"epochs": 1, "hidden": [32], "latent": 8},
                "cvae": {"epochs": 1, "filters": [4], "latent": 4},
                "vae2d": {"epochs": 1, "hidden": [16]},
            },
            "labelling": {
                "features": "pca",
                "method": "logreg",
                "review_size": 5,
                "queue": {"size": 6},
            },
        }
    )
    queue_file = run.workdir / "results/label_budget/shoes/queue.csv"
    run.snakemake(str(queue_file.relative_to(run.workdir)))
    log = (run.workdir / "logs/data/build_folder_dataset/shoes.log").read_text()
    assert "5 file(s) skipped" in log and "broken.png" in log
    assert "brace{x}.png: its name has {" in log and "caf\\udce9.png: its name is not" in log
    for name in ("sandals/<logs>.png", "unlabelled/<script>.png"):
        assert f"{name}: its name has < or >" in log, log
    assert "__MACOSX: a hidden or system folder" in log
    queue = pd.read_csv(queue_file)
    data = read_mnist_style(run.workdir / "results/data/shoes.h5")
    assert len(queue) == 6 and (data.y_train[queue["image_index"]] == -1).all()
    assert queue["file"].str.startswith("unlabelled/").all()
    store = LabelStore(run.workdir / "annotations" / "shoes.sqlite")
    for k, image in enumerate(queue["image_index"]):
        store.label(int(image), k % 2, "person")
    folder_labelled = int(np.flatnonzero(data.y_train >= 0)[0])
    store.label(folder_labelled, 1 - int(data.y_train[folder_labelled]), "fixer")  # a fix
    disputed = int(queue["image_index"].iloc[0])  # "person" said class 0
    store.label(disputed, 1, "second-person")  # one against one: no order settles it
    store.checkpoint()
    run.snakemake(
        "results/label_budget/shoes/labels.csv",
        "results/label_budget/shoes/review.csv",
        "results/label_budget/shoes/final_labels.csv",
        "results/represent/shoes/reconstructions.png",  # the networks train on it unchanged
        "results/represent/shoes/latent_map.png",
    )
    labels = pd.read_csv(run.workdir / "results/label_budget/shoes/labels.csv")
    given = set(queue["image_index"]) | set(np.flatnonzero(data.y_train >= 0))
    final = pd.read_csv(run.workdir / "results/label_budget/shoes/final_labels.csv")
    for split, n in (("train", len(data.x_train)), ("test", len(data.x_test))):
        rows = final[final["split"] == split]
        assert sorted(rows["image_index"]) == list(range(n))  # every image exactly once
    train = final[final["split"] == "train"].set_index("image_index")
    assert (train.loc[list(queue["image_index"]), "source"] == "person").all()
    human = pd.read_csv(run.workdir / "results/label_budget/shoes/human_labels.csv")
    tie = human.set_index("image_index").loc[disputed]
    assert tie["label"] == -1 and bool(tie["disputed"])
    review = pd.read_csv(run.workdir / "results/label_budget/shoes/review.csv")
    row = review[review["image_index"] == disputed].iloc[0]
    assert row["reason"] == "dispute" and train.loc[disputed, "needs_review"]
    assert train.loc[disputed, "label"] == row["predicted_class"]  # the model's pick
    assert train.loc[disputed, "review_reason"] == "dispute"
    assert train.loc[folder_labelled, "source"] == "person"  # the fix beats the folder
    assert train.loc[folder_labelled, "label"] == 1 - data.y_train[folder_labelled]
    assert train.loc[folder_labelled, "who"] == "fixer"
    others = set(np.flatnonzero(data.y_train >= 0)) - {folder_labelled}
    assert (train.loc[sorted(others), "source"] == "folder").all()
    model_rows = train[train["source"] == "model"]
    assert set(model_rows.index) | {disputed} == set(labels["image_index"])  # a tie: the
    # model labels it too (nobody's label trains it), the table keeps it a person row
    assert set(train.index[train["needs_review"]]) == set(review["image_index"])
    assert (final.loc[final["split"] == "test", "source"] == "folder").all()
    assert list(train["file"]) == list(data.files_train)
    assert set(labels["image_index"]) == set(range(len(data.y_train))) - given | {disputed}
    assert labels["file"].notna().all() and labels["confidence"].between(0, 1).all()
    assert (review["reason"] == "uncertain").sum() == 5
    again = run.snakemake(str(queue_file.relative_to(run.workdir)))  # new labels: next batch
    assert "select_images_to_label" in again.stdout + again.stderr
    assert not set(pd.read_csv(queue_file)["image_index"]) & given
    # make clean wipes results/, never what people entered
    shutil.rmtree(run.workdir / "results")
    assert len(LabelStore(run.workdir / "annotations" / "shoes.sqlite").events()) == 8
