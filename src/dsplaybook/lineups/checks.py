"""Independent checks of finished lineups (plain Python, no solver): used by tests and
by the workflow to refuse writing a lineup that breaks a rule.

Slots are checked by bipartite matching of players to the roster's individual slots,
not by per-position counts: with several flex groups (DraftKings NBA) counts can all
hold while no assignment of players to slots exists.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd

from dsplaybook.lineups.optimize import (
    LineupResult,
    LineupSettings,
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
    as_listed = players["plays_as"] if "plays_as" in players.columns else players["position"]
    listed = [player_positions(p) for p in as_listed]
    problems = []
    if len(set(lineup)) != len(lineup):
        problems.append("a player appears twice")
    if "person" in players.columns and players["person"].duplicated().any():
        twice = players["person"][players["person"].duplicated()].iloc[0]
        problems.append(f"player {twice} fills two slots")
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
    if players["salary"].sum() < settings.min_salary - 1e-9:
        problems.append(f"salary {players['salary'].sum():.0f} under min {settings.min_salary}")
    teams, opponents = list(players["team"]), list(players["opponent"])
    counted = [t for t, mine in zip(teams, listed, strict=True) if not mine <= rules.teams_exclude]
    problems += _team_and_game_problems(teams, opponents, settings.team_rules(rules), counted)
    problems += _stack_problems(players, listed, rules, settings)
    problems += _cap_and_ownership_problems(pool, players, listed, rules, settings)
    for k, group in enumerate(settings.groups):
        n = len(ids & set(group.players))
        if group.at_most is not None and n > group.at_most:
            problems.append(f"group {k + 1}: {n} of its players, at most {group.at_most}")
        if group.at_least is not None and n < group.at_least:
            problems.append(f"group {k + 1}: {n} of its players, at least {group.at_least}")
    for r in settings.requires:
        if r.player in ids and not ids & set(r.only_with):
            problems.append(f"player {r.player} without any of {list(r.only_with)}")
    avoid: list[tuple[set[str], set[str]]] = (
        [({rules.defense}, set())] if settings.avoid_opposing_defense else []
    )
    avoid += [(set(a.positions), set(a.against)) for a in settings.avoid]
    for anchors, against in avoid:
        for d, mine in enumerate(listed):
            if not mine & anchors:
                continue
            facing = [
                j
                for j, theirs in enumerate(listed)
                if opponents[j] == teams[d]
                and (theirs & against if against else not theirs & anchors)
            ]
            if facing:
                problems.append(
                    f"{len(facing)} players face {'/'.join(sorted(mine))} of {teams[d]}"
                )
    return problems


def _cap_and_ownership_problems(
    pool: pd.DataFrame,
    players: pd.DataFrame,
    listed: list[frozenset],
    rules: RosterRules,
    settings: LineupSettings,
) -> list[str]:
    problems = []
    teams = list(players["team"])
    for cap in rules.position_caps:
        at = [t for t, mine in zip(teams, listed, strict=True) if mine & cap.positions]
        counts = Counter(at) if cap.per_team else Counter({"the lineup": len(at)})
        for where, n in counts.items():
            if n > cap.limit:
                problems.append(
                    f"{n} players at {'/'.join(sorted(cap.positions))} in {where}, max {cap.limit}"
                )
    if settings.ownership.active:
        # % when any player of the pool is above 1 (a share is at most 1)
        scale = 100.0 if float(pool["ownership"].max()) > 1.0 else 1.0
        total = float(players["ownership"].sum()) / scale
        low, high = settings.ownership.totals(rules.size)
        if total < low - 1e-9 or total > high + 1e-9:
            problems.append(f"total ownership {total:.4f} outside {low:g}…{high:g}")
    return problems


def _team_and_game_problems(
    teams: list[str], opponents: list[str], limits, counted: list[str] | None = None
) -> list[str]:
    problems = []
    per_team = Counter(teams)
    if limits.max_per_team is not None:
        for team, n in per_team.items():
            if n > limits.max_per_team:
                problems.append(f"{n} players from {team}, max {limits.max_per_team}")
    distinct = len(set(teams if counted is None else counted))
    if limits.min_teams is not None and distinct < limits.min_teams:
        problems.append(f"players from {distinct} teams, site needs {limits.min_teams}")
    games = {frozenset({t, o}) for t, o in zip(teams, opponents, strict=True)}
    if limits.min_games is not None and len(games) < limits.min_games:
        problems.append(f"players from {len(games)} games, site needs {limits.min_games}")
    return problems


def _stack_problems(
    players: pd.DataFrame, listed: list[frozenset], rules: RosterRules, settings: LineupSettings
) -> list[str]:
    stack, problems = settings.stack, []
    teams, opponents = list(players["team"]), list(players["opponent"])
    for i, mine in enumerate(listed):
        if rules.quarterback not in mine:
            continue
        mates = sum(
            1
            for j, theirs in enumerate(listed)
            if j != i and teams[j] == teams[i] and theirs & set(rules.receivers)
        )
        if mates < stack.qb_receivers:
            problems.append(
                f"QB {players['name'].iloc[i]} has {mates} WR/TE of {teams[i]}, "
                f"needs {stack.qb_receivers}"
            )
        wanted = set(stack.bring_back_positions)
        back = sum(
            1
            for j, theirs in enumerate(listed)
            if teams[j] == opponents[i]
            and (theirs & wanted if wanted else rules.defense not in theirs)
        )
        if back < stack.bring_back:
            problems.append(
                f"QB {players['name'].iloc[i]} has {back} players of {opponents[i]} "
                f"brought back, needs {stack.bring_back}"
            )
    if stack.game:
        per_game = Counter(frozenset({t, o}) for t, o in zip(teams, opponents, strict=True))
        if max(per_game.values()) < stack.game:
            problems.append(
                f"at most {max(per_game.values())} players from one game, needs {stack.game}"
            )
    if stack.team:
        problems += _team_stack_problems(players, listed, stack)
    if stack.line:
        lines = Counter(
            (t, line)
            for t, line in zip(teams, players["line"].astype(str), strict=True)
            if line != ""
        )
        most = max(lines.values(), default=0)
        if most < stack.line:
            problems.append(f"at most {most} players from one line, needs {stack.line}")
    return problems


def _team_stack_problems(players: pd.DataFrame, listed: list[frozenset], stack) -> list[str]:
    """n players (at stack.team_positions) from one team; with stack.consecutive, n of
    them within n consecutive batting-order spots (9 wraps to 1)."""
    wanted = set(stack.team_positions)
    at = [not wanted or bool(mine & wanted) for mine in listed]
    teams = [t for t, ok in zip(players["team"], at, strict=True) if ok]
    if not stack.consecutive:
        most = max(Counter(teams).values(), default=0)
        if most < stack.team:
            return [f"at most {most} players from one team, needs {stack.team}"]
        return []
    orders = [o for o, ok in zip(players["batting_order"], at, strict=True) if ok]
    for team in set(teams):
        spots = [int(o) for t, o in zip(teams, orders, strict=True) if t == team and o == o]
        for start in range(9):
            window = {(start + k) % 9 + 1 for k in range(stack.team)}
            if sum(o in window for o in spots) >= stack.team:
                return []
    return [f"no {stack.team} players of one team bat consecutively"]


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
    n = len(lineups)  # shares of the lineups built, as the settings count them
    appearances = Counter(str(pool["id"].iloc[int(i)]) for lineup in lineups for i in lineup)
    for pid in pool["id"].astype(str):
        band = settings.player_band(pid)
        low, high = band.min, band.max
        got = appearances.get(pid, 0)
        if got > math.floor(high * n + 1e-9):
            problems.append(f"player {pid} in {got} of {n} lineups, max exposure {high:g}")
        if got < math.ceil(low * n - 1e-9):
            problems.append(f"player {pid} in {got} of {n} lineups, min exposure {low:g}")
    with_team = Counter(t for lineup in lineups for t in set(pool["team"].iloc[list(lineup)]))
    for team, band in settings.team_exposure.items():
        got = with_team.get(team, 0)
        if got > math.floor(band.max * n + 1e-9) or got < math.ceil(band.min * n - 1e-9):
            problems.append(
                f"team {team} in {got} of {n} lineups, exposure {band.min:g}–{band.max:g}"
            )
    return problems


def optimize_checked(
    pool: pd.DataFrame,
    rules: RosterRules,
    settings: LineupSettings,
    seed: int = 0,
    start: Sequence[np.ndarray] = (),
) -> LineupResult:
    """``optimize_lineups``, then the independent check: a lineup that breaks a rule is a
    bug and is never written."""
    result = optimize_lineups(pool, rules, settings, seed=seed, start=start)
    problems = portfolio_violations(pool, result.lineups, rules, settings, result.slots)
    if problems:
        raise RuntimeError(f"solver returned lineups that break the rules: {problems[:3]}")
    return result
