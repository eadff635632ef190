"""Player pools for bench/lineups_vs_pydfs.py, written as site exports.

- ``fanduel_nfl_2015``: the real FanDuel NFL 2015 week-4 export (../shared, dev only).
- ``generated_nfl_600``: 32 teams, ~600 players in today's FanDuel NFL format (FLEX, no
  kicker), each (salary, points) pair drawn from a real player of the same position in
  the 2015 pool, with jitter; points keep many decimals as FanDuel's FPPG does.
- ``generated_dk_nba``: a DraftKings NBA slate (8 games, multi-position players) from
  ``dsplaybook.lineups.demo_pool``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from dsplaybook.lineups.demo_pool import demo_draftkings_nba_pool

REPO = Path(__file__).resolve().parents[1]
SHARED_POOL = REPO.parent / "shared" / "data" / "fantasy" / "fanduel_nfl_2015_w4.csv"
PER_TEAM = {"QB": 3, "RB": 5, "WR": 7, "TE": 3, "D": 1}  # 19 × 32 = 608 players


def generated_nfl(seed: int = 0) -> pd.DataFrame:
    real = pd.read_csv(SHARED_POOL)
    rng = np.random.default_rng(seed)
    teams = [f"G{i + 1:02d}" for i in range(32)]
    rows = []
    for t, team in enumerate(teams):
        opponent = teams[t ^ 1]
        for pos, count in PER_TEAM.items():
            same = real[real["Position"] == pos]
            for k in rng.choice(len(same), size=count, replace=False):
                player = same.iloc[int(k)]
                salary = int(
                    np.clip(round(player["Salary"] / 100 + rng.normal(0, 3)) * 100, 4500, 10000)
                )
                points = max(0.0, float(player["Expected Points"]) * rng.lognormal(0, 0.1))
                rows.append(
                    {
                        "Id": f"{90000 + len(rows)}",
                        "Position": pos,
                        "First Name": "Generated",
                        "Last Name": f"{team}-{pos}{len(rows)}",
                        "FPPG": points,
                        "Salary": salary,
                        "Team": team,
                        "Opponent": opponent,
                        "Injury Indicator": "",
                    }
                )
    return pd.DataFrame(rows)


def bench_pools(folder: Path) -> dict[str, tuple[Path, str, str]]:
    """name -> (CSV, dsplaybook roster preset, projection column), written to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    nfl, nba = folder / "generated_nfl_600.csv", folder / "generated_dk_nba.csv"
    generated_nfl().to_csv(nfl, index=False)
    demo_draftkings_nba_pool(n_games=8, seed=0).to_csv(nba, index=False)
    return {
        "fanduel_nfl_2015": (SHARED_POOL, "fanduel_nfl_kicker", "Expected Points"),
        "generated_nfl_600": (nfl, "fanduel_nfl", "FPPG"),
        "generated_dk_nba": (nba, "draftkings_nba", "Projection"),
    }
