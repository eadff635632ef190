"""Reference run of pydfs-lineup-optimizer (PuLP + CBC) for bench/lineups_vs_pydfs.py.

Runs inside its own virtual environment (bench/lineups_vs_pydfs.py creates it), never in
the project's. Prints one JSON line: lineups, seconds, total and best points.
Usage: python _pydfs_reference.py POOL.csv ROSTER N_LINEUPS MAX_OVERLAP PROJECTION_COLUMN
ROSTER is the dsplaybook preset the pool is solved with on the other side.
"""

import csv
import json
import sys
import time

from pydfs_lineup_optimizer import LineupOptimizer, Player
from pydfs_lineup_optimizer.settings import LineupPosition
from pydfs_lineup_optimizer.sites.draftkings.classic.settings import (
    DraftKingsBasketballSettings,
)
from pydfs_lineup_optimizer.sites.fanduel.classic.settings import (
    FanDuelFootballSettings,
    FanDuelSettings,
)


class FanDuelNflKicker(FanDuelSettings):
    """FanDuel NFL with a kicker and no flex: the rules of the 2015 pool (cap 60,000)."""

    budget = 60000
    max_from_one_team = 9  # no team limit, as in dsplaybook's LineupSettings.unconstrained
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


class FanDuelNfl(FanDuelFootballSettings):
    max_from_one_team = 9


class DraftKingsNba(DraftKingsBasketballSettings):
    max_from_one_team = 8
    min_games = None  # dsplaybook's presets have no minimum number of games


SETTINGS = {
    "fanduel_nfl_kicker": FanDuelNflKicker,
    "fanduel_nfl": FanDuelNfl,
    "draftkings_nba": DraftKingsNba,
}


def read_players(pool_csv, projection):
    with open(pool_csv, newline="") as fh:
        for row in csv.DictReader(fh):
            if "First Name" in row:
                first, last, pid, team = row["First Name"], row["Last Name"], row["Id"], row["Team"]
            else:
                first, _, last = row["Name"].partition(" ")
                pid, team = row["ID"], row["TeamAbbrev"]
            yield Player(
                pid,
                first,
                last,
                row["Position"].split("/"),
                team,
                float(row["Salary"]),
                float(row[projection]),
            )


def main() -> None:
    pool_csv, roster, n_lineups, max_overlap, projection = sys.argv[1:6]
    optimizer = LineupOptimizer(SETTINGS[roster])
    optimizer.player_pool.load_players(list(read_players(pool_csv, projection)))
    optimizer.set_max_repeating_players(int(max_overlap))
    started = time.perf_counter()
    lineups = list(optimizer.optimize(n=int(n_lineups)))
    seconds = time.perf_counter() - started
    points = [sum(p.fppg for p in lineup.players) for lineup in lineups]
    print(
        json.dumps(
            {
                "lineups": len(lineups),
                "seconds": seconds,
                "points": points,
                "ids": [sorted(p.id for p in lineup.players) for lineup in lineups],
            }
        )
    )


if __name__ == "__main__":
    main()
