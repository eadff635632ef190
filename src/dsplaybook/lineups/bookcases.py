"""The bookcase LP: how many large and small bookcases to build in a week.

A large bookcase takes 6 hours and earns $50, a small one 2 hours and $20; there are
24 hours a week and at least 2 of each must be built.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import cvxpy as cp
import numpy as np

from dsplaybook.errors import InputError
from dsplaybook.lineups.settings import Bookcases as BookcaseProblem


@dataclass(frozen=True)
class BookcasePlan:
    large: float
    small: float
    profit: float
    hours_used: float
    status: str


def solve_bookcases(problem: BookcaseProblem = BookcaseProblem()) -> BookcasePlan:  # noqa: B008
    """Solve the LP (continuous) with cvxpy; the optimum of the default is integral."""
    large, small = cp.Variable(name="large"), cp.Variable(name="small")
    p = problem
    constraints = [
        p.hours_large * large + p.hours_small * small <= p.hours_available,
        large >= p.min_large,
        small >= p.min_small,
    ]
    lp = cp.Problem(cp.Maximize(p.profit_large * large + p.profit_small * small), constraints)
    lp.solve(solver=cp.HIGHS)
    if lp.status != cp.OPTIMAL:
        raise InputError(
            f"bookcases: LP is {lp.status}: the minimum counts need "
            f"{p.hours_large * p.min_large + p.hours_small * p.min_small:g} h but only "
            f"{p.hours_available:g} h are available; lower lineups.bookcases.min_* "
            "or raise hours_available"
        )
    assert large.value is not None and small.value is not None  # solved: the LP is optimal
    lg, sm = float(np.round(large.value, 9)), float(np.round(small.value, 9))
    return BookcasePlan(
        large=lg,
        small=sm,
        profit=float(np.round(lp.value, 9)),
        hours_used=p.hours_large * lg + p.hours_small * sm,
        status=lp.status,
    )


def plan_as_dict(problem: BookcaseProblem, plan: BookcasePlan) -> dict:
    return {"problem": problem.to_data(), "optimum": asdict(plan)}


def plot_feasible_region(problem: BookcaseProblem, plan: BookcasePlan, dest: str | Path) -> None:
    """Shade the feasible region, draw each constraint and mark the optimum."""
    from dsplaybook.plots import plt, save_figure

    p = problem
    max_large = p.hours_available / p.hours_large
    max_small = p.hours_available / p.hours_small
    xs = np.linspace(0, max_large * 1.15, 400)
    ys = np.linspace(0, max_small * 1.15, 400)
    gx, gy = np.meshgrid(xs, ys)
    feasible = (
        (p.hours_large * gx + p.hours_small * gy <= p.hours_available)
        & (gx >= p.min_large)
        & (gy >= p.min_small)
    )
    fig, ax = plt.subplots(figsize=(6, 5))
    ax.contourf(gx, gy, feasible, levels=[0.5, 1.5], colors=["#9ecae1"], alpha=0.7)
    ax.plot(xs, (p.hours_available - p.hours_large * xs) / p.hours_small, label="hours limit")
    ax.axvline(p.min_large, color="gray", ls="--", label=f"large ≥ {p.min_large:g}")
    ax.axhline(p.min_small, color="gray", ls=":", label=f"small ≥ {p.min_small:g}")
    for profit in (plan.profit * 0.6, plan.profit):
        ax.plot(
            xs,
            (profit - p.profit_large * xs) / p.profit_small,
            color="#d62728",
            alpha=0.4 if profit < plan.profit else 0.9,
            lw=1,
        )
    ax.plot(plan.large, plan.small, "o", color="#d62728", ms=9, label="optimum")
    ax.annotate(
        f"{plan.large:g} large, {plan.small:g} small\n${plan.profit:g}",
        (plan.large, plan.small),
        xytext=(10, 10),
        textcoords="offset points",
    )
    ax.set_xlim(0, xs[-1])
    ax.set_ylim(0, ys[-1])
    ax.set_xlabel("large bookcases")
    ax.set_ylabel("small bookcases")
    ax.set_title("Bookcase LP: feasible region (blue) and best profit line (red)")
    ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    save_figure(fig, dest)
