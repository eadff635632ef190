"""Read and validate daily-fantasy player exports (FanDuel and DraftKings CSV).

Every problem is one line naming the file, the row (as numbered in a spreadsheet,
header = row 1) and the column.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from dsplaybook.errors import InputError
from dsplaybook.lineups.projections import join_projections, read_projections
from dsplaybook.lineups.rosters import RosterRules, player_positions
from dsplaybook.lineups.settings import PoolSettings, ProjectionFile
from dsplaybook.lineups.slot_rows import slot_rows
from dsplaybook.lineups.text_csv import read_text_csv

log = logging.getLogger("dsplaybook")

# Canonical columns the optimiser works with.
COLUMNS = [
    "id",
    "name",
    "position",
    "team",
    "opponent",
    "salary",
    "projection",
    "injury",
    "start",  # the game's start as 'YYYY-MM-DD HH:MM' in the export's time zone, or ''
]
# DraftKings' Game Info: 'ATL@HOU 10/02/2016 01:00PM ET'
DK_START = re.compile(r"(\d{2}/\d{2}/\d{4}) (\d{1,2}:\d{2}[AP]M)")

FANDUEL = {
    "id": "Id",
    "position": "Position",
    "first": "First Name",
    "last": "Last Name",
    "team": "Team",
    "opponent": "Opponent",
    "salary": "Salary",
    "injury": "Injury Indicator",
}
DRAFTKINGS = {
    "id": "ID",
    "position": "Position",
    "name": "Name",
    "team": "TeamAbbrev",
    "game": "Game Info",
    "salary": "Salary",
}
# Yahoo's export is FanDuel's shape with ID and Injury Status; FantasyDraft's and
# FanBall's (and any other site's) a Name, Position, Team, Salary table
FANDUEL_ALIASES = {"ID": "Id", "Injury Status": "Injury Indicator"}
BY_NAME = {"name": "Name", "position": "Position", "team": "Team", "salary": "Salary"}
DEFAULT_PROJECTION = {
    "fanduel": ("FPPG", "Expected Points"),
    "draftkings": ("AvgPointsPerGame",),
    "by_name": ("Projection", "FPPG", "Avg FPPG", "Avg FPPT"),
}
SEASON_AVERAGES = (
    "AvgPointsPerGame",
    "FPPG",
    "Avg FPPG",
    "Avg FPPT",
)  # the sites' season averages, not projections
# older DraftKings exports (2017) spell two columns otherwise and carry no ID
DK_ALIASES = {"teamAbbrev": "TeamAbbrev", "GameInfo": "Game Info"}


def detect_format(columns: Iterable[str]) -> str:
    columns = set(columns)
    if "TeamAbbrev" in columns:
        return "draftkings"
    if {"First Name", "Last Name"} <= columns:
        return "fanduel"
    if set(BY_NAME.values()) <= columns:
        return "by_name"
    raise InputError(
        "header: not a FanDuel or Yahoo export (Id, Position, First Name, Last Name, …), a "
        "DraftKings export (Position, Name, ID, Salary, Game Info, TeamAbbrev, …) or a "
        "Name, Position, Team, Salary table (FantasyDraft, FanBall, your own)"
    )


def read_player_pool(
    path: str | Path,
    projection_column: str | None = "auto",
    positions: Iterable[str] | None = None,
    range_columns: tuple[str, str] | None = None,
    ownership_column: str = "",
    order_columns: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Return a frame with :data:`COLUMNS`, validated. ``projection_column`` None: the
    projections come from elsewhere (a projection file), 0 here. ``positions`` are the allowed ones;
    ``range_columns`` (floor, ceiling) add columns floor and ceiling, ``ownership_column``
    a column ownership (as written: % or share), ``order_columns`` {batting_order: …,
    line: …} those columns (batting order 1-9 as a number, NaN when blank; line as text).
    A DraftKings export's Roster Position (showdown, Tiers) is kept as roster_position."""
    path = Path(path)
    raw = read_text_csv(path, skipinitialspace=True)
    raw.columns = [DK_ALIASES.get(c, c) for c in raw.columns]
    try:
        kind = detect_format(raw.columns)
        if kind == "fanduel":  # Yahoo's names for FanDuel's columns
            present = set(raw.columns)
            raw.columns = [
                FANDUEL_ALIASES[c] if FANDUEL_ALIASES.get(c) not in (None, *present) else c
                for c in raw.columns
            ]
        pool = _normalise(raw, kind, projection_column)
        if range_columns:
            pool = pool.assign(**_ranges(raw, pool, *range_columns))
        if ownership_column:
            if ownership_column not in raw.columns:
                raise InputError(
                    f"column {ownership_column!r} (lineups.ownership_column) is missing; name "
                    "the export's ownership column, or set it to ''"
                )
            owned = raw[ownership_column].str.replace("%", "")
            pool["ownership"] = _numbers(owned, ownership_column, 100.0).to_numpy()
        for name, column in (order_columns or {}).items():
            if column:
                pool[name] = _order_column(raw, column, name)
        if kind == "draftkings" and "Roster Position" in raw.columns:
            pool["roster_position"] = raw["Roster Position"].str.strip().to_numpy()
        _validate(pool, positions)
    except InputError as err:
        raise InputError(f"{path}: {err}") from None
    return pool.reset_index(drop=True)


