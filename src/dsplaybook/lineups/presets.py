"""The registry of roster presets: every site × sport × mode pydfs-lineup-optimizer 3.6.1
ships (``sites/*/settings.py``, dumped to tests/data/pydfs_3_6_1_settings.json by
bench/pydfs_settings.py and held against this table by tests/test_lineup_presets.py),
plus FanDuel NFL with a kicker (its 2015 rules).

Names are ``<site>_<sport>[_<mode>]``: ``draftkings_mlb``, ``fanduel_nhl``,
``draftkings_nfl_showdown`` (captain mode), ``fanduel_nba_single_game``,
``draftkings_nba_tiers``. docs/lineups.md lists them all.

Each entry is (site, sport, salary cap, slots, the site's team rules and what else its
rules say): slots are (name as the site's upload template heads it, eligible positions
as 'RB/WR/TE', count), in the template's order.
"""

from __future__ import annotations

from collections.abc import Mapping

from dsplaybook.errors import ConfigError
from dsplaybook.lineups.rosters import (
    Multiplier,
    PositionCap,
    RosterRules,
    SlotGroup,
    custom_rules,
    player_positions,
)

Slots = tuple[tuple[str, str, int], ...]
HITTERS = frozenset({"C", "1B", "2B", "3B", "SS", "OF"})
NO_CAP = 1_000_000_000  # DraftKings Tiers: no salary, one player per tier

# Single-game multipliers, as the sites score them (and pydfs' importers apply them).
# DraftKings' captain costs 1.5× too: its export lists him on a row of his own (Roster
# Position CPT) at that salary, and a pool without such rows gets copies at 1.5×.
CAPTAIN = (Multiplier("CPT", 1.5, 1.5),)
FD_MVP = (Multiplier("MVP", 1.5),)
FD_NBA_SINGLE = (Multiplier("MVP", 2.0), Multiplier("STAR", 1.5), Multiplier("PRO", 1.2))
FD_SINGLE = (Multiplier("MVP", 2.0), Multiplier("STAR", 1.5))

# Positions a DraftKings showdown FLEX/UTIL slot takes besides the export's Roster
# Position token: a pool without CPT rows (copies made here) keeps players' own positions.
SHOWDOWN_POSITIONS = {
    "nfl": "QB/RB/WR/TE/K/DST",
    "nba": "PG/SG/SF/PF/C/G/F",
    "wnba": "PG/SG/SF/PF/C/G/F",
    "mlb": "P/SP/RP/C/1B/2B/3B/SS/OF",
    "nhl": "C/W/LW/RW/D/G",
    "soccer": "GK/D/M/F",
    "csgo": "",
}


def _showdown(sport: str, flex: str, **rules) -> tuple:
    positions = "/".join(p for p in (flex, SHOWDOWN_POSITIONS[sport]) if p)
    slots = (("CPT", "CPT", 1), (flex, positions, 5))
    rules = {"max_per_team": 5, **rules}
    return ("draftkings", sport, 50_000, slots, dict(rules, mode="captain", multipliers=CAPTAIN))


def _single_game(sport: str, slots: Slots, multipliers, **rules) -> tuple:
    rules = dict(rules, mode="single_game", multipliers=multipliers, max_per_team=4)
    return ("fanduel", sport, 60_000, slots, rules)


def _tiers(sport: str) -> tuple:
    return ("draftkings", sport, NO_CAP, (), dict(mode="tiers", min_games=2))


DK_NFL = dict(defense="DST", min_games=2)
DK_NBA = (
    ("PG", "PG", 1),
    ("SG", "SG", 1),
    ("SF", "SF", 1),
    ("PF", "PF", 1),
    ("C", "C", 1),
    ("G", "PG/SG", 1),
    ("F", "PF/SF", 1),
    ("UTIL", "C/PF/PG/SF/SG", 1),
)
FD_CLASSIC = dict(max_per_team=4, min_teams=3)
FANTASY_DRAFT = dict(max_per_team=6)
YAHOO = dict(max_per_team=6)
LOL: Slots = (
    ("TOP", "TOP", 1),
    ("JNG", "JNG", 1),
    ("MID", "MID", 1),
    ("ADC", "ADC", 1),
    ("SUP", "SUP", 1),
    ("TEAM", "TEAM", 1),
)

