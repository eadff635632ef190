"""Backtests of the three portfolio methods on every real DraftKings contest in
../shared/data/contests (two slates: NFL 2017 week 2, NBA 2017-12-13), for 1, 20 and 150
entries within each contest's entry limit, with the default settings of
``lineups.contest`` and ``lineups.simulation`` and RotoGrinders' projections published
before lock. Prints one row per contest × entries × method (what docs/benchmarks.md
quotes) and writes them to ``--out`` (CSV).

Usage: python bench/contest_backtests.py [--entries 1,20,150] [--out backtests.csv]
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path

import pandas as pd

from dsplaybook.lineups.backtest.payouts import read_payouts
from dsplaybook.lineups.backtest.run import RealContest, backtest, pit_error
from dsplaybook.lineups.backtest.standings import read_standings
from dsplaybook.lineups.contest.settings import Contest
from dsplaybook.lineups.player_pool import read_player_pool
from dsplaybook.lineups.presets import PRESETS
from dsplaybook.lineups.projections import join_projections, read_projections
from dsplaybook.lineups.settings import LineupSettings, Simulation

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "contests"
SLATES = {
    "nfl-2017-09-17-dk-classic-main-wk2": (
        "draftkings_nfl",
        ["roto_offense_2017-09-14.csv", "roto_defense_2017-09-14.csv"],
        ("NFL $20K Safety", 2.0),
    ),
    "nba-2017-12-13-dk-classic-main": (
        "draftkings_nba",
        ["roto_2017-12-13.csv"],
        ("NBA $160K Triple Threat", 33.0),
    ),
}


def limits(root: Path) -> dict[str, int]:
    """Contest name -> entry limit, from SOURCE.json's DraftKings contest rows."""
    source = json.loads((root / "SOURCE.json").read_text())
    found = {}
    for contest in source["contests"]:
        for row in contest.get("contests_csv_rows", []):
            found[row["Contest_Name"]] = int(row["Max_Entry"])
            if contest.get("primary"):
                found["main"] = int(row["Max_Entry"])
    return found


def contests_of(root: Path, rules) -> list[RealContest]:
    slots = rules.slot_names()
    limit = limits(root)
    name, fee = SLATES[root.name][2]
    found = [
        RealContest(
            name,
            read_standings(root / "standings.csv", slots),
            read_payouts(root / "payouts.csv"),
            fee,
            limit.get("main", 150),
        )
    ]
    extra = pd.read_csv(root / "extra_contests" / "contests.csv")
    for row in extra.itertuples():
        folder = root / "extra_contests" / row.folder
        found.append(
            RealContest(
                row.name,
                read_standings(folder / "standings.csv", slots),
                read_payouts(folder / "payouts.csv"),
                float(row.entry_fee),
                limit.get(row.name, 150),
            )
        )
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", default="1,20,150")
    parser.add_argument("--out", default="")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    entries = tuple(int(n) for n in args.entries.split(","))
    tables, pits = [], []
    for folder, (roster, files, _) in SLATES.items():
        root = SHARED / folder
        rules = PRESETS[roster]
        pool = read_player_pool(root / "salaries.csv", None, rules.positions)
        pool = join_projections(pool, [read_projections(root / "projections" / f) for f in files])
        started = time.perf_counter()
        summary, lineups = backtest(
            pool,
            rules,
            LineupSettings(),
            contests_of(root, rules),
            entries,
            Contest(),
            Simulation(),
            args.seed,
        )
        print(f"{folder}: {time.perf_counter() - started:.0f} s", flush=True)
        tables.append(summary.assign(slate=folder))
        for method, rows in [("all", lineups), *lineups.groupby("method")]:
            pits.append({"slate": folder, "method": method, "lineups": len(rows),
                         "pit_error": pit_error(rows["pit"].to_numpy()),
                         "mean_pit": rows["pit"].mean()})  # fmt: skip
    table = pd.concat(tables, ignore_index=True)
    pd.set_option("display.width", 250)
    pd.set_option("display.max_rows", 500)
    columns = ["slate", "contest", "entry_fee", "entries", "method", "roi", "simulated_roi",
               "cash_rate", "mean_percentile", "best_place", "field_entries",
               "field_median_points", "field_roi", "top1pct_users_roi",
               "user_percentile"]  # fmt: skip
    print(table[columns].to_string(index=False, float_format="{:.3f}".format))
    print("\nPIT of the lineups' percentiles (the simulator's P(percentile <= realised))")
    print(pd.DataFrame(pits).to_string(index=False, float_format="{:.3f}".format))
    if args.out:
        table.to_csv(args.out, index=False)


if __name__ == "__main__":
    main()
