"""Listing every lineup above a threshold, for the ranked-list engine (:mod:`.ranked`).

Players are grouped by the slot groups they may fill (``PG/SG`` is its own class); a
lineup is a count per class that the slots can hold (checked by matching) and that many
players of each class. Lineups grow one player at a time, kept only while a knapsack
table says the best completion under the cap still reaches the threshold (so the work
follows the length of the list); a Lagrangian bound on salary (points - λ·salary, λ
minimising it) first skips the count vectors that cannot reach it.
"""

from __future__ import annotations

import functools
import logging
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dsplaybook.lineups.formulation import Anchors
from dsplaybook.lineups.rosters import RosterRules

log = logging.getLogger("dsplaybook")

# Lineups one listing may hold (~100 bytes each with its intermediates); beyond it the
# HiGHS back end takes over.
MAX_LISTED = 2_000_000
GROW_CHUNK = 100_000  # partial lineups extended (or lineups checked) at once
CACHED_TABLES = 256  # knapsack tables kept (each ~0.5 MB on DraftKings NBA)


class TooManyLineups(Exception):
    """The next band holds more lineups than MAX_LISTED."""


@dataclass(frozen=True)
class PlayerClasses:
    members: list[np.ndarray]  # class -> pool rows, in pool order
    counts: np.ndarray  # (class-count vectors the slots can hold) × classes


def player_classes(
    positions: pd.Series,
    rules: RosterRules,
    usable: np.ndarray,
    tags: np.ndarray | None = None,
    needs: tuple[int, ...] = (),
    most: tuple[float, ...] = (),
) -> PlayerClasses:
    """Classes of players by eligible slot groups, and every per-class count vector that
    fills the roster (Kuhn matching on one representative position per class).

    ``tags`` (a bit mask per player, 0 for none) split classes further, and a count
    vector must take at least ``needs[b]`` players whose tag has bit b: how an anchored
    rule ("this QB with 2 receivers of his team"), a stack and a required player are
    built into the listing; ``most[b]`` caps them (a static row that holds them all, such
    as a team limit, so vectors that row rules out are never listed). The vectors of the
    untagged classes are enumerated once (cached: the same for every anchor or stack set)
    and then split among the tags."""
    tags = np.zeros(len(positions), dtype=int) if tags is None else tags
    groups = [frozenset(rules.groups_for(p)) for p in positions]
    eligible = [(g, int(t)) for g, t in zip(groups, tags, strict=True)]
    kinds = sorted(
        {e for e, ok in zip(eligible, usable, strict=True) if e[0] and ok},
        key=lambda k: (sorted(k[0]), k[1]),
    )
    members = [
        np.flatnonzero([e == k and ok for e, ok in zip(eligible, usable, strict=True)])
        for k in kinds
    ]
    bases = sorted({k[0] for k in kinds}, key=sorted)
    base_size = [
        sum(len(m) for m, k in zip(members, kinds, strict=True) if k[0] == b) for b in bases
    ]
    example = [
        str(positions.iloc[next(i for i, g in enumerate(groups) if g == b and usable[i])])
        for b in bases
    ]
    # a class cannot fill more slots than the groups it may go to
    room = [
        min(n, sum(rules.slots[g].count for g in b)) for n, b in zip(base_size, bases, strict=True)
    ]
    base_vectors = _count_vectors(rules, tuple(bases), tuple(room), tuple(example))
    vectors = _split_by_tags(
        base_vectors,
        [bases.index(k[0]) for k in kinds],
        [len(m) for m in members],
        [k[1] for k in kinds],
        needs,
        most,
    )
    return PlayerClasses(members, np.array(vectors, dtype=int).reshape(-1, len(kinds)))


@functools.lru_cache(maxsize=64)
def _count_vectors(
    rules: RosterRules,
    kinds: tuple[frozenset, ...],
    room: tuple[int, ...],
    example: tuple[str, ...],
) -> tuple[tuple[int, ...], ...]:
    """Per-class counts that fill the roster; ``example`` (a position per class) only
    stands for its class's eligibility."""
    vectors: list[tuple[int, ...]] = []

    def extend(i: int, left: int, counts: list[int]) -> None:
        if i == len(kinds):
            chosen = [example[c] for c, n in enumerate(counts) for _ in range(n)]
            if left == 0 and rules.assign_slots(chosen) is not None:
                vectors.append(tuple(counts))
            return
        for n in range(min(left, room[i]) + 1):
            extend(i + 1, left - n, [*counts, n])

    extend(0, rules.size, [])
    return tuple(vectors)


