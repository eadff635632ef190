"""Rule plot_dataset_samples: a few images per class, labelled."""

from dsplaybook.data.datasets import read_mnist_style
from dsplaybook.data.sample_grid import plot_sample_grid
from dsplaybook.logs import run_rule


def main(log) -> None:
    data = read_mnist_style(snakemake.input.h5)
    # The source attribute already says SYNTHETIC for stand-in data.
    title = f"{snakemake.wildcards.dataset}: {data.source}"
    p = snakemake.params
    plot_sample_grid(data, snakemake.output.png, title, p.per_class, p.seed)


run_rule(main, snakemake)
