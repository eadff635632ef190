"""Rule plot_learning_curves: accuracy vs labels per (features, method) with random
labels (PNG and SVG), and per selection with the auto-accepted shares (selections.png)."""

import pandas as pd

from dsplaybook.label_budget.curves import plot_learning_curves, plot_selections
from dsplaybook.logs import run_rule


def main(log) -> None:
    summary = pd.read_csv(snakemake.input.summary)
    out, dataset = snakemake.output, snakemake.wildcards.dataset
    metric = snakemake.params.metric
    plot_learning_curves(summary, dataset, out.png, out.svg, metric=metric)
    plot_selections(summary, dataset, out.selections, metric)


run_rule(main, snakemake)