def _order_column(raw: pd.DataFrame, column: str, name: str) -> np.ndarray:
    """A batting order (1-9, blank for none) or a line label (text, blank for none)."""
    key = f"lineups.{name}_column"
    if column not in raw.columns:
        raise InputError(f"column {column!r} ({key}) is missing; name the column, or set it to ''")
    cells = raw[column].fillna("").str.strip()
    if name == "line":
        return cells.to_numpy()
    values = pd.to_numeric(cells.replace("", "nan"), errors="coerce")
    bad = (cells != "") & ~values.between(1, 9)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"row {row + 2} column {column!r}: {cells.iloc[row]!r} is not a batting order "
            "1-9 (blank for a pitcher); fix the file"
        )
    return values.to_numpy(float)


def ownership_share(values: np.ndarray) -> np.ndarray:
    """Ownership as a share of lineups (0 … 1): % when any value is above 1."""
    values = np.asarray(values, float)
    return values / 100.0 if values.max(initial=0) > 1.0 else values


def _require(raw: pd.DataFrame, columns: Iterable[str], kind: str) -> None:
    missing = [c for c in columns if c not in raw.columns]
    if missing:
        raise InputError(f"column {missing[0]!r} is missing from this {kind} export; re-export it")


def _normalise(raw: pd.DataFrame, kind: str, projection_column: str | None) -> pd.DataFrame:
    if projection_column is None:
        pass
    elif projection_column == "auto":
        candidates = [c for c in DEFAULT_PROJECTION[kind] if c in raw.columns]
        if not candidates:
            raise InputError(
                f"no projection column ({' or '.join(DEFAULT_PROJECTION[kind])}); "
                "set lineups.projection_column to the column holding projected points"
            )
        projection_column = candidates[0]
    if projection_column in SEASON_AVERAGES:
        log.warning(
            "projections: %r is the site's season average, not a projection: it keeps "
            "players who are out and ignores matchups (on two real DraftKings slates such "
            "lineups beat 0.2-2.8%% of the field); give projection files "
            "(lineups.pools.<pool>.projections) or lineups.projection_column",
            projection_column,
        )
    if projection_column is not None:
        _require(raw, [projection_column], kind)
    out = pd.DataFrame(index=raw.index)
    if kind == "fanduel":
        optional = ("injury", "opponent") if "Game" in raw.columns else ("injury",)
        required = [v for k, v in FANDUEL.items() if k not in optional]
        _require(raw, required, kind)
        out["id"] = raw["Id"].str.strip()
        out["name"] = (
            raw["First Name"].str.strip() + " " + raw["Last Name"].str.strip()
        ).str.strip()
        out["team"] = raw["Team"].str.strip()
        out["opponent"] = _opponents(raw, out["team"])
        out["injury"] = raw.get("Injury Indicator", pd.Series("", index=raw.index)).str.strip()
    elif kind == "by_name":
        _require(raw, list(BY_NAME.values()), kind)
        out["id"] = (
            raw["ID"].str.strip()
            if "ID" in raw.columns
            else raw["Name"].str.strip() + " (" + raw["Team"].str.strip() + ")"
        )
        out["name"] = raw["Name"].str.strip()
        out["team"] = raw["Team"].str.strip()
        out["opponent"] = _opponents(raw, out["team"])
        out["injury"] = raw.get("Injury Status", pd.Series("", index=raw.index)).str.strip()
    else:
        _require(raw, [c for c in DRAFTKINGS.values() if c != "ID"], kind)
        out["name"] = raw["Name"].str.strip()
        out["team"] = raw["TeamAbbrev"].str.strip()
        if "ID" in raw.columns:
            out["id"] = raw["ID"].str.strip()
        else:  # a 2017 export: no ids; name and team identify a player (no upload file)
            out["id"] = out["name"] + " (" + out["team"] + ")"
        out["opponent"] = [
            _dk_opponent(game, team, row)
            for row, (game, team) in enumerate(zip(raw["Game Info"], out["team"], strict=True), 2)
        ]
        out["injury"] = ""
    out["start"] = [_dk_start(g) for g in raw["Game Info"]] if kind == "draftkings" else ""
    out["position"] = raw["Position"].str.strip()
    out["salary"] = _numbers(
        raw["Salary"].str.replace(",", "").str.replace("$", ""), "Salary", LARGEST["Salary"]
    )
    out["projection"] = (
        0.0
        if projection_column is None
        else _numbers(raw[projection_column], projection_column, LARGEST["projection"])
    )
    return out[COLUMNS]


