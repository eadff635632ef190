"""The lineups branch's settings for its parts: the bookcase LP, player pools and their
rosters, the rules every lineup obeys, the portfolio simulation and late swap (a leaf
module: the engines and readers import it, it imports only the roster presets). The
contest's settings live in :mod:`~dsplaybook.lineups.contest.settings`; the branch's
whole ``lineups:`` section composes both in :mod:`~dsplaybook.lineups.section`."""

from __future__ import annotations

import math
from typing import Any, Literal, NamedTuple

from pydantic import Field, NonNegativeInt, PositiveInt, field_validator, model_validator

from dsplaybook.config import Section, block
from dsplaybook.errors import ConfigError
from dsplaybook.lineups.presets import PRESETS
from dsplaybook.lineups.rosters import RosterRules

CORRELATION: dict[str, Any] = {"ge": -0.5, "le": 0.9}


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
    max_per_team: PositiveInt | None = Field(None, description="Its most players from one team.")
    min_teams: PositiveInt | None = Field(None, description="Its fewest teams in a lineup.")
    min_games: PositiveInt | None = Field(None, description="Its fewest games in a lineup.")


Roster = Literal[tuple(PRESETS)] | CustomRoster
ROSTER_HELP = (
    f"Preset ({', '.join(PRESETS)}) or a mapping with salary_cap, slots and flex; players "
    "listed at several positions (PG/SG) may fill a slot of any of them."
)


class ProjectionFile(Section):
    """A projection file published before lock."""

    path: str = Field(description="CSV with name, team, position, salary and a projection.")
    column: str = Field(
        "auto",
        description="The projection column (auto: fpts for RotoGrinders, Proj FP for "
        "DailyFantasyNerd); a column named as a result (Actual …) is refused.",
    )


class PoolEntry(Section):
    """A pool with its own roster (one run may mix sports) and projections."""

    path: str = Field(description="The site export (CSV); '' for the generated demo pool.")
    roster: Roster | None = Field(None, description="Its roster; none: lineups.roster.")
    projections: tuple[ProjectionFile, ...] = Field(
        (),
        description="Projection files published before lock, joined to the export by name, "
        "position, salary and team; they replace the export's projection column (a "
        "DraftKings export's AvgPointsPerGame is a season average). Players none of them "
        "has are projected 0.",
    )


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
    floor_column: str = Field(
        "", description="Column with each player's projected floor ('' when none)."
    )
    ceiling_column: str = Field(
        "", description="Column with each player's projected ceiling ('' when none)."
    )
    ownership_column: str = Field(
        "",
        description="Column with each player's projected ownership, in % or as a share "
        "('' when none: lineups.contest models it).",
    )
    batting_order_column: str = Field(
        "",
        description="Column with each hitter's batting order, 1-9 (MLB; '' when none, "
        "blank for pitchers): lineups.stack.consecutive reads it.",
    )
    line_column: str = Field(
        "",
        description="Column with each player's line (NHL: 1, 2, PP1, …; '' when none, blank "
        "for no line): lineups.stack.line groups players of one team and line.",
    )


SITE: Literal["site"] = "site"
SiteRule = PositiveInt | None | Literal["site"]


class TeamRules(NamedTuple):
    """The team and game rules a run applies (the site's, or the config's overrides)."""

    max_per_team: int | None
    min_teams: int | None
    min_games: int | None


class Stacks(Section):
    """Stacking rules (each 0 is off). ``stack: true/false`` still means QB + 1 or none."""

    qb_receivers: NonNegativeInt = Field(
        1, description="Each QB with at least this many WR/TE of his own team."
    )
    bring_back: NonNegativeInt = Field(
        0,
        description="Each QB with at least this many players of the team he faces "
        "(its defense not counted).",
    )
    bring_back_positions: tuple[str, ...] = Field(
        (), description="Positions a bring-back may be ((): any but the defense)."
    )
    game: NonNegativeInt = Field(0, description="At least this many players from one game.")
    team: NonNegativeInt = Field(
        0, description="At least this many players from one team (NBA team stack)."
    )
    team_positions: tuple[str, ...] = Field(
        (),
        description="Positions the team stack counts ((): all; MLB: [C, 1B, 2B, 3B, SS, OF] "
        "for a stack of hitters).",
    )
    consecutive: bool = Field(
        False,
        description="The team stack's players bat consecutively in the order (9 wraps to 1; "
        "needs lineups.batting_order_column).",
    )
    line: NonNegativeInt = Field(
        0,
        description="At least this many players from one line (NHL line or power-play "
        "stack; needs lineups.line_column).",
    )


class Avoid(Section):
    """No player listed at ``against`` facing a lineup's player listed at ``positions``
    (MLB: no hitter against your pitcher; NHL: no skater against your goalie)."""

    positions: tuple[str, ...] = Field(min_length=1, description="Positions of the anchor.")
    against: tuple[str, ...] = Field(
        (), description="Positions that may not face him ((): any other position)."
    )


