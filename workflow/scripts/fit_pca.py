"""Rule fit_pca: PCA on the training images only."""

from dsplaybook.data.datasets import read_mnist_style, training_subset
from dsplaybook.logs import run_rule
from dsplaybook.represent.features import fit_pca, save_pickle


def main(log) -> None:
    p = snakemake.params
    data = training_subset(read_mnist_style(snakemake.input.h5), p.train_subset)
    pca = fit_pca(data, p.n_components, p.seed)
    save_pickle(pca, snakemake.output.model)
    log.info(
        "PCA %d components explain %.1f%% of pixel variance",
        pca.n_components_,
        100 * pca.explained_variance_ratio_.sum(),
    )


run_rule(main, snakemake)
