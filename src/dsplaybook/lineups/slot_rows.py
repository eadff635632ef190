"""A pool's rows as its roster's slots need them: single-game multiplier slots and tiers.

A single-game slot (DraftKings' CPT, FanDuel's MVP/STAR/PRO) scores a multiple of the
player's points: it is a candidate of its own, listed at the slot's token, tied to the
player by ``person`` so that a lineup holds each person once (formulation's "one slot
per player"). DraftKings' showdown export already lists every player twice (Roster
Position CPT at 1.5× salary, and FLEX/UTIL): those rows are used as they are, the CPT
row's points set to 1.5× the player's other row (the export's own average is not
multiplied; a projection file matches the player, not his CPT salary). Any other pool
gets a copy per multiplier slot, id ``<id>~<SLOT>``: the upload file writes the plain id
in that slot's column, as FanDuel's template wants.

Every pool gains ``plays_as`` (the positions the export lists: stacking and "facing"
rules read it, whatever slot token the row carries) and ``person``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dsplaybook.errors import InputError
from dsplaybook.lineups.rosters import RosterRules, player_positions

COPY_MARK = "~"
ROSTER_POSITION = "roster_position"  # DraftKings' Roster Position column, when exported
SCALED = ("projection", "floor", "ceiling")  # columns a slot's points multiplier scales


def site_id(pid: str) -> str:
    """The id the site knows a row by: a copy's is its player's."""
    return str(pid).split(COPY_MARK, 1)[0]


def slot_rows(pool: pd.DataFrame, rules: RosterRules) -> pd.DataFrame:
    """``pool`` with plays_as and person, and the rows ``rules``' slots need."""
    pool = pool.copy()
    pool["plays_as"] = pool["position"]
    pool["person"] = pool["id"].astype(str)
    listed = pool[ROSTER_POSITION] if ROSTER_POSITION in pool.columns else None
    if rules.mode == "tiers":
        if listed is None or (listed == "").any():
            raise InputError(
                "column 'Roster Position' is missing or empty: a DraftKings Tiers export lists "
                "each player's tier (T1, T2, …) there; export the Tiers contest's salaries"
            )
        pool["position"] = listed
        return pool
    if not rules.multipliers:
        return pool
    slots = rules.multiplier_slots
    if listed is not None and listed.isin(slots).any():
        return _export_rows(pool, rules, listed)
    return _copies(pool, rules)


def _export_rows(pool: pd.DataFrame, rules: RosterRules, listed: pd.Series) -> pd.DataFrame:
    """DraftKings showdown: the export's CPT rows, tied to the player's other row."""
    person = pool["name"].str.strip() + " (" + pool["team"].str.strip() + ")"
    pool["person"] = person
    points = {m.slot: m.points for m in rules.multipliers}
    multiplied = listed.isin(set(points)).to_numpy()
    tokens = {p for g in rules.slots for p in g.eligible}
    # FLEX/UTIL rows fill the slot their Roster Position names
    plain = ~multiplied & listed.isin(tokens).to_numpy()
    pool.loc[plain, "position"] = listed[plain]
    pool.loc[multiplied, "position"] = listed[multiplied]
    base = pool.loc[~multiplied].drop_duplicates("person").set_index("person")
    for column in (c for c in SCALED if c in pool.columns):
        own = pool[column].to_numpy(float)
        plain_value = person.map(base[column]).to_numpy(float)
        value = np.where(np.isnan(plain_value), own, plain_value)
        factor = listed.map(points).fillna(1.0).to_numpy(float)
        pool[column] = np.where(multiplied, value * factor, own)
    return pool


def _copies(pool: pd.DataFrame, rules: RosterRules) -> pd.DataFrame:
    """One copy per multiplier slot of every player the slot may take."""
    taking = np.array(
        [not player_positions(p) <= rules.no_multiplier for p in pool["plays_as"]], dtype=bool
    )
    copies = []
    for m in rules.multipliers:
        copy = pool[taking].copy()
        copy["id"] = copy["id"].astype(str) + COPY_MARK + m.slot
        copy["position"] = m.slot
        copy["salary"] = np.round(copy["salary"].to_numpy(float) * m.salary)
        for column in (c for c in SCALED if c in copy.columns):
            copy[column] = copy[column].to_numpy(float) * m.points
        copies.append(copy)
    return pd.concat([pool, *copies], ignore_index=True)
