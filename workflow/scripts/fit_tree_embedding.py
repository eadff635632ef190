"""Rule fit_tree_embedding: a table's random-trees embedding + SVD, training rows only."""

from dsplaybook.data.datasets import read_mnist_style
from dsplaybook.logs import run_rule
from dsplaybook.represent.features import fit_tree_embedding, save_pickle


def main(log) -> None:
    p = snakemake.params
    data = read_mnist_style(snakemake.input.h5)
    model = fit_tree_embedding(data, **p.trees, seed=p.seed)
    save_pickle(model, snakemake.output.model)
    svd = model[-1]
    log.info(
        "trees: %d leaves -> %d SVD dimensions (%.1f%% of the leaf variance)",
        svd.n_features_in_,
        svd.n_components,
        100 * svd.explained_variance_ratio_.sum(),
    )


run_rule(main, snakemake)
