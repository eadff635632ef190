"""Rule optimize_lineups: pool CSV -> lineups, exposure and per-lineup summary."""

from dsplaybook.atomic import atomic_path
from dsplaybook.errors import exit_on_input_error
from dsplaybook.lineup_checks import portfolio_violations
from dsplaybook.lineup_milp import LineupSettings, optimize_lineups
from dsplaybook.lineup_tables import exposure_table, lineups_table, summary_table
from dsplaybook.logs import log_to_file
from dsplaybook.player_pool import drop_injured, read_player_pool
from dsplaybook.roster_rules import rules_from_config


def main() -> None:
    log = log_to_file(snakemake.log[0])
    cfg = dict(snakemake.params.settings)
    rules = rules_from_config(snakemake.params.roster)
    pool = read_player_pool(snakemake.input.pool, cfg.pop("projection_column"), rules.positions)
    statuses = cfg.pop("injury_statuses")
    if cfg.pop("drop_injured"):
        before = len(pool)
        pool = drop_injured(pool, statuses)
        log.info("dropped %d injured players (%s)", before - len(pool), ", ".join(statuses))
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
