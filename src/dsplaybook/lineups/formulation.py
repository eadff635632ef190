"""The lineup MILP as plain matrices, shared by both solver back ends.

Columns are (player, slot group) pairs: one binary per slot group a player is eligible
for. Each slot group is filled exactly ``count`` times and each player fills at most
one slot, so a solution *is* a slot assignment. Rules about players (cap, teams,
stacking, locks, overlap) are written on player usage ``x = P @ y`` and mapped to the
columns through the incidence matrix ``P``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from dsplaybook.errors import InputError
from dsplaybook.lineups.rosters import RosterRules, plays
from dsplaybook.lineups.settings import LineupSettings


@dataclass(frozen=True)
class RowGroup:
    """Rows ``lower <= matrix @ y <= upper`` that are named together in error messages."""

    matrix: sparse.csr_matrix  # rows × columns
    lower: np.ndarray
    upper: np.ndarray


@dataclass(frozen=True)
class Formulation:
    player: np.ndarray  # column -> pool row
    group: np.ndarray  # column -> slot group index (-1: columns are players)
    incidence: sparse.csr_matrix  # players × columns, 1 where the column uses the player
    objective: np.ndarray  # projected points per column (maximised)
    groups: dict[str, RowGroup]  # the rules that never change along a sequence

    def columns_of(self, players: np.ndarray) -> np.ndarray:
        return np.flatnonzero(np.isin(self.player, players))

    def lineup_of(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A 0/1 column vector -> (pool rows sorted, slot group of each: -1 when the
        columns are players and slots are still to be assigned)."""
        chosen = np.flatnonzero(np.asarray(y) > 0.5)
        order = np.argsort(self.player[chosen], kind="stable")
        return self.player[chosen][order], self.group[chosen][order]

    def overlap_row(self, lineup: np.ndarray, max_overlap: int) -> RowGroup:
        """At most ``max_overlap`` of ``lineup``'s players again (its players only: one
        short row per earlier lineup)."""
        row = np.zeros(self.incidence.shape[0])
        row[lineup] = 1.0
        return player_rows(self.incidence, row, -np.inf, max_overlap)


def player_rows(incidence: sparse.csr_matrix, rows: np.ndarray, lower, upper) -> RowGroup:  # noqa: ANN001
    """Rows written on player usage (players × …) -> rows on the columns."""
    matrix = sparse.csr_matrix(np.atleast_2d(rows)) @ incidence
    n = matrix.shape[0]
    return RowGroup(
        sparse.csr_matrix(matrix),
        np.broadcast_to(np.asarray(lower, float), n).copy(),
        np.broadcast_to(np.asarray(upper, float), n).copy(),
    )


@dataclass(frozen=True)
class EngineInputs:
    """What every lineup engine is built from (one constructor shape: engines.ENGINES)."""

    formulation: Formulation
    limit: int  # players two lineups may share
    gap: float  # relative MIP gap of the HiGHS engine; 0 = exact
    pool: pd.DataFrame
    rules: RosterRules


