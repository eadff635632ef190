"""Fantasy lineups as a mixed-integer program, built one after another.

Lineup k is the exact best lineup (up to ``mip_gap``, 0 by default) that shares at most
``max_overlap`` players with each earlier one and keeps every player under his exposure
limit. Three back ends: the ranked list (:mod:`~dsplaybook.lineups.ranked`, the default:
every lineup above a falling threshold, walked best first; it hands over to HiGHS when
the list gets too long), HiGHS driven directly on :mod:`~dsplaybook.lineups.formulation`'s
model (:mod:`~dsplaybook.lineups.sequential`: one model kept alive along the sequence,
one column per player) and cvxpy (one problem per lineup with one column per (player,
slot): the reference the tests compare the others with, and what names the rule at
fault when the rules are infeasible).
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

import cvxpy as cp
import numpy as np
import pandas as pd
from scipy import sparse

from dsplaybook.errors import InputError
from dsplaybook.lineups.formulation import Formulation, RowGroup, formulate
from dsplaybook.lineups.ranked import RankedSequence
from dsplaybook.lineups.rosters import RosterRules
from dsplaybook.lineups.sequential import HighsSequence
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
ENGINES = ("ranked", "highs", "cvxpy")


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
    # The reference back end keeps the per-slot model the issue describes; the default
    # one uses the equivalent player model (see formulation.formulate).
    formulation = formulate(pool, rules, settings, by_slot=engine == "cvxpy")
    positions = pool["position"].to_numpy()
    limit = overlap_limit(settings, rules)
    if engine == "ranked":
        sequence = RankedSequence(formulation, limit, settings.mip_gap, pool, rules)
    else:
        sequence = (HighsSequence if engine == "highs" else CvxpySequence)(
            formulation, limit, settings.mip_gap
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


def dynamic_groups(
    f: Formulation, previous: list[np.ndarray], exhausted: np.ndarray, limit: int
) -> dict[str, RowGroup]:
    """Exposure and overlap rows for the next lineup (``exhausted``: a player mask)."""
    groups = {}
    if exhausted.any():
        columns = f.columns_of(np.flatnonzero(exhausted))
        matrix = sparse.csr_matrix(
            (np.ones(len(columns)), (np.arange(len(columns)), columns)),
            shape=(len(columns), len(f.player)),
        )
        groups["exposure limits"] = RowGroup(matrix, np.zeros(len(columns)), np.zeros(len(columns)))
    if previous:
        rows = [f.overlap_row(lineup, limit) for lineup in previous]
        groups["overlap with earlier lineups"] = RowGroup(
            sparse.vstack([r.matrix for r in rows]).tocsr(),
            np.concatenate([r.lower for r in rows]),
            np.concatenate([r.upper for r in rows]),
        )
    return groups


def solve_cvxpy(
    f: Formulation, groups: dict[str, RowGroup], bound: float | None = None, gap: float = 0.0
) -> np.ndarray | None:
    """One lineup with cvxpy + HiGHS: the 0/1 column vector, or None when infeasible."""
    y = cp.Variable(len(f.player), boolean=True)
    constraints = []
    for group in groups.values():
        activity = group.matrix @ y
        finite_lo, finite_hi = np.isfinite(group.lower), np.isfinite(group.upper)
        if finite_lo.any():
            constraints.append(activity[finite_lo] >= group.lower[finite_lo])
        if finite_hi.any():
            constraints.append(activity[finite_hi] <= group.upper[finite_hi])
    if bound is not None:
        constraints.append(f.objective @ y <= bound + 1e-6)
    problem = cp.Problem(cp.Maximize(f.objective @ y), constraints)
    # output_flag off: HiGHS would print its banner on the terminal at every solve
    problem.solve(solver=cp.HIGHS, output_flag=False, mip_rel_gap=gap, mip_abs_gap=0.0)
    if problem.status not in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE):
        return None
    return np.round(y.value)


class CvxpySequence:
    """The reference back end: every lineup is a fresh cvxpy problem."""

    def __init__(self, formulation: Formulation, limit: int, gap: float):
        self.f, self.limit, self.gap = formulation, limit, gap
        self.previous: list[np.ndarray] = []
        self.exhausted = np.zeros(formulation.incidence.shape[0], dtype=bool)
        self.bound: float | None = None
        self.solver_runs = 0

    def next_lineup(self) -> tuple[np.ndarray, np.ndarray] | None:
        groups = {
            **self.f.groups,
            **dynamic_groups(self.f, self.previous, self.exhausted, self.limit),
        }
        # Each lineup only adds constraints, so the next optimum cannot beat this one
        # (valid only for exact solves: with a gap the last value may be below the optimum).
        y = solve_cvxpy(self.f, groups, self.bound if self.gap == 0 else None, self.gap)
        self.solver_runs += 1
        if y is None:
            return None
        self.bound = float(self.f.objective @ y)
        return self.f.lineup_of(y)

    def add_lineup(self, players: np.ndarray, exhausted: np.ndarray) -> None:
        self.previous.append(players)
        self.exhausted[exhausted] = True


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
        if solve_cvxpy(f, active, gap=1.0) is None:
            earlier = [g for g in active if g != name]
            with_others = f" together with {', '.join(earlier)}" if earlier else ""
            which = f"lineup {k + 1} of {settings.n_lineups}"
            return InfeasibleRules(
                f"lineups: infeasible at {which}: '{name}' cannot be met{with_others}. "
                f"Fix: {GROUP_FIXES[name]}"
            )
    return InfeasibleRules(f"lineups: infeasible at lineup {k + 1}; the solver gave no reason")
