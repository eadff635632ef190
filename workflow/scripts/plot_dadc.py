"""Rule plot_dadc: error vs labels per strategy, on the test set and the hard subset."""

import pandas as pd

from dsplaybook.dadc_report import plot_error_vs_labels
from dsplaybook.errors import exit_on_input_error
from dsplaybook.logs import log_to_file


def main() -> None:
    log_to_file(snakemake.log[0])
    rounds = pd.read_csv(snakemake.input.rounds)
    plot_error_vs_labels(rounds, snakemake.wildcards.dataset, snakemake.output.png)


exit_on_input_error(main, snakemake.log[0])
