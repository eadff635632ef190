"""The sites' bulk-upload files: one row per lineup, one column per roster slot in the
site's order, a player's id in each cell.

Formats (checked against the sites' own templates as pydfs-lineup-optimizer 3.6.1
writes and reads them, ``lineup_exporter.py`` and ``sites/*/classic/importer.py``):

- DraftKings (the "Upload lineups" template of a classic contest): header the slot
  names in roster order (NFL ``QB,RB,RB,WR,WR,WR,TE,FLEX,DST``; NBA
  ``PG,SG,SF,PF,C,G,F,UTIL``), each cell the ``ID`` of the player export; DraftKings
  also accepts ``Name (ID)``, which this reader takes too.
- FanDuel (the "Upload lineups" CSV of a contest): header the slot names
  (NFL ``QB,RB,RB,WR,WR,WR,TE,FLEX,DEF``; NBA ``PG,PG,SG,SG,SF,SF,PF,PF,C``), each cell
  the export's ``Id`` (``12345-67890``); ``Id:Name`` is read too.

Single-game slots (MVP, STAR, CPT, …) hold the player's own id: a FanDuel copy row
(``<id>~MVP``) is written as ``<id>`` and read back to the copy; DraftKings' CPT rows
have ids of their own.

A submitted file from the site's "edit entries" download carries other columns
(``entry_id``, ``contest_id``, …): :func:`read_upload` keeps them, so a late swap writes
them back unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dsplaybook.errors import InputError
from dsplaybook.lineups.rosters import RosterRules
from dsplaybook.lineups.slot_rows import COPY_MARK, site_id

# 'Name (ID)' (DraftKings) and 'ID:Name' (FanDuel): the id is read out of both.
NAME_AND_ID = re.compile(r"^.*\(([^()]+)\)\s*$")


@dataclass(frozen=True)
class Upload:
    lineups: list[np.ndarray]  # pool rows, sorted
    slots: list[list[str]]  # slot group name of each of those players
    raw: pd.DataFrame  # the file as read, header as row 0 (other columns kept as they are)
    rows: list[int]  # raw row of each lineup
    slot_columns: list[int]  # raw column of each roster slot, in roster order

    def with_lineups(
        self,
        pool: pd.DataFrame,
        lineups: list[np.ndarray],
        slots: list[list[str]],
        rules: RosterRules,
    ) -> pd.DataFrame:
        """The file as read with each lineup's slot cells replaced (write it header=False)."""
        out = self.raw.copy()
        table = upload_table(pool, lineups, slots, rules)
        for k, r in enumerate(self.rows):
            for j, column in enumerate(self.slot_columns):
                out.iat[r, column] = table.iat[k, j]
        return out


def upload_table(
    pool: pd.DataFrame, lineups: list[np.ndarray], slots: list[list[str]], rules: RosterRules
) -> pd.DataFrame:
    """The site's upload rows: for each lineup, its players' ids in roster-slot order."""
    header = rules.upload_header()
    rows = []
    for lineup, names in zip(lineups, slots, strict=True):
        by_slot: dict[str, list[str]] = {}
        for player, slot in sorted(
            zip(lineup, names, strict=True), key=lambda pair: -pool["salary"].iloc[pair[0]]
        ):
            by_slot.setdefault(slot, []).append(site_id(pool["id"].iloc[int(player)]))
        rows.append([by_slot[name].pop(0) for name in rules.slot_names()])
    table = pd.DataFrame(rows, columns=range(len(header)))
    table.columns = header  # repeated names (RB, RB): set after building
    return table


def _player_id(cell: str) -> str:
    cell = cell.strip()
    named = NAME_AND_ID.match(cell)
    if named:
        return named.group(1).strip()
    if ":" in cell:  # FanDuel 'Id:Name'
        return cell.split(":", 1)[0].strip()
    return cell


def read_upload(path: str | Path, pool: pd.DataFrame, rules: RosterRules) -> Upload:
    """Lineups from an upload file (ours or the site's), mapped back to pool rows; one
    line naming the file, row and column for a cell that is not a pool player."""
    path = Path(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, header=None)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: not a readable CSV ({str(err).splitlines()[0]})") from err
    header = [str(c).strip() for c in raw.iloc[0]]
    wanted = rules.upload_header()
    slot_columns = _slot_columns(header, wanted, path)
    index_of = {pid: i for i, pid in enumerate(pool["id"].astype(str))}
    names = rules.slot_names()
    # a single-game slot's cell holds the player's own id: the row is his copy for it
    copy_of = {
        g.name: next(iter(g.eligible)) for g in rules.slots if g.eligible <= rules.multiplier_slots
    }
    lineups, slots, rows_read = [], [], []
    for r in range(1, len(raw)):
        cells = [str(v) for v in raw.iloc[r]]
        if not any(c.strip() for c in cells):
            continue  # blank lines and the template's trailing rows
        rows = []
        for column, slot in zip(slot_columns, names, strict=True):
            pid = _player_id(cells[column]) if column < len(cells) else ""
            if slot in copy_of and f"{pid}{COPY_MARK}{copy_of[slot]}" in index_of:
                pid = f"{pid}{COPY_MARK}{copy_of[slot]}"
            if pid not in index_of:
                raise InputError(
                    f"{path}: row {r + 1} column {header[column]!r}: {cells[column]!r} is not a "
                    "player of this pool; upload files must come from the same slate"
                )
            rows.append(index_of[pid])
        order = np.argsort(rows, kind="stable")
        lineups.append(np.array(rows)[order])
        slots.append([names[k] for k in order])
        rows_read.append(r)
    if not lineups:
        raise InputError(f"{path}: no lineups; upload one row per lineup under the header")
    return Upload(lineups, slots, raw, rows_read, slot_columns)


def _slot_columns(header: list[str], wanted: list[str], path: Path) -> list[int]:
    """Column of each slot: the first run of columns that spells the roster's header
    (a repeated name that pandas saved as RB.1 still counts as RB)."""
    names = set(wanted)
    plain = [re.sub(r"\.\d+$", "", h) if re.sub(r"\.\d+$", "", h) in names else h for h in header]
    for start in range(len(header) - len(wanted) + 1):
        if plain[start : start + len(wanted)] == wanted:
            return list(range(start, start + len(wanted)))
    raise InputError(
        f"{path}: header {','.join(header)!r} has no slot columns {','.join(wanted)}; is it "
        "an upload file for this roster (lineups.roster)?"
    )
