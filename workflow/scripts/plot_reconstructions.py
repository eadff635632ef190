"""Rule plot_reconstructions: test originals on top, AE and CVAE reconstructions below."""

from dsplaybook.logs import run_rule


def main(log) -> None:
    from dsplaybook.represent.keras_runtime import configure

    configure(snakemake.params.seed, 1)
    from dsplaybook.data.datasets import read_mnist_style
    from dsplaybook.represent.plots import plot_reconstruction_pairs

    i = snakemake.input
    models = {
        "autoencoder": (i.ae_encoder, i.ae_decoder),
        "conv VAE": (i.cvae_encoder, i.cvae_decoder),
    }
    title = f"{snakemake.wildcards.dataset}: images (top) and reconstructions"
    plot_reconstruction_pairs(
        read_mnist_style(i.h5),
        models,
        snakemake.params.n_images,
        snakemake.params.seed,
        snakemake.output.png,
        title,
    )


run_rule(main, snakemake)
