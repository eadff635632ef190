"""Rules download_fashion_mnist, download_quickdraw(_strokes), download_table and
download_aftershock_grid: one verified file, from the configured mirror first, then the
official URL."""

from dsplaybook.aftershock.aftershock_data import download_grid
from dsplaybook.data.download import RetryPolicy
from dsplaybook.data.fashion_mnist import download_part
from dsplaybook.data.quickdraw import download_category, download_stroke_category
from dsplaybook.data.tables import TableDataset, download_table_file
from dsplaybook.logs import run_rule

# params.source -> the library function that knows that source's files and checks
DOWNLOADERS = {
    "fashion_mnist": download_part,
    "quickdraw": download_category,
    "quickdraw_strokes": download_stroke_category,
    "aftershock": download_grid,
}


def download_table(item, dest, table, retry) -> None:
    download_table_file(TableDataset.from_config(table), item, dest, retry)


def main(log) -> None:
    source, item = snakemake.params.source, snakemake.params.item
    retry = RetryPolicy.from_config(snakemake.config["download"])
    if source == "table":  # a datasets entry, not a top-level block
        download_table(item, snakemake.output[0], snakemake.params.table, retry)
        return
    block = "quickdraw" if source == "quickdraw_strokes" else source  # config block
    DOWNLOADERS[source](item, snakemake.output[0], snakemake.config[block], retry)


run_rule(main, snakemake)
