"""Roster rules of daily-fantasy sites: salary cap, roster size, per-position min/max.

Flex slots are expressed through min/max: DraftKings' RB/WR/TE flex is "RB 2–3,
WR 3–4, TE 1–2, nine players", which is exactly what one flex slot allows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from dsplaybook.errors import ConfigError


@dataclass(frozen=True)
class RosterRules:
    name: str
    salary_cap: int
    size: int
    slots: Mapping[str, tuple[int, int]]  # position -> (min, max) players
    quarterback: str = "QB"
    defense: str = "D"
    receivers: tuple[str, ...] = field(default=("WR", "TE"))

    @property
    def positions(self) -> tuple[str, ...]:
        return tuple(self.slots)

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


# The registry of roster presets (the schema's lineups.roster enum is tested against it).
PRESETS = {
    "fanduel_nfl": RosterRules(
        name="fanduel_nfl",
        salary_cap=60_000,
        size=9,
        slots={"QB": (1, 1), "RB": (2, 2), "WR": (3, 3), "TE": (1, 1), "K": (1, 1), "D": (1, 1)},
        defense="D",
    ),
    "draftkings_nfl": RosterRules(
        name="draftkings_nfl",
        salary_cap=50_000,
        size=9,
        slots={"QB": (1, 1), "RB": (2, 3), "WR": (3, 4), "TE": (1, 2), "DST": (1, 1)},
        defense="DST",
    ),
}


def custom_rules(spec: Mapping) -> RosterRules:
    """A mapping with salary_cap, slots {POS: n or [min, max]}, optional flex
    [{positions: [...], count: n}] and defense position."""
    slots: dict[str, list[int]] = {}
    for pos, count in spec["slots"].items():
        lo, hi = (count, count) if isinstance(count, int) else count
        if lo > hi:
            raise ConfigError(
                f"config: key 'lineups.roster.slots.{pos}': min {lo} exceeds max {hi}"
            )
        slots[pos] = [lo, hi]
    size = sum(lo for lo, _ in slots.values())
    for flex in spec.get("flex", []):
        for pos in flex["positions"]:
            if pos not in slots:
                raise ConfigError(
                    f"config: key 'lineups.roster.flex': position {pos!r} has no slot; "
                    f"add it to lineups.roster.slots"
                )
            slots[pos][1] += flex["count"]
        size += flex["count"]
    size = spec.get("size", size)
    return RosterRules(
        name=spec.get("name", "custom"),
        salary_cap=int(spec["salary_cap"]),
        size=int(size),
        slots={p: (lo, hi) for p, (lo, hi) in slots.items()},
        quarterback=spec.get("quarterback", "QB"),
        defense=spec.get("defense", "D"),
        receivers=tuple(spec.get("receivers", ("WR", "TE"))),
    )
