"""Benchmark: the opponent-aware portfolio against the projection-max sequence and the
variance-aware portfolio, on held-out slates and a held-out field (issue 28).

Every pool runs with the default settings tree (config.yaml's lineups rules and
lineups.contest: a 10,000-entry top-heavy GPP, 20 entries, 10,000 simulated opponents,
chosen on 2,000 slates, judged on 10,000 fresh ones) unless options say otherwise.
Simulated: no real contest results are involved.

Usage: .venv/bin/python bench/contest_roi.py [--payout top_heavy|double_up] [--copula
stacked|independent] [--seed S] [KEY=VALUE ...] [POOL ...]
Pools: fanduel_nfl_2015 (real, ../shared, dev only), generated_nfl_600, demo_synthetic.
KEY=VALUE sets a lineups.contest key (numbers as numbers). Prints one table per pool, the
seconds of each stage and the peak memory.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import resource
import tempfile
import time
from pathlib import Path

import pandas as pd
from _pools import bench_pools

from dsplaybook.lineups.contest.play import play_contest
from dsplaybook.lineups.contest.settings import Contest
from dsplaybook.lineups.demo_pool import demo_pool
from dsplaybook.lineups.player_pool import load_pool
from dsplaybook.lineups.presets import PRESETS
from dsplaybook.lineups.settings import LineupSettings, PoolSettings, Simulation


def _value(text: str) -> object:
    if text.startswith("["):
        return [float(v) for v in text.strip("[]").split(",") if v]
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--payout", default="top_heavy")
    parser.add_argument("--copula", default="stacked")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("rest", nargs="*")
    args = parser.parse_args()
    overrides = dict(a.split("=", 1) for a in args.rest if "=" in a)
    names = [a for a in args.rest if "=" not in a] or [
        "fanduel_nfl_2015",
        "generated_nfl_600",
        "demo_synthetic",
    ]
    logging.basicConfig(level=logging.WARNING)
    folder = Path(tempfile.mkdtemp())
    pools = bench_pools(folder)
    demo = folder / "demo_synthetic.csv"
    demo_pool(16, 0).to_csv(demo, index=False)
    pools["demo_synthetic"] = (demo, "fanduel_nfl", "auto")
    contest = Contest(
        payout=args.payout, copula=args.copula, **{k: _value(v) for k, v in overrides.items()}
    )
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, load "
        f"{os.getloadavg()[0]:.2f}; contest: {contest.payout}, {contest.field_size} entries, "
        f"{contest.entries} ours, copula {contest.copula}, overrides {overrides or 'none'}"
    )
    pd.set_option("display.width", 200)
    for name in names:
        path, roster, projection = pools[name]
        rules = PRESETS[roster]
        pool = load_pool(path, PoolSettings(projection_column=projection), rules)
        started = time.perf_counter()
        result = play_contest(pool, rules, LineupSettings(), contest, Simulation(), args.seed)
        seconds = time.perf_counter() - started
        table = result.table.set_index("portfolio")
        columns = [
            "expected_roi",
            "payout_se",
            "in_sample_roi",
            "p_cash",
            "p_cash_normal",
            "p_top_1pct",
            "mean_ownership",
            "field_duplicates",
            "roi_vs_projection_max",
            "roi_gain_se",
        ]
        print(f"\n{name}: {len(pool)} players, {result.n_candidates} candidates")
        print(table[columns].round(4).to_string())
        roi = table["expected_roi"]
        print(
            f"ROI ratio vs projection-max {roi['opponent_aware'] / roi['projection_max']:.3f}, "
            f"vs variance-aware {roi['opponent_aware'] / roi['variance_aware']:.3f}; "
            f"{seconds:.1f} s ({', '.join(f'{k} {v:.1f}' for k, v in result.seconds.items())})"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
