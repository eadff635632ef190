"""The default engine: the exact sequence read off a ranked list of lineups.

Lineup k of the exact sequence is the best lineup that meets the static rules, shares at
most ``limit`` players with each earlier lineup and uses nobody at his exposure cap. Those
rules only accumulate, so a lineup ruled out once stays out: walking every lineup in
decreasing points (ties: smallest player tuple first) and keeping each one still allowed
*is* the exact sequence. Only lineups above a threshold are listed; when the walk runs
out before ``n_lineups``, the threshold goes down and the next band is listed.

Listing: players are grouped by the slot groups they may fill (``PG/SG`` is its own
class); a lineup is a count per class that the slots can hold (checked by matching) and
that many players of each class. Lineups grow one player at a time, kept only while a
knapsack table says the best completion under the cap still reaches T (so the work
follows the length of the list); a Lagrangian bound on salary (points - λ·salary, λ
minimising it) first skips the count vectors that cannot reach T. Static rules (locks,
stacking, team limits, …) are checked on the listed lineups with the formulation's own
rows.

Measured (docs/benchmarks.md): 150 lineups in ~1 s on 500-600-player NFL pools and ~3 s
on a DraftKings NBA slate. A list too long for memory (MAX_LISTED) hands the rest of the
sequence to the HiGHS back end (stacking with low exposure, a poor locked player).
"""

from __future__ import annotations

import functools
import gc
import logging
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from dsplaybook.lineups.formulation import Anchors, EngineInputs
from dsplaybook.lineups.rosters import RosterRules
from dsplaybook.lineups.sequential import HighsSequence

log = logging.getLogger("dsplaybook")

# Lineups one listing may hold (~100 bytes each with its intermediates); beyond it the
# HiGHS back end takes over.
MAX_LISTED = 2_000_000
GROW_CHUNK = 100_000  # partial lineups extended (or lineups checked) at once
FIRST_BAND = 0.02  # the first listing: within 2% of the best lineup; then 4%, 8%, …
SCAN_CHUNK = 4096
CACHED_TABLES = 256  # knapsack tables kept (each ~0.5 MB on DraftKings NBA)
# formulation groups every listed lineup meets by construction (milp.GROUP_FIXES names)
BUILT_IN = ("roster size and positions", "salary cap")


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
) -> PlayerClasses:
    """Classes of players by eligible slot groups, and every per-class count vector that
    fills the roster (Kuhn matching on one representative position per class).

    ``tags`` (a bit mask per player, 0 for none) split classes further, and a count
    vector must take at least ``needs[b]`` players whose tag has bit b: how an anchored
    rule ("this QB with 2 receivers of his team") and a required player are built into
    the listing."""
    tags = np.zeros(len(positions), dtype=int) if tags is None else tags
    eligible = [
        (frozenset(rules.groups_for(p)), int(t)) for p, t in zip(positions, tags, strict=True)
    ]
    kinds = sorted(
        {e for e, ok in zip(eligible, usable, strict=True) if e[0] and ok},
        key=lambda k: (sorted(k[0]), k[1]),
    )
    members = [
        np.flatnonzero([e == k and ok for e, ok in zip(eligible, usable, strict=True)])
        for k in kinds
    ]
    example = [str(positions.iloc[m[0]]) for m in members]
    # a class cannot fill more slots than the groups it may go to
    room = [
        min(len(m), sum(rules.slots[g].count for g in k[0]))
        for m, k in zip(members, kinds, strict=True)
    ]
    vectors = _count_vectors(rules, tuple(kinds), tuple(room), tuple(example), tuple(needs))
    return PlayerClasses(members, np.array(vectors, dtype=int).reshape(-1, len(kinds)))


