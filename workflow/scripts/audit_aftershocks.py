"""Rule audit_aftershocks: the study's models under its own split and grouped re-splits."""

from dsplaybook.atomic import atomic_path, write_csv
from dsplaybook.logs import run_rule


def main(log) -> None:
    from dsplaybook.represent.keras_runtime import configure

    p = snakemake.params
    configure(p.seed, snakemake.threads)
    from dsplaybook.aftershock.aftershock_data import LABEL, load_audit_table
    from dsplaybook.aftershock.aftershock_models import (
        audit_study,
        selection_candidates,
        study_models,
    )
    from dsplaybook.aftershock.leakage import model_selection_table
    from dsplaybook.aftershock.report import auc_table, markdown, plot_roc, plot_train_vs_test

    table, note = load_audit_table(p.source, snakemake.input)
    log.info(
        "%d rows, %d files, %d earthquakes",
        len(table),
        table["file"].nunique(),
        table["earthquake"].nunique(),
    )
    models = study_models(p.epochs, p.seed, snakemake.threads, p.trees)
    result = audit_study(table, models, p.resplits, p.seed, p.test_size)
    selection = model_selection_table(
        table,
        label=LABEL,
        split="split",
        group="earthquake",
        candidates=selection_candidates(p.model_selection, p.trees, p.seed, snakemake.threads),
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
        write_csv(frame, dest, float_format="%.6f")
    with atomic_path(out.audit) as tmp:
        tmp.write_text(markdown(result, "Leakage audit: aftershock study", note, selection))
    plot_roc(result, out.roc, "ROC on the study's test split")
    plot_train_vs_test(result, out.train_vs_test, "Train vs test AUC: study split vs grouped")
    for finding in result.findings:
        log.info(finding)


run_rule(main, snakemake)
