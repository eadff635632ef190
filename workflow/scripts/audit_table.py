"""Rule audit_table: the generic leakage audit on a table dataset."""

from dsplaybook.aftershock.settings import TableAudit
from dsplaybook.aftershock.table_audit import audit_table, findings_text
from dsplaybook.atomic import atomic_path, write_csv
from dsplaybook.data.datasets import read_mnist_style
from dsplaybook.logs import run_rule


def main(log) -> None:
    w, p, out = snakemake.wildcards, snakemake.params, snakemake.output
    data = read_mnist_style(snakemake.input.h5)
    result, positive = audit_table(data, TableAudit.from_config(p.audit), p.seed)
    write_csv(result.split_scores, out.scores, float_format="%.6f")
    write_csv(result.leaky_features, out.leaky, float_format="%.6f")
    text = findings_text(w.table, data, result, positive)
    with atomic_path(out.findings) as tmp:
        tmp.write_text(text)
    for line in text.splitlines():
        if line:
            log.info("%s", line)


run_rule(main, snakemake)
