"""Rule audit_aftershocks: the study's models under its own split and grouped re-splits."""

from pathlib import Path

from dsplaybook.atomic import atomic_path
from dsplaybook.errors import exit_on_input_error
from dsplaybook.logs import log_to_file


def main() -> None:
    log = log_to_file(snakemake.log[0])
    from dsplaybook import keras_runtime

    p = snakemake.params
    keras_runtime.configure(p.seed, snakemake.threads)
    from dsplaybook.aftershock_data import LABEL, load_grids
    from dsplaybook.aftershock_models import (
        audit_study,
        one_neuron,
        random_forest,
        study_models,
    )
    from dsplaybook.audit import model_selection_table
    from dsplaybook.audit_report import auc_table, markdown, plot_roc, plot_train_vs_test

    if p.source == "synthetic":
        folder = Path(snakemake.input.grids)
        table = load_grids(folder / "names_train_ids.csv", folder)
        note = (
            "SYNTHETIC grids made by dsplaybook (point double-couple stresses, aftershocks drawn "
            "from von Mises stress); they mimic the study's structure, not its numbers"
        )
    else:
        table = load_grids(snakemake.input.split_list, Path(snakemake.input.grid_files[0]).parent)
        note = "the study's released grid files"
    log.info(
        "%d rows, %d files, %d earthquakes",
        len(table),
        table["file"].nunique(),
        table["earthquake"].nunique(),
    )
    common = dict(label=LABEL, split="split", group="earthquake")
    models = study_models(p.epochs, p.seed, snakemake.threads, p.trees)
    result = audit_study(table, models, p.resplits, p.seed, p.test_size)
    candidates = {
        f"random forest, leaf {leaf}": (
            {"trees": p.trees, "min_samples_leaf": leaf},
            random_forest(p.trees, leaf, seed=p.seed, threads=snakemake.threads),
        )
        for leaf in (5, 50, 500)
    } | {f"one neuron, C {c}": ({"C": c}, one_neuron(c)) for c in (0.01, 1.0)}
    selection = model_selection_table(
        table,
        **common,
        candidates=candidates,
        n_splits=min(3, p.resplits),
        test_size=p.test_size,
        seed=p.seed,
    )
    out = snakemake.output
    for dest, frame in (
        (out.auc_table, auc_table(result)),
        (out.resplits, result.resplit_scores),
        (out.selection, selection),
    ):
        with atomic_path(dest) as tmp:
            frame.to_csv(tmp, index=False, float_format="%.6f")
    with atomic_path(out.audit) as tmp:
        tmp.write_text(markdown(result, "Leakage audit: aftershock study", note, selection))
    plot_roc(result, out.roc, "ROC on the study's test split")
    plot_train_vs_test(result, out.train_vs_test, "Train vs test AUC: study split vs grouped")
    for finding in result.findings:
        log.info(finding)


exit_on_input_error(main, snakemake.log[0])
