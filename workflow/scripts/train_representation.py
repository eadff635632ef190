"""Rules train_autoencoder, train_cvae and train_vae2d: a network learned without labels,
on the training images only."""

from dsplaybook.logs import run_rule


def main(log) -> None:
    from dsplaybook.represent.keras_runtime import configure

    p = snakemake.params
    configure(p.seed, snakemake.threads)
    from dsplaybook.data.datasets import read_mnist_style, training_subset
    from dsplaybook.represent.autoencoders import (
        NetworkSettings,
        save_trained,
        train_representation,
    )

    data = training_subset(read_mnist_style(snakemake.input.h5), p.train_subset)
    trained = train_representation(data.x_train, NetworkSettings.from_config(p.model), p.seed)
    out = snakemake.output
    save_trained(trained, out.encoder, out.decoder, out.history)


run_rule(main, snakemake)
