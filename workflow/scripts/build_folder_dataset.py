"""Rule build_folder_dataset: a folder of your own images -> MNIST-style HDF5."""

from dsplaybook.data.datasets import write_mnist_style
from dsplaybook.data.folder import FolderSettings, build_folder_dataset
from dsplaybook.logs import run_rule


def main(log) -> None:
    settings = FolderSettings.from_config(snakemake.params.folder, seed=snakemake.params.seed)
    data, skipped = build_folder_dataset(settings)
    write_mnist_style(snakemake.output.h5, data)
    log.info(
        "%d train (%d labelled) / %d test images of %d classes; %d file(s) skipped",
        len(data.x_train),
        len(data.labelled_train),
        len(data.x_test),
        len(data.class_names),
        len(skipped),
    )


run_rule(main, snakemake)
