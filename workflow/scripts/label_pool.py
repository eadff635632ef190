"""Rule label_pool: label every unlabelled training image with the best method at the
chosen budget, with a confidence, and an accuracy-vs-coverage curve on the test set."""

from pathlib import Path

import pandas as pd

from dsplaybook.atomic import write_csv
from dsplaybook.data.datasets import read_mnist_style
from dsplaybook.learning.coverage_plot import plot_coverage
from dsplaybook.learning.pool_labelling import LabellingSettings, label_pool
from dsplaybook.logs import run_rule


def main(log) -> None:
    p = snakemake.params
    settings = LabellingSettings.from_config(
        p.labelling,
        pool_size=p.sweep["pool_size"],
        classifiers=p.classifiers,
        seed=p.seed,
        threads=snakemake.threads,
    )
    files = {Path(f).name.removesuffix("_features.npz"): f for f in snakemake.input.features}
    data = read_mnist_style(snakemake.input.h5)
    result = label_pool(data, files, pd.read_csv(snakemake.input.summary), settings)
    write_csv(result.labels, snakemake.output.labels)
    write_csv(result.coverage, snakemake.output.coverage, float_format="%.6f")
    title = f"{snakemake.wildcards.dataset}: {result.features} + {result.method}, "
    plot_coverage(result.coverage, snakemake.output.plot, title + f"{settings.budget} labels")
    log.info(
        "labelled %d images with %s + %s; test accuracy %.4f at full coverage",
        len(result.labels),
        result.features,
        result.method,
        result.test_accuracy,
    )


run_rule(main, snakemake)
