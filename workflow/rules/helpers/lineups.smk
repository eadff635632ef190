# Input functions, params and targets of the lineups branch (its rules: ../lineups.smk).
from dsplaybook.lineups.settings import LineupSettings, PoolSettings


def _pool(wildcards):
    if wildcards.pool not in SETTINGS.lineups.pools:
        raise WorkflowError(
            f"results/lineups/{wildcards.pool}: no pool of that name; add it to lineups.pools"
        )
    return SETTINGS.lineups.pool(wildcards.pool)


def player_pool_csv(wildcards):
    """A configured export, or the generated demo pool when the path is empty."""
    return _pool(wildcards).path or "resources/fantasy/demo_synthetic.csv"


def pool_roster(wildcards):
    """The pool's own roster, else lineups.roster (one run may mix sports)."""
    return _pool(wildcards).to_data()["roster"]


def lineup_targets():
    outputs = ["lineups.csv", "exposure.csv", "summary.csv", "portfolio.csv"]
    return ["results/lineups/bookcases.json", "results/lineups/bookcases.png"] + expand(
        "results/lineups/{pool}/{name}",
        pool=list(SETTINGS.lineups.pools),
        name=[*outputs, "score_distributions.png"],
    )
