"""Rule build_quickdraw: per-category bitmaps -> one MNIST-style HDF5, seeded split."""

from dsplaybook.data.datasets import write_mnist_style
from dsplaybook.data.quickdraw import QuickDrawSettings, build_quickdraw
from dsplaybook.logs import run_rule


def main(log) -> None:
    settings = QuickDrawSettings.from_config(snakemake.params.quickdraw, seed=snakemake.params.seed)
    data = build_quickdraw(snakemake.input.categories, settings)
    write_mnist_style(snakemake.output.h5, data)
    log.info(
        "wrote %d train / %d test images of %s",
        len(data.x_train),
        len(data.x_test),
        settings.categories,
    )


run_rule(main, snakemake)
