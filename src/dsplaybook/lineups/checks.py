"""Independent checks of finished lineups (plain Python, no solver): used by tests and
by the workflow to refuse writing a lineup that breaks a rule."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd

from dsplaybook.lineups.milp import LineupResult, LineupSettings, optimize_lineups
from dsplaybook.lineups.rosters import RosterRules


def lineup_violations(
    pool: pd.DataFrame, lineup: np.ndarray, rules: RosterRules, settings: LineupSettings
) -> list[str]:
    players = pool.iloc[list(lineup)]
    problems = []
    if len(set(lineup)) != len(lineup):
        problems.append("a player appears twice")
    if len(players) != rules.size:
        problems.append(f"{len(players)} players, roster needs {rules.size}")
    counts = Counter(players["position"])
    for pos, (lo, hi) in rules.slots.items():
        if not lo <= counts.get(pos, 0) <= hi:
            problems.append(f"{counts.get(pos, 0)} {pos}, allowed {lo}–{hi}")
    extra = set(counts) - set(rules.slots)
    if extra:
        problems.append(f"positions without a slot: {sorted(extra)}")
    if players["salary"].sum() > rules.salary_cap + 1e-9:
        problems.append(f"salary {players['salary'].sum():.0f} over cap {rules.salary_cap}")
    ids = set(players["id"].astype(str))
    missing_locks = set(settings.lock) - ids
    if missing_locks:
        problems.append(f"locked players missing: {sorted(missing_locks)}")
    if ids & set(settings.exclude):
        problems.append(f"excluded players used: {sorted(ids & set(settings.exclude))}")
    if settings.max_per_team is not None:
        for team, n in Counter(players["team"]).items():
            if n > settings.max_per_team:
                problems.append(f"{n} players from {team}, max {settings.max_per_team}")
    if settings.stack:
        for _, qb in players[players["position"] == rules.quarterback].iterrows():
            mates = players[
                (players["team"] == qb["team"]) & players["position"].isin(rules.receivers)
            ]
            if mates.empty:
                problems.append(f"QB {qb['name']} has no WR/TE of {qb['team']}")
    if settings.avoid_opposing_defense:
        for _, d in players[players["position"] == rules.defense].iterrows():
            facing = players[
                (players["opponent"] == d["team"]) & (players["position"] != rules.defense)
            ]
            if not facing.empty:
                problems.append(f"{len(facing)} players face defense {d['team']}")
    return problems


def portfolio_violations(
    pool: pd.DataFrame, lineups: list[np.ndarray], rules: RosterRules, settings: LineupSettings
) -> list[str]:
    """Per-lineup rules plus overlap and exposure across the whole set."""
    problems = [
        f"lineup {k + 1}: {p}"
        for k, lineup in enumerate(lineups)
        for p in lineup_violations(pool, lineup, rules, settings)
    ]
    if settings.max_overlap is not None:
        sets = [set(lineup) for lineup in lineups]
        for a in range(len(sets)):
            for b in range(a + 1, len(sets)):
                shared = len(sets[a] & sets[b])
                if shared > settings.max_overlap:
                    problems.append(f"lineups {a + 1} and {b + 1} share {shared} players")
    cap = math.floor(settings.max_exposure * settings.n_lineups + 1e-9)
    for player, n in Counter(int(i) for lineup in lineups for i in lineup).items():
        if n > cap:
            problems.append(f"player {pool['id'].iloc[player]} in {n} lineups, exposure cap {cap}")
    return problems


def optimize_checked(
    pool: pd.DataFrame, rules: RosterRules, settings: LineupSettings
) -> LineupResult:
    """``optimize_lineups``, then the independent check: a lineup that breaks a rule is a
    bug and is never written."""
    result = optimize_lineups(pool, rules, settings)
    problems = portfolio_violations(pool, result.lineups, rules, settings)
    if problems:
        raise RuntimeError(f"solver returned lineups that break the rules: {problems[:3]}")
    return result