def _split_by_tags(
    base_vectors: tuple[tuple[int, ...], ...],
    base_of: list[int],
    size: list[int],
    tag_of: list[int],
    needs: tuple[int, ...],
    most: tuple[float, ...] = (),
) -> list[tuple[int, ...]]:
    """Every split of each untagged vector's counts among its tagged classes (at most a
    class's size each) that meets ``needs`` and ``most``."""
    import itertools

    by_base: dict[int, list[int]] = {}
    for c, b in enumerate(base_of):
        by_base.setdefault(b, []).append(c)
    splits: dict[tuple[int, int], list[tuple[int, ...]]] = {}

    def ways(b: int, n: int) -> list[tuple[int, ...]]:
        """Counts per tagged class of base class b that add up to n."""
        if (b, n) not in splits:
            classes = by_base[b]
            found: list[tuple[int, ...]] = []

            def extend(i: int, left: int, counts: list[int]) -> None:
                if i == len(classes) - 1:
                    if left <= size[classes[i]]:
                        found.append((*counts, left))
                    return
                for k in range(min(left, size[classes[i]]) + 1):
                    extend(i + 1, left - k, [*counts, k])

            extend(0, n, [])
            splits[(b, n)] = found
        return splits[(b, n)]

    order = [c for b in sorted(by_base) for c in by_base[b]]
    candidates = [
        [n for part in parts for n in part]
        for base in base_vectors
        for parts in itertools.product(*(ways(b, base[b]) for b in sorted(by_base)))
    ]
    counts = np.zeros((len(candidates), len(base_of)), dtype=int)
    if len(candidates):
        counts[:, order] = np.array(candidates, dtype=int)
    bits = max(len(needs), len(most))
    tagged = counts @ np.array([[t >> b & 1 for b in range(bits)] for t in tag_of]).reshape(
        len(tag_of), bits
    )
    keep = np.ones(len(counts), dtype=bool)
    for b, need in enumerate(needs):
        keep &= tagged[:, b] >= need
    for b, cap in enumerate(most):
        keep &= tagged[:, b] <= cap
    counts = counts[keep]
    # the last classes vary slowest, so consecutive vectors share the knapsack tables of
    # their last classes (LineupLister's cache)
    counts = counts[np.lexsort(counts.T)] if len(counts) else counts
    return [tuple(int(n) for n in row) for row in counts]


