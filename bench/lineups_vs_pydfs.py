"""Benchmark: 150 lineups (at most 6 shared) with dsplaybook vs pydfs-lineup-optimizer.

pydfs-lineup-optimizer 3.6.1 (PuLP + CBC) is installed only here, in its own virtual
environment (.venv-bench-pydfs, git-ignored), never in the project's. Both get the same
rules, in one of two sets:

- ``plain`` (default): the pool's roster and salary cap, no team limit, no stacking, no
  minimum number of games, at most 6 players shared between any two lineups;
- ``--realistic``: what a player enters a contest with: the site's rules (FanDuel at
  most 4 per team and 3 teams; DraftKings 2 games), on NFL pools QB + 2 WR/TE of his
  team with a bring-back WR of the opponent, max exposure 0.4, min exposure 0.1 for
  three mid-priced players, at most 6 shared.

Every pool runs twice, back to back, alternating which optimiser goes first; each side's
time covers the optimisation only (not reading the CSV). Every lineup of *both* sides is
re-checked by dsplaybook's independent checker (slots by matching, cap, every rule).

Usage: .venv/bin/python bench/lineups_vs_pydfs.py [--verify] [--realistic] [N_LINEUPS]
[POOL_NAME ...], or ``--family FAMILY[,FAMILY…] [N_LINEUPS]`` for the contests beyond
classic NFL/NBA, on generated DraftKings exports (bench/_family_pools.py): showdown_nfl,
showdown_nba (captain mode), mlb_stack (5-hitter stack, no hitter against the lineup's
pitcher), nhl_lines (3 of one line, no skater against the goalie), golf; the same rules
on both sides (bench/_pydfs_families.py), at most 4 shared of 6 players (6 of 9-10).
Prints the figures recorded in docs/benchmarks.md. ``--verify`` also
re-solves every one of our lineups with the HiGHS MILP given our earlier lineups
(exactness where ties make the two optimisers' sequences differ; plain rules only).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _family_pools import family_pool
from _pools import bench_pools

from dsplaybook.lineups.checks import portfolio_violations
from dsplaybook.lineups.engines.highs import HighsSequence
from dsplaybook.lineups.formulation import EngineInputs, formulate
from dsplaybook.lineups.optimize import LineupSettings, optimize_lineups, overlap_limit
from dsplaybook.lineups.player_pool import PoolSettings, load_pool, read_player_pool
from dsplaybook.lineups.presets import PRESETS

REPO = Path(__file__).resolve().parents[1]
BENCH_VENV = REPO / ".venv-bench-pydfs"
MAX_OVERLAP = 6


def pydfs_python() -> Path:
    python = BENCH_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "pydfs-lineup-optimizer==3.6.1"], check=True
        )
    return python


MIN_EXPOSED = 3  # players given min exposure 0.1 under --realistic
MAX_EXPOSURE, MIN_EXPOSURE = 0.4, 0.1


def min_exposure_ids(pool) -> list[str]:
    """Three mid-priced players (projection ranks 30-32 among non-QB, non-defense, by
    id on ties): ones the best lineups would not use often on their own."""
    rules = pool[~pool["position"].isin(["QB", "D", "DST", "K"])]
    ranked = rules.sort_values(["projection", "id"], ascending=[False, True])
    return list(ranked["id"].astype(str).iloc[30 : 30 + MIN_EXPOSED])


def bench_settings(pool, roster: str, n: int, realistic: bool) -> LineupSettings:
    if not realistic:
        return LineupSettings.unconstrained(n_lineups=n, max_overlap=MAX_OVERLAP)
    nfl = "nfl" in roster
    return LineupSettings(
        n_lineups=n,
        max_overlap=MAX_OVERLAP,
        stack={"qb_receivers": 2, "bring_back": 1, "bring_back_positions": ["WR"]}
        if nfl
        else False,
        avoid_opposing_defense=False,  # pydfs has no such default rule
        max_exposure=MAX_EXPOSURE,
        player_exposure={
            pid: {"min": MIN_EXPOSURE, "max": MAX_EXPOSURE} for pid in min_exposure_ids(pool)
        },
    )  # site rules: the defaults (max_per_team/min_teams/min_games: site)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_ours(csv: Path, roster: str, projection: str, n: int, realistic: bool) -> dict:
    pool = read_player_pool(csv, projection, PRESETS[roster].positions)
    settings = bench_settings(pool, roster, n, realistic)
    started = time.perf_counter()
    result = optimize_lineups(pool, PRESETS[roster], settings)
    seconds = time.perf_counter() - started
    problems = portfolio_violations(pool, result.lineups, PRESETS[roster], settings, result.slots)
    values = pool["projection"].to_numpy()
    return {
        "seconds": seconds,
        "points": [float(values[lineup].sum()) for lineup in result.lineups],
        "solver_runs": result.solver_runs,
        "problems": problems,
        "peak_mb": peak_rss_mb(),
    }


def run_pydfs(csv: Path, roster: str, projection: str, n: int, realistic: bool) -> dict:
    pool = read_player_pool(csv, projection, PRESETS[roster].positions)
    command = [
        str(pydfs_python()),
        str(REPO / "bench" / "_pydfs_reference.py"),
        str(csv),
        roster,
        str(n),
        str(MAX_OVERLAP),
        projection,
    ]
    if realistic:
        command += ["realistic", ",".join(min_exposure_ids(pool))]
    out = subprocess.run(command, check=True, capture_output=True, text=True)
    run = json.loads(out.stdout.strip().splitlines()[-1])
    # pydfs's lineups through the same independent checker
    index_of = {pid: i for i, pid in enumerate(pool["id"].astype(str))}
    lineups = [np.array(sorted(index_of[str(p)] for p in ids)) for ids in run["ids"]]
    settings = bench_settings(pool, roster, n, realistic)
    run["problems"] = portfolio_violations(pool, lineups, PRESETS[roster], settings)
    return run


def shortfall_given_earlier(csv: Path, roster: str, projection: str, n: int) -> float:
    """Largest gap between the best lineup given our earlier lineups (HiGHS MILP, gap 0)
    and ours, over the sequence; 0 when every lineup is exact."""
    rules = PRESETS[roster]
    pool = read_player_pool(csv, projection, rules.positions)
    settings = LineupSettings.unconstrained(n_lineups=n, max_overlap=MAX_OVERLAP)
    ours = optimize_lineups(pool, rules, settings).lineups
    f = formulate(pool, rules, settings)
    check = HighsSequence(EngineInputs(f, overlap_limit(settings, rules), 0.0, pool, rules))
    values, worst = pool["projection"].to_numpy(), 0.0
    for lineup in ours:
        best, _ = check.next_lineup()
        worst = max(worst, float(values[best].sum() - values[lineup].sum()))
        check.add_lineup(lineup, exhausted=np.zeros(0, dtype=int))
    return worst


HITTERS = ["C", "1B", "2B", "3B", "SS", "OF"]
FAMILY_RULES = {
    "showdown_nfl": {},
    "showdown_nba": {},
    "mlb_stack": {
        "stack": {"qb_receivers": 0, "team": 5, "team_positions": HITTERS},
        "avoid": [{"positions": ["SP", "RP"], "against": HITTERS}],
    },
    "nhl_lines": {"stack": {"qb_receivers": 0, "line": 3}, "avoid_opposing_defense": True},
    "golf": {},
}


def family_settings(family: str, rules, n: int) -> LineupSettings:
    """The family's rules on top of the site's (``site`` team rules, no exposure cap, as
    pydfs by default); overlap 4 on 6-player rosters, else MAX_OVERLAP."""
    plain = {"stack": False, "avoid_opposing_defense": False, "max_exposure": 1.0}
    overlap = 4 if rules.size <= 6 else MAX_OVERLAP
    return LineupSettings(n_lineups=n, max_overlap=overlap, **{**plain, **FAMILY_RULES[family]})


def family_pool_of(csv: Path, family: str, rules):
    settings = PoolSettings(
        projection_column="Projection",
        batting_order_column="Order" if family == "mlb_stack" else "",
        line_column="Line" if family == "nhl_lines" else "",
    )
    return load_pool(csv, settings, rules)


def run_family(csv: Path, family: str, preset: str, n: int, who: str) -> dict:
    rules = PRESETS[preset]
    pool = family_pool_of(csv, family, rules)
    settings = family_settings(family, rules, n)
    values = pool["projection"].to_numpy()
    if who == "ours":
        started = time.perf_counter()
        result = optimize_lineups(pool, rules, settings)
        seconds = time.perf_counter() - started
        lineups, slots, runs = result.lineups, result.slots, result.solver_runs
    else:
        command = [
            str(pydfs_python()),
            str(REPO / "bench" / "_pydfs_families.py"),
            family,
            str(csv),
            str(n),
            str(settings.max_overlap),
        ]
        out = subprocess.run(command, check=True, capture_output=True, text=True)
        run = json.loads(out.stdout.strip().splitlines()[-1])
        index_of = {pid: i for i, pid in enumerate(pool["id"].astype(str))}
        lineups = [np.array(sorted(index_of[str(p)] for p in ids)) for ids in run["ids"]]
        seconds, slots, runs = run["seconds"], None, 0
    return {
        "seconds": seconds,
        "points": [float(values[lineup].sum()) for lineup in lineups],
        "solver_runs": runs,
        "problems": portfolio_violations(pool, lineups, rules, settings, slots),
        "peak_mb": peak_rss_mb(),
        "players": len(pool),
    }


def main_families(families: list[str], n: int) -> None:
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {os.getloadavg()[0]:.2f} at start"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for family in families:
            csv, preset = family_pool(family, Path(tmp))
            for attempt in (1, 2):
                order = ["ours", "pydfs"] if attempt == 1 else ["pydfs", "ours"]
                runs = {who: run_family(csv, family, preset, n, who) for who in order}
                ours, ref = runs["ours"], runs["pydfs"]
                if attempt == 1:
                    print(
                        f"\nfamily {family}: {ours['players']} rows, roster {preset}, {n} lineups"
                    )
                same = sum(
                    abs(a - b) < 1e-6 for a, b in zip(ours["points"], ref["points"], strict=False)
                )
                print(
                    f"  run {attempt} ({' first, '.join(order)} second): dsplaybook "
                    f"{ours['seconds']:6.2f} s ({ours['solver_runs']} MIP solves), pydfs "
                    f"{ref['seconds']:6.1f} s, speed-up {ref['seconds'] / ours['seconds']:.1f}x"
                )
                print(
                    f"    totals: dsplaybook {sum(ours['points']):.4f} ({len(ours['points'])} "
                    f"lineups), pydfs {sum(ref['points']):.4f} ({len(ref['points'])}), "
                    f"difference {sum(ours['points']) - sum(ref['points']):+.2e}; values equal "
                    f"{same} of {n}; violations: dsplaybook {len(ours['problems'])}, pydfs "
                    f"{len(ref['problems'])}; peak memory {ours['peak_mb']:.0f} MB"
                )
                for who in ("ours", "pydfs"):
                    for problem in runs[who]["problems"][:3]:
                        print(f"      {who}: {problem}")


def main() -> None:
    if "--family" in sys.argv:
        at = sys.argv.index("--family")
        rest = sys.argv[at + 2 :]
        main_families(sys.argv[at + 1].split(","), int(rest[0]) if rest else 150)
        return
    verify = "--verify" in sys.argv
    realistic = "--realistic" in sys.argv
    args = [a for a in sys.argv[1:] if a not in ("--verify", "--realistic")]
    n = int(args[0]) if args else 150
    wanted = args[1:]
    load = os.getloadavg()[0]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {load:.2f} at start"
    )
    with tempfile.TemporaryDirectory() as tmp:
        pools = bench_pools(Path(tmp))
        for name, (csv, roster, projection) in pools.items():
            if wanted and name not in wanted:
                continue
            players = len(read_player_pool(csv, projection))
            rules = "realistic rules" if realistic else "plain rules"
            print(
                f"\npool {name}: {players} players, roster {roster}, {n} lineups, overlap <= 6, "
                f"{rules}"
            )
            for attempt in (1, 2):
                order = ["ours", "pydfs"] if attempt == 1 else ["pydfs", "ours"]
                runs = {}
                for who in order:
                    run = run_ours if who == "ours" else run_pydfs
                    runs[who] = run(csv, roster, projection, n, realistic)
                ours, ref = runs["ours"], runs["pydfs"]
                ours_total, ref_total = sum(ours["points"]), sum(ref["points"])
                pairs = zip(ours["points"], ref["points"], strict=True)
                same = sum(abs(a - b) < 1e-6 for a, b in pairs)
                ratio = ref["seconds"] / ours["seconds"]
                print(
                    f"  run {attempt} ({' first, '.join(order)} second): "
                    f"dsplaybook {ours['seconds']:6.1f} s ({ours['solver_runs']} MIP solves), "
                    f"pydfs {ref['seconds']:6.1f} s, speed-up {ratio:.2f}x"
                )
                print(
                    f"    totals: dsplaybook {ours_total:.6f}, pydfs {ref_total:.6f}, "
                    f"difference {ours_total - ref_total:+.2e}; lineup values equal "
                    f"{same} of {n}; rule violations: dsplaybook {len(ours['problems'])}, "
                    f"pydfs {len(ref['problems'])}; dsplaybook peak memory "
                    f"{ours['peak_mb']:.0f} MB"
                )
                for who in ("ours", "pydfs"):
                    for problem in runs[who]["problems"][:3]:
                        print(f"      {who}: {problem}")
            if verify and not realistic:
                worst = shortfall_given_earlier(csv, roster, projection, n)
                print(f"  exact given our earlier lineups: largest shortfall {worst:.2e}")


if __name__ == "__main__":
    main()
