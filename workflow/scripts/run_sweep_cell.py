"""Rule run_sweep_cell: every budget and draw of one (selection, features, method) cell."""

from dsplaybook.atomic import write_csv
from dsplaybook.data.datasets import read_mnist_style
from dsplaybook.label_budget.sweep import SweepSettings, known_rows, read_selected, run_cell
from dsplaybook.logs import run_rule
from dsplaybook.represent.features import train_test_matrices


def main(log) -> None:
    w, p = snakemake.wildcards, snakemake.params
    settings = SweepSettings.from_config(
        p.sweep, seed=p.seed, threads=snakemake.threads, hyperparameters=p.hyperparameters
    )
    data = read_mnist_style(snakemake.input.h5)
    x_train, x_test = train_test_matrices(data, snakemake.input.features)
    known = known_rows(data.y_train)  # the rows a simulated person can label
    x_train, y_train = x_train[known], data.y_train[known]
    selected = read_selected(snakemake.input.selected, len(y_train))
    cell = run_cell(
        x_train, y_train, x_test, data.y_test, w.method, settings, selected, log.info,
        n_classes=len(data.class_names),
    )  # fmt: skip
    for name in ("method", "features", "selection", "dataset"):
        cell.insert(0, name, getattr(w, name))
    write_csv(cell, snakemake.output.cell)


run_rule(main, snakemake)