class OwnershipBand(Section):
    """A lineup's projected ownership, summed over its players (as shares: 0.25 = 25%)."""

    min_total: float | None = Field(None, ge=0, description="Least total ownership.")
    max_total: float | None = Field(
        None, ge=0, description="Most total ownership (e.g. 1.2: six players at 20%)."
    )
    min_mean: float | None = Field(None, ge=0, le=1, description="Least mean per player.")
    max_mean: float | None = Field(None, ge=0, le=1, description="Most mean per player.")

    @property
    def active(self) -> bool:
        return any(v is not None for v in self.model_dump().values())

    def totals(self, size: int) -> tuple[float, float]:
        """(least, most) total ownership of a ``size``-player lineup."""
        lows = [self.min_total, None if self.min_mean is None else self.min_mean * size]
        highs = [self.max_total, None if self.max_mean is None else self.max_mean * size]
        low = max((v for v in lows if v is not None), default=0.0)
        high = min((v for v in highs if v is not None), default=math.inf)
        return float(low), float(high)

    @model_validator(mode="after")
    def _ordered(self) -> OwnershipBand:
        for low, high in (("min_total", "max_total"), ("min_mean", "max_mean")):
            a, b = getattr(self, low), getattr(self, high)
            if a is not None and b is not None and a > b:
                raise ValueError(f"{low} {a:g} is above {high} {b:g}; swap them")
        return self


class Band(Section):
    """A share of the lineups: at least ``min``, at most ``max``."""

    min: float = Field(0.0, ge=0, le=1, description="Smallest share of the lineups.")
    max: float = Field(1.0, gt=0, le=1, description="Largest share of the lineups.")

    @model_validator(mode="after")
    def _ordered(self) -> Band:
        if self.min > self.max:
            raise ValueError(f"min {self.min:g} is above max {self.max:g}; swap them")
        return self


class PlayerGroup(Section):
    """Players of which every lineup holds at most / at least a number."""

    players: tuple[str, ...] = Field(min_length=1, description="Player ids of the group.")
    at_most: NonNegativeInt | None = Field(None, description="Most of them in one lineup.")
    at_least: NonNegativeInt | None = Field(None, description="Fewest of them in one lineup.")

    @model_validator(mode="after")
    def _bounded(self) -> PlayerGroup:
        if self.at_most is None and self.at_least is None:
            raise ValueError("a group needs at_most or at_least")
        if self.at_least is not None and self.at_least > len(self.players):
            raise ValueError(
                f"at_least {self.at_least} is more than its {len(self.players)} players"
            )
        if self.at_most is not None and self.at_least is not None and self.at_least > self.at_most:
            raise ValueError(f"at_least {self.at_least} is above at_most {self.at_most}")
        return self


class Requirement(Section):
    """``player`` only in a lineup that also holds one of ``only_with``."""

    player: str = Field(description="Player id that needs company.")
    only_with: tuple[str, ...] = Field(min_length=1, description="Player ids, one of which.")


class Randomness(Section):
    """Seeded projection noise, drawn afresh for every lineup: a diverse yet repeatable set."""

    sd: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Each lineup scores players at projection × (1 + sd·z), "
        "z standard normal (0: off, the exact projection order).",
    )
    use_range: bool = Field(
        False,
        description="Draw each player's points from a triangular law on "
        "floor_column … ceiling_column, peaked at the projection, instead of sd.",
    )

    @property
    def active(self) -> bool:
        return self.sd > 0 or self.use_range


