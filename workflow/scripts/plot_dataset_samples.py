"""Rule plot_dataset_samples: a few images per class, labelled."""

from dsplaybook.datasets import read_mnist_style
from dsplaybook.errors import exit_on_input_error
from dsplaybook.logs import log_to_file
from dsplaybook.sample_grid import plot_sample_grid


def main() -> None:
    log_to_file(snakemake.log[0])
    data = read_mnist_style(snakemake.input.h5)
    # The source attribute already says SYNTHETIC for stand-in data.
    title = f"{snakemake.wildcards.dataset}: {data.source}"
    plot_sample_grid(
        data, snakemake.output.png, title, snakemake.params.per_class, snakemake.params.seed
    )


exit_on_input_error(main, snakemake.log[0])
