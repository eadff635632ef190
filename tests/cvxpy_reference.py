"""The tests' reference engine: every lineup a fresh cvxpy problem over one column per
(player, slot). Slow, but built independently of the shipped engines' player model, so
the tests compare the ranked list and HiGHS with it. Not shipped: nothing in the product
reaches it (it lived in src/ until issue 35)."""

from __future__ import annotations

import cvxpy as cp
import numpy as np

from dsplaybook.lineups.engines import ENGINES, Engine
from dsplaybook.lineups.formulation import (
    EngineInputs,
    Formulation,
    RowGroup,
    dynamic_groups,
    expanded,
    requirement_rows,
)


def solve_cvxpy(
    f: Formulation,
    groups: dict[str, RowGroup],
    bound: float | None = None,
    gap: float = 0.0,
    objective: np.ndarray | None = None,
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
    points = f.objective if objective is None else objective
    if bound is not None:
        constraints.append(points @ y <= bound + 1e-6)
    problem = cp.Problem(cp.Maximize(points @ y), constraints)
    # output_flag off: HiGHS would print its banner on the terminal at every solve
    problem.solve(solver=cp.HIGHS, output_flag=False, mip_rel_gap=gap, mip_abs_gap=0.0)
    if problem.status not in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE):
        return None
    return np.round(y.value)


class CvxpySequence:
    """The reference back end: every lineup is a fresh cvxpy problem."""

    def __init__(self, inputs: EngineInputs):
        self.inputs = inputs
        self.f, self.limit, self.gap = expanded(inputs.formulation), inputs.limit, inputs.gap
        self.previous: list[np.ndarray] = []
        self.exhausted = np.zeros(self.f.incidence.shape[0], dtype=bool)
        self.bound: float | None = None
        self.objective = self.f.objective
        self.fixed_objective = True
        self.solver_runs = 0

    def set_points(self, points: np.ndarray) -> None:
        self.objective, self.fixed_objective, self.bound = (
            self.f.with_objective(points),
            False,
            None,
        )

    def next_lineup(self, required: list[np.ndarray] = ()) -> tuple[np.ndarray, np.ndarray] | None:
        groups = {
            **self.f.groups,
            **dynamic_groups(self.f, self.previous, self.exhausted, self.limit),
        }
        if len(required):
            groups["required by min exposure"] = requirement_rows(self.f, list(required))
        # Each lineup only adds constraints, so the next optimum cannot beat this one
        # (valid only for exact solves: with a gap the last value may be below the optimum).
        bound = self.bound if self.gap == 0 else None
        y = solve_cvxpy(self.f, groups, bound, self.gap, self.objective)
        self.solver_runs += 1
        if y is None:
            return None
        if self.fixed_objective and not len(required):
            self.bound = float(self.objective @ y)
        return self.f.lineup_of(y)

    def add_lineup(self, players: np.ndarray, exhausted: np.ndarray) -> None:
        self.previous.append(players)
        self.exhausted[exhausted] = True


# The shipped engines and the reference, by name: what the tests compare.
WITH_REFERENCE: dict[str, Engine] = {**ENGINES, "cvxpy": Engine(CvxpySequence, by_slot=True)}
