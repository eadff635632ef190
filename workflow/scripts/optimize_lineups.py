"""Rule optimize_lineups: pool CSV -> lineups, exposure, per-lineup summary, the site's
upload file and a readable lineups.md."""

from dsplaybook.atomic import write_csv, write_text
from dsplaybook.lineups.checks import optimize_checked
from dsplaybook.lineups.optimize import LineupSettings
from dsplaybook.lineups.player_pool import PoolSettings, load_pool, projection_files
from dsplaybook.lineups.presets import roster_rules
from dsplaybook.lineups.tables import (
    exposure_table,
    lineups_markdown,
    lineups_table,
    summary_table,
)
from dsplaybook.lineups.upload import upload_table
from dsplaybook.logs import run_rule


def main(log) -> None:
    p = snakemake.params
    rules = roster_rules(p.roster)
    pool_settings = PoolSettings.from_config(p.pool)
    settings = LineupSettings.from_config(p.settings)
    pool = load_pool(snakemake.input.pool, pool_settings, rules, settings.lock, projection_files(p))
    rules = rules.for_pool(pool["position"])
    log.info("%d players after dropping injured: %s", len(pool), pool_settings.drop_injured)
    result = optimize_checked(pool, rules, settings, seed=p.seed)
    table = lineups_table(pool, result.lineups, result.slots, rules)
    summary = summary_table(table)
    out = snakemake.output
    write_csv(table, out.lineups, float_format="%.6g")
    write_csv(exposure_table(pool, result.lineups), out.exposure, float_format="%.6g")
    write_csv(summary, out.summary, float_format="%.6g")
    write_csv(upload_table(pool, result.lineups, result.slots, rules), out.upload)
    write_text(
        out.readable, lineups_markdown(table, summary, rules, settings, snakemake.wildcards.pool)
    )
    best = summary.iloc[0]
    log.info(
        "%d lineups in %.2f s (%d proven by a MIP solve, the rest read off the ranked list); "
        "best: %.2f points, salary %d",
        len(summary),
        result.solve_seconds,
        result.solver_runs,
        best["points"],
        best["salary"],
    )


run_rule(main, snakemake)