@functools.lru_cache(maxsize=64)
def _count_vectors(
    rules: RosterRules,
    kinds: tuple[tuple[frozenset, int], ...],
    room: tuple[int, ...],
    example: tuple[str, ...],
    needs: tuple[int, ...],
) -> tuple[tuple[int, ...], ...]:
    """Per-class counts that fill the roster and meet ``needs``. The same for every QB of
    an anchored listing (classes alike, members differ), hence the cache; ``example`` (a
    position per class) only stands for its class's eligibility."""
    tag_of = [k[1] for k in kinds]
    vectors: list[tuple[int, ...]] = []

    def extend(i: int, left: int, counts: list[int]) -> None:
        if i == len(kinds):
            for bit, need in enumerate(needs):
                if (
                    need
                    and sum(n for n, tag in zip(counts, tag_of, strict=True) if tag >> bit & 1)
                    < need
                ):
                    return
            chosen = [example[c] for c, n in enumerate(counts) for _ in range(n)]
            if left == 0 and rules.assign_slots(chosen) is not None:
                vectors.append(tuple(counts))
            return
        for n in range(min(left, room[i]) + 1):
            extend(i + 1, left - n, [*counts, n])

    extend(0, rules.size, [])
    # the last classes vary slowest, so consecutive vectors share the knapsack tables of
    # their last classes (LineupLister's cache)
    vectors.sort(key=lambda counts: counts[::-1])
    return tuple(vectors)


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
    table = np.full((m + 1, count + 1, width), -np.inf)
    table[:, 0, :] = after
    for k in range(m - 1, -1, -1):
        table[k, 1:] = table[k + 1, 1:]
        c = int(cost[k])
        if c < width:
            take = gain[k] + table[k + 1, :-1, : width - c]
            table[k, 1:, c:] = np.maximum(table[k, 1:, c:], take)
    return table


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
                anchors.tags[q] | extra,
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
            best = -np.inf
            for lister in sorted(self.listers.values(), key=lambda x: -x.bound):
                if lister.bound < best:
                    break
                best = max(best, lister.best)
            self._best = best
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


class Walk:
    """The ranked list walked once, best first, for lineups that draw from every one of
    ``required`` (none: the main sequence). Everything the walk skips is ruled out for
    good (overlap and caps only accumulate), and so is everything above the threshold;
    with a fixed requirement, the first lineup still allowed is the exact answer."""

    def __init__(self, sequence: RankedSequence, required: tuple[np.ndarray, ...] = ()):
        self.seq, self.required = sequence, required
        self.lister = sequence._lister(sequence.usable & ~sequence.exhausted, required)
        self.relist = False  # players were exhausted since: list afresh without them
        self.threshold = np.inf  # every lineup at or above it has been listed
        self.band = max(abs(self.lister.best), 1.0) * FIRST_BAND
        self.points, self.lineups, self.cursor = np.zeros(0), np.zeros((0, 0), int), 0
        self.listings = 0

    def _list_next_band(self) -> bool:
        """List the lineups just below the threshold; False once everything is listed."""
        seq = self.seq
        if self.relist:
            self.lister = seq._lister(seq.usable & ~seq.exhausted, self.required)
            self.relist, self.threshold = False, np.inf
            self.band = max(abs(self.lister.best), 1.0) * FIRST_BAND
            log.info("listing afresh without %d exhausted players", int(seq.exhausted.sum()))
        if not np.isfinite(self.lister.best) or self.threshold == -np.inf:
            return False
        new = self.lister.best - self.band
        if new <= seq.lowest:  # below any lineup: this listing is the last
            new = -np.inf
        points, lineups = self.lister.lineups_above(new)
        self.listings += 1
        band = points < self.threshold
        points, lineups = points[band], lineups[band]
        ok = seq._static_ok(lineups) if len(lineups) else np.zeros(0, dtype=bool)
        points, lineups = points[ok], lineups[ok]
        order = np.lexsort((*lineups.T[::-1], -points)) if len(points) else np.zeros(0, int)
        self.points, self.lineups, self.cursor = points[order], lineups[order], 0
        log.info(
            "listing %d%s: %d lineups from %.4f down to %.4f",
            self.listings,
            " (with a required player)" if self.required else "",
            len(points),
            self.threshold,
            new,
        )
        self.threshold, self.band = new, self.band * 2
        return True

    def allowed(self, block: np.ndarray) -> np.ndarray:
        seq = self.seq
        ok = ~seq.exhausted[block].any(axis=1)
        if seq.member.shape[1]:
            ok &= (seq.member[block].sum(axis=1) <= seq.limit).all(axis=1)
        return ok

    def next(self) -> np.ndarray | None:
        """The next lineup still allowed; None once no lineup is left. Raises
        TooManyLineups."""
        while True:
            while self.cursor < len(self.points):
                end = min(len(self.points), self.cursor + SCAN_CHUNK)
                hits = np.flatnonzero(self.allowed(self.lineups[self.cursor : end]))
                if len(hits):
                    pick = self.cursor + int(hits[0])
                    self.cursor = pick + 1
                    return self.lineups[pick]
                self.cursor = end
            if not self._list_next_band():
                return None

    def peek_with(self, required: list[np.ndarray]) -> np.ndarray | None:
        """The first allowed lineup from the cursor on that meets ``required``, without
        moving the walk on (None when the listing in memory has none)."""
        for start in range(self.cursor, len(self.points), SCAN_CHUNK):
            block = self.lineups[start : start + SCAN_CHUNK]
            ok = self.allowed(block)
            for players in required:
                ok &= np.isin(block, players).any(axis=1)
            hits = np.flatnonzero(ok)
            if len(hits):
                return block[int(hits[0])]
        return None


