"""Roster rules of daily-fantasy sites: salary cap and the slots a lineup fills.

A roster is a list of slot groups: a name, the positions that may fill it and how many
such slots there are (DraftKings NBA: PG, SG, SF, PF, C, then G = PG/SG, F = SF/PF and
UTIL = any). A player whose export lists several positions (``PG/SG``) may fill any slot
one of them is eligible for. Lineups are built by assigning players to slots, never by
per-position counts: counts cannot tell that three PGs and two SGs leave DraftKings' G
slot double-booked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from dsplaybook.errors import ConfigError

POSITION_SEPARATOR = "/"


def player_positions(position: str) -> frozenset[str]:
    """``'PG/SG'`` -> {PG, SG}: the positions an export lists for one player."""
    return frozenset(p.strip() for p in position.split(POSITION_SEPARATOR) if p.strip())


def plays(listed: Iterable[str], wanted: Iterable[str]) -> np.ndarray:
    """Mask of players (their export's position text) listed at any of ``wanted``."""
    wanted = set(wanted)
    return np.array([bool(player_positions(p) & wanted) for p in listed], dtype=bool)


@dataclass(frozen=True)
class SlotGroup:
    name: str  # as the sites print it: QB, FLEX, UTIL, …
    eligible: frozenset[str]  # positions that may fill it
    count: int  # identical slots of this kind


@dataclass(frozen=True)
class RosterRules:
    name: str
    salary_cap: int
    slots: tuple[SlotGroup, ...]
    quarterback: str = "QB"
    defense: str = "D"
    receivers: tuple[str, ...] = ("WR", "TE")
    # the site's own team and game rules (None: the site has none); lineups.max_per_team,
    # min_teams and min_games default to these ("site")
    max_per_team: int | None = None
    min_teams: int | None = None
    min_games: int | None = None
    # the bulk-upload file (lineups/upload.py): its format, and the column name of each
    # slot group when the site's template names it otherwise (FanDuel's D slot is DEF)
    site: str = "custom"
    upload_names: tuple[tuple[str, str], ...] = ()

    @property
    def size(self) -> int:
        return sum(group.count for group in self.slots)

    @property
    def positions(self) -> tuple[str, ...]:
        """Every position some slot accepts, in roster order."""
        seen: dict[str, None] = {}
        for group in self.slots:
            seen.update(dict.fromkeys(sorted(group.eligible)))
        return tuple(seen)

    def groups_for(self, position: str) -> list[int]:
        """Indices of the slot groups a player listed as ``position`` may fill."""
        mine = player_positions(position)
        return [g for g, group in enumerate(self.slots) if group.eligible & mine]

    def slot_names(self) -> list[str]:
        """One name per slot, in roster order (RB, RB, WR, …)."""
        return [group.name for group in self.slots for _ in range(group.count)]

    def upload_header(self) -> list[str]:
        """The bulk-upload file's column per slot, in roster order."""
        rename = dict(self.upload_names)
        return [rename.get(name, name) for name in self.slot_names()]

    def assign_slots(self, positions: list[str]) -> list[str] | None:
        """Slot names for players listed as ``positions`` (one each, every slot filled once),
        found by augmenting paths (Kuhn's algorithm); None when no such assignment exists."""
        slots = [(g.name, g.eligible) for g in self.slots for _ in range(g.count)]
        if len(positions) != len(slots):
            return None
        holder: list[int | None] = [None] * len(slots)  # slot -> player

        def place(player: int, seen: set[int]) -> bool:
            mine = player_positions(positions[player])
            for s, (_, eligible) in enumerate(slots):
                if s in seen or not eligible & mine:
                    continue
                seen.add(s)
                current = holder[s]
                if current is None or place(current, seen):
                    holder[s] = player
                    return True
            return False

        if not all(place(p, set()) for p in range(len(positions))):
            return None
        slot_of = {player: slots[s][0] for s, player in enumerate(holder)}
        return [slot_of[p] for p in range(len(positions))]

    @classmethod
    def from_config(cls, spec: str | Mapping) -> RosterRules:
        """``lineups.roster``: a preset name or a custom mapping (see ``custom_rules``)."""
        if isinstance(spec, str):
            if spec not in PRESETS:
                raise ConfigError(
                    f"config: key 'lineups.roster': unknown preset {spec!r}; "
                    f"use one of {', '.join(PRESETS)} or a mapping with salary_cap and slots"
                )
            return PRESETS[spec]
        return custom_rules(spec)


def _roster(name: str, cap: int, *slots: tuple[str, str, int], **roles) -> RosterRules:
    """Preset shorthand: (slot name, eligible positions as 'RB/WR/TE', count)."""
    groups = tuple(SlotGroup(n, player_positions(e), c) for n, e, c in slots)
    return RosterRules(name=name, salary_cap=cap, slots=groups, **roles)


NBA_POSITIONS = "PG/SG/SF/PF/C"

# Site rules, as pydfs-lineup-optimizer 3.6.1 carries them (sites/*/classic/settings.py)
# and the sites' rules pages state: FanDuel classic contests take at most 4 players from
# one team and players from at least 3 teams; DraftKings classic NFL and NBA contests
# take players from at least 2 different games.
FANDUEL = {"site": "fanduel", "max_per_team": 4, "min_teams": 3}
DRAFTKINGS = {"site": "draftkings", "min_games": 2}

# The registry of roster presets (the schema's lineups.roster enum is tested against it).
PRESETS = {
    # FanDuel NFL today: one FLEX (RB/WR/TE), no kicker.
    "fanduel_nfl": _roster(
        "fanduel_nfl",
        60_000,
        ("QB", "QB", 1),
        ("RB", "RB", 2),
        ("WR", "WR", 3),
        ("TE", "TE", 1),
        ("FLEX", "RB/WR/TE", 1),
        ("D", "D", 1),
        # FanDuel's NFL upload template heads the defense column DEF
        upload_names=(("D", "DEF"),),
        **FANDUEL,
    ),
    # FanDuel NFL until 2019 (and its 2015 exports): a kicker and no flex.
    "fanduel_nfl_kicker": _roster(
        "fanduel_nfl_kicker",
        60_000,
        ("QB", "QB", 1),
        ("RB", "RB", 2),
        ("WR", "WR", 3),
        ("TE", "TE", 1),
        ("K", "K", 1),
        ("D", "D", 1),
        **FANDUEL,
    ),
    "draftkings_nfl": _roster(
        "draftkings_nfl",
        50_000,
        ("QB", "QB", 1),
        ("RB", "RB", 2),
        ("WR", "WR", 3),
        ("TE", "TE", 1),
        ("FLEX", "RB/WR/TE", 1),
        ("DST", "DST", 1),
        defense="DST",
        **DRAFTKINGS,
    ),
    "fanduel_nba": _roster(
        "fanduel_nba",
        60_000,
        ("PG", "PG", 2),
        ("SG", "SG", 2),
        ("SF", "SF", 2),
        ("PF", "PF", 2),
        ("C", "C", 1),
        **FANDUEL,
    ),
    "draftkings_nba": _roster(
        "draftkings_nba",
        50_000,
        ("PG", "PG", 1),
        ("SG", "SG", 1),
        ("SF", "SF", 1),
        ("PF", "PF", 1),
        ("C", "C", 1),
        ("G", "PG/SG", 1),
        ("F", "SF/PF", 1),
        ("UTIL", NBA_POSITIONS, 1),
        **DRAFTKINGS,
    ),
}


def custom_rules(spec: Mapping) -> RosterRules:
    """A mapping with salary_cap, slots {POS: n} (n slots only POS fills), optional flex
    [{name, positions: [...], count: n}] (n slots any of those positions fills) and the
    quarterback/defense/receivers positions the stacking rules use, and its own team and
    game rules (max_per_team, min_teams, min_games; none by default)."""
    groups = []
    for pos, count in spec["slots"].items():
        if not isinstance(count, int):
            raise ConfigError(
                f"config: key 'lineups.roster.slots.{pos}': {count!r} is not a number of "
                f"slots; give a count and put shared slots under lineups.roster.flex, e.g. "
                f"flex: [{{name: FLEX, positions: [RB, WR, TE], count: 1}}]"
            )
        if count:
            groups.append(SlotGroup(pos, frozenset([pos]), count))
    known = set(spec["slots"])
    for k, flex in enumerate(spec.get("flex", [])):
        for pos in flex["positions"]:
            if pos not in known:
                raise ConfigError(
                    f"config: key 'lineups.roster.flex': position {pos!r} has no slot; "
                    f"add it to lineups.roster.slots (0 if only flex slots take it)"
                )
        name = flex.get("name") or ("FLEX" if k == 0 else f"FLEX{k + 1}")
        groups.append(SlotGroup(name, frozenset(flex["positions"]), flex["count"]))
    if not groups:
        raise ConfigError("config: key 'lineups.roster.slots': a roster needs at least one slot")
    roles = {
        k: spec[k]
        for k in ("quarterback", "defense", "max_per_team", "min_teams", "min_games")
        if spec.get(k) is not None
    }
    if spec.get("receivers") is not None:
        roles["receivers"] = tuple(spec["receivers"])
    return RosterRules(
        name=spec.get("name") or "custom",
        salary_cap=int(spec["salary_cap"]),
        slots=tuple(groups),
        **roles,
    )
