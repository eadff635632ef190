"""DraftKings contest standings (``contest-standings.csv``), as exported today and as the
2017 exports re-saved through R read.

Today's header: ``Rank,EntryId,EntryName,TimeRemaining,Points,Lineup,,Player,
Roster Position,%Drafted,FPTS`` with empty cells; the R variant says ``X`` for the blank
column, ``X.Drafted`` for ``%Drafted``, ``Roster.Position`` and ``NA`` for empty cells.
Either way two tables share the rows: the entries (Rank … Lineup) and, beside them and
shorter, the players (Player … FPTS: every drafted player's real ownership and points).
A lineup is one string of slot tokens and names, ``QB Tom Brady RB … DST Buccaneers ``
(defence names end in a space)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dsplaybook.errors import InputError
from dsplaybook.lineups.text_csv import read_text_csv

ENTRY_COLUMNS = ("Rank", "EntryId", "EntryName", "Points", "Lineup")
ALIASES = {"X.Drafted": "%Drafted", "Roster.Position": "Roster Position", "X": ""}
USER = re.compile(r"\s*\(\d+/\d+\)\s*$")  # "name (3/20)": the user's third of 20 entries


@dataclass(frozen=True)
class Standings:
    """``entries``: rank, entry_id, entry_name, user, points, lineup (tuple of names in
    the lineup's order, () for an entry that never set one); ``players``: name,
    roster_position ('' when the export has none), ownership (share 0–1), fpts."""

    path: Path
    entries: pd.DataFrame
    players: pd.DataFrame


def read_standings(path: str | Path, slots: list[str]) -> Standings:
    """Read a standings export; ``slots`` are the roster's slot tokens (QB, RB, …, FLEX,
    DST) that separate names in a lineup string. A problem is one line naming the file,
    the row (header = row 1) and the fix."""
    path = Path(path)
    raw = read_text_csv(path)
    raw.columns = [ALIASES.get(c, c) for c in raw.columns]  # stripped by read_text_csv
    missing = [c for c in ENTRY_COLUMNS if c not in raw.columns]
    if missing:
        raise InputError(
            f"{path}: column {missing[0]!r} is missing; is this a DraftKings contest-standings "
            "export (Rank, EntryId, EntryName, Points, Lineup, …)?"
        )
    raw = raw.apply(lambda c: c.str.strip().replace("NA", ""))
    entries = raw[raw["EntryId"] != ""]
    try:
        table = pd.DataFrame(
            {
                "rank": _numbers(entries["Rank"], "Rank", entries.index).astype(int),
                "entry_id": entries["EntryId"].to_numpy(),
                "entry_name": entries["EntryName"].to_numpy(),
                "user": entries["EntryName"].str.replace(USER, "", regex=True).to_numpy(),
                "points": _numbers(entries["Points"], "Points", entries.index),
                "lineup": [
                    parse_lineup(text, slots, row + 2)
                    for row, text in zip(entries.index, entries["Lineup"], strict=True)
                ],
            }
        )
        players = _players(raw)
    except InputError as err:
        raise InputError(f"{path}: {err}") from None
    return Standings(path, table.reset_index(drop=True), players)


def parse_lineup(text: str, slots: list[str], row: int) -> tuple[str, ...]:
    """``'QB Tom Brady RB … DST Buccaneers '`` -> the names, in order; () if empty."""
    if not text.strip():
        return ()
    tokens = "|".join(sorted({re.escape(s) for s in slots}, key=len, reverse=True))
    parts = re.split(rf"(?:^|\s)(?:{tokens})\s", " " + text.strip() + " ")
    names = tuple(p.strip() for p in parts if p.strip())
    expected = len(slots)
    if len(names) != expected:
        raise InputError(
            f"row {row} column 'Lineup': {len(names)} players in {text[:80]!r}, the roster "
            f"has {expected} slots ({' '.join(slots)}); check the roster matches the contest"
        )
    return names


def _players(raw: pd.DataFrame) -> pd.DataFrame:
    if "Player" not in raw.columns:
        return pd.DataFrame(columns=["name", "roster_position", "ownership", "fpts"])
    rows = raw[raw["Player"] != ""]
    for column in ("%Drafted", "FPTS"):
        if column not in raw.columns:
            raise InputError(f"column {column!r} is missing beside 'Player'; re-export it")
    owned = rows["%Drafted"].str.rstrip("%")
    return pd.DataFrame(
        {
            "name": rows["Player"].to_numpy(),
            "roster_position": rows.get(
                "Roster Position", pd.Series("", index=rows.index)
            ).to_numpy(),
            "ownership": _numbers(owned, "%Drafted", rows.index) / 100.0,
            "fpts": _numbers(rows["FPTS"], "FPTS", rows.index),
        }
    ).reset_index(drop=True)


def _numbers(column: pd.Series, name: str, index: pd.Index) -> np.ndarray:
    values = pd.to_numeric(column, errors="coerce").to_numpy(float)
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        row = int(index[bad[0]]) + 2
        raise InputError(f"row {row} column {name!r}: {column.iloc[bad[0]]!r} is not a number")
    return values
