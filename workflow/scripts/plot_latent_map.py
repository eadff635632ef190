"""Rule plot_latent_map: the 2-D VAE's latent space, test images coloured by class."""

from dsplaybook.logs import run_rule


def main(log) -> None:
    from dsplaybook.represent.keras_runtime import configure

    configure(0, 1)
    from dsplaybook.data.datasets import read_mnist_style, shown_images
    from dsplaybook.represent.autoencoders import embed, load_model
    from dsplaybook.represent.plots import plot_latent_map

    data = read_mnist_style(snakemake.input.h5)
    images, labels, which = shown_images(data)
    codes = embed(load_model(snakemake.input.encoder), images)
    dataset = snakemake.wildcards.dataset
    title = f"{dataset}: 2-D VAE latent space of the {which} images (no labels used)"
    plot_latent_map(codes, labels, data.class_names, snakemake.output.png, title)


run_rule(main, snakemake)
