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

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import sparse

from dsplaybook.errors import ConfigError
from dsplaybook.lineups.player_pool import ownership_share
from dsplaybook.lineups.rosters import RosterRules, plays
from dsplaybook.lineups.rule_rows import cover_rows, game_keys, hall_rows, membership
from dsplaybook.lineups.settings import LineupSettings


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


def player_rows(incidence: sparse.csr_matrix, rows: np.ndarray, lower, upper) -> RowGroup:
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
    rows = functools.partial(player_rows, incidence)
    # the groups' order is the rows' order in every engine: keep it
    groups = {
        "roster size and positions": _roster_rows(pool, rules, player, group, rows, by_slot),
        "salary cap": rows(pool["salary"].to_numpy(float), -np.inf, rules.salary_cap),
    }
    groups.update(_one_slot_per_player(pool, rows))
    ids = pool["id"].astype(str).to_numpy()
    index_of = {pid: i for i, pid in enumerate(ids)}
    settings.check_ids(set(index_of))
    teams, games = membership(pool["team"].to_numpy()), membership(game_keys(pool))
    groups.update(_locked_and_excluded(index_of, settings, rows))
    counted = ~plays(listed_as(pool), rules.teams_exclude)
    groups.update(_team_and_game_rows(teams, games, rules, settings, rows, counted))
    groups.update(_position_caps(pool, rules, rows))
    if settings.min_salary:
        groups["min salary"] = rows(pool["salary"].to_numpy(float), settings.min_salary, np.inf)
    roles = _Roles.of(pool, rules, settings)
    groups.update(_stacking_rows(roles, settings, rows))
    anchors = _anchors(roles, rules, settings)
    choices = {}
    stack = settings.stack
    for name, sets, need in (
        ("game stack", games, stack.game),
        ("team stack", lambda: stack_sets(pool, settings), stack.team),
        ("line stack", lambda: line_sets(pool), stack.line),
    ):
        if need:
            choices[name] = Choice(sparse.csr_matrix(sets() if callable(sets) else sets), need)
    groups.update(_player_group_rows(ids, index_of, settings, rows))
    groups.update(_facing_rows(pool, rules, settings, rows))
    groups.update(_ownership_rows(pool, rules, settings, rows))
    projection = pool["projection"].to_numpy(float)
    return Formulation(player, group, incidence, projection[player], groups, choices, anchors)


Rows = Callable[..., RowGroup]  # (matrix, lower, upper) -> rows over the columns


def _roster_rows(
    pool: pd.DataFrame,
    rules: RosterRules,
    player: np.ndarray,
    group: np.ndarray,
    rows: Rows,
    by_slot: bool,
) -> RowGroup:
    """Slot counts (per-slot columns) or Hall's condition on the slot groups."""
    if not by_slot:
        return rows(*hall_rows(pool["position"], rules))
    n, m = len(pool), len(player)
    fill = sparse.csr_matrix((np.ones(m), (group, np.arange(m))), shape=(len(rules.slots), m))
    counts = np.array([g.count for g in rules.slots], float)
    several = np.flatnonzero(np.bincount(player, minlength=n) > 1)
    once = rows(np.eye(n)[several], -np.inf, 1.0)  # a player fills one slot at most
    return RowGroup(
        sparse.vstack([fill, once.matrix]).tocsr(),
        np.concatenate([counts, once.lower]),
        np.concatenate([counts, once.upper]),
    )


def _locked_and_excluded(index_of: dict[str, int], settings: LineupSettings, rows: Rows) -> dict:
    fixed = [(index_of[p], 1.0) for p in settings.lock]
    fixed += [(index_of[p], 0.0) for p in settings.exclude]
    if not fixed:
        return {}
    eye = np.eye(len(index_of))[[i for i, _ in fixed]]
    value = np.array([v for _, v in fixed])
    return {"locked/excluded players": rows(eye, value, value)}


