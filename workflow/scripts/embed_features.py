"""Rule embed_features: train and test images -> features of one learned representation."""

from dsplaybook.errors import exit_on_input_error
from dsplaybook.logs import log_to_file


def main() -> None:
    log = log_to_file(snakemake.log[0])
    from dsplaybook.datasets import read_mnist_style
    from dsplaybook.features import flat_pixels, load_pickle, write_features

    data = read_mnist_style(snakemake.input.h5)
    if snakemake.wildcards.learned == "pca":
        pca = load_pickle(snakemake.input.model)
        train, test = (
            pca.transform(flat_pixels(data.x_train)),
            pca.transform(flat_pixels(data.x_test)),
        )
    else:
        from dsplaybook import keras_runtime

        keras_runtime.configure(0, snakemake.threads)
        from dsplaybook.autoencoders import embed, load_model

        encoder = load_model(snakemake.input.model)
        train, test = embed(encoder, data.x_train), embed(encoder, data.x_test)
    write_features(snakemake.output.features, train, test)
    log.info("features %s: train %s, test %s", snakemake.wildcards.learned, train.shape, test.shape)


exit_on_input_error(main, snakemake.log[0])