def _opponents(raw: pd.DataFrame, teams: pd.Series) -> list[str]:
    """Opponent column, else the other team of a Game column (AWAY@HOME), else none."""
    if "Opponent" in raw.columns:
        return list(raw["Opponent"].fillna("").str.strip())
    if "Game" in raw.columns:
        return [
            _dk_opponent(game, team, row) if "@" in game else ""
            for row, (game, team) in enumerate(zip(raw["Game"].fillna(""), teams, strict=True), 2)
        ]
    return [""] * len(raw)


def _ranges(raw: pd.DataFrame, pool: pd.DataFrame, floor: str, ceiling: str) -> dict:
    """Floor and ceiling columns, checked floor <= projection <= ceiling."""
    for column in (floor, ceiling):
        if column not in raw.columns:
            raise InputError(
                f"column {column!r} (lineups.floor_column/ceiling_column) is missing; name "
                "the export's floor and ceiling columns, or set them to ''"
            )
    low = _numbers(raw[floor], floor, LARGEST["projection"])
    high = _numbers(raw[ceiling], ceiling, LARGEST["projection"])
    bad = ((low > pool["projection"] + 1e-9) | (pool["projection"] > high + 1e-9)).to_numpy()
    if bad.any():
        row = int(bad.nonzero()[0][0])
        raise InputError(
            f"row {row + 2} columns {floor!r}/{ceiling!r}: floor {low.iloc[row]:g} … ceiling "
            f"{high.iloc[row]:g} does not hold the projection {pool['projection'].iloc[row]:g}; "
            "fix the export"
        )
    return {"floor": low.to_numpy(), "ceiling": high.to_numpy()}


def _dk_start(game: str) -> str:
    found = DK_START.search(game)
    if not found:
        return ""
    when = datetime.strptime(" ".join(found.groups()), "%m/%d/%Y %I:%M%p")
    return when.strftime("%Y-%m-%d %H:%M")


def _dk_opponent(game: str, team: str, row: int) -> str:
    matchup = game.split(" ")[0]
    if "@" not in matchup:  # golf, NASCAR, tennis: an event, no opponent
        return ""
    away, home = matchup.split("@", 1)
    if team not in (away, home):
        raise InputError(f"row {row} column 'TeamAbbrev': {team!r} does not play in {matchup!r}")
    return home if team == away else away


# Larger than any real salary or projection; beyond it a typo (or 1e308) would only
# reach the solver as an overflow.
LARGEST = {"Salary": 1e7, "projection": 1e4}


def _numbers(column: pd.Series, name: str, largest: float) -> pd.Series:
    values = pd.to_numeric(column.str.strip(), errors="coerce")
    for bad, problem in (
        (values.isna(), "is not a number"),
        (~np.isfinite(values.fillna(0.0)), "is not a finite number"),
        (values.abs() > largest, f"is out of range (at most {largest:g} in size)"),
    ):
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            raise InputError(
                f"row {row + 2} column {name!r}: {column.iloc[row]!r} {problem}; fix the export"
            )
    return values.astype(float)


