"""The HiGHS engine: one HiGHS model kept alive along the whole sequence (the ranked
list's fallback past MAX_LISTED lineups, and an engine of its own), and the feasibility
check that names the rule at fault when no lineup is left.

Profiled on the real 2015 FanDuel pool (150 lineups, at most 6 shared): rebuilding a
cvxpy problem per lineup and proving each optimum from scratch took 240 s at gap 0.
Three things make the exact sequence fast:

- one model; each lineup adds one short overlap row (its own players only) and fixes
  the columns of players who reached their exposure cap;
- an upper bound row: each lineup only adds constraints, so lineup k can score no more
  than lineup k-1's proven bound; HiGHS stops as soon as it meets it;
- a pool of every feasible lineup HiGHS met on the way (its solution callback). Before
  solving, the best pooled lineup that still satisfies the new overlap and exposure
  rows is checked: if it reaches the bound it *is* an optimum and no solve is needed.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from collections.abc import Sequence

import highspy
import numpy as np

from dsplaybook.lineups.formulation import (
    EngineInputs,
    Formulation,
    RowGroup,
    expanded,
    requirement_rows,
)
from dsplaybook.logs import LOG_FILE_ONLY

log = logging.getLogger("dsplaybook")

# A lineup within this many points of the best possible one counts as tying with it.
TIE_TOLERANCE = 1e-9


def quiet_highs() -> highspy.Highs:
    """A HiGHS instance; the banner HiGHS prints (once per process, on file descriptor 1,
    before any option can turn it off) goes to the log file instead of the terminal."""
    sys.stdout.flush()
    saved = os.dup(1)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 1)
        try:
            h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        captured.seek(0)
        banner = captured.read().decode(errors="replace").strip()
    if banner:
        log.info("%s", banner, extra=LOG_FILE_ONLY)
    h.setOptionValue("output_flag", False)  # HiGHS's own log would go to the terminal too
    return h


def _model(f: Formulation, groups: dict[str, RowGroup], rel_gap: float) -> highspy.Highs:
    """A fresh HiGHS model of ``f``'s columns under ``groups`` (Choice rules expanded)."""
    h = quiet_highs()
    h.setOptionValue("mip_rel_gap", rel_gap)
    _add_columns(h, f)
    for group in groups.values():
        _add_rows(h, group)
    return h


def feasible(f: Formulation, groups: dict[str, RowGroup]) -> bool:
    """Whether some lineup meets every row of ``groups`` (on ``f``'s columns, Choice
    rules already expanded): HiGHS stops at the first one it finds (a relative gap of
    1), so this is a feasibility check, not a solve."""
    return _solved(_model(f, groups, rel_gap=1.0))


def best_lineup(f: Formulation, groups: dict[str, RowGroup]) -> np.ndarray | None:
    """The exact best 0/1 column vector under ``groups`` (on ``f``'s columns, Choice rules
    expanded), or None when no lineup meets them: one lineup, one model."""
    h = _model(f, groups, rel_gap=0.0)
    h.setOptionValue("mip_abs_gap", 0.0)
    if not _solved(h):
        return None
    return np.asarray(h.getSolution().col_value)


def _solved(h: highspy.Highs) -> bool:
    """Run ``h``: True at an optimum, False when infeasible; any other status is an error,
    never read as infeasible."""
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return False
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"HiGHS stopped without an answer: {h.modelStatusToString(status)}")
    return True


def _add_columns(h: highspy.Highs, f: Formulation) -> None:
    """One 0/1 column per formulation column, maximising projected points."""
    m = len(f.player)
    h.addVars(m, np.zeros(m), np.ones(m))
    h.changeColsIntegrality(
        m, np.arange(m, dtype=np.int32), np.full(m, highspy.HighsVarType.kInteger)
    )
    h.changeColsCost(m, np.arange(m, dtype=np.int32), -f.objective)


def _add_rows(h: highspy.Highs, group: RowGroup) -> None:
    """The rows of ``group`` (infinite bounds as HiGHS's)."""
    matrix = group.matrix.tocsr()
    inf = highspy.kHighsInf
    lower = np.where(np.isfinite(group.lower), group.lower, -inf)
    upper = np.where(np.isfinite(group.upper), group.upper, inf)
    h.addRows(
        matrix.shape[0],
        lower,
        upper,
        matrix.nnz,
        matrix.indptr.astype(np.int32),
        matrix.indices.astype(np.int32),
        matrix.data.astype(float),
    )