class LineupLister:
    """Every roster-valid lineup under the cap scoring at least T, as arrays.

    Lineups are grown one player at a time, class by class (players of a class in pool
    order). A partial lineup is kept only if its best completion still reaches T: the
    best completion for every (next player, players still to pick, salary left) comes
    from a knapsack table per class, so every partial kept ends in a listed lineup and
    the work follows the size of the listing. Salaries count in units of their greatest
    common divisor (100 on FanDuel and DraftKings); finer salaries are rounded down for
    the tables only, which keeps them upper bounds.
    """

    def __init__(self, classes: PlayerClasses, points: np.ndarray, salary: np.ndarray, cap: float):
        self.classes, self.points, self.salary, self.cap = classes, points, salary, cap
        unit = _salary_unit(salary, cap)
        self.cost = np.floor(salary / unit + 1e-9).astype(np.int64)
        self.budget = int(np.floor(cap / unit + 1e-9))
        self.tables: OrderedDict[tuple, np.ndarray] = OrderedDict()  # a small LRU cache
        self.price = self._best_price()
        # vectors most promising first, by the (cheap) Lagrangian bound
        self.vector_bounds = self.price * cap + self._adjusted_bounds(self.price)
        self.bound = float(self.vector_bounds.max(initial=-np.inf))
        self._best: float | None = None

    @property
    def best(self) -> float:
        """The best lineup's points, exactly (-inf: none fits); computed once, on demand."""
        if self._best is None:
            self._best = self._exact_best()
        return self._best

    def _top_sums(self, adjusted: np.ndarray) -> np.ndarray:
        """classes × (0..max count): the best sum of n adjusted points in each class."""
        width = int(self.classes.counts.max(initial=0)) + 1
        table = np.full((len(self.classes.members), width), -np.inf)
        for c, m in enumerate(self.classes.members):
            best = np.sort(adjusted[m])[::-1][: width - 1]
            table[c, : len(best) + 1] = np.concatenate([[0.0], np.cumsum(best)])
        return table

    def _adjusted_bounds(self, price: float) -> np.ndarray:
        table = self._top_sums(self.points - price * self.salary)
        return table[np.arange(table.shape[0]), self.classes.counts].sum(axis=1)

    def _best_price(self) -> float:
        """The salary price with the lowest Lagrangian bound (convex in it)."""
        if len(self.classes.counts) == 0:
            return 0.0
        low, high = 0.0, float(np.max(self.points / np.maximum(self.salary, 1e-9), initial=0))

        def bound(price: float) -> float:
            return price * self.cap + float(self._adjusted_bounds(price).max())

        for _ in range(40):  # (2/3)^40: the price to 1e-7 of its range
            a, b = low + (high - low) / 3, high - (high - low) / 3
            if bound(a) <= bound(b):
                high = b
            else:
                low = a
        return (low + high) / 2

    def _tables(self, counts: np.ndarray) -> list[np.ndarray]:
        """Per used class i: H[k, need, b] = the most points from ``need`` more players
        of that class at positions >= k plus the classes after it, salary <= b units."""
        used = [int(c) for c in np.flatnonzero(counts)]
        tables: list[np.ndarray] = []
        after = np.zeros(self.budget + 1)
        for i in range(len(used) - 1, -1, -1):
            key = tuple((c, int(counts[c])) for c in used[i:])
            if key in self.tables:
                self.tables.move_to_end(key)
            else:
                members = self.classes.members[used[i]]
                self.tables[key] = _class_table(
                    self.points[members], self.cost[members], int(counts[used[i]]), after
                )
                if len(self.tables) > CACHED_TABLES:
                    self.tables.popitem(last=False)
            table = self.tables[key]
            tables.insert(0, table)
            after = table[0, -1]
        return tables

    def _exact_best(self) -> float:
        """The best lineup's points (-inf: no lineup fits)."""
        best = -np.inf
        for v in np.argsort(-self.vector_bounds, kind="stable"):
            if self.vector_bounds[v] < best:
                break
            tables = self._tables(self.classes.counts[v])
            best = max(best, float(tables[0][0, -1, self.budget]) if tables else -np.inf)
        return best

    def lineups_above(self, threshold: float) -> tuple[np.ndarray, np.ndarray]:
        """(points, pool rows sorted per lineup) of every lineup scoring >= threshold under
        the cap. Raises TooManyLineups."""
        floor = threshold - 1e-7  # the sums below add in another order: a rounding margin
        found, total = [], 0
        for v in np.flatnonzero(self.vector_bounds >= floor):
            counts = self.classes.counts[v]
            tables = self._tables(counts)
            if not tables or tables[0][0, -1, self.budget] < floor:
                continue
            rows = self._grow(counts, tables, floor, room=MAX_LISTED - total)
            total += len(rows)
            found.append(rows)
        if not found:
            return np.zeros(0), np.zeros((0, 0), dtype=np.int32)
        lineups = np.sort(np.vstack(found), axis=1)
        points = self.points[lineups].sum(axis=1)
        keep = (points >= threshold) & (self.salary[lineups].sum(axis=1) <= self.cap + 1e-9)
        return points[keep], lineups[keep]

    def _grow(
        self, counts: np.ndarray, tables: list[np.ndarray], floor: float, room: int
    ) -> np.ndarray:
        """Lineups with these class counts scoring >= floor: one player at a time. Every
        partial lineup kept ends in at least one listed lineup, so more than ``room``
        partial lineups means more than ``room`` lineups: TooManyLineups."""
        score, spent = np.zeros(1), np.zeros(1, dtype=np.int64)
        chosen = np.zeros((1, 0), dtype=np.int32)
        for table, c in zip(tables, np.flatnonzero(counts), strict=True):
            members = self.classes.members[c]
            gain, cost = self.points[members], self.cost[members]
            after_next = np.arange(1, len(members) + 1)
            last = np.full(len(score), -1)
            for picked in range(int(counts[c])):
                still = int(counts[c]) - picked - 1  # to pick after this one
                parents, picks = [], []
                for start in range(0, len(score), GROW_CHUNK):  # bounded memory
                    part = slice(start, start + GROW_CHUNK)
                    left = self.budget - spent[part, None] - cost[None, :]
                    reach = (
                        score[part, None]
                        + gain[None, :]
                        + table[after_next[None, :], still, np.clip(left, 0, self.budget)]
                    )
                    later = np.arange(len(members)) > last[part, None]
                    found, k = np.nonzero((reach >= floor) & (left >= 0) & later)
                    parents.append(found + start)
                    picks.append(k)
                    if sum(map(len, parents)) > room:
                        raise TooManyLineups(f"more than {MAX_LISTED:,} lineups to list")
                parent, k = np.concatenate(parents), np.concatenate(picks)
                score, spent = score[parent] + gain[k], spent[parent] + cost[k]
                chosen = np.hstack([chosen[parent], members[k][:, None].astype(np.int32)])
                last = k
                if len(score) == 0:
                    return np.zeros((0, int(counts.sum())), dtype=np.int32)
        return chosen


