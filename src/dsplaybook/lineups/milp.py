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
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dsplaybook.errors import InputError
from dsplaybook.lineups.engines import ENGINES
from dsplaybook.lineups.formulation import (
    EngineInputs,
    Formulation,
    RowGroup,
    dynamic_groups,
    formulate,
)
from dsplaybook.lineups.rosters import RosterRules
from dsplaybook.lineups.sequential import feasible
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
    "locked/excluded players": "unlock or un-exclude players (lineups.lock / lineups.exclude)",
    "max players per team": "raise lineups.max_per_team",
    "QB stacking": "set lineups.stack: false or allow the QB's receivers",
    "no player facing the chosen defense": "set lineups.avoid_opposing_defense: false",
    "exposure limits": "raise lineups.max_exposure or lower lineups.n_lineups",
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


def optimize_lineups(
    pool: pd.DataFrame, rules: RosterRules, settings: LineupSettings, engine: str = "ranked"
) -> LineupResult:
    """Build ``settings.n_lineups`` lineups, best first. Raises InfeasibleRules."""
    cap = exposure_cap(settings)
    if cap < 1:
        share = settings.max_exposure * settings.n_lineups
        raise InfeasibleRules(
            f"lineups: max_exposure {settings.max_exposure:g} × n_lineups "
            f"{settings.n_lineups} = {share:g} rounds down to 0 lineups per player; raise "
            f"n_lineups to at least {math.ceil(1 / settings.max_exposure - 1e-9)} or "
            f"max_exposure to at least {1 / settings.n_lineups:.3g}"
        )
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")
    # the reference engine keeps one column per (player, slot); the others the
    # equivalent player model (see formulation.formulate)
    formulation = formulate(pool, rules, settings, by_slot=ENGINES[engine].by_slot)
    positions = pool["position"].to_numpy()
    limit = overlap_limit(settings, rules)
    sequence = ENGINES[engine].build(
        EngineInputs(formulation, limit, settings.mip_gap, pool, rules)
    )
    used = np.zeros(len(pool), dtype=int)
    lineups, slots = [], []
    started = time.perf_counter()
    for k in range(settings.n_lineups):
        found = sequence.next_lineup()
        if found is None:
            raise diagnose(formulation, lineups, used >= cap, limit, k, settings)
        players, groups = found
        lineups.append(players)
        if (groups < 0).any():  # player columns: any assignment will do, Hall says one exists
            slots.append(rules.assign_slots(list(positions[players])))
        else:
            slots.append([rules.slots[g].name for g in groups])
        used[players] += 1
        sequence.add_lineup(players, exhausted=np.flatnonzero(used >= cap))
        points = pool["projection"].to_numpy()[players].sum()
        log.info("lineup %d of %d: %.2f points", k + 1, settings.n_lineups, points)
    return LineupResult(lineups, slots, time.perf_counter() - started, sequence.solver_runs)


def diagnose(
    f: Formulation,
    previous: list[np.ndarray],
    exhausted: np.ndarray,
    limit: int,
    k: int,
    settings: LineupSettings,
) -> InfeasibleRules:
    """Add constraint groups one by one; the first that breaks feasibility is named."""
    active: dict[str, RowGroup] = {}
    groups = {**f.groups, **dynamic_groups(f, previous, exhausted, limit)}
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
