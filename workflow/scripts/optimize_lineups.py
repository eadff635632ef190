"""Rule optimize_lineups: pool CSV -> lineups, exposure and per-lineup summary."""

from dsplaybook.atomic import atomic_path
from dsplaybook.errors import exit_on_input_error
from dsplaybook.lineup_checks import portfolio_violations
from dsplaybook.lineup_milp import LineupSettings, optimize_lineups
from dsplaybook.lineup_tables import exposure_table, lineups_table, summary_table
from dsplaybook.logs import log_to_file
from dsplaybook.player_pool import load_pool
from dsplaybook.roster_rules import rules_from_config


def main() -> None:
    log = log_to_file(snakemake.log[0])
    cfg = dict(snakemake.params.settings)
    rules = rules_from_config(snakemake.params.roster)
    pool_settings = {
        k: cfg.pop(k) for k in ("projection_column", "drop_injured", "injury_statuses")
    }
    pool = load_pool(snakemake.input.pool, pool_settings, rules.positions)
    log.info("%d players after dropping injured: %s", len(pool), pool_settings["drop_injured"])
    settings = LineupSettings(
        **{**cfg, "lock": tuple(cfg["lock"]), "exclude": tuple(cfg["exclude"])}
    )
    result = optimize_lineups(pool, rules, settings)
    problems = portfolio_violations(pool, result.lineups, rules, settings)
    if problems:  # never write a lineup that breaks a rule
        raise RuntimeError(f"solver returned lineups that break the rules: {problems[:3]}")
    table = lineups_table(pool, result.lineups, rules)
    summary = summary_table(table)
    for dest, frame in (
        (snakemake.output.lineups, table),
        (snakemake.output.exposure, exposure_table(pool, result.lineups)),
        (snakemake.output.summary, summary),
    ):
        with atomic_path(dest) as tmp:
            frame.to_csv(tmp, index=False, float_format="%.6g")
    best = summary.iloc[0]
    log.info(
        "%d lineups in %.2f s; best: %.2f points, salary %d",
        len(summary),
        result.solve_seconds,
        best["points"],
        best["salary"],
    )


exit_on_input_error(main, snakemake.log[0])
