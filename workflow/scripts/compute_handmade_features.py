"""Rule compute_handmade_features: train and test images -> hand-made features (HOG)."""

from dsplaybook.logs import run_rule


def main(log) -> None:
    from dsplaybook.data.datasets import read_mnist_style
    from dsplaybook.represent.features import FEATURE_SETS, write_features
    from dsplaybook.represent.handmade import HogSettings

    name = snakemake.wildcards.handmade
    compute = FEATURE_SETS[name].handmade
    settings = HogSettings.from_config(snakemake.params.hog)
    data = read_mnist_style(snakemake.input.h5)
    train = compute(data.x_train, settings, snakemake.threads)
    test = compute(data.x_test, settings, snakemake.threads)
    write_features(snakemake.output.features, train, test)
    log.info("features %s: train %s, test %s", name, train.shape, test.shape)


run_rule(main, snakemake)