def _salary_unit(salary: np.ndarray, cap: float) -> float:
    """The common unit of salaries and cap, coarsened so the cap is <= 2,000 units."""
    values = np.append(salary, cap)
    if np.allclose(values, np.round(values)):
        unit = float(np.gcd.reduce(np.round(values).astype(np.int64)))
    else:
        unit = 0.0
    if unit <= 0 or cap / unit > 2000:
        unit = cap / 2000
    return unit


def _class_table(gain: np.ndarray, cost: np.ndarray, count: int, after: np.ndarray) -> np.ndarray:
    """H[k, need, b]: the most points from ``need`` players of positions k.. of a class
    plus ``after`` (the classes after it) within b salary units; -inf where none fits."""
    m, width = len(gain), len(after)
    table = np.empty((m + 1, count + 1, width))  # every cell is written below
    table[:, 0, :] = after
    table[m, 1:, :] = -np.inf
    for k in range(m - 1, -1, -1):
        c = min(int(cost[k]), width)
        table[k, 1:, :c] = table[k + 1, 1:, :c]
        if c < width:  # take player k or not, written in place (no temporaries)
            np.add(table[k + 1, :-1, : width - c], gain[k], out=table[k, 1:, c:])
            np.maximum(table[k, 1:, c:], table[k + 1, 1:, c:], out=table[k, 1:, c:])
    return table


def best_of(listers) -> float:
    """The best lineup over several listings, most promising first; a listing whose
    Lagrangian bound is below the best so far costs nothing more."""
    best = -np.inf
    for lister in sorted(listers, key=lambda x: -x.bound):
        if lister.bound < best:
            break
        best = max(best, lister.best)
    return best


class AnchoredLister:
    """Every lineup at or above T under anchored rules, one LineupLister per anchor.

    Anchored rules hang off a player every lineup holds exactly one of (the QB of an NFL
    roster): "the QB with at least 2 WR/TE of his team and 1 player of the team he
    faces". Lineups split by their QB; for QB q the rule is a count of tagged players
    (q's receivers, his opponents), built into q's listing (player_classes' needs), so
    only lineups that meet it are ever listed. Listers are built lazily, most promising
    QB first, and a QB whose Lagrangian bound is below T costs nothing more.
    """

    def __init__(
        self,
        anchors: Anchors,
        usable: np.ndarray,
        pool: pd.DataFrame,
        rules: RosterRules,
        extra_tags: np.ndarray | None = None,
        extra_needs: tuple[int, ...] = (),
    ):
        self.anchors, self.pool, self.rules = anchors, pool, rules
        extra = np.zeros(len(pool), dtype=int) if extra_tags is None else extra_tags
        self.points = pool["projection"].to_numpy(float)
        self.salary = pool["salary"].to_numpy(float)
        others = anchors.anchor_mask
        self.listers: dict[int, LineupLister] = {}
        for q in np.flatnonzero(anchors.anchor_mask & usable):
            mine = usable & (~others | (np.arange(len(usable)) == q))
            classes = player_classes(
                pool["position"],
                rules,
                mine,
                anchors.tags[int(q)] | extra,
                (*anchors.needs, *extra_needs),
            )
            if len(classes.counts):
                self.listers[int(q)] = LineupLister(
                    classes, self.points, self.salary, rules.salary_cap
                )
        self._best: float | None = None

    @property
    def best(self) -> float:
        if self._best is None:
            self._best = best_of(self.listers.values())
        return self._best

    def lineups_above(self, threshold: float) -> tuple[np.ndarray, np.ndarray]:
        points, lineups, total = [], [], 0
        for lister in self.listers.values():
            if lister.bound < threshold - 1e-7 or lister.best < threshold - 1e-7:
                continue
            p, rows = lister.lineups_above(threshold)
            total += len(p)
            if total > MAX_LISTED:
                raise TooManyLineups(f"more than {MAX_LISTED:,} lineups to list")
            points.append(p)
            lineups.append(rows)
        if not points:
            return np.zeros(0), np.zeros((0, self.rules.size), dtype=np.int32)
        return np.concatenate(points), np.vstack(lineups)


