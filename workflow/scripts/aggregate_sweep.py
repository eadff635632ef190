"""Rule aggregate_sweep: cells -> tidy sweep.csv, fit_times.csv and summary.csv.

Fit times are wall-clock and differ between runs, so they live in their own file:
sweep.csv and summary.csv are byte-identical for the same config.
"""

import pandas as pd

from dsplaybook.atomic import atomic_path
from dsplaybook.label_budget import summarise
from dsplaybook.logs import log_to_file

log = log_to_file(snakemake.log[0])
cells = pd.concat([pd.read_csv(path) for path in snakemake.input.cells], ignore_index=True)
keys = ["dataset", "features", "method", "budget", "draw", "seed"]
cells = cells.sort_values(keys).reset_index(drop=True)
sweep = cells[[*keys, "accuracy", "macro_f1"]]
summary = summarise(sweep, snakemake.params.accuracy_goal)
for dest, frame in (
    (snakemake.output.sweep, sweep),
    (snakemake.output.fit_times, cells[[*keys, "fit_seconds"]]),
    (snakemake.output.summary, summary),
):
    with atomic_path(dest) as tmp:
        frame.to_csv(tmp, index=False, float_format="%.6f")
best = summary.sort_values("accuracy_mean", ascending=False).groupby("budget").head(1)
for _, row in best.sort_values("budget").iterrows():
    log.info(
        "budget %d: best %s + %s %.4f ± %.4f",
        row["budget"],
        row["features"],
        row["method"],
        row["accuracy_mean"],
        row["accuracy_sd"],
    )
