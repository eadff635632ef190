"""Rule backtest_lineups: each portfolio method's lineups in a slate's real contests."""

from dsplaybook.atomic import write_csv
from dsplaybook.lineups.backtest.payouts import read_payouts
from dsplaybook.lineups.backtest.run import RealContest, backtest
from dsplaybook.lineups.backtest.settings import Backtest
from dsplaybook.lineups.backtest.standings import read_standings
from dsplaybook.lineups.contest.settings import Contest
from dsplaybook.lineups.optimize import LineupSettings
from dsplaybook.lineups.player_pool import read_player_pool
from dsplaybook.lineups.plots import plot_backtest
from dsplaybook.lineups.presets import roster_rules
from dsplaybook.lineups.projections import join_projections, read_projections
from dsplaybook.lineups.settings import Simulation
from dsplaybook.logs import run_rule


def main(log) -> None:
    p = snakemake.params
    slate = Backtest.from_config(p.slate)
    rules = roster_rules(slate.roster)
    pool = read_player_pool(  # projections come from the files, never the export's average
        snakemake.input.salaries, projection_column=None, positions=rules.positions
    )
    files = [read_projections(f.path, f.column) for f in slate.projections]
    pool = join_projections(pool, files, slate.missing)
    contests = [
        RealContest(
            name,
            read_standings(c.standings, rules.slot_names()),
            read_payouts(c.payouts),
            c.entry_fee,
            c.max_entries,
        )
        for name, c in slate.contests.items()
    ]
    summary, lineups = backtest(
        pool,
        rules,
        LineupSettings.from_config(p.settings),
        contests,
        slate.entries,
        Contest.from_config(p.contest),
        Simulation.from_config(p.simulation),
        p.seed,
    )
    write_csv(summary, snakemake.output.summary, float_format="%.6g")
    write_csv(lineups, snakemake.output.lineups, float_format="%.6g")
    plot_backtest(contests, lineups, summary, snakemake.wildcards.slate, snakemake.output.plot)
    log.info("%d contests, %d rows", len(contests), len(summary))


run_rule(main, snakemake)
