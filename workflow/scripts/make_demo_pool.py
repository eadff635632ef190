"""Rule make_demo_pool: a generated FanDuel-format pool for the offline demo."""

from dsplaybook.atomic import write_csv
from dsplaybook.lineups.demo_pool import demo_pool
from dsplaybook.logs import run_rule


def main(log) -> None:
    pool = demo_pool(n_teams=snakemake.params.n_teams, seed=snakemake.params.seed)
    write_csv(pool, snakemake.output.csv)
    log.info("wrote %d synthetic players", len(pool))


run_rule(main, snakemake)