class HighsSequence:
    """The HiGHS engine: the ranked list's fallback, and an engine of its own."""

    def __init__(self, inputs: EngineInputs):
        self.inputs = inputs
        self.f, self.limit, self.gap = expanded(inputs.formulation), inputs.limit, inputs.gap
        self.objective = self.f.objective.copy()
        # False once set_points changed the objective: the bound row and the bound then
        # no longer hold (each lineup has its own points)
        self.fixed_objective = True
        self.requirement_row: dict[tuple[int, ...], int] = {}
        h = quiet_highs()
        for option, value in {
            "mip_rel_gap": self.gap,
            "mip_abs_gap": 0.0,
            "random_seed": 0,
            # no "threads" option: once any HiGHS in the process (cvxpy's) has started
            # its scheduler, a different thread count makes every later run fail
            # RINS/RENS sub-MIPs rarely found better lineups than HiGHS's other heuristics
            # and cost 20% of the time on the real 2015 pool (same optima)
            "mip_heuristic_run_rins": False,
            "mip_heuristic_run_rens": False,
            # restarting the search after reduced-cost fixing repeats the root work; off,
            # 22-30% less time on all three benchmark pools (same lineups)
            "mip_allow_restart": False,
        }.items():
            h.setOptionValue(option, value)
        _add_columns(h, self.f)
        for group in self.f.groups.values():
            _add_rows(h, group)
        self.h = h
        self.bound_row: int | None = None
        self.bound = np.inf
        self.exhausted: set[int] = set()
        self.pool: dict[tuple[int, ...], float] = {}  # chosen columns -> points
        self.solver_runs = 0
        h.cbMipSolution.subscribe(self._remember)

    def _remember(self, event) -> None:
        y = np.asarray(event.data_out.mip_solution)[: len(self.f.player)]
        columns = tuple(np.flatnonzero(y > 0.5).tolist())
        self.pool[columns] = float(self.objective[list(columns)].sum())

    def set_points(self, points: np.ndarray) -> None:
        """Score the next lineups with these per-player points (projection noise)."""
        self.objective = self.f.with_objective(points)
        m = len(self.objective)
        self.h.changeColsCost(m, np.arange(m, dtype=np.int32), -self.objective)
        self.pool = {c: float(self.objective[list(c)].sum()) for c in self.pool}
        self.fixed_objective, self.bound = False, np.inf
        if self.bound_row is not None:
            self.h.changeRowBounds(self.bound_row, -highspy.kHighsInf, highspy.kHighsInf)

    def _require(self, required: list[np.ndarray]) -> set[tuple[int, ...]]:
        """Turn on a row "at least one of these players" per required set, off the rest."""
        wanted = {tuple(sorted(int(i) for i in players)) for players in required}
        for key in wanted - set(self.requirement_row):
            _add_rows(self.h, requirement_rows(self.f, [np.array(key)]))
            self.requirement_row[key] = self.h.getNumRow() - 1
        for key, row in self.requirement_row.items():
            lower = 1.0 if key in wanted else -highspy.kHighsInf
            self.h.changeRowBounds(row, lower, highspy.kHighsInf)
        return wanted

    def _meets(self, columns: tuple[int, ...], wanted: set[tuple[int, ...]]) -> bool:
        players = set(self.f.player[list(columns)].tolist())
        return all(players & set(key) for key in wanted)

    def _still_allowed(self, columns: tuple[int, ...], lineup: frozenset[int]) -> bool:
        """Pooled lineups met every rule when HiGHS found them; only the newest lineup's
        overlap and newly exhausted players can rule them out."""
        players = set(self.f.player[list(columns)].tolist())
        return not players & self.exhausted and len(players & lineup) <= self.limit

    def _best_pooled_lineup(
        self, wanted: set[tuple[int, ...]]
    ) -> tuple[tuple[int, ...] | None, float]:
        """The best pooled lineup that meets the requirements, and its points (ties: the
        smallest column tuple, so runs repeat exactly)."""
        pooled = [c for c in self.pool if self._meets(c, wanted)] if wanted else self.pool
        if not pooled:
            return None, -np.inf
        columns = min(pooled, key=lambda c: (-self.pool[c], c))
        return columns, self.pool[columns]

    def next_lineup(
        self, required: Sequence[np.ndarray] = ()
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """The best lineup left; ``required``: player sets it must draw one player from
        (a requirement only lowers the optimum, so the bound stays valid)."""
        wanted = self._require(list(required))
        pooled, points = self._best_pooled_lineup(wanted)
        if pooled is not None:
            y = np.zeros(len(self.f.player))
            y[list(pooled)] = 1.0
            if points >= self.bound - TIE_TOLERANCE:
                return self.f.lineup_of(y)
            # a good lineup from the start lets HiGHS fix most players by reduced cost
            # (-8% time on the generated 600-player NFL pool)
            self.h.setSolution(len(y), np.arange(len(y), dtype=np.int32), y)
        solved = _solved(self.h)
        self.solver_runs += 1
        if not solved:
            return None
        y = np.asarray(self.h.getSolution().col_value)
        if self.fixed_objective and not wanted:
            points = float(self.objective[y > 0.5].sum())
            # Valid even with a gap: the proven dual bound, not the value found.
            dual = -float(self.h.getInfo().mip_dual_bound)
            self.bound = points if self.gap == 0 else max(points, dual)
        return self.f.lineup_of(y)

    def add_lineup(self, players: np.ndarray, exhausted: np.ndarray) -> None:
        latest = frozenset(players.tolist())
        _add_rows(self.h, self.f.overlap_row(players, self.limit))
        new = sorted(set(exhausted.tolist()) - self.exhausted)
        if new:
            self.exhausted.update(new)
            columns = self.f.columns_of(np.array(new)).astype(np.int32)
            self.h.changeColsBounds(
                len(columns), columns, np.zeros(len(columns)), np.zeros(len(columns))
            )
        # rules only accumulate: a pooled lineup ruled out now stays out
        self.pool = {c: v for c, v in self.pool.items() if self._still_allowed(c, latest)}
        if np.isfinite(self.bound) and self.fixed_objective:
            m = len(self.f.player)
            if self.bound_row is None:
                self.h.addRow(
                    -highspy.kHighsInf,
                    self.bound + 1e-6,
                    m,
                    np.arange(m, dtype=np.int32),
                    self.objective,
                )
                self.bound_row = self.h.getNumRow() - 1
            else:
                self.h.changeRowBounds(self.bound_row, -highspy.kHighsInf, self.bound + 1e-6)
