"""Rule plot_reconstructions: test originals on top, one row of reconstructions per network
(the autoencoder; the conv VAE when the sweep uses it)."""

from dsplaybook.logs import run_rule


def main(log) -> None:
    from dsplaybook.represent.keras_runtime import configure

    configure(snakemake.params.seed, 1)
    from dsplaybook.data.datasets import read_mnist_style
    from dsplaybook.represent.plots import plot_reconstruction_pairs

    i = snakemake.input
    labels = {"autoencoder": "autoencoder", "cvae": "conv VAE"}
    names = [labels[m] for m in snakemake.params.models]
    models = dict(zip(names, zip(i.encoders, i.decoders, strict=True), strict=True))
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
