"""Rules label_pool and label_pool_from_people: label every other training image with
the chosen cell, with a confidence; the simulated path also draws the accuracy-vs-
coverage curve on the test set, the human path lists the least confident to review."""

from pathlib import Path

import pandas as pd

from dsplaybook.atomic import write_csv
from dsplaybook.data.datasets import read_mnist_style
from dsplaybook.label_budget.coverage_plot import plot_coverage
from dsplaybook.labelling.model_choice import describe
from dsplaybook.labelling.pool_labelling import (
    LabellingSettings,
    chooses_by_cross_validation,
    chosen_cell,
    cross_validated_cell,
    label_pool,
    out_of_fold,
    simulated_labels,
)
from dsplaybook.labelling.queue import given_labels, read_human_table
from dsplaybook.labelling.review import review_table
from dsplaybook.logs import run_rule
from dsplaybook.represent.features import train_test_matrices


def main(log) -> None:
    p, i, out = snakemake.params, snakemake.input, snakemake.output
    settings = LabellingSettings.from_config(
        p.labelling,
        pool_size=p.sweep["pool_size"],
        classifiers=p.classifiers,
        seed=p.seed,
        threads=snakemake.threads,
    )
    data = read_mnist_style(i.h5)
    if getattr(i, "human", None):
        given = given_labels(data, i.human)
    else:
        given = simulated_labels(data, settings)
    summary = pd.read_csv(i.summary) if getattr(i, "summary", None) else None
    files = {Path(f).name.removesuffix("_features.npz"): f for f in i.features}
    held_out = None  # the chosen cell's out-of-fold probabilities of the given labels
    if chooses_by_cross_validation(summary, settings):
        (features, method), table, held_out = cross_validated_cell(data, files, given, settings)
        for row in table.itertuples():
            log.info("candidate %s + %s: cross-validated accuracy %.4f, ECE %.4f",
                     row.features, row.method, row.accuracy, row.ece)  # fmt: skip
        log.info("%s", describe(table))
    else:
        features, method = chosen_cell(summary, settings, p.metric)
    result = label_pool(data, files, given, features, method, settings)
    write_csv(result.labels, out.labels)
    if getattr(out, "review", None):
        if held_out is None:  # the sweep chose: cross-validate its cell for the checks
            x_train = train_test_matrices(data, files.get(features))[0]
            held_out = out_of_fold(x_train, given, method, settings, len(data.class_names))
        people = read_human_table(i.human)
        review = review_table(data, result, people, given, held_out, settings.review_size,
                              settings.label_errors)  # fmt: skip
        write_csv(review, out.review)
        counts = review["reason"].value_counts()
        log.info("review.csv: %d disputes (tied votes), %d labels likely wrong (confident "
                 "learning), %d least confident model labels", counts.get("dispute", 0),
                 counts.get("likely_wrong", 0), counts.get("uncertain", 0))  # fmt: skip
    if getattr(out, "coverage", None):
        write_csv(result.coverage, out.coverage, float_format="%.6f")
        title = f"{snakemake.wildcards.dataset}: {features} + {method}, {len(given)} labels"
        plot_coverage(result.coverage, out.plot, title)
    log.info(
        "trained %s + %s on %d labels; labelled %d images; test accuracy %.4f",
        features,
        method,
        len(given),
        len(result.labels),
        result.test_accuracy,
    )


run_rule(main, snakemake)
