"""Tidy tables of a set of lineups: players per lineup, exposure, per-lineup summary."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from dsplaybook.lineups.rosters import RosterRules

PLAYER_COLUMNS = ["id", "name", "position", "team", "opponent", "salary", "projection"]


def lineups_table(
    pool: pd.DataFrame, lineups: list[np.ndarray], rules: RosterRules
) -> pd.DataFrame:
    """One row per (lineup, player), players in roster-slot order."""
    slot_order = {pos: i for i, pos in enumerate(rules.positions)}
    frames = []
    for k, lineup in enumerate(lineups, start=1):
        players = pool.iloc[list(lineup)][PLAYER_COLUMNS].copy()
        players["_slot"] = players["position"].map(slot_order)
        players = players.sort_values(["_slot", "salary", "id"], ascending=[True, False, True])
        frames.append(players.drop(columns="_slot").assign(lineup=k))
    table = pd.concat(frames, ignore_index=True)
    return table[["lineup", *PLAYER_COLUMNS]]


def exposure_table(pool: pd.DataFrame, lineups: list[np.ndarray]) -> pd.DataFrame:
    counts = Counter(int(i) for lineup in lineups for i in lineup)
    rows = pool.iloc[sorted(counts)][["id", "name", "position", "team", "salary", "projection"]]
    rows = rows.assign(lineups=[counts[i] for i in sorted(counts)])
    rows = rows.assign(exposure=rows["lineups"] / len(lineups))
    return rows.sort_values(["lineups", "projection", "id"], ascending=[False, False, True])


def summary_table(table: pd.DataFrame) -> pd.DataFrame:
    """Per lineup: projected points, salary, and the teams it draws from."""
    rows = []
    for k, players in table.groupby("lineup", sort=True):
        teams = Counter(players["team"])
        rows.append(
            {
                "lineup": k,
                "points": round(float(players["projection"].sum()), 4),
                "salary": int(players["salary"].sum()),
                "teams": " ".join(f"{t}:{n}" for t, n in sorted(teams.items())),
                "players": " | ".join(
                    f"{p} {n}" for p, n in zip(players["position"], players["name"], strict=True)
                ),
            }
        )
    return pd.DataFrame(rows)


def lineups_from_table(pool: pd.DataFrame, table: pd.DataFrame) -> list[np.ndarray]:
    """Inverse of :func:`lineups_table`: pool row indices per lineup."""
    index_of = {pid: i for i, pid in enumerate(pool["id"].astype(str))}
    return [
        np.array(sorted(index_of[str(pid)] for pid in players["id"]))
        for _, players in table.groupby("lineup", sort=True)
    ]
