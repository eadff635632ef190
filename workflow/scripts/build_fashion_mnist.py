"""Rule build_fashion_mnist: four idx files -> results/data/fashion_mnist.h5."""

from dsplaybook.datasets import write_mnist_style
from dsplaybook.errors import exit_on_input_error
from dsplaybook.fashion_mnist import load_fashion_mnist
from dsplaybook.logs import log_to_file


def main() -> None:
    log = log_to_file(snakemake.log[0])
    i = snakemake.input
    data = load_fashion_mnist(i.train_images, i.train_labels, i.test_images, i.test_labels)
    write_mnist_style(snakemake.output.h5, data)
    log.info("wrote %d train / %d test images", len(data.x_train), len(data.x_test))


exit_on_input_error(main, snakemake.log[0])
