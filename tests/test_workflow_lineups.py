"""The lineups branch through real snakemake: demo pool, bad pool, and the real FanDuel pool."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import SHARED_DATA, WorkflowRun

from dsplaybook.lineups.checks import portfolio_violations
from dsplaybook.lineups.optimize import LineupSettings
from dsplaybook.lineups.player_pool import read_player_pool
from dsplaybook.lineups.presets import PRESETS
from dsplaybook.lineups.settings import PoolSettings
from dsplaybook.lineups.tables import lineups_from_table, slots_from_table
from dsplaybook.lineups.upload import read_upload

pytestmark = pytest.mark.workflow
FANDUEL_POOL = SHARED_DATA / "fantasy" / "fanduel_nfl_2015_w4.csv"


def _run(tmp_path, lineups_config, targets, check=True):
    run = WorkflowRun(workdir=tmp_path / "work", configfile=tmp_path / "c.yaml")
    run.workdir.mkdir(exist_ok=True)
    run.write_config({"datasets": [], "lineups": lineups_config})
    return run, run.snakemake(*targets, check=check)


def test_demo_pool_lineups_obey_every_rule_and_are_deterministic(tmp_path):
    config = {"n_lineups": 6, "demo_pool_teams": 6, "simulation": {"n_sims": 400}}
    run, _ = _run(tmp_path, config, ["results/lineups/demo_synthetic/portfolio.csv"])
    out = run.workdir / "results/lineups/demo_synthetic"
    table = pd.read_csv(out / "lineups.csv", dtype={"id": str})
    pool = read_player_pool(run.workdir / "resources/fantasy/demo_synthetic.csv")
    # the configured filter (the run's config leaves lineups.injury_statuses at its default)
    statuses = set(PoolSettings().injury_statuses)
    pool = pool[~pool["injury"].str.upper().isin(statuses)].reset_index(drop=True)
    settings = LineupSettings.unconstrained(
        n_lineups=6,
        max_overlap=6,
        stack=True,
        avoid_opposing_defense=True,
        max_exposure=0.6,
        max_per_team=4,
    )
    lineups = lineups_from_table(pool, table)
    assert len(lineups) == 6
    slots = slots_from_table(pool, table)
    assert portfolio_violations(pool, lineups, PRESETS["fanduel_nfl"], settings, slots) == []
    assert set(table["slot"]) == {"QB", "RB", "WR", "TE", "FLEX", "D"}
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    run.snakemake("--forceall", "results/lineups/demo_synthetic/portfolio.csv")
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.suffix == ".csv"} == {
        k: v for k, v in first.items() if k.endswith(".csv")
    }
    # only what the target needs was built
    assert not (run.workdir / "results/lineups/bookcases.json").exists()


def test_malformed_pool_fails_with_one_line_and_no_output(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(FANDUEL_POOL_HEADER + "1,QB,A,B,10,9000,GB,SF\n2,WR,C,D,8,cheap,GB,SF\n")
    run, result = _run(
        tmp_path, {"pools": {"bad": str(bad)}}, ["results/lineups/bad/lineups.csv"], check=False
    )
    assert result.returncode != 0
    lines = {line for line in result.stderr.splitlines() if line.startswith("dsplaybook error")}
    assert lines == {
        f"dsplaybook error: {bad}: row 3 column 'Salary': 'cheap' is not a number; fix the export"
    }
    assert not (run.workdir / "results/lineups/bad").exists()


def test_infeasible_rules_fail_naming_the_group(tmp_path):
    run, result = _run(
        tmp_path,
        {"demo_pool_teams": 4, "n_lineups": 30, "max_overlap": 1},
        ["results/lineups/demo_synthetic/lineups.csv"],
        check=False,
    )
    assert result.returncode != 0
    assert "'overlap with earlier lineups' cannot be met" in result.stderr
    assert not (run.workdir / "results/lineups/demo_synthetic/lineups.csv").exists()


FANDUEL_POOL_HEADER = "Id,Position,First Name,Last Name,Expected Points,Salary,Team,Opponent\n"


@pytest.mark.skipif(
    not FANDUEL_POOL.exists(),
    reason=f"real FanDuel pool not present at {FANDUEL_POOL} (CI/dev only)",
)
def test_real_fanduel_pool_best_lineup_and_150_lineups(tmp_path):
    config = {
        # the 2015 export has kickers: FanDuel's rules of the time, named for this pool only
        "pools": {"fanduel_2015_w4": {"path": str(FANDUEL_POOL), "roster": "fanduel_nfl_kicker"}},
        "n_lineups": 150,
        "max_overlap": 6,
        "stack": False,
        "avoid_opposing_defense": False,
        "max_exposure": 1.0,
        "max_per_team": None,
        "simulation": {"n_sims": 1000},
    }
    run, _ = _run(tmp_path, config, ["results/lineups/fanduel_2015_w4/portfolio.csv"])
    out = run.workdir / "results/lineups/fanduel_2015_w4"
    summary = pd.read_csv(out / "summary.csv")
    assert len(summary) == 150
    # Known answer from an independent solver (pydfs-lineup-optimizer with PuLP/CBC, same
    # rules; see docs/benchmarks.md): the best lineup scores 178.2 for $59,800.
    assert summary["points"].iloc[0] == pytest.approx(178.2)
    assert summary["salary"].iloc[0] == 59_800
    pool = read_player_pool(FANDUEL_POOL)
    table = pd.read_csv(out / "lineups.csv", dtype={"id": str})
    lineups = lineups_from_table(pool, table)
    slots = slots_from_table(pool, table)
    settings = LineupSettings.unconstrained(n_lineups=150, max_overlap=6)
    rules = PRESETS["fanduel_nfl_kicker"]
    assert portfolio_violations(pool, lineups, rules, settings, slots) == []
    portfolio = pd.read_csv(out / "portfolio.csv")
    assert portfolio["portfolio_rank"].notna().sum() == 5


def test_a_config_pools_mapping_replaces_the_configured_pools(tmp_path):
    from dsplaybook.lineups.demo_pool import demo_pool

    mine = tmp_path / "mine.csv"
    demo_pool(n_teams=4, seed=1).to_csv(mine, index=False)
    run = WorkflowRun(workdir=tmp_path / "work", configfile=tmp_path / "c.yaml")
    run.workdir.mkdir()
    run.write_config({"datasets": [], "branches": ["lineups"], "lineups": {"pools": {"demo": ""}}})
    result = run.snakemake("-n", "--config", f'lineups={{"pools": {{"mine": "{mine}"}}}}')
    planned = result.stdout + result.stderr
    assert "results/lineups/mine/lineups.csv" in planned
    assert "results/lineups/demo/" not in planned  # not merged with the file's pools


def test_a_draftkings_nba_export_and_an_nfl_pool_in_one_run(tmp_path):
    """A DraftKings NBA-format CSV (multi-position players such as PG/SG) under its own
    roster beside the FanDuel NFL demo pool: every lineup lists valid slots."""
    from dsplaybook.lineups.demo_pool import demo_draftkings_nba_pool

    nba = tmp_path / "DKSalaries.csv"
    demo_draftkings_nba_pool(n_games=3, seed=2).to_csv(nba, index=False)
    config = {
        "pools": {"demo_synthetic": "", "nba": {"path": str(nba), "roster": "draftkings_nba"}},
        "n_lineups": 5,
        "demo_pool_teams": 6,
        "simulation": {"n_sims": 300},
    }
    targets = [f"results/lineups/{p}/portfolio.csv" for p in ("nba", "demo_synthetic")]
    run, _ = _run(tmp_path, config, targets)
    table = pd.read_csv(run.workdir / "results/lineups/nba/lineups.csv", dtype={"id": str})
    pool = read_player_pool(nba)
    lineups = lineups_from_table(pool, table)
    slots = slots_from_table(pool, table)
    # the workflow's own rules: DraftKings' site rule (2 games at least), no team limit
    settings = LineupSettings(n_lineups=5, max_overlap=6, max_exposure=0.6)
    rules = PRESETS["draftkings_nba"]
    assert len(lineups) == 5
    assert portfolio_violations(pool, lineups, rules, settings, slots) == []
    upload = read_upload(run.workdir / "results/lineups/nba/upload.csv", pool, rules)
    assert [list(x) for x in upload.lineups] == [list(x) for x in lineups]
    assert table["position"].str.contains("/").any(), "no multi-position player chosen"
    assert set(table["slot"]) == set(rules.slot_names())
    nfl = pd.read_csv(run.workdir / "results/lineups/demo_synthetic/lineups.csv")
    assert "FLEX" in set(nfl["slot"])


def test_late_swap_rewrites_the_submitted_file_keeping_started_games(tmp_path):
    config = {"n_lineups": 4, "demo_pool_teams": 6, "simulation": {"n_sims": 300}}
    run, _ = _run(tmp_path, config, ["results/lineups/demo_synthetic/upload.csv"])
    out = run.workdir / "results/lineups/demo_synthetic"
    assert (out / "lineups.md").read_text().startswith("# Lineups for demo_synthetic")
    # the file as entered on the site, with the site's entry columns in front
    entered = pd.read_csv(out / "upload.csv", dtype=str)
    entered.insert(0, "entry_id", [f"90{k}" for k in range(len(entered))])
    submitted = tmp_path / "entries.csv"
    entered.to_csv(submitted, index=False)
    swap = {"demo_synthetic": {"submitted": str(submitted), "started": ["T01"]}}
    run.write_config({"datasets": [], "lineups": {**config, "late_swap": swap}})
    run.snakemake("results/lineups/demo_synthetic/late_swap.csv")
    swapped = pd.read_csv(out / "late_swap.csv", dtype=str)
    assert list(swapped.columns) == list(entered.columns)
    assert list(swapped["entry_id"]) == list(entered["entry_id"])
    pool = read_player_pool(run.workdir / "resources/fantasy/demo_synthetic.csv")
    started = set(pool["id"][pool["team"].isin(["T01", "T02"])])  # T01 plays T02
    for (_, before), (_, after) in zip(entered.iterrows(), swapped.iterrows(), strict=True):
        for column in entered.columns[1:]:
            if before[column] in started:
                assert after[column] == before[column]  # same player, same slot
            else:
                assert after[column] not in started  # nobody added from a started game
    rules = PRESETS["fanduel_nfl"]
    back = read_upload(out / "late_swap.csv", pool, rules)
    assert len(back.lineups) == 4


def test_play_contest_writes_an_uploadable_portfolio_and_held_out_figures(tmp_path):
    contest = {
        "field_size": 2000,
        "entries": 5,
        "opponents": 1500,
        "candidates": 400,
        "qb_candidates": 2,
        "per_qb": 20,
        "shortlist": 300,
        "choose_sims": 300,
        "evaluate_sims": 600,
    }
    config = {"demo_pool_teams": 8, "n_lineups": 5, "contest": contest}
    run, _ = _run(tmp_path, config, ["results/lineups/demo_synthetic/contest.csv"])
    out = run.workdir / "results/lineups/demo_synthetic"
    table = pd.read_csv(out / "contest.csv").set_index("portfolio")
    assert list(table.index) == ["opponent_aware", "projection_max", "variance_aware"]
    assert (table["entries"] == 5).all()
    assert table["p_cash"].between(0, 1).all() and table["p_top_1pct"].between(0, 1).all()
    pool = read_player_pool(run.workdir / "resources/fantasy/demo_synthetic.csv")
    pool = pool[~pool["injury"].str.upper().isin(set(PoolSettings().injury_statuses))]
    pool = pool.reset_index(drop=True)
    rules = PRESETS["fanduel_nfl"]
    upload = read_upload(out / "contest_upload.csv", pool, rules)
    assert len(upload.lineups) == 5
    settings = LineupSettings(n_lineups=5)
    assert portfolio_violations(pool, upload.lineups, rules, settings, upload.slots) == []
    owned = pd.read_csv(out / "ownership.csv", dtype={"id": str})
    by_position = owned.groupby("position")["field_ownership"].sum()
    assert by_position["QB"] == pytest.approx(1.0, abs=1e-5)
    assert by_position["D"] == pytest.approx(1.0, abs=1e-5)
    assert (out / "contest_payouts.png").stat().st_size > 10_000


CONTESTS = SHARED_DATA / "contests"


def test_a_backtest_on_a_real_slate_and_projection_files_for_a_pool(tmp_path):
    """The backtest rule on the real NFL slate (one contest, small simulations), and the
    same slate as a pool whose projections come from the projection files."""
    slate = CONTESTS / "nfl-2017-09-17-dk-classic-main-wk2"
    if not slate.exists():
        pytest.skip("needs ../shared/data/contests")
    files = [{"path": str(slate / "projections" / f)} for f in
             ("roto_offense_2017-09-14.csv", "roto_defense_2017-09-14.csv")]  # fmt: skip
    config = {
        "roster": "draftkings_nfl",
        "n_lineups": 3,
        "pools": {"wk2": {"path": str(slate / "salaries.csv"), "projections": files}},
        "contest": {
            "candidates": 300,
            "choose_sims": 300,
            "evaluate_sims": 300,
            "opponents": 500,
            "contrarian": [0.5],
            "qb_candidates": 2,
            "per_qb": 20,
            "shortlist": 200,
        },  # fmt: skip
        "backtests": {
            "nfl_wk2": {
                "salaries": str(slate / "salaries.csv"),
                "roster": "draftkings_nfl",
                "projections": files,
                "entries": [1, 3],
                "contests": {
                    "safety": {
                        "standings": str(slate / "standings.csv"),
                        "payouts": str(slate / "payouts.csv"),
                        "entry_fee": 2,
                    },
                },  # fmt: skip
            }
        },
    }
    run, _ = _run(
        tmp_path,
        config,
        ["results/lineups/nfl_wk2/backtest.csv", "results/lineups/wk2/lineups.csv"],
    )
    summary = pd.read_csv(run.workdir / "results/lineups/nfl_wk2/backtest.csv")
    assert len(summary) == 6 and set(summary["entries"]) == {1, 3}
    assert summary["field_roi"].between(-0.25, -0.05).all()  # the real field pays the rake
    assert summary["mean_percentile"].between(0, 1).all()
    assert (run.workdir / "results/lineups/nfl_wk2/backtest.png").stat().st_size > 10_000
    log = (run.workdir / "logs/lineups/backtest_lineups/nfl_wk2.log").read_text()
    assert "drafted by nobody" in log and "players not in any projection file" in log
    lineups = pd.read_csv(run.workdir / "results/lineups/wk2/lineups.csv")
    projected = read_player_pool(slate / "salaries.csv", None, PRESETS["draftkings_nfl"].positions)
    assert "David Johnson" not in set(lineups["name"])  # out that week: no projection
    assert len(projected) > 0
    pool_log = (run.workdir / "logs/lineups/optimize_lineups/wk2.log").read_text()
    assert "season average" not in pool_log  # the files replaced AvgPointsPerGame
