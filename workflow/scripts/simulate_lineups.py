"""Rule simulate_lineups: correlated score simulation and a hit-probability portfolio."""

import pandas as pd

from dsplaybook.atomic import write_csv
from dsplaybook.lineups.player_pool import PoolSettings, load_pool, projection_files
from dsplaybook.lineups.plots import plot_score_distributions
from dsplaybook.lineups.presets import roster_rules
from dsplaybook.lineups.simulation import (
    SimulationSettings,
    build_portfolio,
    portfolio_table,
    simulate_player_scores,
)
from dsplaybook.lineups.tables import lineups_from_table
from dsplaybook.logs import run_rule


def main(log) -> None:
    p = snakemake.params
    rules = roster_rules(p.roster)
    pool = load_pool(
        snakemake.input.pool,
        PoolSettings.from_config(p.pool),
        rules,
        projections=projection_files(p),
    )
    rules = rules.for_pool(pool["position"])
    table = pd.read_csv(snakemake.input.lineups, dtype={"id": str})
    lineups = lineups_from_table(pool, table)
    settings = SimulationSettings.from_config(p.simulation, seed=p.seed)
    scores = simulate_player_scores(pool, rules, settings)
    projected = table.groupby("lineup", sort=True)["projection"].sum().to_numpy()
    portfolio = build_portfolio(scores, lineups, projected, settings)
    write_csv(
        portfolio_table(portfolio, projected), snakemake.output.portfolio, float_format="%.6g"
    )
    plot_score_distributions(portfolio, projected, snakemake.output.plot)
    log.info(
        "target %.1f: portfolio of %d hits %.3f vs top-projected %.3f",
        portfolio.target,
        len(portfolio.order),
        portfolio.hit_probability[-1],
        portfolio.baseline_hit,
    )


run_rule(main, snakemake)
