"""Rule aggregate_drawing_players: every replicate in one table, the per-round summary
(errors and DADC's relative error reduction, mean ± sd over seeds) and its plot."""

import pandas as pd

from dsplaybook.atomic import atomic_path, write_csv
from dsplaybook.dadc.player_study import plot_study, round_table
from dsplaybook.logs import run_rule


def main(log) -> None:
    rounds = pd.concat([pd.read_csv(f) for f in snakemake.input.runs], ignore_index=True)
    rounds = rounds.sort_values(["strategy", "seed", "round"], kind="stable")
    summary = round_table(rounds)
    write_csv(rounds, snakemake.output.rounds, float_format="%.6f")
    write_csv(summary, snakemake.output.summary, float_format="%.6f")
    with atomic_path(snakemake.output.plot) as tmp:
        plot_study(rounds, tmp, snakemake.params.budget)
    last = summary.iloc[-1]
    log.info(
        "round %d: DADC reduces test errors by %.1f%% ± %.1f, hard-set errors by %.1f%% ± %.1f "
        "(simulated players, %d seeds)",
        last["round"], 100 * last["test_reduction_mean"], 100 * last["test_reduction_sd"],
        100 * last["hard_reduction_mean"], 100 * last["hard_reduction_sd"], last["seeds"],
    )  # fmt: skip


run_rule(main, snakemake)
