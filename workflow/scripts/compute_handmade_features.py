"""Rule compute_handmade_features: train and test images -> hand-made features (HOG,
wavelet scattering)."""

from dsplaybook.logs import run_rule


def main(log) -> None:
    from dsplaybook.data.datasets import read_mnist_style
    from dsplaybook.represent.features import FEATURE_SETS, write_features
    from dsplaybook.represent.settings import Represent

    name = snakemake.wildcards.handmade
    entry = FEATURE_SETS[name]
    block = Represent.model_fields[entry.settings].annotation
    settings = block.from_config(snakemake.params.settings)
    compute = entry.handmade
    data = read_mnist_style(snakemake.input.h5)
    train = compute(data.x_train, settings, snakemake.threads)
    test = compute(data.x_test, settings, snakemake.threads)
    write_features(snakemake.output.features, train, test)
    log.info("features %s: train %s, test %s", name, train.shape, test.shape)


run_rule(main, snakemake)
