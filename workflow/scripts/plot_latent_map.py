"""Rule plot_latent_map: the 2-D VAE's latent space, test images coloured by class."""

from dsplaybook.errors import exit_on_input_error
from dsplaybook.logs import log_to_file


def main() -> None:
    log_to_file(snakemake.log[0])
    from dsplaybook import keras_runtime

    keras_runtime.configure(0, 1)
    from dsplaybook.autoencoders import embed, load_model
    from dsplaybook.datasets import read_mnist_style
    from dsplaybook.representation_plots import plot_latent_map

    data = read_mnist_style(snakemake.input.h5)
    codes = embed(load_model(snakemake.input.encoder), data.x_test)
    title = (
        f"{snakemake.wildcards.dataset}: 2-D VAE latent space of the test images (no labels used)"
    )
    plot_latent_map(codes, data.y_test, data.class_names, snakemake.output.png, title)


exit_on_input_error(main, snakemake.log[0])
