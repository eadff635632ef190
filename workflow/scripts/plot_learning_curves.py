"""Rule plot_learning_curves: accuracy vs labels per (features, method), PNG and SVG."""

import pandas as pd

from dsplaybook.learning_curves import plot_learning_curves
from dsplaybook.logs import log_to_file

log_to_file(snakemake.log[0])
summary = pd.read_csv(snakemake.input.summary)
plot_learning_curves(
    summary, snakemake.wildcards.dataset, snakemake.output.png, snakemake.output.svg
)
