"""Contest payout tables: the prize of every finishing rank (a leaf module: the settings
type ``lineups.contest.payout`` from its registry).

The prize pool is ``(1 - rake) × entry fee × field size``.

* ``top_heavy`` (a guaranteed-prize tournament): the top ``TOP_HEAVY_PAID`` of the field
  is paid; the last paid place wins ``TOP_HEAVY_MIN_CASH`` × the fee and prizes grow as a
  power law ``a + b·rank^-alpha`` towards first place (with a 10,000-entry field first
  place takes ~12% of the pool, as in the sites' large GPPs).
* ``double_up``: as many places as the pool pays at twice the fee, each 2 × fee.
* ``custom``: ``lineups.contest.prizes``, a list of ``{first, last, prize}`` rank ranges.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

TOP_HEAVY_PAID = 0.2  # share of the field paid
TOP_HEAVY_MIN_CASH = 2.0  # the last paid place's prize, in entry fees
TOP_HEAVY_ALPHA = 1.2  # the power law's exponent


def prize_pool(field_size: int, fee: float, rake: float) -> float:
    return (1.0 - rake) * fee * field_size


def top_heavy(field_size: int, fee: float, rake: float) -> np.ndarray:
    pool = prize_pool(field_size, fee, rake)
    paid = max(1, round(TOP_HEAVY_PAID * field_size))
    least = min(TOP_HEAVY_MIN_CASH * fee, pool / paid)
    ranks = np.arange(1, paid + 1, dtype=float)
    decay = ranks**-TOP_HEAVY_ALPHA
    # a + b·decay with the last place at `least` and the prizes summing to the pool
    spread = decay.sum() - paid * decay[-1]
    b = (pool - paid * least) / spread if spread > 0 else 0.0
    prizes = least + b * (decay - decay[-1])
    return np.concatenate([prizes, np.zeros(field_size - paid)])


def double_up(field_size: int, fee: float, rake: float) -> np.ndarray:
    paid = min(field_size, int(prize_pool(field_size, fee, rake) // (2 * fee)))
    return np.concatenate([np.full(paid, 2.0 * fee), np.zeros(field_size - paid)])


def custom(field_size: int, ranges: list[tuple[int, int, float]]) -> np.ndarray:
    prizes = np.zeros(field_size)
    for first, last, prize in ranges:
        prizes[first - 1 : last] = prize
    return prizes


# The registry of payout presets (``custom`` reads lineups.contest.prizes).
PAYOUTS: dict[str, Callable[[int, float, float], np.ndarray]] = {
    "top_heavy": top_heavy,
    "double_up": double_up,
}
CUSTOM = "custom"
