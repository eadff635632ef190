"""Fantasy lineups built one after another: the sequence, whatever the engine.

Lineup k is the exact best lineup (up to ``mip_gap``, 0 by default, on the HiGHS engine)
that shares at most ``max_overlap`` players with each earlier one and keeps every player
under his exposure limit. The engines (:mod:`~dsplaybook.lineups.engines`) hand over
one lineup at a time; when none is left, :func:`diagnose` adds the rule groups one by one
to a HiGHS feasibility check and names the first that cannot be met.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dsplaybook.errors import InputError
from dsplaybook.lineups.engines import ENGINES, Engine
from dsplaybook.lineups.engines.highs import feasible
from dsplaybook.lineups.formulation import (
    EngineInputs,
    Formulation,
    RowGroup,
    dynamic_groups,
    expanded,
    formulate,
    requirement_rows,
)
from dsplaybook.lineups.noise import lineup_points
from dsplaybook.lineups.rosters import RosterRules
from dsplaybook.lineups.settings import LineupSettings

log = logging.getLogger("dsplaybook")


class InfeasibleRules(InputError):
    """The rules cannot all hold; the message names the group of constraints at fault."""


@dataclass(frozen=True)
class LineupResult:
    lineups: list[np.ndarray]  # pool rows of each lineup, sorted
    slots: list[list[str]]  # the slot each of those players fills (FLEX, UTIL, …)
    solve_seconds: float
    solver_runs: int = 0  # lineups a MIP solve had to prove (ranked list: 0 unless handed over)


# Groups in the order they are added when diagnosing infeasibility, with the fix to suggest.
GROUP_FIXES = {
    "roster size and positions": "the pool lacks players for some slot; check lineups.roster",
    "salary cap": "no roster fits under the cap; raise the cap or check salaries",
    "one slot per player": "the pool lacks players for the roster once each captain (CPT/MVP) "
    "copy is tied to its player; check the export",
    "locked/excluded players": "unlock or un-exclude players (lineups.lock / lineups.exclude)",
    "max players per team": "raise lineups.max_per_team",
    "min teams": "lower lineups.min_teams (the site's rule: check the pool has enough teams)",
    "min games": "lower lineups.min_games (the site's rule: check the pool has enough games)",
    "position caps": "the site's cap on players at some positions (MLB hitters per team, "
    "QBs in single game): check the pool has enough other players",
    "min salary": "lower lineups.min_salary",
    "total ownership": "widen lineups.ownership (min/max total or mean)",
    "player groups": "loosen lineups.groups",
    "conditional players": "loosen lineups.requires",
    "QB stacking": "lower lineups.stack.qb_receivers (or allow the QB's receivers)",
    "bring-back": "lower lineups.stack.bring_back",
    "game stack": "lower lineups.stack.game",
    "team stack": "lower lineups.stack.team (or widen stack.team_positions, drop "
    "stack.consecutive)",
    "line stack": "lower lineups.stack.line (check lineups.line_column)",
    "no player facing the chosen defense": "set lineups.avoid_opposing_defense: false or "
    "loosen lineups.avoid",
    "exposure limits": "raise lineups.max_exposure (or player/team_exposure max) or lower "
    "lineups.n_lineups",
    "required by min exposure": "lower lineups.min_exposure or player/team_exposure min",
    "overlap with earlier lineups": "raise lineups.max_overlap or lower lineups.n_lineups",
}


def exposure_cap(settings: LineupSettings) -> int:
    """Lineups one player may appear in."""
    return math.floor(settings.max_exposure * settings.n_lineups + 1e-9)


def overlap_limit(settings: LineupSettings, rules: RosterRules) -> int:
    """Players two lineups may share; without a limit they must still differ."""
    if settings.max_overlap is None:
        return rules.size - 1
    return min(settings.max_overlap, rules.size - 1)


@dataclass(frozen=True)
class ExposureCounts:
    """Per player and per team: fewest and most lineups (a team counts in a lineup that
    holds any of its players)."""

    player_min: np.ndarray
    player_max: np.ndarray
    team_of: np.ndarray  # player -> team index
    teams: list[str]
    team_min: np.ndarray
    team_max: np.ndarray

    def exhausted(self, used: np.ndarray, team_used: np.ndarray) -> np.ndarray:
        """Players at their own cap or in a team at its cap (lineups so far: ``used`` per
        player, ``team_used`` per team)."""
        return (used >= self.player_max) | (team_used >= self.team_max)[self.team_of]


def exposure_counts(pool: pd.DataFrame, settings: LineupSettings) -> ExposureCounts:
    ids = pool["id"].astype(str)
    bands = [settings.lineup_counts(settings.player_band(pid)) for pid in ids]
    teams = sorted(set(pool["team"]))
    team_bands = [
        settings.lineup_counts(settings.team_exposure[t])
        if t in settings.team_exposure
        else (0, settings.n_lineups)
        for t in teams
    ]
    for team in settings.team_exposure:
        if team not in teams:
            raise InputError(
                f"lineups: team {team!r} in lineups.team_exposure is not in the pool; use one of "
                f"{', '.join(teams)}"
            )
    index = {t: i for i, t in enumerate(teams)}
    return ExposureCounts(
        np.array([b[0] for b in bands], dtype=int).reshape(-1),
        np.array([b[1] for b in bands], dtype=int).reshape(-1),
        np.array([index[t] for t in pool["team"]], dtype=int).reshape(-1),
        teams,
        np.array([b[0] for b in team_bands], dtype=int).reshape(-1),
        np.array([b[1] for b in team_bands], dtype=int).reshape(-1),
    )


def _check_caps(settings: LineupSettings) -> None:
    cap = exposure_cap(settings)
    if cap < 1:
        share = settings.max_exposure * settings.n_lineups
        raise InfeasibleRules(
            f"lineups: max_exposure {settings.max_exposure:g} × n_lineups "
            f"{settings.n_lineups} = {share:g} rounds down to 0 lineups per player; raise "
            f"n_lineups to at least {math.ceil(1 / settings.max_exposure - 1e-9)} or "
            f"max_exposure to at least {1 / settings.n_lineups:.3g}"
        )


def required_now(
    counts: ExposureCounts,
    used: np.ndarray,
    team_used: np.ndarray,
    left: int,
    k: int,
    pool: pd.DataFrame,
) -> list[np.ndarray]:
    """Player sets lineup ``k`` must draw from: a player (or team) whose minimum needs
    every lineup left. The exact sequential meaning of a minimum exposure: each lineup is
    the best one given the earlier ones *and* the minimums still reachable player by
    player (the rule pydfs-lineup-optimizer applies too)."""
    need, team_need = counts.player_min - used, counts.team_min - team_used
    short = np.flatnonzero(need > left)
    if len(short):
        pid = pool["id"].iloc[short[0]]
        raise InfeasibleRules(
            f"lineups: infeasible at lineup {k + 1}: player {pid!r} needs {need[short[0]]} more "
            f"lineups and only {left} are left. Fix: lower his min exposure"
        )
    required = [np.array([p]) for p in np.flatnonzero((need == left) & (need > 0))]
    for t in np.flatnonzero((team_need >= left) & (team_need > 0)):
        required.append(np.flatnonzero(counts.team_of == t))
    return required


def optimize_lineups(
    pool: pd.DataFrame,
    rules: RosterRules,
    settings: LineupSettings,
    engine: str | Engine = "ranked",
    seed: int = 0,
    start: Sequence[np.ndarray] = (),
) -> LineupResult:
    """Build ``settings.n_lineups`` lineups, best first (with ``randomness``, best by each
    lineup's own seeded points). ``start``: lineups already chosen (they count towards
    overlap and exposure and come first in the result). Raises InfeasibleRules."""
    _check_caps(settings)
    counts = exposure_counts(pool, settings)
    if isinstance(engine, str):
        if engine not in ENGINES:
            raise ValueError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")
        engine = ENGINES[engine]
    # a cap that rounds down to 0 lineups (a player's or his team's) excludes him outright
    never = (counts.player_max < 1) | (counts.team_max < 1)[counts.team_of]
    if never.any():
        out = tuple(str(pid) for pid in pool["id"][never] if str(pid) not in settings.exclude)
        settings = settings.model_copy(update={"exclude": (*settings.exclude, *out)})
    # the tests' reference engine keeps one column per (player, slot); ours the
    # equivalent player model (see formulation.formulate)
    formulation = formulate(pool, rules, settings, by_slot=engine.by_slot)
    positions = pool["position"].to_numpy()
    limit = overlap_limit(settings, rules)
    sequence = engine.build(EngineInputs(formulation, limit, settings.mip_gap, pool, rules))
    used = np.zeros(len(pool), dtype=int)
    team_used = np.zeros(len(counts.teams), dtype=int)
    exhausted = counts.exhausted(used, team_used)
    lineups, slots = [], []
    started = time.perf_counter()

    def take(players: np.ndarray, names: list[str]) -> np.ndarray:
        """Count a chosen lineup towards overlap and exposure; the players now exhausted."""
        lineups.append(players)
        slots.append(names)
        used[players] += 1
        team_used[np.unique(counts.team_of[players])] += 1
        now = counts.exhausted(used, team_used)
        sequence.add_lineup(players, exhausted=np.flatnonzero(now))
        return now

    for players in start:
        players = np.asarray(players)
        exhausted = take(players, _slots(rules, list(positions[players])))
    for k in range(len(lineups), settings.n_lineups):
        required = required_now(counts, used, team_used, settings.n_lineups - k, k, pool)
        if settings.randomness.active:
            sequence.set_points(lineup_points(pool, settings.randomness, seed, k))
        found = sequence.next_lineup(required)
        if found is None:
            raise diagnose(formulation, lineups, exhausted, limit, k, settings, required)
        players, groups = found
        if (groups < 0).any():  # player columns: any assignment will do, Hall says one exists
            names = _slots(rules, list(positions[players]))
        else:
            names = [rules.slots[g].name for g in groups]
        exhausted = take(players, names)
        points = pool["projection"].to_numpy()[players].sum()
        log.info("lineup %d of %d: %.2f points", k + 1, settings.n_lineups, points)
    return LineupResult(lineups, slots, time.perf_counter() - started, sequence.solver_runs)


def _slots(rules: RosterRules, positions: list[str]) -> list[str]:
    """The slot each player fills; a lineup no assignment fits is a bug or a bad start."""
    names = rules.assign_slots(positions)
    if names is None:
        raise InfeasibleRules(f"lineups: players at {positions} fill no {rules.size}-slot roster")
    return names


def diagnose(
    f: Formulation,
    previous: list[np.ndarray],
    exhausted: np.ndarray,
    limit: int,
    k: int,
    settings: LineupSettings,
    required: Sequence[np.ndarray] = (),
) -> InfeasibleRules:
    """Add constraint groups one by one; the first that breaks feasibility is named."""
    active: dict[str, RowGroup] = {}
    f = expanded(f)
    groups = {**f.groups, **dynamic_groups(f, previous, exhausted, limit)}
    if len(required):
        groups["required by min exposure"] = requirement_rows(f, list(required))
    for name in GROUP_FIXES:
        if name not in groups:
            continue
        active[name] = groups[name]
        if not feasible(f, active):
            earlier = [g for g in active if g != name]
            with_others = f" together with {', '.join(earlier)}" if earlier else ""
            which = f"lineup {k + 1} of {settings.n_lineups}"
            return InfeasibleRules(
                f"lineups: infeasible at {which}: '{name}' cannot be met{with_others}. "
                f"Fix: {GROUP_FIXES[name]}"
            )
    return InfeasibleRules(f"lineups: infeasible at lineup {k + 1}; the solver gave no reason")
