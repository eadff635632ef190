"""Reference run of pydfs-lineup-optimizer (PuLP + CBC) for bench/lineups_vs_pydfs.py.

Runs inside its own virtual environment (bench/lineups_vs_pydfs.py creates it), never in
the project's. Prints one JSON line: lineups, seconds, total and best points.
Usage: python _pydfs_reference.py POOL.csv N_LINEUPS MAX_OVERLAP PROJECTION_COLUMN
"""

import csv
import json
import sys
import time

from pydfs_lineup_optimizer import LineupOptimizer, Player
from pydfs_lineup_optimizer.settings import LineupPosition
from pydfs_lineup_optimizer.sites.fanduel.classic.settings import FanDuelSettings


class FanDuelNfl2015(FanDuelSettings):
    """FanDuel NFL with a kicker and no flex: the rules of the 2015 pool (cap 60,000)."""

    budget = 60000
    max_from_one_team = 9  # no team limit, as in dsplaybook's default
    positions = [
        LineupPosition("QB", ("QB",)),
        LineupPosition("RB", ("RB",)),
        LineupPosition("RB", ("RB",)),
        LineupPosition("WR", ("WR",)),
        LineupPosition("WR", ("WR",)),
        LineupPosition("WR", ("WR",)),
        LineupPosition("TE", ("TE",)),
        LineupPosition("K", ("K",)),
        LineupPosition("D", ("D",)),
    ]


def main() -> None:
    pool_csv, n_lineups, max_overlap, projection = sys.argv[1:5]
    optimizer = LineupOptimizer(FanDuelNfl2015)
    with open(pool_csv, newline="") as fh:
        players = [
            Player(
                row["Id"],
                row["First Name"],
                row["Last Name"],
                [row["Position"]],
                row["Team"],
                float(row["Salary"]),
                float(row[projection]),
            )
            for row in csv.DictReader(fh)
        ]
    optimizer.player_pool.load_players(players)
    optimizer.set_max_repeating_players(int(max_overlap))
    started = time.perf_counter()
    lineups = list(optimizer.optimize(n=int(n_lineups)))
    seconds = time.perf_counter() - started
    points = [round(sum(p.fppg for p in lineup.players), 6) for lineup in lineups]
    print(
        json.dumps(
            {
                "lineups": len(lineups),
                "seconds": seconds,
                "total_points": round(sum(points), 4),
                "best_points": max(points),
                "best_salary": lineups[0].salary_costs,
                "ids": [sorted(p.id for p in lineup.players) for lineup in lineups],
            }
        )
    )


if __name__ == "__main__":
    main()
