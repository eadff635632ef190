"""Rule combine_features: feature files of the parts -> one side-by-side feature file."""

from dsplaybook.logs import run_rule


def main(log) -> None:
    from dsplaybook.represent.features import combine_blocks, read_features, write_features

    train, test = combine_blocks([read_features(path) for path in snakemake.input.parts])
    write_features(snakemake.output.features, train, test)
    log.info(
        "features %s: train %s, test %s", snakemake.wildcards.combined, train.shape, test.shape
    )


run_rule(main, snakemake)
