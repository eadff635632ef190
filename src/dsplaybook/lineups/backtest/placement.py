"""Our lineups placed in a real contest's standings: entries with equal points share the
places they span and split those places' prizes equally (DraftKings' rule for ties), our
entries competing with the field and with each other. The contest grows by our entries;
the payout table is the contest's own."""

from __future__ import annotations

import numpy as np


def tied_payouts(points: np.ndarray, prize: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For every entry (``points``, any order): its place (1 + entries strictly ahead)
    and its payout: the mean prize of the places its group of equal scores spans.
    ``prize[k]`` is place k+1's prize; places beyond it pay 0."""
    points = np.asarray(points, dtype=float)
    n = len(points)
    table = np.zeros(n)
    table[: min(n, len(prize))] = prize[:n]
    order = np.argsort(-points, kind="stable")
    ranked = points[order]
    starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    ends = np.r_[starts[1:], n]  # exclusive
    cumulative = np.r_[0.0, np.cumsum(table)]
    share = (cumulative[ends] - cumulative[starts]) / (ends - starts)
    group = np.repeat(np.arange(len(starts)), ends - starts)
    place = np.empty(n, dtype=int)
    payout = np.empty(n)
    place[order] = starts[group] + 1
    payout[order] = share[group]
    return place, payout


def place_among(ours: np.ndarray, field: np.ndarray, prize: np.ndarray) -> dict[str, np.ndarray]:
    """Our entries' places, payouts and percentiles in the field (share of the field's
    entries they beat, ties counted half)."""
    ours, field = np.asarray(ours, float), np.asarray(field, float)
    place, payout = tied_payouts(np.r_[field, ours], prize)
    below = np.searchsorted(np.sort(field), ours, side="left")
    level = np.searchsorted(np.sort(field), ours, side="right") - below
    percentile = (below + 0.5 * level) / max(len(field), 1)
    return {"place": place[len(field) :], "payout": payout[len(field) :], "percentile": percentile}
