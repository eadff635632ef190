"""Projections published before lock, joined to the salaries export.

A projection file names its columns (or they are recognised: RotoGrinders' ``player,
salary, team, pos, fpts``, DailyFantasyNerd's ``Player Name, Salary, Team, Pos,
Proj FP``). A column whose name says it holds a result (``Actual FP``, ``Actual Val``,
anything with "actual") is never read as a projection, and neither is a contest's
standings file (its ``FPTS`` are the real points).

Players are matched by name + position + salary, then name + team, then a name that
is unique on both sides. Names are compared without case, accents, punctuation and
suffixes (Todd Gurley II = Todd Gurley, T.J. Yeldon = TJ Yeldon, Álex = Alex); teams by
their first two letters, since sites spell them differently (NO / NOS, LAR / LA). Every
pool player left unmatched is named in the log with a count; they get projection 0
(``missing: zero``) or are dropped."""

from __future__ import annotations

import logging
import re
import unicodedata
from pathlib import Path

import pandas as pd

from dsplaybook.errors import InputError
from dsplaybook.lineups.text_csv import read_text_csv

log = logging.getLogger("dsplaybook")
KNOWN = (  # (name, team, position, salary, projection) as sites export them
    ("player", "team", "pos", "salary", "fpts"),
    ("Player Name", "Team", "Pos", "Salary", "Proj FP"),
    ("Name", "TeamAbbrev", "Position", "Salary", "Projection"),
)
RESULT = re.compile(r"actual|result|final", re.IGNORECASE)
SUFFIX = re.compile(r"\s+(jr|sr|ii|iii|iv|v)$")
STANDINGS = {"EntryId", "Lineup"}


def read_projections(path: str | Path, column: str = "auto") -> pd.DataFrame:
    """Columns name, team, position, salary, projection; ``column`` names the projection
    column (auto: the file's known layout)."""
    path = Path(path)
    raw = read_text_csv(path)
    if set(raw.columns) >= STANDINGS:
        raise InputError(
            f"{path}: a contest's standings (EntryId, Lineup): its FPTS are real points, "
            "not a projection; give a file published before lock"
        )
    layout = next((k for k in KNOWN if set(k[:4]) <= set(raw.columns)), None)
    if layout is None:
        raise InputError(
            f"{path}: no known projection layout (player/team/pos/salary/fpts, or Player "
            "Name/Team/Pos/Salary/Proj FP); rename its columns"
        )
    column = layout[4] if column == "auto" else column
    if RESULT.search(column):
        raise InputError(
            f"{path}: column {column!r} holds results, not projections; name a projection "
            "column published before lock"
        )
    if column not in raw.columns:
        raise InputError(f"{path}: projection column {column!r} is missing")
    name, team, position, salary = layout[:4]
    values = pd.to_numeric(raw[column].str.strip().replace("NA", ""), errors="coerce")
    bad = raw[column].str.strip().ne("") & values.isna()
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        raise InputError(
            f"{path}: row {row + 2} column {column!r}: {raw[column][row]!r} is not a number"
        )
    return pd.DataFrame(
        {
            "name": raw[name].str.strip(),
            "team": raw[team].str.strip().str.lstrip("@"),
            "position": raw[position].str.strip(),
            "salary": pd.to_numeric(raw[salary].str.replace(",", "").str.strip(), errors="coerce"),
            "projection": values.fillna(0.0),
        }
    )


def join_projections(
    pool: pd.DataFrame, files: list[pd.DataFrame], missing: str = "zero"
) -> pd.DataFrame:
    """``pool`` with its projection from the first file that has each player (later files
    fill gaps: offence and defence files), matched as the module says."""
    projection = pd.Series(float("nan"), index=pool.index)
    for table in files:
        found = _match(pool, table)
        projection = projection.fillna(found)
    unmatched = pool.index[projection.isna()]
    if len(unmatched):
        names = ", ".join(
            f"{pool.at[i, 'name']} ({pool.at[i, 'team']} {pool.at[i, 'position']})"
            for i in unmatched[:20]
        )
        more = f" and {len(unmatched) - 20} more" if len(unmatched) > 20 else ""
        what = "projected 0" if missing == "zero" else "dropped"
        log.warning(
            "projections: %d of %d players not in any projection file (%s): %s%s",
            len(unmatched), len(pool), what, names, more,
        )  # fmt: skip
    out = pool.assign(projection=projection.fillna(0.0))
    if missing == "drop":
        out = out.loc[projection.notna()].reset_index(drop=True)
    return out


def name_key(names: pd.Series) -> pd.Series:
    """A name as compared: lower case, no accents, no punctuation, no Jr./Sr./II-V suffix
    (Álex Abrines = Alex Abrines)."""
    bare = names.map(
        lambda n: "".join(
            c for c in unicodedata.normalize("NFKD", n) if not unicodedata.combining(c)
        )
    )
    plain = bare.str.lower().str.replace(r"[.'’,-]", "", regex=True).str.strip()
    return plain.str.replace(SUFFIX, "", regex=True).str.replace(r"\s+", " ", regex=True)


def _match(pool: pd.DataFrame, table: pd.DataFrame) -> pd.Series:
    mine = pool.assign(name=name_key(pool["name"]), team2=pool["team"].str[:2].str.upper())
    theirs = table.assign(team2=table["team"].str[:2].str.upper(), name=name_key(table["name"]))
    found = pd.Series(float("nan"), index=pool.index)
    for keys in (("name", "position", "salary"), ("name", "team2"), ("name",)):
        unique = theirs.drop_duplicates(list(keys), keep=False)
        merged = mine[list(keys)].merge(unique[[*keys, "projection"]], on=list(keys), how="left")
        merged.index = pool.index
        if keys == ("name",):  # a name alone only where it is unique in the pool too
            merged.loc[mine["name"].duplicated(keep=False), "projection"] = float("nan")
        found = found.fillna(merged["projection"])
    return found
