"""Rule label_pool: label every unlabelled training image with the best method at the
chosen budget, with a confidence, and an accuracy-vs-coverage curve on the test set."""

from pathlib import Path

import numpy as np
import pandas as pd

from dsplaybook.atomic import atomic_path
from dsplaybook.coverage_plot import plot_coverage
from dsplaybook.datasets import read_mnist_style
from dsplaybook.errors import exit_on_input_error
from dsplaybook.features import train_test_matrices
from dsplaybook.label_budget import draw_labelled, draw_pool, draw_seed
from dsplaybook.logs import log_to_file
from dsplaybook.pool_labelling import best_cell, confidences, coverage_curve, fit_for_labelling


def main() -> None:
    log = log_to_file(snakemake.log[0])
    p = snakemake.params
    budget = p.labelling["budget"]
    data = read_mnist_style(snakemake.input.h5)
    summary = pd.read_csv(snakemake.input.summary)
    if p.labelling["features"] == "best":
        features, method = best_cell(summary, budget)
    else:
        features, method = p.labelling["features"], p.labelling["method"]
    path = None  # raw pixels
    if features != "raw":
        path = next(
            f for f in snakemake.input.features if Path(f).name == f"{features}_features.npz"
        )
    x_train, x_test = train_test_matrices(data, path)
    seed = draw_seed(p.seed, budget, 0)  # the sweep's first draw at this budget
    labelled = draw_labelled(len(x_train), budget, seed)
    pool = draw_pool(len(x_train), labelled, p.sweep["pool_size"], seed)
    model = fit_for_labelling(
        method, x_train, data.y_train, labelled, pool, seed, snakemake.threads, p.sweep["knn"]
    )
    unlabelled = np.setdiff1d(np.arange(len(x_train)), labelled)
    predicted, confidence = confidences(model, x_train[unlabelled])
    names = np.array(data.class_names)
    labels = pd.DataFrame(
        {
            "image_index": unlabelled,
            "predicted_class": predicted,
            "class_name": names[predicted],
            "confidence": np.round(confidence, 6),
        }
    )
    test_pred, test_conf = confidences(model, x_test)
    coverage = coverage_curve(data.y_test, test_pred, test_conf)
    coverage.insert(0, "method", method)
    coverage.insert(0, "features", features)
    with atomic_path(snakemake.output.labels) as tmp:
        labels.to_csv(tmp, index=False)
    with atomic_path(snakemake.output.coverage) as tmp:
        coverage.to_csv(tmp, index=False, float_format="%.6f")
    title = f"{snakemake.wildcards.dataset}: {features} + {method}, {budget} labels"
    plot_coverage(coverage, snakemake.output.plot, title)
    log.info(
        "labelled %d images with %s + %s; test accuracy %.4f at full coverage",
        len(labels),
        features,
        method,
        float((test_pred == data.y_test).mean()),
    )


exit_on_input_error(main, snakemake.log[0])
