"""Rule embed_features: train and test images -> features of one learned representation."""

from dsplaybook.logs import run_rule


def main(log) -> None:
    from dsplaybook.data.datasets import read_mnist_style
    from dsplaybook.represent.features import embed_with, write_features

    data = read_mnist_style(snakemake.input.h5)
    train, test = embed_with(snakemake.input.model, data, snakemake.threads)
    write_features(snakemake.output.features, train, test)
    log.info("features %s: train %s, test %s", snakemake.wildcards.learned, train.shape, test.shape)


run_rule(main, snakemake)
