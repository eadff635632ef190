"""Rule train_sslcnn: a small CNN trained without labels (VICReg), on the training
images only; the encoder is kept."""

from dsplaybook.logs import run_rule


def main(log) -> None:
    from dsplaybook.represent.keras_runtime import configure

    p = snakemake.params
    configure(p.seed, snakemake.threads)
    from dsplaybook.data.datasets import read_mnist_style, training_subset
    from dsplaybook.represent.autoencoders import save_trained
    from dsplaybook.represent.selfsupervised import (
        SelfSupervisedSettings,
        train_self_supervised,
    )

    settings = SelfSupervisedSettings.from_config(p.model)
    log.info("sslcnn: %s", settings)
    data = training_subset(read_mnist_style(snakemake.input.h5), p.train_subset)
    trained = train_self_supervised(data.x_train, settings, p.seed)
    save_trained(trained, snakemake.output.encoder, None, snakemake.output.history)


run_rule(main, snakemake)
