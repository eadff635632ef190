"""Rule play_contest: the portfolio that plays against a simulated field, evaluated on
fresh slates against the projection-max and variance-aware portfolios."""

from dsplaybook.atomic import write_csv
from dsplaybook.lineups.contest.play import play_contest
from dsplaybook.lineups.contest.settings import Contest
from dsplaybook.lineups.optimize import LineupSettings
from dsplaybook.lineups.player_pool import PoolSettings, load_pool, projection_files
from dsplaybook.lineups.plots import plot_contest
from dsplaybook.lineups.presets import roster_rules
from dsplaybook.lineups.tables import lineups_table
from dsplaybook.lineups.upload import upload_table
from dsplaybook.logs import run_rule


def main(log) -> None:
    p = snakemake.params
    rules = roster_rules(p.roster)
    settings = LineupSettings.from_config(p.settings)
    pool = load_pool(
        snakemake.input.pool,
        PoolSettings.from_config(p.pool),
        rules,
        settings.lock,
        projection_files(p),
    )
    rules = rules.for_pool(pool["position"])
    contest = Contest.from_config(p.contest)
    owned = snakemake.input.get("ownership")
    result = play_contest(pool, rules, settings, contest, p.simulation, p.seed, owned)
    chosen = list(result.lineups["opponent_aware"])
    slots = [rules.assign_slots(list(pool["position"].iloc[list(r)])) for r in chosen]
    out = snakemake.output
    write_csv(result.table, out.contest, float_format="%.6g")
    write_csv(upload_table(pool, chosen, slots, rules), out.upload)
    write_csv(lineups_table(pool, chosen, slots, rules), out.lineups, float_format="%.6g")
    write_csv(result.ownership, out.ownership, float_format="%.6g")
    fees = {name: contest.entry_fee * len(r) for name, r in result.lineups.items()}
    plot_contest(
        result.payouts,
        fees,
        result.ownership,
        f"{snakemake.wildcards.pool}: {contest.payout}, {contest.field_size:,} entries, "
        f"{contest.entries} ours (held-out slates)",
        out.plot,
    )
    row = result.table.set_index("portfolio")
    log.info(
        "%d candidates; held-out ROI: opponent-aware %.3f, projection-max %.3f, "
        "variance-aware %.3f; seconds %s",
        result.n_candidates,
        row.loc["opponent_aware", "expected_roi"],
        row.loc["projection_max", "expected_roi"],
        row.loc["variance_aware", "expected_roi"],
        {k: round(v, 1) for k, v in result.seconds.items()},
    )


run_rule(main, snakemake)
