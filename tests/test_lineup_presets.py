"""Every roster preset against the settings pydfs-lineup-optimizer 3.6.1 ships
(tests/data/pydfs_3_6_1_settings.json, dumped from the installed package by
bench/pydfs_settings.py), and every preset's lineup through its upload file and back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lineup_fixtures import preset_pool

from dsplaybook.lineups.checks import portfolio_violations
from dsplaybook.lineups.optimize import LineupSettings, optimize_lineups
from dsplaybook.lineups.presets import NO_CAP, PRESETS
from dsplaybook.lineups.upload import read_upload, upload_table

PYDFS = json.loads((Path(__file__).parent / "data" / "pydfs_3_6_1_settings.json").read_text())
SITE = {
    "DRAFTKINGS": ("draftkings", ""),
    "DRAFTKINGS_CAPTAIN_MODE": ("draftkings", "_showdown"),
    "DRAFTKINGS_TIERS": ("draftkings", "_tiers"),
    "FANDUEL": ("fanduel", ""),
    "FANDUEL_SINGLE_GAME": ("fanduel", "_single_game"),
    "YAHOO": ("yahoo", ""),
    "FANTASY_DRAFT": ("fantasydraft", ""),
    "FANBALL": ("fanball", ""),
}
SPORT = {
    "FOOTBALL": "nfl",
    "BASKETBALL": "nba",
    "WNBA": "wnba",
    "HOCKEY": "nhl",
    "BASEBALL": "mlb",
    "GOLF": "golf",
    "SOCCER": "soccer",
    "CANADIAN_FOOTBALL": "cfl",
    "MMA": "mma",
    "NASCAR": "nascar",
    "TENNIS": "tennis",
    "LEAGUE_OF_LEGENDS": "lol",
    "CS": "csgo",
}
# pydfs' extra rules and the preset fields that carry them
EXTRA_RULES = {
    "DraftKingsBaseballRosterRule": ("hitters per team", 5),
    "FanduelBaseballRosterRule": ("hitters per team", 4),
    "FanduelSingleGameMaxQBRule": ("QB", 2),
}
# pydfs' importers that list each player again at a multiplier slot, and the points
# multiples (sites/*/importer.py)
MULTIPLIERS = {
    "DraftKingsCaptainModeCSVImporter": {"CPT": 1.5},
    "FanDuelMVPCSVImporter": {"MVP": 1.5},
    "FanDuelLOLCSVImporter": {"STAR": 1.5},
    "FanDuelSingleGameHockeyCSVImporter": {"CAPTAIN": 1.5},
}


def _preset_name(cls: str, entry: dict) -> str:
    site, mode = SITE[entry["site"]]
    sport = "cfb" if cls == "DraftKingsCollegeFootballSettings" else SPORT[entry["sport"]]
    return f"{site}_{sport}{mode}"


def test_every_pydfs_site_sport_and_mode_has_a_preset():
    names = {_preset_name(cls, e) for cls, e in PYDFS.items()}
    assert len(PYDFS) == 50 and len(names) == 50
    assert names <= set(PRESETS)
    assert set(PRESETS) - names == {"fanduel_nfl_kicker"}  # FanDuel's 2015 rules


@pytest.mark.parametrize("cls", sorted(PYDFS))
def test_each_preset_has_pydfs_rules(cls):
    entry = PYDFS[cls]
    rules = PRESETS[_preset_name(cls, entry)]
    assert rules.salary_cap == (entry["budget"] or NO_CAP)
    assert (rules.max_per_team, rules.min_teams, rules.min_games) == (
        entry["max_from_one_team"],
        entry["min_teams"],
        entry["min_games"],
    )
    assert rules.teams_exclude == frozenset(entry["total_teams_exclude_positions"])
    if rules.mode == "tiers":
        assert entry["positions"] == [] and entry["extra_rules"] == ["DraftKingsTiersRule"]
        return
    slots = [(name, frozenset(eligible)) for name, eligible in entry["positions"]]
    mine = [
        (name, g.eligible)
        for name, g in zip(
            rules.upload_header(), (g for g in rules.slots for _ in range(g.count)), strict=True
        )
    ]
    assert [n for n, _ in mine] == [n for n, _ in slots]
    for (_, ours), (name, theirs) in zip(mine, slots, strict=True):
        # a showdown FLEX/UTIL takes its token (pydfs') and players' own positions (copies)
        assert theirs <= ours if rules.mode == "captain" else theirs == ours, name
    caps = {(tuple(sorted(c.positions)), c.limit, c.per_team) for c in rules.position_caps}
    expected = set()
    for rule in entry["extra_rules"]:
        what, limit = EXTRA_RULES[rule]
        positions = ("1B", "2B", "3B", "C", "OF", "SS") if what.startswith("hitters") else (what,)
        expected.add((positions, limit, what.startswith("hitters")))
    assert caps == expected
    multiples = MULTIPLIERS.get(entry["csv_importer"], {})
    if entry["csv_importer"] == "FanDuelSingleGameCSVImporter":  # MVP 2, STAR 1.5, PRO 1.2
        multiples = {"MVP": 2.0, "STAR": 1.5, "PRO": 1.2}
        multiples = {k: v for k, v in multiples.items() if any(n == k for n, _ in slots)}
    assert {m.slot: m.points for m in rules.multipliers} == multiples


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_a_lineup_of_every_preset_passes_the_checker_and_rereads_from_its_upload(preset, tmp_path):
    rules = PRESETS[preset]
    pool = preset_pool(rules, seed=3)
    rules = rules.for_pool(pool["position"])
    settings = LineupSettings(
        n_lineups=2, stack=False, avoid_opposing_defense=False, max_exposure=1.0
    ).model_copy(update={"max_per_team": None, "min_teams": None, "min_games": None})
    result = optimize_lineups(pool, rules, settings)
    assert portfolio_violations(pool, result.lineups, rules, settings, result.slots) == []
    path = tmp_path / "upload.csv"
    upload_table(pool, result.lineups, result.slots, rules).to_csv(path, index=False)
    back = read_upload(path, pool, rules)
    assert [list(x) for x in back.lineups] == [list(x) for x in result.lineups]
    assert back.slots == result.slots


def test_the_docs_table_lists_every_preset():
    docs = (Path(__file__).parents[1] / "docs" / "lineups.md").read_text()
    assert [name for name in PRESETS if f"| `{name}` |" not in docs] == []
