"""The lineup engines behind one interface: each is built from the same arguments and
hands over the exact sequence one lineup at a time.

* ``ranked`` (the default, :mod:`.ranked`, listing in :mod:`.listing`): every lineup
  above a falling threshold, walked best first; hands over to ``highs`` past MAX_LISTED
  lineups.
* ``highs`` (:mod:`.highs`): one HiGHS model kept alive along the sequence, one column
  per player; ``lineups.mip_gap`` applies to it.

The independent reference the tests compare both with (a fresh cvxpy problem per lineup
over one column per (player, slot)) lives in ``tests/cvxpy_reference.py``: an ``Engine``
too, passed to ``optimize_lineups`` directly, and never shipped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from dsplaybook.lineups.engines.highs import HighsSequence
from dsplaybook.lineups.engines.ranked import RankedSequence
from dsplaybook.lineups.formulation import EngineInputs


@runtime_checkable
class LineupEngine(Protocol):
    """What ``optimize.optimize_lineups`` asks of an engine."""

    @property
    def solver_runs(self) -> int:
        """Lineups a MIP solve had to prove."""

    def next_lineup(
        self, required: Sequence[np.ndarray] = ()
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """The best lineup the rules still allow (pool rows, their slot groups or -1), or
        None when there is none; ``required``: player sets it must draw one player from."""

    def set_points(self, points: np.ndarray) -> None:
        """Score the lineups from now on with these per-player points (projection noise)."""

    def add_lineup(self, players: np.ndarray, exhausted: np.ndarray) -> None:
        """``players`` is taken; ``exhausted`` players reached their exposure cap."""


EngineBuilder = Callable[[EngineInputs], LineupEngine]


@dataclass(frozen=True)
class Engine:
    build: EngineBuilder
    by_slot: bool  # its formulation has one column per (player, slot), not per player


# The registry of engines (``optimize_lineups(engine=...)`` takes a name or an Engine).
ENGINES: dict[str, Engine] = {
    "ranked": Engine(RankedSequence, by_slot=False),
    "highs": Engine(HighsSequence, by_slot=False),
}
