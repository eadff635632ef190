"""``lineups.backtests``: real slates to judge the portfolios on (a leaf module)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, PositiveFloat, PositiveInt

from dsplaybook.config import Section
from dsplaybook.lineups.settings import ROSTER_HELP, ProjectionFile, Roster


class RealContestFiles(Section):
    """One contest of the slate, as the site exports it after it ends."""

    standings: str = Field(description="The contest-standings CSV (today's or the 2017 R variant).")
    payouts: str = Field(description="CSV with Place_lo, Place_hi, Payout (NA: not cash).")
    entry_fee: PositiveFloat = Field(description="Fee per entry.")
    max_entries: PositiveInt = Field(150, description="Entries one user may enter.")


class Backtest(Section):
    """A real slate: its salaries export, projections and contests."""

    salaries: str = Field(description="The slate's salaries export (DraftKings CSV).")
    roster: Roster = Field("draftkings_nfl", description=ROSTER_HELP)
    projections: tuple[ProjectionFile, ...] = Field(
        min_length=1,
        description="Projection files; a player takes the first file that has him "
        "(offence, then defence).",
    )
    missing: Literal["zero", "drop"] = Field(
        "zero", description="Players no projection file has: projected 0, or dropped."
    )
    contests: dict[str, RealContestFiles] = Field(
        min_length=1, description="Contest name -> its standings, payouts, fee and limit."
    )
    entries: tuple[PositiveInt, ...] = Field(
        (1, 20, 150), min_length=1, description="Portfolio sizes to backtest."
    )
