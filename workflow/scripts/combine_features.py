"""Rule combine_features: feature files of the parts -> one combined feature file."""

from dsplaybook.logs import run_rule


def main(log) -> None:
    from dsplaybook.represent.features import combined_features, read_features, write_features

    name = snakemake.wildcards.combined
    blocks = [read_features(path) for path in snakemake.input.parts]
    train, test = combined_features(name, blocks, snakemake.params.components)
    write_features(snakemake.output.features, train, test)
    log.info("features %s: train %s, test %s", name, train.shape, test.shape)


run_rule(main, snakemake)
