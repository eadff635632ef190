"""Rule select_labels: which training images each (budget, draw) labels, by one selection."""

import numpy as np

from dsplaybook.atomic import write_csv
from dsplaybook.data.datasets import read_mnist_style
from dsplaybook.label_budget.selection import SELECTIONS, reduce
from dsplaybook.label_budget.settings import SweepSelection
from dsplaybook.label_budget.sweep import known_rows, selected_table
from dsplaybook.logs import run_rule
from dsplaybook.represent.features import train_test_matrices


def main(log) -> None:
    w, p = snakemake.wildcards, snakemake.params
    s = SweepSelection.from_config(p.selection)
    data = read_mnist_style(snakemake.input.h5)
    known = known_rows(data.y_train)  # the rows a simulated person can label
    if not SELECTIONS[w.selection].measures:  # random: the paired draws of earlier releases
        z = np.zeros((len(known), 1), dtype=np.float32)
    else:
        x_train, _ = train_test_matrices(data, snakemake.input.features)
        z = reduce(x_train[known], s.components, p.seed)  # training images only
    context = {
        "classes": len(data.class_names),
        "method": s.method,
        "hyperparameters": p.hyperparameters,
    }

    def oracle(rows):  # the simulated person: reveals only the rows asked for
        return data.y_train[known][rows]

    table = selected_table(
        w.selection, z, oracle, tuple(p.budgets), p.draws, p.seed, s, context, log.info
    )
    write_csv(table, snakemake.output.selected)


run_rule(main, snakemake)
