"""Rule fit_pca: PCA on the training images only."""

from dsplaybook.datasets import read_mnist_style, training_subset
from dsplaybook.errors import exit_on_input_error
from dsplaybook.features import fit_pca, save_pickle
from dsplaybook.logs import log_to_file


def main() -> None:
    log = log_to_file(snakemake.log[0])
    data = training_subset(read_mnist_style(snakemake.input.h5), snakemake.params.train_subset)
    pca = fit_pca(data, snakemake.params.n_components, snakemake.params.seed)
    save_pickle(pca, snakemake.output.model)
    log.info(
        "PCA %d components explain %.1f%% of pixel variance",
        pca.n_components_,
        100 * pca.explained_variance_ratio_.sum(),
    )


exit_on_input_error(main, snakemake.log[0])