def _team_and_game_rows(
    teams: np.ndarray,
    games: np.ndarray,
    rules: RosterRules,
    settings: LineupSettings,
    rows: Rows,
    counted: np.ndarray,
) -> dict:
    """The site's team rules (``teams``, ``games``: membership matrices): max players per
    team, min teams and min games (``counted``: the players min teams counts; DraftKings
    NHL leaves its goalie out, so its skaters, a fixed number, come from 3 teams)."""
    groups = {}
    limits = settings.team_rules(rules)
    if limits.max_per_team is not None:
        groups["max players per team"] = rows(teams, -np.inf, limits.max_per_team)
    skaters = rules.size - sum(g.count for g in rules.slots if g.eligible <= rules.teams_exclude)
    for name, sets, least, size in (
        ("min teams", teams * counted, limits.min_teams, skaters),
        ("min games", games, limits.min_games, rules.size),
    ):
        cover = cover_rows(sets, least, size, limits.max_per_team, name)
        if cover is not None:
            groups[name] = rows(cover, -np.inf, size - 1)
    return groups


def listed_as(pool: pd.DataFrame) -> pd.Series:
    """The positions an export lists for each row (a captain row's are his, not CPT)."""
    return pool["plays_as"] if "plays_as" in pool.columns else pool["position"]


def _one_slot_per_player(pool: pd.DataFrame, rows: Rows) -> dict:
    """A player listed on several rows (his captain copy) fills one slot at most."""
    if "person" not in pool.columns:
        return {}
    person = pool["person"].to_numpy()
    shared = [v for v, n in zip(*np.unique(person, return_counts=True), strict=True) if n > 1]
    if not shared:
        return {}
    matrix = np.array([(person == v).astype(float) for v in shared])
    return {"one slot per player": rows(matrix, -np.inf, 1.0)}


def _position_caps(pool: pd.DataFrame, rules: RosterRules, rows: Rows) -> dict:
    """The site's caps on players listed at some positions (per lineup or per team)."""
    if not rules.position_caps:
        return {}
    matrices, upper = [], []
    team = pool["team"].to_numpy()
    for cap in rules.position_caps:
        at = plays(listed_as(pool), cap.positions).astype(float)
        sets = [at * (team == t) for t in sorted(set(team))] if cap.per_team else [at]
        matrices += [s for s in sets if s.any()]
        upper += [cap.limit] * sum(1 for s in sets if s.any())
    if not matrices:
        return {}
    return {"position caps": rows(np.array(matrices), -np.inf, np.array(upper, float))}


def stack_sets(pool: pd.DataFrame, settings: LineupSettings) -> np.ndarray:
    """The player sets a team stack may come from: each team's players (at
    ``stack.team_positions``), or with ``stack.consecutive`` each run of ``stack.team``
    consecutive batting-order spots of a team (9 wraps to 1)."""
    stack = settings.stack
    team = pool["team"].to_numpy()
    at = (
        plays(listed_as(pool), stack.team_positions)
        if stack.team_positions
        else np.ones(len(pool), dtype=bool)
    )
    if not stack.consecutive:
        return np.array([(team == t) & at for t in sorted(set(team))], dtype=float)
    if "batting_order" not in pool.columns:
        raise ConfigError(
            "config: key 'lineups.stack.consecutive': the pool has no batting order; set "
            "lineups.batting_order_column to the column holding it"
        )
    order = np.nan_to_num(pool["batting_order"].to_numpy(float), nan=0).astype(int)
    sets = []
    for t in sorted(set(team)):
        for start in range(9):
            spots = {(start + k) % 9 + 1 for k in range(stack.team)}
            member = (team == t) & at & np.isin(order, list(spots))
            if member.sum() >= stack.team:
                sets.append(member)
    return np.array(sets, dtype=float).reshape(-1, len(pool))


def line_sets(pool: pd.DataFrame) -> np.ndarray:
    """Players of one team and line (lineups.line_column), for the line stack."""
    if "line" not in pool.columns:
        raise ConfigError(
            "config: key 'lineups.stack.line': the pool has no lines; set "
            "lineups.line_column to the column holding them"
        )
    key = pool["team"].astype(str) + ":" + pool["line"].astype(str)
    key = key.where(pool["line"].astype(str) != "", "")
    return np.array([(key == k).to_numpy() for k in sorted(set(key) - {""})], dtype=float).reshape(
        -1, len(pool)
    )


@dataclass(frozen=True)
class _Roles:
    """Who plays what, for the stacking and defense rules."""

    team: np.ndarray
    opponent: np.ndarray
    is_qb: np.ndarray
    is_receiver: np.ndarray
    is_defense: np.ndarray
    brings_back: np.ndarray  # players a bring-back may use

    @classmethod
    def of(cls, pool: pd.DataFrame, rules: RosterRules, settings: LineupSettings) -> _Roles:
        listed, stack = listed_as(pool), settings.stack
        is_defense = plays(listed, [rules.defense])
        brings_back = (
            plays(listed, stack.bring_back_positions) if stack.bring_back_positions else ~is_defense
        )
        return cls(
            pool["team"].to_numpy(),
            pool["opponent"].to_numpy(),
            plays(listed, [rules.quarterback]),
            plays(listed, rules.receivers),
            is_defense,
            brings_back,
        )


