"""Rule plot_reconstructions: test originals on top, AE and CVAE reconstructions below."""

import numpy as np

from dsplaybook.errors import exit_on_input_error
from dsplaybook.logs import log_to_file


def main() -> None:
    log_to_file(snakemake.log[0])
    from dsplaybook import keras_runtime

    keras_runtime.configure(snakemake.params.seed, 1)
    from dsplaybook.autoencoders import load_model, reconstruct
    from dsplaybook.datasets import read_mnist_style
    from dsplaybook.representation_plots import plot_reconstructions

    data = read_mnist_style(snakemake.input.h5)
    rng = np.random.default_rng(snakemake.params.seed)
    pick = np.sort(rng.choice(len(data.x_test), snakemake.params.n_images, replace=False))
    images = data.x_test[pick]
    i = snakemake.input
    rows = {
        "autoencoder": reconstruct(load_model(i.ae_encoder), load_model(i.ae_decoder), images),
        "conv VAE": reconstruct(load_model(i.cvae_encoder), load_model(i.cvae_decoder), images),
    }
    title = f"{snakemake.wildcards.dataset}: test images (top) and reconstructions"
    plot_reconstructions(images, rows, snakemake.output.png, title)


exit_on_input_error(main, snakemake.log[0])
