"""Rule final_labels: people's, the folder's and the model's labels as one table."""

import pandas as pd

from dsplaybook.atomic import write_csv
from dsplaybook.data.datasets import read_mnist_style
from dsplaybook.labelling.final_table import final_labels
from dsplaybook.logs import run_rule


def main(log) -> None:
    i = snakemake.input
    data = read_mnist_style(i.h5)
    human, model, review = (pd.read_csv(f) for f in (i.human, i.labels, i.review))
    table = final_labels(data, human, model, review)
    write_csv(table, snakemake.output.final, float_format="%.6f")
    train = table[table["split"] == "train"]
    log.info("%d images: %s; %d model labels to review", len(table),
             ", ".join(f"{n} {s}" for s, n in train["source"].value_counts().items()),
             int(train["needs_review"].sum()))  # fmt: skip
    for name, n in train["class_name"].value_counts().sort_index().items():
        log.info("class %s: %d training images", name, n)


run_rule(main, snakemake)