def formulate(
    pool: pd.DataFrame,
    rules: RosterRules,
    settings: LineupSettings,
    by_slot: bool = False,
) -> Formulation:
    """Columns and static rules for ``pool`` under ``rules`` and ``settings``.

    ``by_slot``: one column per (player, slot group) he may fill, so a solution is a slot
    assignment. Otherwise one column per player and Hall's condition on the slot groups
    (see :func:`hall_rows`): the same lineups without the symmetry of the many equivalent
    assignments of one lineup, which made the per-slot model 10× slower on DraftKings
    NBA pools. Slots are then assigned by matching after the solve.
    """
    n = len(pool)
    if by_slot:
        pairs = [(i, g) for i, pos in enumerate(pool["position"]) for g in rules.groups_for(pos)]
        player = np.array([i for i, _ in pairs], dtype=int)
        group = np.array([g for _, g in pairs], dtype=int)
    else:
        player, group = np.arange(n), np.full(n, -1)
    m = len(player)
    incidence = sparse.csr_matrix((np.ones(m), (player, np.arange(m))), shape=(n, m))
    projection = pool["projection"].to_numpy(float)

    def rows(matrix, lower, upper) -> RowGroup:  # noqa: ANN001
        return player_rows(incidence, matrix, lower, upper)

    if by_slot:
        fill = sparse.csr_matrix((np.ones(m), (group, np.arange(m))), shape=(len(rules.slots), m))
        counts = np.array([g.count for g in rules.slots], float)
        several = np.flatnonzero(np.bincount(player, minlength=n) > 1)
        once = rows(np.eye(n)[several], -np.inf, 1.0)  # a player fills one slot at most
        roster = RowGroup(
            sparse.vstack([fill, once.matrix]).tocsr(),
            np.concatenate([counts, once.lower]),
            np.concatenate([counts, once.upper]),
        )
    else:
        roster = rows(*hall_rows(pool["position"], rules))
    groups = {
        "roster size and positions": roster,
        "salary cap": rows(pool["salary"].to_numpy(float), -np.inf, rules.salary_cap),
    }
    ids = pool["id"].astype(str).to_numpy()
    index_of = {pid: i for i, pid in enumerate(ids)}
    for pid in (*settings.lock, *settings.exclude):
        if pid not in index_of:
            raise InputError(
                f"lineups: player id {pid!r} in lock/exclude is not in the pool; "
                "use ids from the pool's Id column"
            )
    fixed = [(index_of[p], 1.0) for p in settings.lock] + [
        (index_of[p], 0.0) for p in settings.exclude
    ]
    if fixed:
        eye = np.eye(n)[[i for i, _ in fixed]]
        value = np.array([v for _, v in fixed])
        groups["locked/excluded players"] = rows(eye, value, value)
    team = pool["team"].to_numpy()
    if settings.max_per_team is not None:
        teams = np.array([(team == t).astype(float) for t in sorted(set(team))])
        groups["max players per team"] = rows(teams, -np.inf, settings.max_per_team)
    listed = pool["position"]
    is_qb = plays(listed, [rules.quarterback])
    is_receiver = plays(listed, rules.receivers)
    is_defense = plays(listed, [rules.defense])
    if settings.stack and is_qb.any():
        stack = []
        for q in np.flatnonzero(is_qb):
            row = -(is_receiver & (team == team[q])).astype(float)
            row[q] = 1.0
            stack.append(row)
        groups["QB stacking"] = rows(np.array(stack), -np.inf, 0.0)
    if settings.avoid_opposing_defense and is_defense.any():
        opponent = pool["opponent"].to_numpy()
        facing = []
        for d in np.flatnonzero(is_defense):
            for i in np.flatnonzero((opponent == team[d]) & ~is_defense):
                row = np.zeros(n)
                row[[d, i]] = 1.0
                facing.append(row)
        if facing:
            groups["no player facing the chosen defense"] = rows(np.array(facing), -np.inf, 1.0)
    return Formulation(player, group, incidence, projection[player], groups)


def hall_rows(listed: pd.Series, rules: RosterRules) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Player rows that hold exactly when the chosen players can be assigned to slots.

    Hall's theorem: players can each get a slot of a group they are eligible for iff,
    for every set S of slot groups, the chosen players eligible only within S number at
    most the slots of S. With the roster size as a total, every slot is then filled.
    Only distinct eligibility sets matter, so DraftKings NBA (8 groups) needs a few
    dozen rows. Returns (rows, lower, upper).
    """
    eligible = [frozenset(rules.groups_for(p)) for p in listed]
    kinds = sorted({e for e in eligible if e}, key=sorted)
    capacity = [g.count for g in rules.slots]
    tightest: dict[frozenset, int] = {}  # eligibility sets inside S -> fewest slots of such S
    for mask in range(1, 2 ** len(capacity)):
        inside = [g for g in range(len(capacity)) if mask >> g & 1]
        covered = frozenset(k for k in kinds if k <= set(inside))
        slots = sum(capacity[g] for g in inside)
        if covered and slots < rules.size:
            tightest[covered] = min(slots, tightest.get(covered, slots))
    rows = [np.ones(len(eligible))]
    lower, upper = [rules.size], [rules.size]
    if not all(eligible):  # listed at no position of this roster: never chosen
        rows.append(np.array([not e for e in eligible], dtype=float))
        lower.append(-np.inf)
        upper.append(0)
    for covered, slots in sorted(
        tightest.items(), key=lambda kv: (kv[1], sorted(map(sorted, kv[0])))
    ):
        rows.append(np.array([e in covered for e in eligible], dtype=float))
        lower.append(-np.inf)
        upper.append(slots)
    return np.array(rows), np.array(lower, float), np.array(upper, float)


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
