"""Rule aggregate_sweep: cells -> tidy sweep.csv, fit_times.csv, summary.csv and
labels_needed.csv.

Fit times are wall-clock and differ between runs, so they live in their own file:
sweep.csv and summary.csv are byte-identical for the same config.
"""

import pandas as pd

from dsplaybook.atomic import write_csv
from dsplaybook.label_budget.sweep import (
    best_per_budget,
    labels_needed,
    mark_best,
    summarise,
    tidy_cells,
)
from dsplaybook.logs import run_rule


def main(log) -> None:
    cells = pd.concat([pd.read_csv(path) for path in snakemake.input.cells], ignore_index=True)
    sweep, fit_times = tidy_cells(cells)
    p = snakemake.params
    summary = mark_best(summarise(sweep), p.metric)
    needed = labels_needed(summary, tuple(p.goals), p.metric, tuple(p.reference_shares))
    out = snakemake.output
    for dest, frame in (
        (out.sweep, sweep),
        (out.fit_times, fit_times),
        (out.summary, summary),
        (out.labels_needed, needed),
    ):
        write_csv(frame, dest, float_format="%.6f")
    for row in best_per_budget(summary, metric=p.metric).to_dict("records"):
        log.info(
            "%s budget %d: best %s + %s %s %.4f ± %.4f",
            row["selection"],
            row["budget"],
            row["features"],
            row["method"],
            p.metric,
            row[f"{p.metric}_mean"],
            row[f"{p.metric}_sd"],
        )


run_rule(main, snakemake)
