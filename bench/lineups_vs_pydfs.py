"""Benchmark: 150 FanDuel lineups (overlap ≤ 6) with dsplaybook vs pydfs-lineup-optimizer.

pydfs-lineup-optimizer is installed only here, in its own virtual environment
(.venv-bench-pydfs, git-ignored), never in the project's. Both get the same rules:
FanDuel NFL 2015 (cap 60,000; QB 1, RB 2, WR 3, TE 1, K 1, D 1), no team limit, no
stacking, at most 6 players shared between any two lineups.

Usage: .venv/bin/python bench/lineups_vs_pydfs.py [POOL.csv] [N_LINEUPS]
Prints the figures recorded in docs/benchmarks.md.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from dsplaybook.lineups.milp import LineupSettings, optimize_lineups
from dsplaybook.lineups.player_pool import read_player_pool
from dsplaybook.lineups.rosters import PRESETS

REPO = Path(__file__).resolve().parents[1]
BENCH_VENV = REPO / ".venv-bench-pydfs"
DEFAULT_POOL = REPO.parent / "shared" / "data" / "fantasy" / "fanduel_nfl_2015_w4.csv"


def pydfs_python() -> Path:
    python = BENCH_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "pydfs-lineup-optimizer==3.6.1"], check=True
        )
    return python


def main() -> None:
    pool_csv = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_POOL
    n_lineups = int(sys.argv[2]) if len(sys.argv) > 2 else 150
    max_overlap = 6
    pool = read_player_pool(pool_csv)
    rules = PRESETS["fanduel_nfl"]

    started = time.perf_counter()
    result = optimize_lineups(
        pool, rules, LineupSettings.unconstrained(n_lineups=n_lineups, max_overlap=max_overlap)
    )
    ours_s = time.perf_counter() - started
    points = [float(pool["projection"].to_numpy()[lu].sum()) for lu in result.lineups]

    header = pool_csv.read_text().splitlines()[0]
    projection = "FPPG" if "FPPG" in header.split(",") else "Expected Points"
    out = subprocess.run(
        [
            str(pydfs_python()),
            str(REPO / "bench" / "_pydfs_reference.py"),
            str(pool_csv),
            str(n_lineups),
            str(max_overlap),
            projection,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    ref = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(
        f"pool: {pool_csv.name}, {len(pool)} players; {n_lineups} lineups, overlap <= {max_overlap}"
    )
    print(
        f"dsplaybook (cvxpy + HiGHS): {ours_s:7.1f} s  total {sum(points):.1f}  "
        f"best {points[0]:.1f}"
    )
    print(
        f"pydfs (PuLP + CBC):         {ref['seconds']:7.1f} s  total {ref['total_points']:.1f}  "
        f"best {ref['best_points']:.1f}"
    )
    print(f"speed-up: {ref['seconds'] / ours_s:.2f}x")


if __name__ == "__main__":
    main()
