"""Rule build_hard_test_set: the test images a strong reference model gets wrong or is
least sure about (see dsplaybook.hard_test_set)."""

import numpy as np

from dsplaybook.atomic import atomic_path
from dsplaybook.datasets import read_mnist_style
from dsplaybook.errors import exit_on_input_error
from dsplaybook.features import train_test_matrices
from dsplaybook.hard_test_set import class_scores, hard_test_table, true_class_margins
from dsplaybook.label_budget import make_classifier
from dsplaybook.logs import log_to_file


def main() -> None:
    log = log_to_file(snakemake.log[0])
    ref, seed = snakemake.params.reference, snakemake.params.seed
    data = read_mnist_style(snakemake.input.h5)
    x_train, x_test = train_test_matrices(data, snakemake.input.features)
    n = ref["train_size"] or len(x_train)
    chosen = np.sort(np.random.default_rng(seed).choice(len(x_train), min(n, len(x_train)), False))
    model = make_classifier(ref["method"], seed, snakemake.threads)
    model.fit(x_train[chosen], data.y_train[chosen])
    predicted = model.predict(x_test)
    margins = true_class_margins(class_scores(model, x_test), data.y_test, model.classes_)
    table = hard_test_table(data.y_test, predicted, margins, ref["fraction"])
    log.info(
        "reference %s on %s, %d labelled images: test accuracy %.4f; hard subset %d images, "
        "reference accuracy there %.4f",
        ref["method"],
        ref["features"],
        len(chosen),
        (predicted == data.y_test).mean(),
        table["hard"].sum(),
        (predicted == data.y_test)[table["hard"]].mean(),
    )
    with atomic_path(snakemake.output.table) as tmp:
        table.to_csv(tmp, index=False)


exit_on_input_error(main, snakemake.log[0])