class ChoiceLister:
    """Every lineup at or above T that meets a Choice rule (at least ``need`` players from
    one of several sets: a team stack, a line stack), one LineupLister per set.

    Listing every lineup and dropping those without a stack lists mostly lineups that
    are dropped (an MLB 5-hitter stack keeps ~1 in 1,000); per set the rule is a count
    of tagged players built into the listing, so only lineups that meet it are listed.
    A lineup that meets it from two sets is listed twice and kept once. ``most``: per
    set, the most of its players any lineup may hold (:func:`set_caps`).
    """

    def __init__(
        self,
        sets: np.ndarray,
        need: int,
        most: np.ndarray,
        usable: np.ndarray,
        pool: pd.DataFrame,
        rules: RosterRules,
        extra_tags: np.ndarray | None = None,
        extra_needs: tuple[int, ...] = (),
    ):
        self.rules = rules
        extra = np.zeros(len(pool), dtype=int) if extra_tags is None else extra_tags
        self.points = pool["projection"].to_numpy(float)
        self.salary = pool["salary"].to_numpy(float)
        self.listers: list[LineupLister] = []
        self.disjoint = bool((sets.sum(axis=0) <= 1).all()) and 2 * need > rules.size
        for members, cap in zip(sets, most, strict=True):
            if int((members & usable).sum()) < need or cap < need:
                continue
            # bit 0: the set; bit 1 unused (the anchors' bring-back bit elsewhere); extra
            # requirements from bit 2 on, as RankedSequence.lister builds them
            classes = player_classes(
                pool["position"],
                rules,
                usable,
                members.astype(int) | extra,
                (need, 0, *extra_needs),
                (float(cap),),
            )
            if len(classes.counts):
                self.listers.append(
                    LineupLister(classes, self.points, self.salary, rules.salary_cap)
                )
        self._best: float | None = None

    @property
    def best(self) -> float:
        if self._best is None:
            self._best = best_of(self.listers)
        return self._best

    def lineups_above(self, threshold: float) -> tuple[np.ndarray, np.ndarray]:
        lineups, total = [], 0
        for lister in self.listers:
            if lister.bound < threshold - 1e-7 or lister.best < threshold - 1e-7:
                continue
            _, rows = lister.lineups_above(threshold)
            total += len(rows)
            if total > MAX_LISTED:
                raise TooManyLineups(f"more than {MAX_LISTED:,} lineups to list")
            lineups.append(rows)
        if not lineups or total == 0:
            return np.zeros(0), np.zeros((0, self.rules.size), dtype=np.int32)
        rows = np.vstack(lineups)
        if not self.disjoint:  # a lineup may meet the rule from two sets: keep it once
            flat = np.ascontiguousarray(rows).view(
                np.dtype((np.void, rows.itemsize * rows.shape[1]))
            )
            rows = rows[np.sort(np.unique(flat.ravel(), return_index=True)[1])]
        return self.points[rows].sum(axis=1), rows


def set_caps(sets: np.ndarray, groups) -> np.ndarray:
    """Per player set, the most of its players a lineup may hold by the static rows: the
    least upper bound of a row with nonnegative weights of at least 1 on every member (a
    team limit over a team's hitters); inf when no row holds a set."""
    caps = np.full(len(sets), np.inf)
    for group in groups:
        matrix = group.matrix.toarray()
        if matrix.shape[1] != sets.shape[1]:
            continue  # columns are not players (the reference engine's slot columns)
        nonnegative = (matrix >= 0).all(axis=1) & np.isfinite(group.upper)
        for s, members in enumerate(sets):
            covers = nonnegative & (matrix[:, members] >= 1).all(axis=1)
            if covers.any():
                caps[s] = min(caps[s], float(np.min(np.asarray(group.upper)[covers])))
    return caps
