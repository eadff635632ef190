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


def pool_projections(wildcards):
    """The pool's projection files as settings (lineups.pools.<pool>.projections)."""
    return [f.to_data() for f in _pool(wildcards).projections]


def pool_inputs(wildcards):
    """The pool export and its projection files."""
    return {
        "pool": player_pool_csv(wildcards),
        "projections": [f.path for f in _pool(wildcards).projections],
    }


def pool_roster(wildcards):
    """The pool's own roster, else lineups.roster (one run may mix sports)."""
    return _pool(wildcards).to_data()["roster"]


def _swap(wildcards):
    if wildcards.pool not in SETTINGS.lineups.late_swap:
        raise WorkflowError(
            f"results/lineups/{wildcards.pool}/late_swap.csv: no late swap for this pool; "
            f"add lineups.late_swap.{wildcards.pool}: {{submitted: ..., started: [...]}}"
        )
    return SETTINGS.lineups.late_swap[wildcards.pool]


def submitted_upload(wildcards):
    """The upload file entered on the site (lineups.late_swap.<pool>.submitted)."""
    return _swap(wildcards).submitted


def contest_inputs(wildcards):
    """The pool export, and its ownership file when lineups.contest.ownership_files names one."""
    inputs = pool_inputs(wildcards)
    owned = SETTINGS.lineups.contest.ownership_files.get(wildcards.pool)
    if owned:
        inputs["ownership"] = owned
    return inputs


def late_swap_settings(wildcards):
    return _swap(wildcards).to_data()


def lineup_targets():
    outputs = [
        "lineups.csv",
        "exposure.csv",
        "summary.csv",
        "portfolio.csv",
        "upload.csv",
        "contest.csv",
        "contest_upload.csv",
    ]
    return (
        ["results/lineups/bookcases.json", "results/lineups/bookcases.png"]
        + expand(
            "results/lineups/{pool}/{name}",
            pool=list(SETTINGS.lineups.pools),
            name=[
                *outputs,
                "lineups.md",
                "score_distributions.png",
                "contest_payouts.png",
            ],
        )
        + expand(
            "results/lineups/{pool}/late_swap.csv",
            pool=list(SETTINGS.lineups.late_swap),
        )
        + backtest_targets()
    )


def _backtest(wildcards):
    return SETTINGS.lineups.backtests[wildcards.slate]


def backtest_inputs(wildcards):
    """The slate's salaries export, projection files and every contest's two files."""
    slate = _backtest(wildcards)
    return {
        "salaries": slate.salaries,
        "projections": [p.path for p in slate.projections],
        "standings": [c.standings for c in slate.contests.values()],
        "payouts": [c.payouts for c in slate.contests.values()],
    }


def backtest_settings(wildcards):
    return _backtest(wildcards).to_data()


def backtest_targets():
    return expand(
        "results/lineups/{slate}/{name}",
        slate=list(SETTINGS.lineups.backtests),
        name=["backtest.csv", "backtest_lineups.csv", "backtest.png"],
    )