class RankedSequence:
    """The sequence interface of milp.optimize_lineups over a ranked list of lineups."""

    def __init__(self, inputs: EngineInputs):
        self.inputs = inputs
        self.f, self.limit, self.gap = inputs.formulation, inputs.limit, inputs.gap
        pool, rules = inputs.pool, inputs.rules
        n = len(pool)
        # players a static row fixes to 0 (x <= 0: excluded, ineligible) never enter the
        # listing
        usable = np.ones(n, dtype=bool)
        for group in self.f.groups.values():
            matrix = group.matrix
            single = np.flatnonzero((np.diff(matrix.indptr) == 1) & (group.upper <= 0))
            for r in single:
                if matrix.data[matrix.indptr[r]] > 0:
                    usable[matrix.indices[matrix.indptr[r]]] = False
        points = pool["projection"].to_numpy(float)
        self.usable = usable
        self.n_players = n
        self.lowest = rules.size * float(points.min(initial=0.0)) - 1.0
        self.member = np.zeros((n, 0), dtype=bool)  # players × chosen lineups
        self.exhausted = np.zeros(n, dtype=bool)
        self.chosen: list[np.ndarray] = []
        self.main = Walk(self)
        # lineups min exposure requires a player (or a team) in: a walk of their own per
        # requirement (the same player is often required for the last lineups in a row)
        self.required_walks: dict[tuple, Walk] = {}
        self.fallback: HighsSequence | None = None
        # the HiGHS model kept level with the sequence, for what a listing cannot hold
        self.helper: HighsSequence | None = None

    def _lister(
        self, usable: np.ndarray, required: tuple[np.ndarray, ...] = ()
    ) -> LineupLister | AnchoredLister:
        """A lister over ``usable`` players; each required set is one more tag bit (after
        the anchors' two) that a lineup needs one player of."""
        pool, rules = self.inputs.pool, self.inputs.rules
        extra = np.zeros(len(pool), dtype=int)
        for r, players in enumerate(required):
            extra[players] |= 1 << (2 + r)
        extra_needs = (1,) * len(required)
        if self.f.anchors is not None:
            return AnchoredLister(self.f.anchors, usable, pool, rules, extra, extra_needs)
        return LineupLister(
            player_classes(
                pool["position"],
                rules,
                usable,
                extra if required else None,
                (0, 0, *extra_needs) if required else (),
            ),
            pool["projection"].to_numpy(float),
            pool["salary"].to_numpy(float),
            rules.salary_cap,
        )

    @property
    def solver_runs(self) -> int:
        return sum(
            e.solver_runs for e in {id(e): e for e in (self.fallback, self.helper) if e}.values()
        )

    def _static_ok(self, lineups: np.ndarray) -> np.ndarray:
        """Lineups that meet the static rows the listing does not build in."""
        ok = np.ones(len(lineups), dtype=bool)
        checked = [g for name, g in self.f.groups.items() if name not in BUILT_IN]
        for start in range(0, len(lineups), GROW_CHUNK):  # bounded memory
            block = lineups[start : start + GROW_CHUNK]
            rows = np.repeat(np.arange(len(block)), block.shape[1])
            chosen = sparse.csr_matrix(
                (np.ones(block.size), (rows, block.ravel())), shape=(len(block), self.n_players)
            )
            for group in checked:
                activity = (chosen @ group.matrix.T).toarray()
                fits = (activity >= group.lower - 1e-9) & (activity <= group.upper + 1e-9)
                ok[start : start + len(block)] &= fits.all(axis=1)
            for choice in self.f.choices.values():
                ok[start : start + len(block)] &= choice.holds(chosen)
        return ok

    def _helper(self) -> HighsSequence:
        if self.helper is None:
            self.helper = HighsSequence(self.inputs)
            exhausted = np.flatnonzero(self.exhausted)
            for players in self.chosen:
                self.helper.add_lineup(players, exhausted)
        return self.helper

    def set_points(self, points: np.ndarray) -> None:
        """Projection noise: the ranked list holds one order only, so HiGHS takes over."""
        if self.fallback is None:
            self._hand_over()
        self.fallback.set_points(points)

    def _required_lineup(self, required: list[np.ndarray]) -> np.ndarray | None:
        players = self.main.peek_with(required)
        if players is not None:
            return players
        key = tuple(tuple(sorted(int(i) for i in r)) for r in required)
        try:
            if key not in self.required_walks:
                self.required_walks[key] = Walk(self, tuple(np.array(k) for k in key))
            return self.required_walks[key].next()
        except TooManyLineups as err:
            log.info("%s with a required player: HiGHS answers this lineup", err)
            self.required_walks.pop(key, None)
            found = self._helper().next_lineup(required)
            return None if found is None else found[0]

    def next_lineup(self, required: list[np.ndarray] = ()) -> tuple[np.ndarray, np.ndarray] | None:
        if self.fallback is None:
            try:
                players = (
                    self._required_lineup(list(required)) if len(required) else self.main.next()
                )
            except TooManyLineups as err:
                log.info("%s: HiGHS builds the rest of the sequence", err)
                self._hand_over()
            else:
                if players is None:
                    return None
                return players, np.full(len(players), -1)
        return self.fallback.next_lineup(required)

    def _hand_over(self) -> None:
        self.fallback = self._helper()

    def add_lineup(self, players: np.ndarray, exhausted: np.ndarray) -> None:
        self.chosen.append(players)
        if self.helper is not None:
            self.helper.add_lineup(players, exhausted)
        if self.fallback is not None:
            return
        column = np.zeros((self.n_players, 1), dtype=bool)
        column[players] = True
        self.member = np.hstack([self.member, column])
        if (~self.exhausted[exhausted]).any():
            for walk in (self.main, *self.required_walks.values()):
                walk.relist = True
        self.exhausted[exhausted] = True


def top_lineups(inputs: EngineInputs, count: int) -> np.ndarray:
    """The ``count`` best lineups by projection that meet the static rules (exact, best
    first, ties by player tuple), as rows of sorted player indices; fewer when the pool
    holds fewer or a band is too long to list (MAX_LISTED)."""
    walk = RankedSequence(inputs).main
    found, total = [], 0
    try:
        while total < count:
            if total:  # deepen by what the count so far suggests, not 2× (memory)
                depth = walk.lister.best - walk.threshold
                walk.band = depth * min(2.0, max(1.1, (count / total) ** (1 / 3)))
            if not walk._list_next_band():
                break
            found.append(walk.lineups)
            total += len(walk.lineups)
    except TooManyLineups as err:
        log.info("%s: %d candidates listed", err, total)
    # the walk and its sequence refer to each other: free their knapsack tables now, not
    # at the next collection (gc counts objects, not bytes)
    del walk
    gc.collect()
    if not total:
        return np.zeros((0, inputs.rules.size), dtype=np.int64)
    return np.vstack([f for f in found if len(f)])[:count].astype(np.int64)
