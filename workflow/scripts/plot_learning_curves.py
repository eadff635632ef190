"""Rule plot_learning_curves: accuracy vs labels per (features, method), PNG and SVG."""

import pandas as pd

from dsplaybook.label_budget.curves import plot_learning_curves
from dsplaybook.logs import run_rule


def main(log) -> None:
    summary = pd.read_csv(snakemake.input.summary)
    out = snakemake.output
    plot_learning_curves(summary, snakemake.wildcards.dataset, out.png, out.svg)


run_rule(main, snakemake)
