"""Rule build_table_dataset: a CSV table (and its test file) -> the dataset's HDF5."""

from dsplaybook.data.datasets import write_mnist_style
from dsplaybook.data.tables import TableSettings, build_table_dataset
from dsplaybook.logs import run_rule


def main(log) -> None:
    settings = TableSettings.from_config(snakemake.params.table, seed=snakemake.params.seed)
    data = build_table_dataset(settings, *snakemake.input.files)
    write_mnist_style(snakemake.output.h5, data)


run_rule(main, snakemake)