def _validate(pool: pd.DataFrame, positions: Iterable[str] | None) -> None:
    if pool.empty:
        raise InputError("has no players")
    for column in ("id", "name", "team", "position"):
        empty = (pool[column] == "").to_numpy().nonzero()[0]
        if len(empty):
            raise InputError(f"row {empty[0] + 2} column {column!r}: empty; fix the export")
    dup = pool["id"].duplicated().to_numpy().nonzero()[0]
    if len(dup):
        first = int(pool.index[pool["id"] == pool["id"].iloc[dup[0]]][0])
        raise InputError(
            f"row {dup[0] + 2} column 'id': id {pool['id'].iloc[dup[0]]!r} already used on row "
            f"{first + 2}; ids must be unique"
        )
    negative = (pool["salary"] < 0).to_numpy().nonzero()[0]
    if len(negative):
        raise InputError(f"row {negative[0] + 2} column 'Salary': negative salary")
    if positions is not None:
        check_positions(pool, positions)


def check_positions(pool: pd.DataFrame, positions: Iterable[str]) -> None:
    """Every player's positions are the roster's. A multi-position player (PG/SG) needs
    every listed position to be known: a typo in one of them must not quietly narrow
    where he may play."""
    allowed = set(positions)
    unknown = [not player_positions(p) <= allowed for p in pool["position"]]
    if any(unknown):
        row = unknown.index(True)
        raise InputError(
            f"row {row + 2} column 'Position': {pool['position'].iloc[row]!r} is not a "
            f"position of these roster rules ({', '.join(sorted(allowed))}); check "
            "lineups.roster (or the pool's roster) matches this export's sport and site"
        )


def drop_injured(pool: pd.DataFrame, statuses: Iterable[str]) -> pd.DataFrame:
    """Remove players whose injury indicator is one of ``statuses`` (e.g. O, D, IR)."""
    statuses = {s.upper() for s in statuses}
    return pool[~pool["injury"].str.upper().isin(statuses)].reset_index(drop=True)


def load_pool(
    path: str | Path,
    settings: PoolSettings,
    rules: RosterRules | None = None,
    locked: Iterable[str] = (),
    projections: Sequence[ProjectionFile] = (),
) -> pd.DataFrame:
    """Read an export with ``settings.projection_column`` (or, given ``projections``, with
    the projections of those files: ``lineups.projections``), lay its rows out for
    ``rules``' slots (:func:`~dsplaybook.lineups.slot_rows.slot_rows`: captain copies,
    tiers) and, if ``settings.drop_injured``, drop the players whose injury indicator is in
    ``settings.injury_statuses``. A ``locked`` player that would be dropped is a one-line
    error naming him and why. Tiers: ``rules.for_pool(pool['position'])`` is the roster."""
    ranges = (settings.floor_column, settings.ceiling_column)
    laid_out = rules is not None and (rules.multipliers or rules.mode == "tiers")
    pool = read_player_pool(
        path,
        None if projections else settings.projection_column,
        rules.positions if rules is not None and not laid_out else None,
        ranges if all(ranges) and not projections else None,  # ranges frame the export's
        settings.ownership_column,
        {"batting_order": settings.batting_order_column, "line": settings.line_column},
    )
    if projections:
        files = [read_projections(f.path, f.column) for f in projections]
        pool = join_projections(pool, files)
    if rules is not None:
        try:
            pool = slot_rows(pool, rules)
            if laid_out:
                check_positions(pool, rules.for_pool(pool["position"]).positions)
        except InputError as err:
            raise InputError(f"{path}: {err}") from None
    if not settings.drop_injured:
        return pool
    kept = drop_injured(pool, settings.injury_statuses)
    dropped = pool[pool["id"].isin(set(locked)) & ~pool["id"].isin(kept["id"])]
    if len(dropped):
        player = dropped.iloc[0]
        raise InputError(
            f"{path}: lineups.lock: player {player['id']!r} ({player['name']}) has injury "
            f"status {player['injury']!r}, one of lineups.injury_statuses, so he is dropped; "
            "unlock him, or remove that status or set lineups.drop_injured: false"
        )
    return kept


def projection_files(params) -> list[ProjectionFile]:
    """A rule's ``params.projections`` (the pool's projection files) as settings."""
    return [ProjectionFile.from_config(f) for f in getattr(params, "projections", None) or []]