def _stacking_rows(roles: _Roles, settings: LineupSettings, rows: Rows) -> dict:
    """Each QB needs that many receivers of his team (and opponents: bring-back)."""
    groups, stack, team = {}, settings.stack, roles.team
    for name, need, mates in (
        ("QB stacking", stack.qb_receivers, lambda q: roles.is_receiver & (team == team[q])),
        ("bring-back", stack.bring_back, lambda q: roles.brings_back & (team == roles.opponent[q])),
    ):
        if need and roles.is_qb.any():
            stacked = []
            for q in np.flatnonzero(roles.is_qb):
                row = -mates(q).astype(float)
                row[q] = float(need)
                stacked.append(row)
            groups[name] = rows(np.array(stacked), -np.inf, 0.0)
    return groups


def _anchors(roles: _Roles, rules: RosterRules, settings: LineupSettings) -> Anchors | None:
    """The stacks as tags per QB, for the ranked list (one-QB rosters only)."""
    stack, team = settings.stack, roles.team
    one_qb = sum(g.count for g in rules.slots if rules.quarterback in g.eligible) == 1
    if not ((stack.qb_receivers or stack.bring_back) and roles.is_qb.any() and one_qb):
        return None
    tags = {}
    for q in np.flatnonzero(roles.is_qb):
        tag = np.zeros(len(team), dtype=int)
        tag[roles.is_receiver & (team == team[q])] = 1
        tag[roles.brings_back & (team == roles.opponent[q])] = 2
        tags[int(q)] = tag
    return Anchors(roles.is_qb.copy(), tags, (stack.qb_receivers, stack.bring_back))


def _player_group_rows(
    ids: np.ndarray, index_of: dict[str, int], settings: LineupSettings, rows: Rows
) -> dict:
    """Player groups (at least / at most) and conditional players."""
    groups = {}
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
    return groups


def facing_pairs(pool: pd.DataFrame, rules: RosterRules, settings: LineupSettings) -> list:
    """(anchor, opponent) row pairs no lineup may hold both of: the defense rule and each
    ``lineups.avoid`` (the players' listed positions, whatever slot a row fills)."""
    listed = listed_as(pool)
    team, opponent = pool["team"].to_numpy(), pool["opponent"].to_numpy()
    person = pool["person"].to_numpy() if "person" in pool.columns else np.arange(len(pool))
    rules_on: list[tuple[frozenset[str], frozenset[str]]] = [
        (frozenset([rules.defense]), frozenset())
    ] * settings.avoid_opposing_defense
    rules_on += [(frozenset(a.positions), frozenset(a.against)) for a in settings.avoid]
    pairs = set()
    for anchors, against in rules_on:
        is_anchor = plays(listed, anchors)
        facing = plays(listed, against) if against else ~is_anchor
        for d in np.flatnonzero(is_anchor):
            for i in np.flatnonzero((opponent == team[d]) & facing & (person != person[d])):
                pairs.add((int(d), int(i)))
    return sorted(pairs)


def _facing_rows(
    pool: pd.DataFrame, rules: RosterRules, settings: LineupSettings, rows: Rows
) -> dict:
    pairs = facing_pairs(pool, rules, settings)
    if not pairs:
        return {}
    matrix = np.zeros((len(pairs), len(pool)))
    for r, (d, i) in enumerate(pairs):
        matrix[r, [d, i]] = 1.0
    return {"no player facing the chosen defense": rows(matrix, -np.inf, 1.0)}


def _ownership_rows(
    pool: pd.DataFrame, rules: RosterRules, settings: LineupSettings, rows: Rows
) -> dict:
    band = settings.ownership
    if not band.active:
        return {}
    if "ownership" not in pool.columns:
        raise ConfigError(
            "config: key 'lineups.ownership': the pool has no projected ownership; set "
            "lineups.ownership_column to the export's ownership column"
        )
    low, high = band.totals(rules.size)
    return {"total ownership": rows(ownership_share(pool["ownership"]), low, high)}


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
