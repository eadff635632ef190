"""Rule build_hard_test_set: the test images a strong reference model gets wrong or is
least sure about (see dsplaybook.dadc.hard_test_set)."""

from dsplaybook.atomic import write_csv
from dsplaybook.dadc.hard_test_set import HardTestSettings, build_hard_test_set
from dsplaybook.data.datasets import read_mnist_style
from dsplaybook.logs import run_rule
from dsplaybook.represent.features import train_test_matrices


def main(log) -> None:
    settings = HardTestSettings.from_config(
        snakemake.params.reference, seed=snakemake.params.seed, threads=snakemake.threads
    )
    data = read_mnist_style(snakemake.input.h5)
    x_train, x_test = train_test_matrices(data, snakemake.input.features)
    table = build_hard_test_set(x_train, data.y_train, x_test, data.y_test, settings, log.info)
    write_csv(table, snakemake.output.table)


run_rule(main, snakemake)
