"""Rule plot_dadc: error vs labels per strategy, on the test set and the hard subset."""

import pandas as pd

from dsplaybook.dadc.report import plot_error_vs_labels
from dsplaybook.logs import run_rule


def main(log) -> None:
    rounds = pd.read_csv(snakemake.input.rounds)
    plot_error_vs_labels(rounds, snakemake.wildcards.dataset, snakemake.output.png)


run_rule(main, snakemake)
