"""Rule train_autoencoder: dense autoencoder on the training images only."""

import json

from dsplaybook.atomic import atomic_path
from dsplaybook.errors import exit_on_input_error
from dsplaybook.logs import log_to_file


def main() -> None:
    log_to_file(snakemake.log[0])
    from dsplaybook import keras_runtime

    keras_runtime.configure(snakemake.params.seed, snakemake.threads)
    from dsplaybook.autoencoders import save_model, scale_images, train_dense_autoencoder
    from dsplaybook.datasets import read_mnist_style, training_subset

    p = snakemake.params
    data = training_subset(read_mnist_style(snakemake.input.h5), p.train_subset)
    m = p.model
    trained = train_dense_autoencoder(
        scale_images(data.x_train),
        m["hidden"],
        m["latent"],
        m["epochs"],
        m["batch_size"],
        m["learning_rate"],
        p.seed,
    )
    save_model(trained.encoder, snakemake.output.encoder)
    save_model(trained.decoder, snakemake.output.decoder)
    with atomic_path(snakemake.output.history) as tmp:
        tmp.write_text(json.dumps(trained.history, indent=1))


exit_on_input_error(main, snakemake.log[0])
