"""Rules that sound combinatorial, written as linear rows on player usage: Hall's
condition on the slot groups (a lineup of players fits the slots) and covers (players
from at least k teams or games)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

from dsplaybook.errors import ConfigError
from dsplaybook.lineups.rosters import RosterRules

# Rows a "players from at least k teams/games" rule may need (one per k-1 of them).
MAX_COVER_ROWS = 50_000


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
    lower: list[float] = [rules.size]
    upper: list[float] = [rules.size]
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
