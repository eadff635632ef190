"""The lineup MILP as plain matrices, shared by both solver back ends.

Columns are (player, slot group) pairs: one binary per slot group a player is eligible
for. Each slot group is filled exactly ``count`` times and each player fills at most
one slot, so a solution *is* a slot assignment. Rules about players (cap, teams,
stacking, locks, overlap) are written on player usage ``x = P @ y`` and mapped to the
columns through the incidence matrix ``P``.

Every rule but two is linear in player usage, even the ones that sound combinatorial:
"players from at least 3 teams" is "no 2 teams hold the whole roster" (one row per pair
of teams, and none when the team limit already implies it). The two that are not — a
game stack (n players from *some* game) and a team stack — are :class:`Choice` rules:
the ranked list checks them on listed lineups, and :func:`expanded` gives the MIP
engines one 0/1 column per game or team for them.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import sparse

from dsplaybook.errors import ConfigError
from dsplaybook.lineups.rosters import RosterRules, plays
from dsplaybook.lineups.settings import LineupSettings

# Rows a "players from at least k teams/games" rule may need (one per k-1 of them).
MAX_COVER_ROWS = 50_000


@dataclass(frozen=True)
class RowGroup:
    """Rows ``lower <= matrix @ y <= upper`` that are named together in error messages."""

    matrix: sparse.csr_matrix  # rows × columns
    lower: np.ndarray
    upper: np.ndarray


@dataclass(frozen=True)
class Choice:
    """At least one of several player sets holds ``need`` chosen players (a game stack:
    n players from some game). Not linear in the players: see :func:`expanded`."""

    sets: sparse.csr_matrix  # sets × players, 1 where the player belongs to the set
    need: int

    def holds(self, chosen: sparse.csr_matrix) -> np.ndarray:
        """For lineups as rows of a 0/1 lineups × players matrix: whether each meets it."""
        return ((chosen @ self.sets.T).toarray() >= self.need - 1e-9).any(axis=1)


@dataclass(frozen=True)
class Anchors:
    """Stacking rules that hang off a player every lineup holds exactly one of (the QB of
    an NFL roster): lineup with anchor q needs at least ``needs[b]`` of the players whose
    ``tags[q]`` has bit b (bit 0: q's receivers, bit 1: his bring-back players). The rows of the
    same rules stay in ``groups`` for the MIP engines; the ranked list builds these in."""

    anchor_mask: np.ndarray  # players that anchor
    tags: dict[int, np.ndarray]  # anchor -> tag per player (0: none)
    needs: tuple[int, ...]


@dataclass(frozen=True)
class Formulation:
    player: np.ndarray  # column -> pool row (-1: a Choice rule's column, see expanded)
    group: np.ndarray  # column -> slot group index (-1: columns are players)
    incidence: sparse.csr_matrix  # players × columns, 1 where the column uses the player
    objective: np.ndarray  # projected points per column (maximised)
    groups: dict[str, RowGroup]  # the rules that never change along a sequence
    choices: dict[str, Choice] = field(default_factory=dict)  # not yet columns and rows
    anchors: Anchors | None = None  # the stacking rules again, for the ranked list

    def columns_of(self, players: np.ndarray) -> np.ndarray:
        return np.flatnonzero(np.isin(self.player, players))

    def with_objective(self, points: np.ndarray) -> np.ndarray:
        """Per-player points as per-column objective (0 on a Choice rule's columns)."""
        return np.where(self.player >= 0, np.asarray(points, float)[self.player], 0.0)

    def lineup_of(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A 0/1 column vector -> (pool rows sorted, slot group of each: -1 when the
        columns are players and slots are still to be assigned)."""
        chosen = np.flatnonzero((np.asarray(y) > 0.5) & (self.player >= 0))
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


def requirement_rows(f: Formulation, required: list[np.ndarray]) -> RowGroup:
    """At least one of each of these player sets (min exposure forcing a player or a team)."""
    rows = np.zeros((len(required), f.incidence.shape[0]))
    for r, players in enumerate(required):
        rows[r, players] = 1.0
    return player_rows(f.incidence, rows, 1.0, np.inf)


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
    settings.check_ids(set(index_of))
    fixed = [(index_of[p], 1.0) for p in settings.lock] + [
        (index_of[p], 0.0) for p in settings.exclude
    ]
    if fixed:
        eye = np.eye(n)[[i for i, _ in fixed]]
        value = np.array([v for _, v in fixed])
        groups["locked/excluded players"] = rows(eye, value, value)
    team, opponent = pool["team"].to_numpy(), pool["opponent"].to_numpy()
    teams = membership(team)
    games = membership(game_keys(pool))
    limits = settings.team_rules(rules)
    if limits.max_per_team is not None:
        groups["max players per team"] = rows(teams, -np.inf, limits.max_per_team)
    for name, sets, least in (
        ("min teams", teams, limits.min_teams),
        ("min games", games, limits.min_games),
    ):
        cover = cover_rows(sets, least, rules.size, limits.max_per_team, name)
        if cover is not None:
            groups[name] = rows(cover, -np.inf, rules.size - 1)
    if settings.min_salary:
        groups["min salary"] = rows(pool["salary"].to_numpy(float), settings.min_salary, np.inf)
    listed = pool["position"]
    is_qb = plays(listed, [rules.quarterback])
    is_receiver = plays(listed, rules.receivers)
    is_defense = plays(listed, [rules.defense])
    stack = settings.stack
    brings_back = (
        plays(listed, stack.bring_back_positions) if stack.bring_back_positions else ~is_defense
    )
    for name, need, mates in (
        ("QB stacking", stack.qb_receivers, lambda q: is_receiver & (team == team[q])),
        ("bring-back", stack.bring_back, lambda q: brings_back & (team == opponent[q])),
    ):
        if need and is_qb.any():
            stacked = []
            for q in np.flatnonzero(is_qb):
                row = -mates(q).astype(float)
                row[q] = float(need)
                stacked.append(row)
            groups[name] = rows(np.array(stacked), -np.inf, 0.0)
    anchors = None
    one_qb = sum(g.count for g in rules.slots if rules.quarterback in g.eligible) == 1
    if (stack.qb_receivers or stack.bring_back) and is_qb.any() and one_qb:
        tags = {}
        for q in np.flatnonzero(is_qb):
            tag = np.zeros(n, dtype=int)
            tag[is_receiver & (team == team[q])] = 1
            tag[brings_back & (team == opponent[q])] = 2
            tags[int(q)] = tag
        needs = (stack.qb_receivers, stack.bring_back)
        anchors = Anchors(is_qb.copy(), tags, needs)
    choices = {}
    for name, sets, need in (("game stack", games, stack.game), ("team stack", teams, stack.team)):
        if need:
            choices[name] = Choice(sparse.csr_matrix(sets), need)
    if settings.groups:
        members = np.array(
            [[pid in set(g.players) for pid in ids] for g in settings.groups], dtype=float
        )
        lower = [-np.inf if g.at_least is None else g.at_least for g in settings.groups]
        upper = [np.inf if g.at_most is None else g.at_most for g in settings.groups]
        groups["player groups"] = rows(members, lower, upper)
    if settings.requires:
        conditional = []
        for r in settings.requires:
            row = -np.isin(ids, r.only_with).astype(float)
            row[index_of[r.player]] += 1.0
            conditional.append(row)
        groups["conditional players"] = rows(np.array(conditional), -np.inf, 0.0)
    if settings.avoid_opposing_defense and is_defense.any():
        facing = []
        for d in np.flatnonzero(is_defense):
            for i in np.flatnonzero((opponent == team[d]) & ~is_defense):
                row = np.zeros(n)
                row[[d, i]] = 1.0
                facing.append(row)
        if facing:
            groups["no player facing the chosen defense"] = rows(np.array(facing), -np.inf, 1.0)
    return Formulation(player, group, incidence, projection[player], groups, choices, anchors)


def game_keys(pool: pd.DataFrame) -> np.ndarray:
    """One label per player for the game he plays in (team and opponent, sorted)."""
    return np.array(
        [
            "@".join(sorted({t, o} - {""}))
            for t, o in zip(pool["team"], pool["opponent"], strict=True)
        ]
    )


def membership(labels: np.ndarray) -> np.ndarray:
    """Sets × players 0/1 matrix, one set per distinct label (sorted)."""
    return np.array([(labels == v).astype(float) for v in sorted(set(labels))]).reshape(
        -1, len(labels)
    )


def cover_rows(
    sets: np.ndarray, least: int | None, size: int, per_set: int | None, name: str
) -> np.ndarray | None:
    """Rows for "players from at least ``least`` of these sets": no ``least - 1`` sets may
    hold the whole roster. None when nothing is needed (no rule, or ``per_set`` players
    from each of ``least - 1`` sets cannot fill the roster anyway)."""
    if least is None or least <= 1:
        return None
    if per_set is not None and per_set * (least - 1) < size:
        return None
    if len(sets) < least:
        return np.ones((1, sets.shape[1]))  # at most size-1 players: no lineup, as it should
    n_rows = math.comb(len(sets), least - 1)
    if n_rows > MAX_COVER_ROWS:
        raise ConfigError(
            f"config: key 'lineups.{name.replace(' ', '_')}': {least} needs {n_rows:,} rows over "
            f"{len(sets)} sets; lower it or set max_per_team so that it is implied"
        )
    return np.array(
        [sets[list(c)].sum(axis=0) for c in itertools.combinations(range(len(sets)), least - 1)]
    )


def expanded(f: Formulation) -> Formulation:
    """``f`` with its Choice rules as columns and rows, for the MIP engines: one 0/1
    column z per set, ``need·z_s <= players of set s`` and ``sum z >= 1``."""
    if not f.choices:
        return f
    m = len(f.player)
    extra = sum(c.sets.shape[0] for c in f.choices.values())

    def widen(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
        return sparse.hstack([matrix, sparse.csr_matrix((matrix.shape[0], extra))]).tocsr()

    groups = {name: replace(g, matrix=widen(g.matrix)) for name, g in f.groups.items()}
    start = m
    for name, choice in f.choices.items():
        s = choice.sets.shape[0]
        mine = sparse.csr_matrix(
            (np.ones(s), (np.arange(s), np.arange(start, start + s))), shape=(s, m + extra)
        )
        on_columns = widen(-(choice.sets @ f.incidence)) + choice.need * mine
        any_set = sparse.csr_matrix(mine.sum(axis=0))
        groups[name] = RowGroup(
            sparse.vstack([on_columns, any_set]).tocsr(),
            np.concatenate([np.full(s, -np.inf), [1.0]]),
            np.concatenate([np.zeros(s), [np.inf]]),
        )
        start += s
    return Formulation(
        np.concatenate([f.player, np.full(extra, -1)]),
        np.concatenate([f.group, np.full(extra, -1)]),
        widen(f.incidence),
        np.concatenate([f.objective, np.zeros(extra)]),
        groups,
    )


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
