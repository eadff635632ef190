"""A small generated FanDuel-format player pool so the demo runs offline.

Clearly synthetic: team codes are T01…T16 and every name starts with "Synthetic".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Players per team and position, and (mean projection, sd) of a starter.
ROSTER = {"QB": 2, "RB": 4, "WR": 5, "TE": 3, "K": 1, "D": 1}
SCALE = {"QB": (17, 5), "RB": (10, 4), "WR": (10, 4.5), "TE": (6, 3), "K": (8, 2), "D": (8, 3)}


def demo_pool(n_teams: int = 16, seed: int = 0) -> pd.DataFrame:
    if n_teams % 2:
        raise ValueError("n_teams must be even: teams play in pairs")
    rng = np.random.default_rng(seed)
    teams = [f"T{i + 1:02d}" for i in range(n_teams)]
    opponent = {teams[i]: teams[i ^ 1] for i in range(n_teams)}
    rows = []
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
