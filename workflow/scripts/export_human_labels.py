"""Rule export_human_labels: the label store (annotations/) -> human_labels.csv."""

from dsplaybook.atomic import write_csv
from dsplaybook.data.datasets import read_mnist_style
from dsplaybook.labelling.agreement import agreement
from dsplaybook.logs import run_rule
from dsplaybook.store import LabelStore, StandingView, labels_table


def main(log) -> None:
    data = read_mnist_style(snakemake.input.h5)
    store = LabelStore(snakemake.params.store, readonly=True)  # absent until someone labels
    table = labels_table(store, data.class_names, data.files_train)
    write_csv(table, snakemake.output.labels)
    log.info("%d images labelled by people in %s", len(table), store.path)
    view = StandingView()
    view.refresh(store)
    agreed = agreement(view.votes(), store.annotators(), data.class_names)
    write_csv(agreed, snakemake.output.agreement, float_format="%.4f")
    overall = agreed.iloc[0]
    log.info("%d images labelled by two people: agreement %.3f, Cohen's kappa %.3f",
             overall["images"], overall["agreement"], overall["kappa"])  # fmt: skip


run_rule(main, snakemake)
