"""Rule run_sweep_cell: every budget and draw of one (features, method) cell."""

from dsplaybook.atomic import write_csv
from dsplaybook.data.datasets import read_mnist_style
from dsplaybook.label_budget.sweep import SweepSettings, run_cell
from dsplaybook.logs import run_rule
from dsplaybook.represent.features import train_test_matrices


def main(log) -> None:
    w, p = snakemake.wildcards, snakemake.params
    settings = SweepSettings.from_config(
        p.sweep, seed=p.seed, threads=snakemake.threads, hyperparameters=p.hyperparameters
    )
    data = read_mnist_style(snakemake.input.h5)
    x_train, x_test = train_test_matrices(data, snakemake.input.features)
    cell = run_cell(x_train, data.y_train, x_test, data.y_test, w.method, settings, log.info)
    cell.insert(0, "method", w.method)
    cell.insert(0, "features", w.features)
    cell.insert(0, "dataset", w.dataset)
    write_csv(cell, snakemake.output.cell)


run_rule(main, snakemake)
