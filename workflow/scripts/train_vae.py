"""Rules train_cvae and train_vae2d: variational autoencoders on training images only."""

import json

from dsplaybook.atomic import atomic_path
from dsplaybook.errors import exit_on_input_error
from dsplaybook.logs import log_to_file


def main() -> None:
    log_to_file(snakemake.log[0])
    from dsplaybook import keras_runtime

    keras_runtime.configure(snakemake.params.seed, snakemake.threads)
    from dsplaybook.autoencoders import save_model, scale_images, train_vae
    from dsplaybook.datasets import read_mnist_style, training_subset

    p = snakemake.params
    m = dict(p.model)
    data = training_subset(read_mnist_style(snakemake.input.h5), p.train_subset)
    trained = train_vae(
        scale_images(data.x_train),
        kind=m.get("kind", "conv"),
        latent=m["latent"],
        epochs=m["epochs"],
        batch_size=m["batch_size"],
        lr=m["learning_rate"],
        seed=p.seed,
        filters=m.get("filters"),
        hidden=m.get("hidden"),
        beta=m.get("beta", 1.0),
    )
    save_model(trained.encoder, snakemake.output.encoder)
    save_model(trained.decoder, snakemake.output.decoder)
    with atomic_path(snakemake.output.history) as tmp:
        tmp.write_text(json.dumps(trained.history, indent=1))


exit_on_input_error(main, snakemake.log[0])