class LineupSettings(Section):
    """The rules every lineup of a run obeys."""

    n_lineups: int = Field(20, ge=1, description="Lineups to build, best first.")
    max_overlap: NonNegativeInt | None = Field(
        6, description="Players any two lineups may share (null for no limit)."
    )
    stack: Stacks = Field(
        default_factory=Stacks,
        description="Stacking rules: QB + receivers, bring-back, game and team stacks.",
    )
    avoid_opposing_defense: bool = Field(True, description="No player facing the lineup's defense.")
    avoid: tuple[Avoid, ...] = Field(
        (),
        description="More 'no player facing …' rules: [{positions: [SP, RP], against: [C, "
        "1B, 2B, 3B, SS, OF]}] (MLB: no hitter against your pitcher).",
    )
    ownership: OwnershipBand = Field(
        default_factory=OwnershipBand,
        description="A lineup's total (or mean) projected ownership within a band; ownership "
        "from lineups.ownership_column.",
    )
    max_exposure: float = Field(
        0.6, gt=0, le=1, description="Largest share of the lineups one player may appear in."
    )
    min_exposure: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Smallest share of the lineups every player appears in "
        "(usually set per player in player_exposure).",
    )
    player_exposure: dict[str, Band] = Field(
        default_factory=dict,
        description="Player id -> {min, max} share of the lineups, overriding min/max_exposure.",
    )
    team_exposure: dict[str, Band] = Field(
        default_factory=dict,
        description="Team -> {min, max} share of the lineups with at least one of its players.",
    )
    max_per_team: SiteRule = Field(
        SITE, description="Most players from one team: site (the roster's rule), a number or null."
    )
    min_teams: SiteRule = Field(
        SITE, description="Fewest teams a lineup draws from: site, a number or null."
    )
    min_games: SiteRule = Field(
        SITE, description="Fewest games a lineup draws from: site, a number or null."
    )
    min_salary: NonNegativeInt = Field(0, description="Least salary a lineup spends.")
    groups: tuple[PlayerGroup, ...] = Field(
        (), description="Player groups: [{players: [ids], at_most: 1}] (or at_least)."
    )
    requires: tuple[Requirement, ...] = Field(
        (), description="Conditional players: [{player: B, only_with: [A]}]."
    )
    randomness: Randomness = block(Randomness)
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

    @field_validator("stack", mode="before")
    @classmethod
    def _stack_switch(cls, value: object) -> object:
        """``stack: true`` (the old switch) is QB + one receiver; ``false`` no stacking (also
        as the text 'true'/'false' that Snakemake's --config hands over)."""
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            value = value.strip().lower() == "true"
        if isinstance(value, bool):
            return {"qb_receivers": int(value)}
        return value

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
            min_teams=None,
            min_games=None,
        )
        return cls(**{**plain, **rules})

    def team_rules(self, rules: RosterRules) -> TeamRules:
        """max_per_team, min_teams and min_games with ``site`` read off ``rules``."""
        return TeamRules(
            *(
                getattr(rules, key) if getattr(self, key) == SITE else getattr(self, key)
                for key in TeamRules._fields
            )
        )

    def player_band(self, pid: str) -> Band:
        """The exposure share a player may have (his own, else the global one)."""
        return self.player_exposure.get(pid) or Band(min=self.min_exposure, max=self.max_exposure)

    def lineup_counts(self, band: Band) -> tuple[int, int]:
        """A share band as (fewest, most) lineups out of n_lineups."""
        n = self.n_lineups
        return math.ceil(band.min * n - 1e-9), math.floor(band.max * n + 1e-9)

    def check_ids(self, ids: set[str]) -> None:
        """Every player id the rules name is in the pool, or one line naming the key."""
        named = (
            [("lock", pid) for pid in self.lock]
            + [("exclude", pid) for pid in self.exclude]
            + [("player_exposure", pid) for pid in self.player_exposure]
            + [
                (f"groups[{k}].players", pid)
                for k, g in enumerate(self.groups)
                for pid in g.players
            ]
            + [
                (f"requires[{k}]", pid)
                for k, r in enumerate(self.requires)
                for pid in (r.player, *r.only_with)
            ]
        )
        for key, pid in named:
            if pid not in ids:
                raise ConfigError(
                    f"lineups: player id {pid!r} in lineups.{key} is not in the pool; "
                    "use ids from the pool's Id column"
                )


class Simulation(Section):
    """Variance-aware portfolio for top-heavy contests."""

    n_sims: int = Field(5000, ge=100, description="Simulated slates.")
    score_sd_base: float = Field(
        4.0,
        ge=0,
        description="A playing player's score sd: score_sd_base + score_cv × projection "
        "(fitted to two real DraftKings slates, bench/contest_calibration.py: NFL 2.7 + "
        "0.36p, NBA 6.1 + 0.17p, both 4.0 + 0.24p); players projected 0 stay at 0.",
    )
    score_cv: float = Field(
        0.24, ge=0, description="Score sd per point of projection (see score_sd_base)."
    )
    teammate_correlation: float = Field(0.15, **CORRELATION)
    qb_receiver_correlation: float = Field(0.45, **CORRELATION)
    opposing_defense_correlation: float = Field(-0.2, **CORRELATION)
    target_quantile: float = Field(
        0.95, gt=0, lt=1, description="Target = this quantile of the top lineup's score."
    )
    portfolio_size: int = Field(5, ge=1, description="Lineups in the portfolio.")


class LateSwap(Section):
    """Re-optimise submitted lineups once some games have started."""

    submitted: str = Field(
        description="The upload file entered on the site (ours, or the site's edit-entries "
        "download: its other columns are written back unchanged)."
    )
    started: tuple[str, ...] = Field(
        (), description="Teams or games (AWAY@HOME) that have started: their players stay."
    )
    at: str | None = Field(
        None,
        description="Or the time now, 'YYYY-MM-DD HH:MM' in the export's time zone: games "
        "starting at or before it have started (DraftKings exports carry start times).",
    )


class SimulationSettings(Simulation):
    """``lineups.simulation`` plus the seed."""

    seed: int
