"""Seeded projection noise: each lineup of a run scores players with its own draw, so a
set of lineups is diverse, and the same seed gives the same set."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dsplaybook.errors import ConfigError
from dsplaybook.lineups.settings import Randomness


def lineup_points(pool: pd.DataFrame, randomness: Randomness, seed: int, k: int) -> np.ndarray:
    """Per-player points lineup ``k`` (0-based) is chosen by: the projection times
    ``1 + sd·z`` (z standard normal), or with ``use_range`` a triangular draw on the pool's
    floor … ceiling peaked at the projection. Depends only on (seed, k)."""
    projection = pool["projection"].to_numpy(float)
    rng = np.random.default_rng([seed, k])
    if not randomness.use_range:
        return projection * (1.0 + randomness.sd * rng.standard_normal(len(projection)))
    if "floor" not in pool or "ceiling" not in pool:
        raise ConfigError(
            "config: key 'lineups.randomness.use_range': the pool has no floor/ceiling; set "
            "lineups.floor_column and lineups.ceiling_column to its columns"
        )
    low, high = pool["floor"].to_numpy(float), pool["ceiling"].to_numpy(float)
    spread = high > low
    # numpy's triangular needs left < right; a player with no range keeps his projection
    draw = rng.triangular(
        np.where(spread, low, 0.0), np.where(spread, projection, 0.5), np.where(spread, high, 1.0)
    )
    return np.where(spread, draw, projection)
