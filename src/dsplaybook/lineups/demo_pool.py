"""A small generated FanDuel-format player pool so the demo runs offline.

Clearly synthetic: team codes are T01…T16 and every name starts with "Synthetic".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Players per team and position, and (mean projection, sd) of a starter.
# FanDuel NFL positions today (no kicker since 2020; the default roster is fanduel_nfl).
ROSTER = {"QB": 2, "RB": 4, "WR": 5, "TE": 3, "D": 1}
SCALE = {"QB": (17, 5), "RB": (10, 4), "WR": (10, 4.5), "TE": (6, 3), "D": (8, 3)}


def demo_pool(n_teams: int = 16, seed: int = 0) -> pd.DataFrame:
    if n_teams % 2:
        raise ValueError("n_teams must be even: teams play in pairs")
    rng = np.random.default_rng(seed)
    teams = [f"T{i + 1:02d}" for i in range(n_teams)]
    opponent = {teams[i]: teams[i ^ 1] for i in range(n_teams)}
    rows: list[dict] = []
    for team in teams:
        for pos, count in ROSTER.items():
            for depth in range(count):
                mean, sd = SCALE[pos]
                points = max(0.5, rng.normal(mean, sd) * (0.55**depth))
                salary = int(
                    np.clip(
                        round((3500 + 330 * points + rng.normal(0, 400)) / 100) * 100, 3500, 9900
                    )
                )
                injury = rng.choice(["", "", "", "", "", "", "", "", "Q", "O"])
                rows.append(
                    {
                        "Id": f"{len(rows) + 1:05d}",
                        "Position": pos,
                        "First Name": "Synthetic",
                        "Last Name": f"{team}-{pos}{depth + 1}",
                        "FPPG": round(points, 1),
                        "Played": 4,
                        "Salary": salary,
                        "Game": f"{min(team, opponent[team])}@{max(team, opponent[team])}",
                        "Team": team,
                        "Opponent": opponent[team],
                        "Injury Indicator": injury,
                    }
                )
    return pd.DataFrame(rows)


# DraftKings NBA: share of players listed at each position (several = multi-position).
NBA_POSITIONS = {
    "PG": 0.14,
    "SG": 0.10,
    "SF": 0.08,
    "PF": 0.10,
    "C": 0.12,
    "PG/SG": 0.14,
    "SG/SF": 0.12,
    "SF/PF": 0.12,
    "PF/C": 0.08,
}


def demo_draftkings_nba_pool(n_games: int = 8, per_team: int = 13, seed: int = 0) -> pd.DataFrame:
    """A synthetic slate in DraftKings' NBA export format (Position, Name + ID, Name, ID,
    Roster Position, Salary, Game Info, TeamAbbrev, AvgPointsPerGame), multi-position
    players included, plus a 'Projection' column with four decimals as projection
    services give them. Teams are N01…; names start with "Synthetic"."""
    rng = np.random.default_rng(seed)
    teams = [f"N{i + 1:02d}" for i in range(2 * n_games)]
    names, weights = list(NBA_POSITIONS), np.array(list(NBA_POSITIONS.values()))
    rows: list[dict] = []
    for g in range(n_games):
        away, home = teams[2 * g], teams[2 * g + 1]
        for team in (away, home):
            for depth in range(per_team):
                position = str(rng.choice(names, p=weights / weights.sum()))
                points = max(0.0, rng.gamma(4.0, 7.0) * 0.9**depth)
                salary = int(
                    np.clip(
                        round((3000 + 170 * points + rng.normal(0, 500)) / 100) * 100, 3000, 11500
                    )
                )
                pid = str(30_000_000 + len(rows))
                name = f"Synthetic {team}-{depth + 1}"
                eligible = position.split("/")
                roster = "/".join(
                    eligible
                    + (["G"] if {"PG", "SG"} & set(eligible) else [])
                    + (["F"] if {"SF", "PF"} & set(eligible) else [])
                    + ["UTIL"]
                )
                rows.append(
                    {
                        "Position": position,
                        "Name + ID": f"{name} ({pid})",
                        "Name": name,
                        "ID": pid,
                        "Roster Position": roster,
                        "Salary": salary,
                        "Game Info": f"{away}@{home} 11/29/2026 07:30PM ET",
                        "TeamAbbrev": team,
                        "AvgPointsPerGame": round(points, 2),
                        "Projection": round(points * rng.uniform(0.85, 1.15), 4),
                    }
                )
    return pd.DataFrame(rows)
