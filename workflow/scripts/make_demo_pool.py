"""Rule make_demo_pool: a generated FanDuel-format pool for the offline demo."""

from dsplaybook.atomic import atomic_path
from dsplaybook.demo_pool import demo_pool
from dsplaybook.logs import log_to_file

log = log_to_file(snakemake.log[0])
pool = demo_pool(n_teams=snakemake.params.n_teams, seed=snakemake.params.seed)
with atomic_path(snakemake.output.csv) as tmp:
    pool.to_csv(tmp, index=False)
log.info("wrote %d synthetic players", len(pool))
