"""Rules download_fashion_mnist, download_quickdraw and download_aftershock_grid: one
verified file, from the configured mirror first, then the official URL."""

from dsplaybook.aftershock.aftershock_data import download_grid
from dsplaybook.data.download import RetryPolicy
from dsplaybook.data.fashion_mnist import download_part
from dsplaybook.data.quickdraw import download_category
from dsplaybook.logs import run_rule

# params.source -> the library function that knows that source's files and checks
DOWNLOADERS = {
    "fashion_mnist": download_part,
    "quickdraw": download_category,
    "aftershock": download_grid,
}


def main(log) -> None:
    source, item = snakemake.params.source, snakemake.params.item
    retry = RetryPolicy.from_config(snakemake.config["download"])
    DOWNLOADERS[source](item, snakemake.output[0], snakemake.config[source], retry)


run_rule(main, snakemake)
