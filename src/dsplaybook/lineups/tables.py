"""Tidy tables of a set of lineups: players per lineup, exposure, per-lineup summary."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from dsplaybook.lineups.rosters import RosterRules
from dsplaybook.lineups.settings import LineupSettings

PLAYER_COLUMNS = ["id", "name", "position", "team", "opponent", "salary", "projection"]


def lineups_table(
    pool: pd.DataFrame, lineups: list[np.ndarray], slots: list[list[str]], rules: RosterRules
) -> pd.DataFrame:
    """One row per (lineup, player) with the slot he fills, in roster-slot order."""
    slot_order = {group.name: i for i, group in enumerate(rules.slots)}
    frames = []
    for k, (lineup, names) in enumerate(zip(lineups, slots, strict=True), start=1):
        players = pool.iloc[list(lineup)][PLAYER_COLUMNS].copy()
        players.insert(0, "slot", names)
        players["_order"] = players["slot"].map(slot_order)
        players = players.sort_values(["_order", "salary", "id"], ascending=[True, False, True])
        frames.append(players.drop(columns="_order").assign(lineup=k))
    table = pd.concat(frames, ignore_index=True)
    return table[["lineup", "slot", *PLAYER_COLUMNS]]


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
                    f"{s} {n}" for s, n in zip(players["slot"], players["name"], strict=True)
                ),
            }
        )
    return pd.DataFrame(rows)


def lineups_from_table(pool: pd.DataFrame, table: pd.DataFrame) -> list[np.ndarray]:
    """Inverse of :func:`lineups_table`: pool row indices per lineup, sorted."""
    return [lineup for lineup, _ in _rows_and_slots(pool, table)]


def slots_from_table(pool: pd.DataFrame, table: pd.DataFrame) -> list[list[str]]:
    """The slot of each player, in the order of :func:`lineups_from_table`."""
    return [slots for _, slots in _rows_and_slots(pool, table)]


def _rows_and_slots(pool: pd.DataFrame, table: pd.DataFrame):
    index_of = {pid: i for i, pid in enumerate(pool["id"].astype(str))}
    for _, players in table.groupby("lineup", sort=True):
        rows = [index_of[str(pid)] for pid in players["id"]]
        order = np.argsort(rows, kind="stable")
        yield np.array(rows)[order], [list(players["slot"])[k] for k in order]


def lineups_markdown(
    table: pd.DataFrame,
    summary: pd.DataFrame,
    rules: RosterRules,
    settings: LineupSettings,
    pool_name: str,
) -> str:
    """A readable page of the lineups: the rules they obey, then one table per lineup."""
    limits = settings.team_rules(rules)
    rule_text = [
        f"roster {rules.name} (salary cap {rules.salary_cap:,})",
        f"at most {limits.max_per_team} per team" if limits.max_per_team else None,
        f"players from at least {limits.min_teams} teams" if limits.min_teams else None,
        f"from at least {limits.min_games} games" if limits.min_games else None,
        f"at most {settings.max_overlap} players shared"
        if settings.max_overlap is not None
        else None,
        f"max exposure {settings.max_exposure:g}",
        f"each QB with {settings.stack.qb_receivers} WR/TE of his team"
        if settings.stack.qb_receivers
        else None,
        f"and {settings.stack.bring_back} of the team he faces"
        if settings.stack.bring_back
        else None,
        f"{settings.stack.game} players from one game" if settings.stack.game else None,
        f"{settings.stack.team} players from one team" if settings.stack.team else None,
        f"salary at least {settings.min_salary:,}" if settings.min_salary else None,
        f"projection noise sd {settings.randomness.sd:g} (seeded)"
        if settings.randomness.sd
        else None,
    ]
    lines = [
        f"# Lineups for {pool_name}",
        "",
        f"{len(summary)} lineups, best first: " + "; ".join(r for r in rule_text if r) + ".",
        "Enter them on the site with `upload.csv` beside this file (the site's bulk-upload "
        "format: one row per lineup, one column per slot, player ids).",
        "",
    ]
    for (k, players), (_, row) in zip(
        table.groupby("lineup", sort=True), summary.iterrows(), strict=True
    ):
        lines += [
            f"## Lineup {k}: {row['points']:.2f} points, salary {row['salary']:,}",
            "",
            "| slot | player | id | team | salary | projection |",
            "|---|---|---|---|---:|---:|",
        ]
        lines += [
            f"| {p.slot} | {p.name} | {p.id} | {p.team} | {p.salary:,.0f} | {p.projection:.2f} |"
            for p in players.itertuples()
        ]
        lines.append("")
    return "\n".join(lines)
