"""Reference run of pydfs-lineup-optimizer (PuLP + CBC) for bench/lineups_vs_pydfs.py.

Runs inside its own virtual environment (bench/lineups_vs_pydfs.py creates it), never in
the project's. Prints one JSON line: lineups, seconds, total and best points.
Usage: python _pydfs_reference.py POOL.csv ROSTER N_LINEUPS MAX_OVERLAP PROJECTION_COLUMN
[realistic MIN_EXPOSURE_IDS]
ROSTER is the dsplaybook preset the pool is solved with on the other side. ``realistic``:
pydfs's own site rules, on NFL QB + 2 WR/TE stacks with a bring-back WR, max exposure
0.4 and min exposure 0.1 for the comma-separated ids (bench/lineups_vs_pydfs.py).
"""

import csv
import json
import sys
import time

from pydfs_lineup_optimizer import LineupOptimizer, Player, PositionsStack
from pydfs_lineup_optimizer.player import GameInfo
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


class FanDuelNflKickerSite(FanDuelNflKicker):
    """The same roster under FanDuel's site rules (at most 4 per team, at least 3 teams)."""

    max_from_one_team = 4


SETTINGS = {
    "fanduel_nfl_kicker": FanDuelNflKicker,
    "fanduel_nfl": FanDuelNfl,
    "draftkings_nba": DraftKingsNba,
}
# pydfs's own site settings (site rules in), for the realistic rules
SITE_SETTINGS = {
    "fanduel_nfl_kicker": FanDuelNflKickerSite,
    "fanduel_nfl": FanDuelFootballSettings,
    "draftkings_nba": DraftKingsBasketballSettings,
}


def read_players(pool_csv, projection, min_exposed=()):
    games = {}  # one GameInfo per game, shared by its players (pydfs groups by it)
    with open(pool_csv, newline="") as fh:
        for row in csv.DictReader(fh):
            if "First Name" in row:
                first, last, pid, team = row["First Name"], row["Last Name"], row["Id"], row["Team"]
                away, home = sorted([team, row["Opponent"]])
            else:
                first, _, last = row["Name"].partition(" ")
                pid, team = row["ID"], row["TeamAbbrev"]
                away, home = row["Game Info"].split(" ")[0].split("@")
            game = games.setdefault((away, home), GameInfo(home, away, None))
            yield Player(
                pid,
                first,
                last,
                row["Position"].split("/"),
                team,
                float(row["Salary"]),
                float(row[projection]),
                min_exposure=0.1 if pid in min_exposed else None,
                game_info=game,
            )


def main() -> None:
    pool_csv, roster, n_lineups, max_overlap, projection = sys.argv[1:6]
    realistic = len(sys.argv) > 6 and sys.argv[6] == "realistic"
    min_exposed = set(sys.argv[7].split(",")) if realistic else set()
    optimizer = LineupOptimizer((SITE_SETTINGS if realistic else SETTINGS)[roster])
    optimizer.player_pool.load_players(list(read_players(pool_csv, projection, min_exposed)))
    optimizer.set_max_repeating_players(int(max_overlap))
    if realistic and "nfl" in roster:
        optimizer.add_stack(PositionsStack(["QB", ("WR", "TE"), ("WR", "TE")]))
        optimizer.force_positions_for_opposing_team(("QB", "WR"))
    started = time.perf_counter()
    lineups = list(optimizer.optimize(n=int(n_lineups), max_exposure=0.4 if realistic else None))
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
