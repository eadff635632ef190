"""Rule export_drawing_round: one round's human drawings as MNIST-style HDF5."""

from dsplaybook.dadc.drawing_store import DrawingStore
from dsplaybook.dadc.human_rounds import drawing_round
from dsplaybook.data.datasets import read_mnist_style, write_mnist_style
from dsplaybook.logs import run_rule


def main(log) -> None:
    data = read_mnist_style(snakemake.input.h5)
    drawings = DrawingStore(snakemake.input.store, readonly=True).drawings()
    k = int(snakemake.wildcards.k)
    round_set = drawing_round(drawings, k, data)
    write_mnist_style(snakemake.output.h5, round_set)
    log.info("round %d: %d drawings", k, len(round_set.x_train))


run_rule(main, snakemake)
