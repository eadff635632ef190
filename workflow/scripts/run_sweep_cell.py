"""Rule run_sweep_cell: every budget and draw of one (features, method) cell."""

from dsplaybook.atomic import atomic_path
from dsplaybook.datasets import read_mnist_style
from dsplaybook.errors import exit_on_input_error
from dsplaybook.features import train_test_matrices
from dsplaybook.label_budget import SweepSettings, run_cell
from dsplaybook.logs import log_to_file


def main() -> None:
    log = log_to_file(snakemake.log[0])
    w, p = snakemake.wildcards, snakemake.params
    data = read_mnist_style(snakemake.input.h5)
    features = None if w.features == "raw" else snakemake.input.features
    x_train, x_test = train_test_matrices(data, features)
    settings = SweepSettings(
        budgets=tuple(p.sweep["budgets"]),
        draws=p.sweep["draws"],
        seed=p.seed,
        pool_size=p.sweep["pool_size"],
        knn=p.sweep["knn"],
        threads=snakemake.threads,
    )
    cell = run_cell(x_train, data.y_train, x_test, data.y_test, w.method, settings, log.info)
    cell.insert(0, "method", w.method)
    cell.insert(0, "features", w.features)
    cell.insert(0, "dataset", w.dataset)
    with atomic_path(snakemake.output.cell) as tmp:
        cell.to_csv(tmp, index=False)


exit_on_input_error(main, snakemake.log[0])
