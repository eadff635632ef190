"""Rule build_fashion_mnist: four idx files -> results/data/fashion_mnist.h5."""

from dsplaybook.data.datasets import write_mnist_style
from dsplaybook.data.fashion_mnist import load_fashion_mnist
from dsplaybook.logs import run_rule


def main(log) -> None:
    i = snakemake.input
    data = load_fashion_mnist(i.train_images, i.train_labels, i.test_images, i.test_labels)
    write_mnist_style(snakemake.output.h5, data)
    log.info("wrote %d train / %d test images", len(data.x_train), len(data.x_test))


run_rule(main, snakemake)