TABLE: dict[str, tuple] = {
    # DraftKings classic
    "draftkings_nfl": (
        "draftkings",
        "nfl",
        50_000,
        (
            ("QB", "QB", 1),
            ("RB", "RB", 2),
            ("WR", "WR", 3),
            ("TE", "TE", 1),
            ("FLEX", "RB/WR/TE", 1),
            ("DST", "DST", 1),
        ),
        DK_NFL,
    ),
    "draftkings_nba": ("draftkings", "nba", 50_000, DK_NBA, dict(min_games=2)),
    "draftkings_wnba": (
        "draftkings",
        "wnba",
        50_000,
        (("G", "PG/SG", 2), ("F", "PF/SF", 3), ("UTIL", "C/PF/PG/SF/SG", 1)),
        dict(min_games=2),
    ),
    "draftkings_mlb": (
        "draftkings",
        "mlb",
        50_000,
        (
            ("P", "RP/SP", 2),
            ("C", "C", 1),
            ("1B", "1B", 1),
            ("2B", "2B", 1),
            ("3B", "3B", 1),
            ("SS", "SS", 1),
            ("OF", "OF", 3),
        ),
        # DraftKingsBaseballRosterRule: at most 5 hitters from one team
        dict(min_games=2, position_caps=(PositionCap(HITTERS, 5, per_team=True),)),
    ),
    "draftkings_nhl": (
        "draftkings",
        "nhl",
        50_000,
        (
            ("C", "C", 2),
            ("W", "LW/RW", 3),
            ("D", "D", 2),
            ("G", "G", 1),
            ("UTIL", "C/D/LW/RW", 1),
        ),
        # skaters from at least 3 teams: the goalie's team does not count
        dict(min_teams=3, teams_exclude=frozenset({"G"}), defense="G"),
    ),
    "draftkings_soccer": (
        "draftkings",
        "soccer",
        50_000,
        (
            ("GK", "GK", 1),
            ("D", "D", 2),
            ("M", "M", 2),
            ("F", "F", 2),
            ("UTIL", "D/F/M", 1),
        ),
        dict(min_teams=3, defense="GK"),
    ),
    "draftkings_cfl": (
        "draftkings",
        "cfl",
        50_000,
        (
            ("QB", "QB", 1),
            ("RB", "RB", 1),
            ("WR", "WR", 2),
            ("FLEX", "RB/WR", 2),
            ("DST", "DST", 1),
        ),
        dict(min_teams=2, defense="DST", receivers=("WR",)),
    ),
    # pydfs labels this roster's sport CANADIAN_FOOTBALL; its class is College Football
    "draftkings_cfb": (
        "draftkings",
        "cfb",
        50_000,
        (
            ("QB", "QB", 1),
            ("RB", "RB", 2),
            ("WR", "WR", 3),
            ("FLEX", "RB/WR", 1),
            ("SUPER FLEX", "QB/RB/WR", 1),
        ),
        dict(min_games=2, receivers=("WR",)),
    ),
    "draftkings_golf": ("draftkings", "golf", 50_000, (("G", "G", 6),), {}),
    "draftkings_mma": ("draftkings", "mma", 50_000, (("F", "F", 6),), {}),
    "draftkings_nascar": ("draftkings", "nascar", 50_000, (("D", "D", 6),), {}),
    "draftkings_tennis": ("draftkings", "tennis", 50_000, (("P", "P", 6),), {}),
    "draftkings_csgo": _showdown("csgo", "FLEX", max_per_team=3, min_games=2),
    # DraftKings showdown (captain mode)
    "draftkings_nfl_showdown": _showdown("nfl", "FLEX", defense="DST"),
    "draftkings_nba_showdown": _showdown("nba", "UTIL"),
    "draftkings_wnba_showdown": _showdown("wnba", "UTIL"),
    "draftkings_mlb_showdown": _showdown("mlb", "UTIL"),
    "draftkings_nhl_showdown": _showdown("nhl", "FLEX", defense="G"),
    "draftkings_soccer_showdown": _showdown("soccer", "FLEX", defense="GK"),
    "draftkings_lol_showdown": (
        "draftkings",
        "lol",
        50_000,
        (("CPT", "CPT", 1), *LOL),
        dict(mode="captain", multipliers=CAPTAIN, max_per_team=4, min_games=2),
    ),
    # DraftKings Tiers: one player per tier, no salary
    "draftkings_nfl_tiers": _tiers("nfl"),
    "draftkings_nba_tiers": _tiers("nba"),
    "draftkings_mlb_tiers": _tiers("mlb"),
    "draftkings_nhl_tiers": _tiers("nhl"),
    # FanDuel classic
    "fanduel_nfl": (
        "fanduel",
        "nfl",
        60_000,
        (
            ("QB", "QB", 1),
            ("RB", "RB", 2),
            ("WR", "WR", 3),
            ("TE", "TE", 1),
            ("FLEX", "RB/WR/TE", 1),
            ("D", "D", 1),
        ),
        # FanDuel's NFL upload template heads the defense column DEF
        dict(FD_CLASSIC, upload_names=(("D", "DEF"),)),
    ),
    # FanDuel NFL until 2019 (and its 2015 exports): a kicker and no flex (not in pydfs)
    "fanduel_nfl_kicker": (
        "fanduel",
        "nfl",
        60_000,
        (
            ("QB", "QB", 1),
            ("RB", "RB", 2),
            ("WR", "WR", 3),
            ("TE", "TE", 1),
            ("K", "K", 1),
            ("D", "D", 1),
        ),
        FD_CLASSIC,
    ),
    "fanduel_nba": (
        "fanduel",
        "nba",
        60_000,
        (("PG", "PG", 2), ("SG", "SG", 2), ("SF", "SF", 2), ("PF", "PF", 2), ("C", "C", 1)),
        FD_CLASSIC,
    ),
    "fanduel_wnba": ("fanduel", "wnba", 40_000, (("G", "G", 3), ("F", "F", 4)), FD_CLASSIC),
    "fanduel_mlb": (
        "fanduel",
        "mlb",
        35_000,
        (
            ("P", "P", 1),
            ("C/1B", "1B/C", 1),
            ("2B", "2B", 1),
            ("3B", "3B", 1),
            ("SS", "SS", 1),
            ("OF", "OF", 3),
            ("UTIL", "1B/2B/3B/C/OF/SS", 1),
        ),
        # FanduelBaseballRosterRule: at most 4 hitters from one team
        dict(max_per_team=5, min_teams=3, position_caps=(PositionCap(HITTERS, 4, per_team=True),)),
    ),
    "fanduel_nhl": (
        "fanduel",
        "nhl",
        55_000,
        (("C", "C", 2), ("W", "W", 2), ("D", "D", 2), ("UTIL", "C/D/W", 2), ("G", "G", 1)),
        dict(FD_CLASSIC, defense="G"),
    ),
    "fanduel_golf": ("fanduel", "golf", 60_000, (("G", "G", 6),), {}),
    "fanduel_nascar": ("fanduel", "nascar", 50_000, (("D", "D", 5),), {}),
    "fanduel_mma": (
        "fanduel",
        "mma",
        100,
        (("MVP", "MVP", 1), ("F", "F", 5)),
        dict(multipliers=FD_MVP),
    ),
    "fanduel_lol": (
        "fanduel",
        "lol",
        60_000,
        (("STAR", "STAR", 1), *LOL),
        dict(
            FD_CLASSIC,
            multipliers=(Multiplier("STAR", 1.5),),
            no_multiplier=frozenset({"TEAM"}),
        ),
    ),
    # FanDuel single game
    "fanduel_nfl_single_game": _single_game(
        "nfl",
        (("MVP", "MVP", 1), ("UTIL", "K/QB/RB/TE/WR", 4)),
        FD_MVP,
        # FanduelSingleGameMaxQBRule: at most 2 QBs
        position_caps=(PositionCap(frozenset({"QB"}), 2),),
    ),
    "fanduel_nba_single_game": _single_game(
        "nba",
        (("MVP", "MVP", 1), ("STAR", "STAR", 1), ("PRO", "PRO", 1), ("UTIL", "C/PF/PG/SF/SG", 2)),
        FD_NBA_SINGLE,
    ),
    "fanduel_mlb_single_game": _single_game(
        "mlb",
        (("MVP", "MVP", 1), ("STAR", "STAR", 1), ("UTIL", "1B/2B/3B/C/OF/SS", 3)),
        FD_SINGLE,
    ),
    "fanduel_nhl_single_game": _single_game(
        "nhl", (("CAPTAIN", "CAPTAIN", 1), ("UTIL", "C/D/W", 4)), (Multiplier("CAPTAIN", 1.5),)
    ),
    "fanduel_lol_single_game": _single_game(
        "lol",
        (("MVP", "MVP", 1), ("STAR", "STAR", 1), ("UTIL", "ADC/JNG/MID/SUP/TOP", 3)),
        FD_SINGLE,
    ),
    # Yahoo
    "yahoo_nfl": (
        "yahoo",
        "nfl",
        200,
        (
            ("QB", "QB", 1),
            ("WR", "WR", 3),
            ("RB", "RB", 2),
            ("TE", "TE", 1),
            ("FLEX", "RB/TE/WR", 1),
            ("DEF", "DEF", 1),
        ),
        dict(YAHOO, defense="DEF"),
    ),
    "yahoo_nba": ("yahoo", "nba", 200, DK_NBA, YAHOO),
    "yahoo_mlb": (
        "yahoo",
        "mlb",
        200,
        (
            ("P", "P", 2),
            ("C", "C", 1),
            ("1B", "1B", 1),
            ("2B", "2B", 1),
            ("3B", "3B", 1),
            ("SS", "SS", 1),
            ("OF", "OF", 3),
        ),
        YAHOO,
    ),
    "yahoo_nhl": (
        "yahoo",
        "nhl",
        200,
        (("G", "G", 2), ("C", "C", 2), ("W", "LW/RW", 3), ("D", "D", 2)),
        dict(YAHOO, defense="G"),
    ),
    "yahoo_golf": ("yahoo", "golf", 200, (("G", "G", 6),), YAHOO),
    "yahoo_soccer": (
        "yahoo",
        "soccer",
        200,
        (("GK", "GK", 1), ("D", "D", 3), ("M", "M", 4), ("F", "F", 2), ("UTIL", "D/F/M", 1)),
        dict(YAHOO, defense="GK"),
    ),
    # FantasyDraft
    "fantasydraft_nfl": (
        "fantasydraft",
        "nfl",
        100_000,
        (
            ("QB", "QB", 1),
            ("RB", "RB", 2),
            ("WR", "WR", 2),
            ("TE", "TE", 1),
            ("FLEX", "RB/TE/WR", 2),
            ("DST", "DST", 1),
        ),
        dict(FANTASY_DRAFT, defense="DST"),
    ),
    "fantasydraft_nba": (
        "fantasydraft",
        "nba",
        100_000,
        (("G", "PG/SG", 3), ("F/C", "C/PF/SF", 3), ("UTIL", "C/PF/PG/SF/SG", 2)),
        FANTASY_DRAFT,
    ),
    "fantasydraft_mlb": (
        "fantasydraft",
        "mlb",
        100_000,
        (
            ("P", "P", 2),
            ("IF", "1B/2B/3B/C/IF/SS", 3),
            ("OF", "CF/LF/OF/RF", 3),
            ("UTIL", "1B/2B/3B/C/CF/IF/LF/OF/RF/SS", 2),
        ),
        FANTASY_DRAFT,
    ),
    "fantasydraft_nhl": (
        "fantasydraft",
        "nhl",
        100_000,
        (("C", "C", 2), ("W", "W", 2), ("D", "D", 1), ("UTIL", "C/D/W", 2), ("Team G", "TG", 1)),
        dict(FANTASY_DRAFT, defense="TG"),
    ),
    "fantasydraft_golf": ("fantasydraft", "golf", 100_000, (("G", "G", 7),), {}),
    # FanBall
    "fanball_nfl": (
        "fanball",
        "nfl",
        55_000,
        (
            ("QB", "QB", 1),
            ("WR1", "WR", 1),
            ("WR2", "WR", 1),
            ("WR3", "WR", 1),
            ("RB1", "RB", 1),
            ("RB2", "RB", 1),
            ("TE", "TE", 1),
            ("FLEX", "RB/TE/WR", 1),
            ("DST", "DST", 1),
        ),
        dict(defense="DST"),
    ),
}


def _build(name: str, site: str, sport: str, cap: int, slots: Slots, rules: dict) -> RosterRules:
    groups = tuple(SlotGroup(n, player_positions(e), c) for n, e, c in slots)
    return RosterRules(name=name, salary_cap=cap, slots=groups, site=site, sport=sport, **rules)


# The registry of roster presets (the schema's lineups.roster enum is tested against it).
PRESETS: dict[str, RosterRules] = {name: _build(name, *entry) for name, entry in TABLE.items()}


def roster_rules(spec: str | Mapping) -> RosterRules:
    """``lineups.roster``: a preset name or a custom mapping (see ``custom_rules``)."""
    if isinstance(spec, str):
        if spec not in PRESETS:
            raise ConfigError(
                f"config: key 'lineups.roster': unknown preset {spec!r}; use one of "
                f"{', '.join(PRESETS)} (docs/lineups.md lists them) or a mapping with "
                "salary_cap and slots"
            )
        return PRESETS[spec]
    return custom_rules(spec)
