"""Rule simulate_lineups: correlated score simulation and a hit-probability portfolio."""

import pandas as pd

from dsplaybook.atomic import atomic_path
from dsplaybook.errors import exit_on_input_error
from dsplaybook.lineup_plots import plot_score_distributions
from dsplaybook.lineup_simulation import SimulationSettings, build_portfolio, simulate_player_scores
from dsplaybook.lineup_tables import lineups_from_table
from dsplaybook.logs import log_to_file
from dsplaybook.player_pool import load_pool
from dsplaybook.roster_rules import rules_from_config


def main() -> None:
    log = log_to_file(snakemake.log[0])
    p = snakemake.params
    rules = rules_from_config(p.roster)
    pool = load_pool(snakemake.input.pool, p.pool_settings, rules.positions)
    table = pd.read_csv(snakemake.input.lineups, dtype={"id": str})
    lineups = lineups_from_table(pool, table)
    settings = SimulationSettings(**p.simulation, seed=p.seed)
    scores = simulate_player_scores(pool, rules, settings)
    projected = table.groupby("lineup", sort=True)["projection"].sum().to_numpy()
    portfolio = build_portfolio(scores, lineups, projected, settings)
    chosen = set(portfolio.order)
    frame = pd.DataFrame(
        {
            "lineup": range(1, len(lineups) + 1),
            "projected": projected.round(4),
            "sim_mean": portfolio.lineup_mean.round(3),
            "sim_sd": portfolio.lineup_sd.round(3),
            "hit_probability": portfolio.lineup_hit.round(4),
            "target": round(portfolio.target, 3),
            "portfolio_rank": [
                portfolio.order.index(k) + 1 if k in chosen else None for k in range(len(lineups))
            ],
            "portfolio_hit_probability": [
                portfolio.hit_probability[portfolio.order.index(k)] if k in chosen else None
                for k in range(len(lineups))
            ],
        }
    )
    frame["portfolio_rank"] = frame["portfolio_rank"].astype("Int64")
    with atomic_path(snakemake.output.portfolio) as tmp:
        frame.to_csv(tmp, index=False, float_format="%.6g")
    plot_score_distributions(portfolio, projected, snakemake.output.plot)
    log.info(
        "target %.1f: portfolio of %d hits %.3f vs top-projected %.3f",
        portfolio.target,
        len(portfolio.order),
        portfolio.hit_probability[-1],
        portfolio.baseline_hit,
    )


exit_on_input_error(main, snakemake.log[0])
