"""Rule export_human_labels: the label store (annotations/) -> human_labels.csv."""

from dsplaybook.atomic import write_csv
from dsplaybook.data.datasets import read_mnist_style
from dsplaybook.labelling.agreement import agreement
from dsplaybook.labelling.disputes import people_labels_table
from dsplaybook.logs import run_rule
from dsplaybook.store import LabelStore, StandingView


def main(log) -> None:
    data = read_mnist_style(snakemake.input.h5)
    # absent until someone labels; its class list maps its labels to the dataset's classes
    store = LabelStore(snakemake.params.store, readonly=True, classes=data.class_names)
    table = people_labels_table(store, data.class_names, data.files_train)
    write_csv(table, snakemake.output.labels)
    log.info("%d images labelled by people in %s; %d disputed, %d of them tied (left for "
             "review)", len(table), store.path, int(table["disputed"].sum()),
             int((table["label"] < 0).sum()))  # fmt: skip
    view = StandingView()
    view.refresh(store)
    agreed = agreement(view.votes(), store.annotators(), data.class_names)
    write_csv(agreed, snakemake.output.agreement, float_format="%.4f")
    overall = agreed.iloc[0]
    log.info("%d images labelled by two people: agreement %.3f, Cohen's kappa %.3f",
             overall["images"], overall["agreement"], overall["kappa"])  # fmt: skip


run_rule(main, snakemake)
