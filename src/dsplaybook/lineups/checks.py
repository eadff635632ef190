"""Independent checks of finished lineups (plain Python, no solver): used by tests and
by the workflow to refuse writing a lineup that breaks a rule.

Slots are checked by bipartite matching of players to the roster's individual slots,
not by per-position counts: with several flex groups (DraftKings NBA) counts can all
hold while no assignment of players to slots exists.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from dsplaybook.lineups.milp import (
    LineupResult,
    LineupSettings,
    exposure_cap,
    optimize_lineups,
    overlap_limit,
)
from dsplaybook.lineups.rosters import RosterRules, player_positions


def slot_violations(positions: list[str], slots: list[str], rules: RosterRules) -> list[str]:
    """Problems with a stated slot assignment (as a solver wrote it)."""
    eligible = {g.name: g.eligible for g in rules.slots}
    problems = [
        f"a {pos} cannot fill slot {slot}"
        for pos, slot in zip(positions, slots, strict=True)
        if not eligible.get(slot, frozenset()) & player_positions(pos)
    ]
    wanted = Counter(rules.slot_names())
    if Counter(slots) != wanted:
        problems.append(f"slots {dict(Counter(slots))}, roster has {dict(wanted)}")
    return problems


def lineup_violations(
    pool: pd.DataFrame,
    lineup: np.ndarray,
    rules: RosterRules,
    settings: LineupSettings,
    slots: list[str] | None = None,
) -> list[str]:
    players = pool.iloc[list(lineup)]
    listed = [player_positions(p) for p in players["position"]]
    problems = []
    if len(set(lineup)) != len(lineup):
        problems.append("a player appears twice")
    if len(players) != rules.size:
        problems.append(f"{len(players)} players, roster needs {rules.size}")
    elif rules.assign_slots(list(players["position"])) is None:
        problems.append(
            f"no assignment of {'/'.join(players['position'])} to slots "
            f"{'/'.join(rules.slot_names())}"
        )
    if slots is not None:
        problems += slot_violations(list(players["position"]), slots, rules)
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
    teams, opponents = list(players["team"]), list(players["opponent"])
    if settings.stack:
        for i, mine in enumerate(listed):
            if rules.quarterback not in mine:
                continue
            mates = [
                j
                for j, theirs in enumerate(listed)
                if j != i and teams[j] == teams[i] and theirs & set(rules.receivers)
            ]
            if not mates:
                problems.append(f"QB {players['name'].iloc[i]} has no WR/TE of {teams[i]}")
    if settings.avoid_opposing_defense:
        for d, mine in enumerate(listed):
            if rules.defense not in mine:
                continue
            facing = [
                j
                for j, theirs in enumerate(listed)
                if opponents[j] == teams[d] and rules.defense not in theirs
            ]
            if facing:
                problems.append(f"{len(facing)} players face defense {teams[d]}")
    return problems


def portfolio_violations(
    pool: pd.DataFrame,
    lineups: list[np.ndarray],
    rules: RosterRules,
    settings: LineupSettings,
    slots: list[list[str]] | None = None,
) -> list[str]:
    """Per-lineup rules plus overlap, distinctness and exposure across the whole set."""
    problems = [
        f"lineup {k + 1}: {p}"
        for k, lineup in enumerate(lineups)
        for p in lineup_violations(pool, lineup, rules, settings, slots[k] if slots else None)
    ]
    limit = overlap_limit(settings, rules)
    sets = [set(lineup) for lineup in lineups]
    for a in range(len(sets)):
        for b in range(a + 1, len(sets)):
            shared = len(sets[a] & sets[b])
            if shared > limit:
                problems.append(f"lineups {a + 1} and {b + 1} share {shared} players")
    cap = exposure_cap(settings)
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
    problems = portfolio_violations(pool, result.lineups, rules, settings, result.slots)
    if problems:
        raise RuntimeError(f"solver returned lineups that break the rules: {problems[:3]}")
    return result
