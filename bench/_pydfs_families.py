"""pydfs-lineup-optimizer's side of bench/lineups_vs_pydfs.py --family (runs in the
bench's own environment, never the project's). Prints one JSON line: seconds, points,
ids. Usage: python _pydfs_families.py FAMILY EXPORT.csv N_LINEUPS MAX_OVERLAP

The same rules as dsplaybook's side (bench/lineups_vs_pydfs.py FAMILY_RULES):
showdown_nfl/nba: DraftKings captain mode as pydfs ships it (CPT rows ×1.5 points, one
slot per player by name, at most 5 per team); mlb_stack: DraftKings MLB (at most 5
hitters per team, 2 games) with a 5-hitter team stack and no hitter against the
lineup's pitchers; nhl_lines: DraftKings NHL (skaters from 3 teams) with 3 players of
one line and no skater against the lineup's goalie; golf: DraftKings golf.
"""

import csv
import json
import sys
import time

from pydfs_lineup_optimizer import LineupOptimizer, Player, Stack, TeamStack
from pydfs_lineup_optimizer.player import GameInfo
from pydfs_lineup_optimizer.sites.draftkings.captain_mode.settings import (
    DraftKingsCaptainModeBasketballSettings,
    DraftKingsCaptainModeFootballSettings,
)
from pydfs_lineup_optimizer.sites.draftkings.classic.settings import (
    DraftKingsBaseballSettings,
    DraftKingsGolfSettings,
    DraftKingsHockeySettings,
)
from pydfs_lineup_optimizer.stacks import PlayersGroup

SETTINGS = {
    "showdown_nfl": DraftKingsCaptainModeFootballSettings,
    "showdown_nba": DraftKingsCaptainModeBasketballSettings,
    "mlb_stack": DraftKingsBaseballSettings,
    "nhl_lines": DraftKingsHockeySettings,
    "golf": DraftKingsGolfSettings,
}
HITTERS = ["C", "1B", "2B", "3B", "SS", "OF"]


def read(path, family):
    games, players, lines = {}, [], {}
    showdown = family.startswith("showdown")
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            first, _, last = row["Name"].partition(" ")
            matchup = row["Game Info"].split(" ")[0]
            game = None
            if "@" in matchup:
                away, home = matchup.split("@")
                game = games.setdefault((away, home), GameInfo(home, away, None))
            captain = showdown and row["Roster Position"] == "CPT"
            positions = [row["Roster Position"]] if showdown else row["Position"].split("/")
            order = row.get("Order") or None
            player = Player(
                row["ID"],
                first,
                last,
                positions,
                row["TeamAbbrev"],
                float(row["Salary"]),
                float(row["Projection"]) * (1.5 if captain else 1.0),
                game_info=game,
                roster_order=int(order) if order else None,
            )
            players.append(player)
            if row.get("Line"):
                lines.setdefault((row["TeamAbbrev"], row["Line"]), []).append(player)
    return players, lines


def main() -> None:
    family, path, n_lineups, max_overlap = sys.argv[1:5]
    optimizer = LineupOptimizer(SETTINGS[family])
    players, lines = read(path, family)
    optimizer.player_pool.load_players(players)
    optimizer.set_max_repeating_players(int(max_overlap))
    if family == "mlb_stack":
        optimizer.add_stack(TeamStack(5, for_positions=HITTERS))
        optimizer.restrict_positions_for_opposing_team(["SP", "RP"], HITTERS)
    if family == "nhl_lines":
        groups = [PlayersGroup(p, min_from_group=3) for p in lines.values() if len(p) >= 3]
        optimizer.add_stack(Stack(groups))
        optimizer.restrict_positions_for_opposing_team(["G"], ["C", "LW", "RW", "D"])
    started = time.perf_counter()
    lineups = list(optimizer.optimize(n=int(n_lineups)))
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": seconds,
                "points": [sum(p.fppg for p in lineup.players) for lineup in lineups],
                "ids": [sorted(p.id for p in lineup.players) for lineup in lineups],
            }
        )
    )


if __name__ == "__main__":
    main()
