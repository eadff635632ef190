"""The whole ``lineups:`` config section: the parts' settings (pools, rules, simulation,
late swap, the bookcase LP) and the contest's, composed in one model."""

from __future__ import annotations

from pydantic import Field, model_validator

from dsplaybook.config import block
from dsplaybook.errors import ConfigError
from dsplaybook.lineups.backtest.settings import Backtest
from dsplaybook.lineups.contest.settings import Contest
from dsplaybook.lineups.settings import (
    ROSTER_HELP,
    Bookcases,
    LateSwap,
    LineupSettings,
    PoolEntry,
    PoolSettings,
    Roster,
    Simulation,
)


class Lineups(PoolSettings, LineupSettings):
    """Fantasy lineups from site exports, and the bookcase LP."""

    bookcases: Bookcases = block(Bookcases)
    pools: dict[str, str | PoolEntry] = Field(
        default_factory=lambda: dict[str, str | PoolEntry](demo_synthetic=""),
        min_length=1,
        description="Pool name -> site export (FanDuel or DraftKings CSV), or {path, "
        "roster} for a pool with its own roster. An empty path means a generated, clearly "
        "synthetic demo pool (offline).",
    )
    roster: Roster = Field("fanduel_nfl", description=ROSTER_HELP)
    demo_pool_teams: int = Field(16, ge=2, multiple_of=2, description="Teams in the demo pool.")
    simulation: Simulation = block(Simulation)
    contest: Contest = block(Contest)
    backtests: dict[str, Backtest] = Field(
        default_factory=dict,
        description="Slate name -> {salaries, roster, projections, contests}: each portfolio "
        "method's lineups scored and paid in the real contests "
        "(results/lineups/<slate>/backtest.csv).",
    )
    late_swap: dict[str, LateSwap] = Field(
        default_factory=dict,
        description="Pool name -> {submitted, started, at}: writes "
        "results/lineups/<pool>/late_swap.csv in the site's upload format.",
    )

    @model_validator(mode="after")
    def _swaps_name_pools(self) -> Lineups:
        for name in self.contest.ownership_files:
            if name not in self.pools:
                raise ConfigError(
                    f"config: key 'lineups.contest.ownership_files.{name}': no such pool; "
                    f"use one of {', '.join(self.pools)}"
                )
        for name in self.backtests:
            if name in self.pools:
                raise ConfigError(
                    f"config: key 'lineups.backtests.{name}': also a pool's name; both "
                    f"write results/lineups/{name}/, so rename one"
                )
        for name, swap in self.late_swap.items():
            if name not in self.pools:
                raise ConfigError(
                    f"config: key 'lineups.late_swap.{name}': no such pool; use one of "
                    f"{', '.join(self.pools)}"
                )
            if not swap.started and swap.at is None:
                raise ConfigError(
                    f"config: key 'lineups.late_swap.{name}': say which games started "
                    "('started' teams/games, or 'at' a time)"
                )
        return self

    def pool(self, name: str) -> PoolEntry:
        """A pools entry as {path, roster}: a plain path uses lineups.roster."""
        entry = self.pools[name]
        entry = PoolEntry(path=entry) if isinstance(entry, str) else entry
        return (
            entry if entry.roster is not None else entry.model_copy(update={"roster": self.roster})
        )
