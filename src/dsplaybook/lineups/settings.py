"""The lineups branch's settings: the bookcase LP, player pools and their rosters, the
rules every lineup obeys and the portfolio simulation (a leaf module: the engines and
readers import it, it imports only the roster presets)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, NonNegativeInt, PositiveInt

from dsplaybook.config import Section, block
from dsplaybook.lineups.rosters import PRESETS

CORRELATION = {"ge": -0.5, "le": 0.9}


class Bookcases(Section):
    """The bookcase LP toy; these values give 2 large, 6 small, $220."""

    hours_large: float = Field(6, gt=0, description="Hours a large bookcase takes.")
    hours_small: float = Field(2, gt=0, description="Hours a small bookcase takes.")
    profit_large: float = Field(50, description="Profit of a large bookcase ($).")
    profit_small: float = Field(20, description="Profit of a small bookcase ($).")
    hours_available: float = Field(24, ge=0, description="Hours in the week.")
    min_large: float = Field(2, ge=0, description="Large bookcases to build at least.")
    min_small: float = Field(2, ge=0, description="Small bookcases to build at least.")


class Flex(Section):
    """Slots any of several positions fills (FLEX, G, F, UTIL)."""

    name: str | None = Field(None, description="Slot name (FLEX, FLEX2, ... when none).")
    positions: tuple[str, ...] = Field(min_length=1, description="Positions that fill it.")
    count: PositiveInt = Field(description="How many such slots.")


class CustomRoster(Section):
    """A roster of your own: salary cap, slots per position, flex slots."""

    name: str | None = Field(None, description="Its name in outputs (none: custom).")
    salary_cap: PositiveInt = Field(description="Salary cap of a lineup.")
    slots: dict[str, NonNegativeInt] = Field(
        min_length=1, description="Position -> slots only that position fills."
    )
    flex: tuple[Flex, ...] = Field((), description="Slots any of several positions fills.")
    # none: the presets' positions (RosterRules: QB, D, WR and TE)
    quarterback: str | None = Field(None, description="The position receivers stack with.")
    defense: str | None = Field(None, description="The position avoid_opposing_defense reads.")
    receivers: tuple[str, ...] | None = Field(None, description="Positions that stack.")


Roster = Literal[tuple(PRESETS)] | CustomRoster
ROSTER_HELP = (
    f"Preset ({', '.join(PRESETS)}) or a mapping with salary_cap, slots and flex; players "
    "listed at several positions (PG/SG) may fill a slot of any of them."
)


class PoolEntry(Section):
    """A pool with its own roster (one run may mix sports)."""

    path: str = Field(description="The site export (CSV); '' for the generated demo pool.")
    roster: Roster | None = Field(None, description="Its roster; none: lineups.roster.")


class PoolSettings(Section):
    """How an export is read and filtered."""

    projection_column: str = Field(
        "auto",
        description="Column with projected points; auto picks FPPG/Expected Points "
        "(FanDuel) or AvgPointsPerGame (DraftKings).",
    )
    drop_injured: bool = Field(True, description="Drop players whose injury is in injury_statuses.")
    injury_statuses: tuple[str, ...] = Field(
        ("O", "D", "IR", "NA"),
        description="Injury indicators that mean the player will not play (out, doubtful, "
        "injured reserve, not active).",
    )


class LineupSettings(Section):
    """The rules every lineup of a run obeys."""

    n_lineups: int = Field(20, ge=1, description="Lineups to build, best first.")
    max_overlap: NonNegativeInt | None = Field(
        6, description="Players any two lineups may share (null for no limit)."
    )
    stack: bool = Field(True, description="Pair each QB with at least one WR/TE of his team.")
    avoid_opposing_defense: bool = Field(True, description="No player facing the lineup's defense.")
    max_exposure: float = Field(
        0.6, gt=0, le=1, description="Largest share of the lineups one player may appear in."
    )
    max_per_team: PositiveInt | None = Field(
        4, description="Most players from one team (null for no limit)."
    )
    lock: tuple[str, ...] = Field((), description="Player ids every lineup must contain.")
    exclude: tuple[str, ...] = Field((), description="Player ids no lineup may contain.")
    mip_gap: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Relative optimality gap of the HiGHS fallback engine (the ranked list, "
        "the default, is always exact); 0 = every lineup exactly the best given the "
        "earlier ones.",
    )

    @classmethod
    def unconstrained(cls, **rules: object) -> LineupSettings:
        """Roster and salary cap only (one lineup), plus the given ``rules``."""
        plain = dict(
            n_lineups=1,
            max_overlap=None,
            stack=False,
            avoid_opposing_defense=False,
            max_exposure=1.0,
            max_per_team=None,
        )
        return cls(**{**plain, **rules})


class Simulation(Section):
    """Variance-aware portfolio for top-heavy contests."""

    n_sims: int = Field(5000, ge=100, description="Simulated slates.")
    score_cv: float = Field(0.4, gt=0, description="Score sd as a share of the projection.")
    teammate_correlation: float = Field(0.15, **CORRELATION)
    qb_receiver_correlation: float = Field(0.45, **CORRELATION)
    opposing_defense_correlation: float = Field(-0.2, **CORRELATION)
    target_quantile: float = Field(
        0.95, gt=0, lt=1, description="Target = this quantile of the top lineup's score."
    )
    portfolio_size: int = Field(5, ge=1, description="Lineups in the portfolio.")


class SimulationSettings(Simulation):
    """``lineups.simulation`` plus the seed."""

    seed: int


class Lineups(PoolSettings, LineupSettings):
    """Fantasy lineups from site exports, and the bookcase LP."""

    bookcases: Bookcases = block(Bookcases)
    pools: dict[str, str | PoolEntry] = Field(
        default_factory=lambda: {"demo_synthetic": ""},
        min_length=1,
        description="Pool name -> site export (FanDuel or DraftKings CSV), or {path, "
        "roster} for a pool with its own roster. An empty path means a generated, clearly "
        "synthetic demo pool (offline).",
    )
    roster: Roster = Field("fanduel_nfl", description=ROSTER_HELP)
    demo_pool_teams: int = Field(16, ge=2, multiple_of=2, description="Teams in the demo pool.")
    simulation: Simulation = block(Simulation)

    def pool(self, name: str) -> PoolEntry:
        """A pools entry as {path, roster}: a plain path uses lineups.roster."""
        entry = self.pools[name]
        entry = PoolEntry(path=entry) if isinstance(entry, str) else entry
        return (
            entry if entry.roster is not None else entry.model_copy(update={"roster": self.roster})
        )
