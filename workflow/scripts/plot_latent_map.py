"""Rule plot_latent_map: the 2-D VAE's latent space, test images coloured by class."""

from dsplaybook.logs import run_rule


def main(log) -> None:
    from dsplaybook.represent.keras_runtime import configure

    configure(0, 1)
    from dsplaybook.data.datasets import read_mnist_style
    from dsplaybook.represent.autoencoders import embed, load_model
    from dsplaybook.represent.plots import plot_latent_map

    data = read_mnist_style(snakemake.input.h5)
    codes = embed(load_model(snakemake.input.encoder), data.x_test)
    dataset = snakemake.wildcards.dataset
    title = f"{dataset}: 2-D VAE latent space of the test images (no labels used)"
    plot_latent_map(codes, data.y_test, data.class_names, snakemake.output.png, title)


run_rule(main, snakemake)
