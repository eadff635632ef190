"""Late swap: once games start, players in started games stay where they are and the
rest of each submitted lineup is re-optimised under every rule.

Each submitted lineup, in file order, becomes the best lineup (exact, HiGHS on the
per-slot model, so a started player keeps his very slot) that keeps its started players
in their slots, adds no other player of a started game, meets every per-lineup rule,
shares at most ``max_overlap`` players with each lineup swapped before it (or as many as
their started players already share, when the submitted lineups shared more) and keeps
players and teams under their max exposure. Minimum exposures and projection noise do
not apply to a swap. When no swap meets the rules (a lineup submitted from elsewhere
may break one), the lineup is kept as submitted and the report says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from dsplaybook.errors import ConfigError
from dsplaybook.lineups.engines.highs import best_lineup
from dsplaybook.lineups.formulation import (
    Formulation,
    RowGroup,
    dynamic_groups,
    expanded,
    formulate,
)
from dsplaybook.lineups.optimize import exposure_counts, overlap_limit
from dsplaybook.lineups.rosters import RosterRules
from dsplaybook.lineups.settings import LineupSettings
from dsplaybook.lineups.upload import Upload

AT = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")


def started_players(pool: pd.DataFrame, started: tuple[str, ...], at: str | None) -> np.ndarray:
    """Mask of players whose game has started: a listed team's game (both teams), a
    listed game ``AWAY@HOME``, or every game whose start (the export's times) is at or
    before ``at`` ('YYYY-MM-DD HH:MM', the export's time zone)."""
    team, opponent = pool["team"].to_numpy(), pool["opponent"].to_numpy()
    teams = set(team)
    mask = np.zeros(len(pool), dtype=bool)
    for entry in started:
        playing = set(entry.split("@")) if "@" in entry else {entry}
        unknown = playing - teams
        if unknown:
            raise ConfigError(
                f"config: key 'lineups.late_swap.started': {entry!r} names no team of the pool "
                f"({sorted(unknown)[0]!r}); use its team abbreviations or AWAY@HOME"
            )
        mask |= np.isin(team, list(playing)) | np.isin(opponent, list(playing))
    if at is not None:
        if not AT.match(at):
            raise ConfigError(
                f"config: key 'lineups.late_swap.at': {at!r}; write it as 'YYYY-MM-DD HH:MM'"
            )
        start = pool["start"].to_numpy(str)
        if not (start != "").any():
            raise ConfigError(
                "config: key 'lineups.late_swap.at': this export has no game start times "
                "(FanDuel's has none); list the started teams or games in 'started'"
            )
        mask |= (start != "") & (start <= at)
    return mask


@dataclass(frozen=True)
class Swapped:
    lineups: list[np.ndarray]
    slots: list[list[str]]
    notes: list[str]  # one line per lineup kept as submitted


def late_swap(
    pool: pd.DataFrame,
    rules: RosterRules,
    settings: LineupSettings,
    submitted: Upload,
    started: np.ndarray,
) -> Swapped:
    counts = exposure_counts(pool, settings)
    limit = overlap_limit(settings, rules)
    index_of = {pid: i for i, pid in enumerate(pool["id"].astype(str))}
    open_settings = settings.model_copy(
        update={
            "lock": tuple(p for p in settings.lock if not started[index_of[p]]),
            "exclude": tuple(p for p in settings.exclude if not started[index_of[p]]),
        }
    )
    f = expanded(formulate(pool, rules, open_settings, by_slot=True))
    group_names = [g.name for g in rules.slots]
    used = np.zeros(len(pool), dtype=int)
    team_used = np.zeros(len(counts.teams), dtype=int)
    lineups: list = []
    slots: list = []
    notes: list = []
    for k, (lineup, names) in enumerate(zip(submitted.lineups, submitted.slots, strict=True)):
        kept = {(int(p), s) for p, s in zip(lineup, names, strict=True) if started[p]}
        kept_players = {p for p, _ in kept}
        groups = dict(f.groups)
        groups["players in started games"] = _started_columns(f, started, kept, group_names)
        # the started players two submitted lineups share cannot be undone
        limits = [max(limit, len(kept_players & set(e.tolist()))) for e in lineups]
        exhausted = counts.exhausted(used, team_used)
        exhausted[list(kept_players)] = False  # already in this lineup: stays
        for j, (earlier, cap) in enumerate(zip(lineups, limits, strict=True)):
            groups[f"overlap with swapped lineup {j + 1}"] = f.overlap_row(earlier, cap)
        groups.update(dynamic_groups(f, [], exhausted, limit))
        y = best_lineup(f, groups)
        if y is None:
            players, chosen = np.asarray(lineup), list(names)
            notes.append(
                f"lineup {k + 1}: no swap meets every rule with its started players; kept as "
                "submitted"
            )
        else:
            players, group_of = f.lineup_of(y)
            chosen = [group_names[g] for g in group_of]
        lineups.append(players)
        slots.append(chosen)
        used[players] += 1
        team_used[np.unique(counts.team_of[players])] += 1
    return Swapped(lineups, slots, notes)


def _started_columns(
    f: Formulation, started: np.ndarray, kept: set[tuple[int, str]], group_names: list[str]
) -> RowGroup:
    """Columns of started players fixed: 1 for each kept player in his own slot group,
    0 for every other (player, slot) of a started game."""
    columns = np.flatnonzero((f.player >= 0) & started[np.maximum(f.player, 0)])
    value = np.array([float((int(f.player[c]), group_names[f.group[c]]) in kept) for c in columns])
    matrix = sparse.csr_matrix(
        (np.ones(len(columns)), (np.arange(len(columns)), columns)),
        shape=(len(columns), len(f.player)),
    )
    return RowGroup(matrix, value, value)
