"""Rule fit_pca: PCA on the training images (or a table's training rows) only."""

from dsplaybook.data.datasets import read_mnist_style, training_subset
from dsplaybook.logs import run_rule
from dsplaybook.represent.features import fit_pca, save_pickle


def main(log) -> None:
    p = snakemake.params
    data = training_subset(read_mnist_style(snakemake.input.h5), p.train_subset)
    model = fit_pca(data, p.n_components, p.seed)
    save_pickle(model, snakemake.output.model)
    pca = model[-1] if hasattr(model, "steps") else model  # a table's: scaler, then PCA
    log.info(
        "PCA %d components explain %.1f%% of the variance",
        pca.n_components_,
        100 * pca.explained_variance_ratio_.sum(),
    )


run_rule(main, snakemake)
