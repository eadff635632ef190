"""Rule aggregate_dadc: all runs in one table, the final-round comparison, a summary line."""

import pandas as pd

from dsplaybook.atomic import atomic_path, write_csv
from dsplaybook.dadc.report import final_round_summary, summary_line
from dsplaybook.logs import run_rule


def main(log) -> None:
    rounds = pd.concat([pd.read_csv(f) for f in snakemake.input.runs], ignore_index=True)
    rounds = rounds.sort_values(["strategy", "replicate", "round"], kind="stable")
    summary = final_round_summary(rounds)
    line = summary_line(snakemake.wildcards.dataset, summary)
    log.info("%s", line)
    write_csv(rounds, snakemake.output.rounds)
    write_csv(summary, snakemake.output.summary)
    with atomic_path(snakemake.output.line) as tmp:
        tmp.write_text(line + "\n", encoding="utf-8")


run_rule(main, snakemake)
