"""Roster rules of daily-fantasy sites: salary cap and the slots a lineup fills.

A roster is a list of slot groups: a name, the positions that may fill it and how many
such slots there are (DraftKings NBA: PG, SG, SF, PF, C, then G = PG/SG, F = SF/PF and
UTIL = any). A player whose export lists several positions (``PG/SG``) may fill any slot
one of them is eligible for. Lineups are built by assigning players to slots, never by
per-position counts: counts cannot tell that three PGs and two SGs leave DraftKings' G
slot double-booked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from dsplaybook.errors import ConfigError

POSITION_SEPARATOR = "/"


def _natural(text: str) -> tuple:
    """'T10' after 'T9'."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


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
class Multiplier:
    """A single-game slot that scores (and may cost) more: DraftKings' captain (CPT:
    1.5× points and 1.5× salary), FanDuel's MVP, STAR and PRO (points only)."""

    slot: str  # the slot's position token (CPT, MVP, …): copies are listed at it
    points: float
    salary: float = 1.0


@dataclass(frozen=True)
class PositionCap:
    """At most ``limit`` players listed at any of ``positions`` in a lineup (``per_team``:
    from one team): FanDuel single-game NFL's two QBs, the sites' MLB hitters per team."""

    positions: frozenset[str]
    limit: int
    per_team: bool = False


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
    sport: str = ""
    mode: str = "classic"  # classic, captain (DraftKings showdown), single_game, tiers
    # single-game slots: each player also listed at the slot (a copy tied to him, or the
    # export's own CPT row), at these multiples of points and salary
    multipliers: tuple[Multiplier, ...] = ()
    no_multiplier: frozenset[str] = frozenset()  # positions without such a copy (LoL TEAM)
    position_caps: tuple[PositionCap, ...] = ()
    # positions the site's min_teams does not count (DraftKings NHL: goalies)
    teams_exclude: frozenset[str] = frozenset()

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

    @property
    def multiplier_slots(self) -> frozenset[str]:
        return frozenset(m.slot for m in self.multipliers)

    def for_pool(self, positions: Iterable[str]) -> RosterRules:
        """Tiers (DraftKings Tiers): one slot per tier the pool lists (T1, T2, …, in
        natural order); other rosters as they are."""
        if self.mode != "tiers":
            return self
        tiers = sorted({p for listed in positions for p in player_positions(listed)}, key=_natural)
        return replace(self, slots=tuple(SlotGroup(t, frozenset([t]), 1) for t in tiers))

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
