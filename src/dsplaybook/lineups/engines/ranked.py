"""The default engine: the exact sequence read off a ranked list of lineups.

Lineup k of the exact sequence is the best lineup that meets the static rules, shares at
most ``limit`` players with each earlier lineup and uses nobody at his exposure cap. Those
rules only accumulate, so a lineup ruled out once stays out: walking every lineup in
decreasing points (ties: smallest player tuple first) and keeping each one still allowed
*is* the exact sequence. Only lineups above a threshold are listed (:mod:`.listing`);
when the walk runs out before ``n_lineups``, the threshold goes down and the next band
is listed. Static rules (locks, stacking, team limits, …) are checked on the listed
lineups with the formulation's own rows.

Measured (docs/benchmarks.md): 150 lineups in ~1 s on 500-600-player NFL pools and ~3 s
on a DraftKings NBA slate. A list too long for memory (MAX_LISTED) hands the rest of the
sequence to the HiGHS back end (stacking with low exposure, a poor locked player).
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from dsplaybook.lineups.engines.highs import HighsSequence
from dsplaybook.lineups.engines.listing import (
    GROW_CHUNK,
    AnchoredLister,
    ChoiceLister,
    LineupLister,
    TooManyLineups,
    player_classes,
    set_caps,
)
from dsplaybook.lineups.formulation import EngineInputs

log = logging.getLogger("dsplaybook")

FIRST_BAND = 0.02  # the first listing: within 2% of the best lineup; then 4%, …
# each later listing aims at about GROWTH times the lineups listed so far (the count grows
# like a power of the depth below the best, fitted on the last two listings): doubling
# the band blindly listed 1.2M lineups where ~100k were needed (MLB 5-hitter stack)
GROWTH = 4.0
SCAN_CHUNK = 4096
# formulation groups every listed lineup meets by construction (optimize.GROUP_FIXES names)
BUILT_IN = ("roster size and positions", "salary cap")


class Walk:
    """The ranked list walked once, best first, for lineups that draw from every one of
    ``required`` (none: the main sequence). Everything the walk skips is ruled out for
    good (overlap and caps only accumulate), and so is everything above the threshold;
    with a fixed requirement, the first lineup still allowed is the exact answer."""

    def __init__(self, sequence: RankedSequence, required: tuple[np.ndarray, ...] = ()):
        self.seq, self.required = sequence, required
        self.lister = sequence.lister(sequence.usable & ~sequence.exhausted, required)
        self.relist = False  # players were exhausted since: list afresh without them
        self.threshold = np.inf  # every lineup at or above it has been listed
        self.band = max(abs(self.lister.best), 1.0) * FIRST_BAND
        self.points, self.lineups, self.cursor = np.zeros(0), np.zeros((0, 0), int), 0
        self.listings = 0
        self.history: list[tuple[float, int]] = []  # (depth below the best, lineups listed)

    def _grown_band(self) -> float:
        """The next depth below the best: doubled, or (after two listings) the depth
        expected to list about GROWTH times as many lineups."""
        if len(self.history) < 2 or min(n for _, n in self.history[-2:]) <= 0:
            return self.band
        (d1, n1), (d2, n2) = self.history[-2:]
        if d2 <= d1 or n2 <= n1:
            return self.band
        power = float(np.clip(np.log(n2 / n1) / np.log(d2 / d1), 1.0, 12.0))
        factor = float(np.clip(GROWTH ** (1 / power), 1.1, 3.0))
        return d2 * factor

    def list_next_band(self, band: float | None = None) -> bool:
        """List the lineups just below the threshold (``band`` deeper, or the walk's own
        doubling band); False once everything is listed."""
        seq = self.seq
        if band is not None:
            self.band = band
        if self.relist:
            self.lister = seq.lister(seq.usable & ~seq.exhausted, self.required)
            self.relist, self.threshold = False, np.inf
            self.band = max(abs(self.lister.best), 1.0) * FIRST_BAND
            self.history = []
            log.info("listing afresh without %d exhausted players", int(seq.exhausted.sum()))
        if not np.isfinite(self.lister.best) or self.threshold == -np.inf:
            return False
        if band is None:
            self.band = self._grown_band()
        new: float = self.lister.best - self.band
        if new <= seq.lowest:  # below any lineup: this listing is the last
            new = -np.inf
        points, lineups = self.lister.lineups_above(new)
        self.listings += 1
        in_band = points < self.threshold
        points, lineups = points[in_band], lineups[in_band]
        ok = seq.static_ok(lineups) if len(lineups) else np.zeros(0, dtype=bool)
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
        listed = (self.history[-1][1] if self.history else 0) + len(points)
        self.history.append((self.lister.best - new, listed))
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
            if not self.list_next_band():
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
    """The sequence interface of optimize.optimize_lineups over a ranked list of lineups."""

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
        self.set_caps: np.ndarray | None = None  # the stack sets' caps, once needed
        self.lowest = rules.size * float(points.min(initial=0.0)) - 1.0
        self.member = np.zeros((n, 0), dtype=bool)  # players × chosen lineups
        self.exhausted = np.zeros(n, dtype=bool)
        self.chosen: list[np.ndarray] = []
        self.main = Walk(self)
        # lineups min exposure requires a player (or a team) in: a walk of their own per
        # requirement (the same player is often required for the last lineups in a row)
        self.required_walks: dict[tuple, Walk] = {}
        # one HiGHS model, built when first needed and kept level with the sequence: it
        # answers what a listing cannot hold, and the rest of the sequence once handed over
        self.highs: HighsSequence | None = None
        self.handed_over = False

    def lister(
        self, usable: np.ndarray, required: tuple[np.ndarray, ...] = ()
    ) -> LineupLister | AnchoredLister | ChoiceLister:
        """A lister over ``usable`` players; each required set is one more tag bit (after
        the anchors' two) that a lineup needs one player of. Without anchors, the most
        demanding Choice rule (a team or line stack) is built into the listing."""
        pool, rules = self.inputs.pool, self.inputs.rules
        extra = np.zeros(len(pool), dtype=int)
        for r, players in enumerate(required):
            extra[players] |= 1 << (2 + r)
        extra_needs = (1,) * len(required)
        if self.f.anchors is not None:
            return AnchoredLister(self.f.anchors, usable, pool, rules, extra, extra_needs)
        if self.f.choices:
            choice = max(self.f.choices.values(), key=lambda c: c.need)
            sets = choice.sets.toarray() > 0
            if self.set_caps is None:
                self.set_caps = set_caps(sets, self.f.groups.values())
            return ChoiceLister(
                sets, choice.need, self.set_caps, usable, pool, rules, extra, extra_needs
            )
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
        return self.highs.solver_runs if self.highs is not None else 0

    def static_ok(self, lineups: np.ndarray) -> np.ndarray:
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
                ok[start : start + len(block)] &= _rows_hold(chosen, group)
            for choice in self.f.choices.values():
                ok[start : start + len(block)] &= choice.holds(chosen)
        return ok

    def _highs(self) -> HighsSequence:
        """The HiGHS model, built level with the lineups chosen so far."""
        if self.highs is None:
            self.highs = HighsSequence(self.inputs)
            exhausted = np.flatnonzero(self.exhausted)
            for players in self.chosen:
                self.highs.add_lineup(players, exhausted)
        return self.highs

    def set_points(self, points: np.ndarray) -> None:
        """Projection noise: the ranked list holds one order only, so HiGHS takes over."""
        self.handed_over = True
        self._highs().set_points(points)

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
            found = self._highs().next_lineup(required)
            return None if found is None else found[0]

    def next_lineup(
        self, required: Sequence[np.ndarray] = ()
    ) -> tuple[np.ndarray, np.ndarray] | None:
        if not self.handed_over:
            try:
                players = (
                    self._required_lineup(list(required)) if len(required) else self.main.next()
                )
            except TooManyLineups as err:
                log.info("%s: HiGHS builds the rest of the sequence", err)
                self.handed_over = True
            else:
                if players is None:
                    return None
                return players, np.full(len(players), -1)
        return self._highs().next_lineup(required)

    def add_lineup(self, players: np.ndarray, exhausted: np.ndarray) -> None:
        self.chosen.append(players)
        if self.highs is not None:
            self.highs.add_lineup(players, exhausted)
        if self.handed_over:
            return
        column = np.zeros((self.n_players, 1), dtype=bool)
        column[players] = True
        self.member = np.hstack([self.member, column])
        if (~self.exhausted[exhausted]).any():
            for walk in (self.main, *self.required_walks.values()):
                walk.relist = True
        self.exhausted[exhausted] = True


def _rows_hold(chosen: sparse.csr_matrix, group) -> np.ndarray:
    """Whether each lineup (a row of ``chosen``) meets every row of ``group``. Rows that
    an empty lineup meets (lower <= 0 <= upper: caps, facing pairs) are checked on the
    nonzero activities only, so hundreds of pair rows cost no dense matrix."""
    lower = np.broadcast_to(np.asarray(group.lower, float), (group.matrix.shape[0],))
    upper = np.broadcast_to(np.asarray(group.upper, float), (group.matrix.shape[0],))
    zero_ok = (lower <= 1e-9) & (upper >= -1e-9)
    ok = np.ones(chosen.shape[0], dtype=bool)
    if zero_ok.any():
        activity = (chosen @ group.matrix[np.flatnonzero(zero_ok)].T).tocsr()
        row = np.repeat(np.arange(activity.shape[0]), np.diff(activity.indptr))
        low, high = lower[zero_ok][activity.indices], upper[zero_ok][activity.indices]
        bad = (activity.data < low - 1e-9) | (activity.data > high + 1e-9)
        ok[row[bad]] = False
    if (~zero_ok).any():
        rest = np.flatnonzero(~zero_ok)
        activity = (chosen @ group.matrix[rest].T).toarray()
        fits = (activity >= lower[rest] - 1e-9) & (activity <= upper[rest] + 1e-9)
        ok &= fits.all(axis=1)
    return ok


def top_lineups(inputs: EngineInputs, count: int) -> np.ndarray:
    """The ``count`` best lineups by projection that meet the static rules (exact, best
    first, ties by player tuple), as rows of sorted player indices; fewer when the pool
    holds fewer or a band is too long to list (MAX_LISTED)."""
    walk = RankedSequence(inputs).main
    found, total = [], 0
    try:
        while total < count:
            band = None
            if total:  # deepen by what the count so far suggests, not 2× (memory)
                depth = walk.lister.best - walk.threshold
                band = depth * min(2.0, max(1.1, (count / total) ** (1 / 3)))
            if not walk.list_next_band(band):
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
