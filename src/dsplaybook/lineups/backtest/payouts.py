"""A contest's payout table (``Place_lo, Place_hi, Payout``): the prize of every place,
and which places pay in something other than cash (a ticket: ``NA`` or empty)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from dsplaybook.errors import InputError
from dsplaybook.lineups.text_csv import read_text_csv

COLUMNS = ("Place_lo", "Place_hi", "Payout")


def read_payouts(path: str | Path) -> pd.DataFrame:
    """Columns place_lo, place_hi, payout (0 where not cash), cash (bool); rows checked:
    places positive, ordered, not overlapping."""
    path = Path(path)
    raw = read_text_csv(path)
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(f"{path}: column {missing[0]!r} is missing; expected {', '.join(COLUMNS)}")
    text = raw["Payout"].str.strip().str.replace("$", "").str.replace(",", "")
    cash = ~text.isin(("", "NA"))
    payout = pd.to_numeric(text.where(cash, "0"), errors="coerce")
    lo = pd.to_numeric(raw["Place_lo"].str.strip(), errors="coerce")
    hi = pd.to_numeric(raw["Place_hi"].str.strip(), errors="coerce")
    for row in range(len(raw)):
        problem = None
        if not np.isfinite(lo[row]) or not np.isfinite(hi[row]) or lo[row] < 1 or hi[row] < lo[row]:
            problem = (
                f"places {raw['Place_lo'][row]!r}…{raw['Place_hi'][row]!r} are not 1 <= lo <= hi"
            )
        elif not np.isfinite(payout[row]) or payout[row] < 0:
            problem = f"payout {raw['Payout'][row]!r} is not an amount (NA marks a ticket)"
        elif row and lo[row] <= hi[row - 1]:
            problem = f"place {int(lo[row])} is already paid by the row above"
        if problem:
            raise InputError(f"{path}: row {row + 2}: {problem}; fix the table")
    return pd.DataFrame(
        {"place_lo": lo.astype(int), "place_hi": hi.astype(int), "payout": payout, "cash": cash}
    )


def prize_by_place(payouts: pd.DataFrame, places: int) -> np.ndarray:
    """The cash prize of every place 1 … ``places`` (0 beyond the table)."""
    prize = np.zeros(places + 1)
    for row in payouts.itertuples():
        prize[row.place_lo : min(row.place_hi, places) + 1] = row.payout
    return prize[1:]
