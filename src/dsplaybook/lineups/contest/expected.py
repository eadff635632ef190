"""Expected payout of lineups against a simulated field, and the greedy portfolio.

Scores are integer hundredths of a point (fantasy points are scored to 0.01), so a
lineup the field also plays ties it exactly, whatever the order of the sums. In one
simulated slate an entry with ``a`` entries strictly above it and ``t`` others tied with
it takes ranks a+1 … a+t+1 and the sites split those ranks' prizes evenly:
``payout = (P(a + t + 1) - P(a)) / (t + 1)`` with ``P`` the cumulative prize of the
first ranks (linear between ranks, so a sampled field standing for a larger one — each
opponent counting ``weight`` times — gives fractional counts).

Our entries compete with each other: the greedy (Haugh & Singal's multiple-entry
greedy) adds the candidate with the largest gain in *total* expected payout, its own
payout among the field and our earlier entries minus what it takes from those entries
(each one it beats moves down a rank, each one it ties splits once more).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

SCORE_UNIT = 100  # hundredths of a point
SEARCH_CELLS = 4_000_000  # sorted values searched at once (memory bound)


def integer_points(player_scores: np.ndarray) -> np.ndarray:
    """Hundredths of a point as int32 (a lineup of 9 scores far below 2^31 hundredths)."""
    return np.rint(np.asarray(player_scores) * SCORE_UNIT).astype(np.int32)


def lineup_points(points: np.ndarray, lineups: np.ndarray) -> np.ndarray:
    """(sims, lineups) integer scores of ``lineups`` (rows of player indices)."""
    total = np.zeros((len(points), len(lineups)), dtype=points.dtype)
    for k in range(lineups.shape[1]):
        total += points[:, lineups[:, k]]
    return total


def _row_search(
    sorted_rows: np.ndarray, values: np.ndarray, side: Literal["left", "right"]
) -> np.ndarray:
    """Per row s, how many of sorted_rows[s] are < values[s] ('left') or <= ('right')."""
    n_rows, width = sorted_rows.shape
    out = np.zeros(values.shape, dtype=np.int64)
    if width == 0:
        return out
    low = min(int(sorted_rows.min()), int(values.min()))
    span = max(int(sorted_rows.max()), int(values.max())) - low + 1
    step = max(1, SEARCH_CELLS // width)
    for start in range(0, n_rows, step):
        rows = slice(start, min(n_rows, start + step))
        offset = (np.arange(rows.stop - rows.start, dtype=np.int64) * span)[:, None]
        flat = (sorted_rows[rows].astype(np.int64) - low + offset).ravel()
        found = np.searchsorted(
            flat, (values[rows].astype(np.int64) - low + offset).ravel(), side=side
        )
        out[rows] = found.reshape(values[rows].shape) - offset // span * width
    return out


@dataclass(frozen=True)
class Standing:
    """Field entries strictly above and tied with each lineup, per slate (weighted)."""

    above: np.ndarray
    tied: np.ndarray


def field_standing(field_sorted: np.ndarray, scores: np.ndarray, weight: float) -> Standing:
    """``field_sorted``: (sims, opponents) opponent scores sorted per slate."""
    below = _row_search(field_sorted, scores, "left")
    up_to = _row_search(field_sorted, scores, "right")
    width = field_sorted.shape[1]
    # float32: counts × weight, exact for whole weights, and half the memory
    return Standing(
        ((width - up_to) * weight).astype(np.float32), ((up_to - below) * weight).astype(np.float32)
    )


class PrizeCurve:
    """Prizes by rank, with ties split."""

    def __init__(self, prizes: np.ndarray):
        self.prizes = np.concatenate([np.asarray(prizes, float), [0.0]])
        self.cumulative = np.concatenate([[0.0], np.cumsum(self.prizes)])
        self.last = len(self.prizes) - 1

    def _total(self, ranks: np.ndarray) -> np.ndarray:
        """Prizes of the first ``ranks`` ranks, linear in between (np.interp's values, by
        a gather instead of its binary search: the greedy's hot spot)."""
        ranks = np.clip(ranks, 0.0, self.last)
        whole = ranks.astype(np.int64)
        return self.cumulative[whole] + (ranks - whole) * self.prizes[whole]

    def payout(self, above: np.ndarray, tied: np.ndarray) -> np.ndarray:
        return (self._total(above + tied + 1.0) - self._total(above)) / (tied + 1.0)


def own_counts(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each entry of a set (sims, k): how many others score above it, and tie it."""
    above = (scores[:, None, :] > scores[:, :, None]).sum(axis=2)
    tied = (scores[:, None, :] == scores[:, :, None]).sum(axis=2) - 1
    return above, tied


def entry_payouts(scores: np.ndarray, standing: Standing, curve: PrizeCurve) -> np.ndarray:
    """(sims, k) payout of each of our k entries, ranked among the field and each other."""
    out = np.zeros(scores.shape)
    step = max(1, SEARCH_CELLS // max(1, scores.shape[1] ** 2))
    for start in range(0, len(scores), step):
        rows = slice(start, start + step)
        above, tied = own_counts(scores[rows])
        out[rows] = curve.payout(standing.above[rows] + above, standing.tied[rows] + tied)
    return out


def _losses(
    scores: np.ndarray, if_beaten: np.ndarray, if_tied: np.ndarray, values: np.ndarray
) -> np.ndarray:
    """Per slate and value: the sum of ``if_beaten`` over entries scoring strictly below
    it plus the sum of ``if_tied`` over entries scoring equal."""
    order = np.argsort(scores, axis=1, kind="stable")
    ordered = np.take_along_axis(scores, order, axis=1)
    zero = np.zeros((len(scores), 1))

    def cumulative(weights: np.ndarray) -> np.ndarray:
        return np.concatenate([zero, np.cumsum(np.take_along_axis(weights, order, 1), 1)], 1)

    below = _row_search(ordered, values, "left")
    up_to = _row_search(ordered, values, "right")
    beaten, tied = cumulative(if_beaten), cumulative(if_tied)
    return (
        np.take_along_axis(beaten, below, axis=1)
        + np.take_along_axis(tied, up_to, axis=1)
        - np.take_along_axis(tied, below, axis=1)
    )


@dataclass(frozen=True)
class Greedy:
    order: list[int]  # candidate indices in the order chosen
    gains: list[float]  # expected total payout each pick added


def greedy_portfolio(
    scores: np.ndarray,
    standing: Standing,
    curve: PrizeCurve,
    n: int,
    blocked: Callable[[list[int]], np.ndarray] | None = None,
    shortlist: int | None = None,
) -> Greedy:
    """Pick ``n`` of the candidates (columns of ``scores``) one by one, each maximising
    the portfolio's expected total payout (exact on these slates); ``blocked(order)``
    masks candidates the rules no longer allow.

    Only a shortlist is weighed: the ``shortlist`` best by expected payout alone, the next
    ones joining when the rules have ruled out all of it. Candidates chosen or ruled out
    are dropped from the working arrays, so each step costs what is still in play."""
    alone = np.concatenate(
        [  # in column blocks: payout's float64 temporaries of the whole would be large
            curve.payout(standing.above[:, c : c + 500], standing.tied[:, c : c + 500]).mean(0)
            for c in range(0, scores.shape[1], 500)
        ]
    )
    waiting = np.argsort(-alone, kind="stable")  # best alone first
    step = len(waiting) if shortlist is None else shortlist
    order: list[int] = []
    gains: list[float] = []
    live = np.zeros(0, dtype=np.int64)
    while len(order) < n:
        if not len(live):  # (re)fill the shortlist with the best still allowed
            if blocked is not None and order:
                waiting = waiting[~blocked(order)[waiting]]
            waiting = waiting[~np.isin(waiting, order)]
            if not len(waiting):
                break
            live, waiting = np.sort(waiting[:step]), waiting[step:]
            x, above, tied = scores[:, live], standing.above[:, live], standing.tied[:, live]
            own_above = np.zeros(x.shape, dtype=np.float32)  # counts: exact in float32
            own_tied = np.zeros(x.shape, dtype=np.float32)
            for j in order:
                own_above += scores[:, [j]] > x
                own_tied += scores[:, [j]] == x
        value = curve.payout(above + own_above, tied + own_tied).mean(axis=0)
        if order:
            mine = scores[:, order]
            over, level = own_counts(mine)
            a = standing.above[:, order] + over
            t = standing.tied[:, order] + level
            base = curve.payout(a, t)
            # what each earlier entry loses when the candidate beats it / ties it
            beaten, tying = curve.payout(a + 1.0, t) - base, curve.payout(a, t + 1.0) - base
            value = value + _losses(mine, beaten, tying, x).mean(axis=0)
        best = int(np.argmax(value))  # ties -> lowest index: deterministic
        order.append(int(live[best]))
        gains.append(float(value[best]))
        keep = np.ones(len(live), dtype=bool)
        keep[best] = False
        if blocked is not None:
            keep &= ~blocked(order)[live]
        chosen = x[:, [best]]
        own_above = (own_above + (chosen > x))[:, keep]
        own_tied = (own_tied + (chosen == x))[:, keep]
        live, x, above, tied = live[keep], x[:, keep], above[:, keep], tied[:, keep]
    return Greedy(order, gains)
