"""Rule select_images_to_label: the next images a person should label (queue.csv)."""

from dsplaybook.atomic import write_csv
from dsplaybook.data.datasets import read_mnist_style
from dsplaybook.labelling.queue import QueueSettings, given_labels, queue_table, select_images
from dsplaybook.logs import run_rule
from dsplaybook.represent.features import train_test_matrices


def main(log) -> None:
    p = snakemake.params
    settings = QueueSettings.from_config(
        p.queue, seed=p.seed, hyperparameters=p.hyperparameters, selection=p.selection
    )
    data = read_mnist_style(snakemake.input.h5)
    x_train, _ = train_test_matrices(data, snakemake.input.features)
    labels = given_labels(data, snakemake.input.human)
    chosen, strategy = select_images(x_train, labels, settings, len(data.class_names))
    write_csv(queue_table(chosen, data.files_train, strategy), snakemake.output.queue)
    log.info("queued %d images by %s; %d labelled so far", len(chosen), strategy, len(labels))


run_rule(main, snakemake)
