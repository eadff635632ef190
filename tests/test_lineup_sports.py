"""Single-game captain modes, MLB and NHL rules and the ownership band against
exhaustive search on every engine. Each rule is also shown to bind: the best lineup
without it breaks it (by the independent checker), so each test can fail."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from cvxpy_reference import WITH_REFERENCE as ENGINES
from lineup_fixtures import exact_sequence

from dsplaybook.errors import ConfigError
from dsplaybook.lineups.checks import lineup_violations, portfolio_violations
from dsplaybook.lineups.optimize import LineupSettings, optimize_lineups
from dsplaybook.lineups.presets import PRESETS, roster_rules
from dsplaybook.lineups.rosters import Multiplier, PositionCap, RosterRules, SlotGroup
from dsplaybook.lineups.slot_rows import slot_rows

HITTERS = ["C", "1B", "2B", "3B", "SS", "OF"]
# a small MLB roster: a pitcher and five hitters, two games
MLB = roster_rules({"salary_cap": 30_000, "slots": {"P": 1, "C": 1, "1B": 1, "OF": 3}})


def _players(positions, seed, teams=4, **columns) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    team = [int(t) for t in rng.integers(teams, size=len(positions))]
    return pd.DataFrame(
        {
            "id": [f"p{k}" for k in range(len(positions))],
            "name": [f"{p} {k}" for k, p in enumerate(positions)],
            "position": positions,
            "team": [f"T{t}" for t in team],
            "opponent": [f"T{t ^ 1}" for t in team],
            "salary": [float(s) for s in rng.integers(30, 70, size=len(positions)) * 100],
            "projection": np.round(rng.uniform(2, 25, size=len(positions)), 4),
            "injury": "",
            **columns,
        }
    )


def _value(pool, lineup) -> float:
    return float(pool["projection"].to_numpy()[lineup].sum())


def _holds_exactly_and_binds(pool, rules, settings, free_rules=None, free_settings=None, n=3):
    """Every engine's sequence is the exhaustive one and passes the checker; the best
    lineup without the rule (``free_rules``/``free_settings``) breaks it."""
    settings = settings.model_copy(update={"n_lineups": n})
    expected, _ = exact_sequence(pool, rules, settings)
    assert len(expected) == n
    for name, engine in ENGINES.items():
        result = optimize_lineups(pool, rules, settings, engine=engine)
        assert [_value(pool, x) for x in result.lineups] == pytest.approx(expected), name
        assert portfolio_violations(pool, result.lineups, rules, settings, result.slots) == []
    free = optimize_lineups(
        pool, free_rules or rules, (free_settings or LineupSettings.unconstrained())
    ).lineups[0]
    return lineup_violations(pool, free, rules, settings)


SINGLE_GAME = RosterRules(
    name="showdown",
    salary_cap=24_000,
    slots=(
        SlotGroup("CPT", frozenset({"CPT"}), 1),
        SlotGroup("FLEX", frozenset({"FLEX", "QB", "RB", "WR", "TE"}), 3),
    ),
    multipliers=(Multiplier("CPT", 1.5, 1.5),),
    max_per_team=3,
)


def _showdown_export(seed: int) -> pd.DataFrame:
    """A DraftKings showdown export as read: each player on a FLEX row and a CPT row
    (his own id, 1.5× salary, the same season average)."""
    base = _players(["QB", "QB", "RB", "RB", "WR", "WR", "WR", "TE"], seed, teams=2)
    base.loc[0, "projection"] = 40.0  # a star: the best lineup without the rule has him twice
    cpt = base.assign(id=base["id"] + "c", salary=base["salary"] * 1.5, roster_position="CPT")
    return pd.concat([base.assign(roster_position="FLEX"), cpt], ignore_index=True)


@pytest.mark.parametrize("seed", [0, 1])
def test_a_showdown_export_captain_is_exact_and_one_slot_per_player_binds(seed):
    pool = slot_rows(_showdown_export(seed), SINGLE_GAME)
    captains = pool["position"] == "CPT"
    assert (pool.loc[captains, "position"] == "CPT").all()
    # the CPT row scores 1.5× the player's FLEX row, whatever the export's own column says
    flex = pool[~captains].set_index("person")["projection"]
    assert np.allclose(
        pool.loc[captains, "projection"], 1.5 * pool.loc[captains, "person"].map(flex)
    )
    unlinked = pool.assign(person=pool["id"])  # no tie between a player's two rows
    # exact with the site's team cap on (whether it binds on this draw or not) ...
    _holds_exactly_and_binds(
        pool, SINGLE_GAME, LineupSettings.unconstrained(max_per_team="site"), SINGLE_GAME
    )
    # ... and the best lineup without the tie holds the star twice: the tie binds
    free = optimize_lineups(unlinked, SINGLE_GAME, LineupSettings.unconstrained()).lineups[0]
    assert lineup_violations(pool, free, SINGLE_GAME, LineupSettings.unconstrained()) == [
        f"player {pool['person'].iloc[0]} fills two slots"
    ]


def test_fanduel_single_game_copies_score_their_multiples_and_read_back_ids():
    rules = PRESETS["fanduel_nba_single_game"]
    base = _players(["PG", "SG", "SF", "PF", "C", "PG", "SF", "C"], 2, teams=2)
    pool = slot_rows(base, rules)
    for slot, multiple in (("MVP", 2.0), ("STAR", 1.5), ("PRO", 1.2)):
        copies = pool[pool["position"] == slot]
        assert len(copies) == len(base)
        assert list(copies["id"]) == [f"{i}~{slot}" for i in base["id"]]
        assert np.allclose(copies["projection"], multiple * base["projection"])
        assert np.allclose(copies["salary"], base["salary"])  # FanDuel: points only
    settings = LineupSettings.unconstrained()
    expected, _ = exact_sequence(pool, rules, settings.model_copy(update={"n_lineups": 1}))
    for engine in ENGINES.values():
        got = optimize_lineups(pool, rules, settings, engine=engine).lineups[0]
        assert _value(pool, got) == pytest.approx(expected[0])
        assert len(set(pool["person"].iloc[got])) == rules.size


def test_fanduel_lol_star_copies_skip_the_team_slot():
    pool = slot_rows(
        _players(["TOP", "JNG", "MID", "ADC", "SUP", "TEAM"], 0), PRESETS["fanduel_lol"]
    )
    assert set(pool.loc[pool["position"] == "STAR", "plays_as"]) == {
        "TOP",
        "JNG",
        "MID",
        "ADC",
        "SUP",
    }


MLB_POSITIONS = ["P"] * 4 + ["C"] * 3 + ["1B"] * 3 + ["OF"] * 8


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_no_hitter_against_your_pitcher_is_exact_and_binds(seed):
    pool = _players(MLB_POSITIONS, seed)
    pool.loc[pool["position"] == "P", "projection"] += 15  # pitchers worth facing
    settings = LineupSettings.unconstrained(avoid=[{"positions": ["P"], "against": HITTERS}])
    broken = _holds_exactly_and_binds(pool, MLB, settings)
    assert broken or seed != 0, broken


def test_avoid_without_against_means_any_other_position():
    pool = _players(MLB_POSITIONS, 3)
    pitchers = LineupSettings.unconstrained(avoid=[{"positions": ["P"]}])
    hitters = LineupSettings.unconstrained(avoid=[{"positions": ["P"], "against": HITTERS}])
    got = optimize_lineups(pool, MLB, pitchers).lineups[0]
    assert lineup_violations(pool, got, MLB, hitters) == []


def test_a_stack_of_hitters_from_one_team_is_exact_and_binds():
    settings = LineupSettings.unconstrained(
        stack={"qb_receivers": 0, "team": 3, "team_positions": HITTERS}
    )
    broken = [_holds_exactly_and_binds(_players(MLB_POSITIONS, s), MLB, settings) for s in range(3)]
    assert any(broken)


def _batting(pool: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Batting orders 1-9 per team (distinct, shuffled), blank for pitchers."""
    rng = np.random.default_rng(seed)
    order = np.full(len(pool), np.nan)
    for team in set(pool["team"]):
        hitters = np.flatnonzero((pool["team"] == team).to_numpy() & (pool["position"] != "P"))
        order[hitters] = rng.permutation(9)[: len(hitters)] + 1
    return pool.assign(batting_order=order)


def test_a_consecutive_batting_order_stack_is_exact_and_binds():
    stack = {"qb_receivers": 0, "team": 3, "team_positions": HITTERS}
    settings = LineupSettings.unconstrained(stack={**stack, "consecutive": True})
    plain = LineupSettings.unconstrained(stack=stack)
    broken = [
        _holds_exactly_and_binds(
            _batting(_players(MLB_POSITIONS, s, teams=2), s), MLB, settings, free_settings=plain
        )
        for s in range(3)
    ]
    assert any(broken)


def test_consecutive_without_a_batting_order_names_the_key():
    settings = LineupSettings.unconstrained(stack={"team": 3, "consecutive": True})
    with pytest.raises(ConfigError, match="batting_order_column"):
        optimize_lineups(_players(MLB_POSITIONS, 0), MLB, settings)


def test_the_sites_hitter_cap_per_team_is_exact_and_binds():
    capped = dataclasses.replace(
        MLB, position_caps=(PositionCap(frozenset(HITTERS), 3, per_team=True),)
    )
    pool = _players(MLB_POSITIONS, 4, teams=2)
    assert _holds_exactly_and_binds(pool, capped, LineupSettings.unconstrained(), MLB)


def test_a_team_stack_under_the_sites_hitter_cap_is_exact_and_binds():
    # the cap per team is built into the stack's listing (set_caps); a stack the cap
    # leaves no room for is never listed
    capped = dataclasses.replace(
        MLB, position_caps=(PositionCap(frozenset(HITTERS), 3, per_team=True),)
    )
    settings = LineupSettings.unconstrained(
        stack={"qb_receivers": 0, "team": 3, "team_positions": HITTERS}
    )
    broken = [
        _holds_exactly_and_binds(_players(MLB_POSITIONS, s, teams=3), capped, settings, MLB)
        for s in range(3)
    ]
    assert any(broken)


NHL = roster_rules(
    {"salary_cap": 30_000, "slots": {"C": 1, "W": 2, "D": 1, "G": 1}, "defense": "G"}
)
NHL_POSITIONS = ["C"] * 4 + ["W"] * 7 + ["D"] * 4 + ["G"] * 3


def _lines(pool: pd.DataFrame) -> pd.DataFrame:
    """Lines 1-2 per team for skaters (in pool order), none for goalies."""
    line = pool.groupby("team").cumcount() % 2 + 1
    return pool.assign(line=np.where(pool["position"] == "G", "", line.astype(str)))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_line_stack_is_exact_and_binds(seed):
    pool = _lines(_players(NHL_POSITIONS, seed))
    settings = LineupSettings.unconstrained(stack={"qb_receivers": 0, "line": 3})
    assert _holds_exactly_and_binds(pool, NHL, settings)


@pytest.mark.parametrize("seed", [0, 1])
def test_no_skater_against_your_goalie_is_exact_and_binds(seed):
    pool = _players(NHL_POSITIONS, seed, teams=2)
    pool.loc[pool["position"] == "G", "projection"] += 10
    settings = LineupSettings.unconstrained(avoid_opposing_defense=True)
    assert _holds_exactly_and_binds(pool, NHL, settings)


def test_min_teams_without_the_goalie_is_exact_and_binds():
    rules = dataclasses.replace(NHL, min_teams=3, teams_exclude=frozenset({"G"}))
    site = LineupSettings.unconstrained(min_teams="site")
    # two teams' skaters plus a third team's goalie is not enough for the site
    broken = [
        _holds_exactly_and_binds(_players(NHL_POSITIONS, s, teams=3), rules, site, NHL)
        for s in range(4)
    ]
    assert any(broken)


@pytest.mark.parametrize("bound", ["max_total", "min_total", "max_mean"])
def test_the_ownership_band_is_exact_and_binds(bound):
    pool = _players(MLB_POSITIONS, 6)
    rng = np.random.default_rng(6)
    # the best players are the most owned, as in real contests, in %
    pool["ownership"] = np.round(pool["projection"] * 1.2 + rng.uniform(0, 10, len(pool)), 1)
    free = optimize_lineups(pool, MLB, LineupSettings.unconstrained()).lineups[0]
    total = float(pool["ownership"].to_numpy()[free].sum()) / 100
    # just past the best lineup's own ownership, so the bound must bind
    band = {
        "max_total": total - 0.05,
        "min_total": total + 0.05,
        "max_mean": (total - 0.05) / MLB.size,
    }
    settings = LineupSettings.unconstrained(ownership={bound: band[bound]})
    # few lineups own more than the best one: a sequence of one there
    assert _holds_exactly_and_binds(pool, MLB, settings, n=1 if bound == "min_total" else 3)


def test_an_ownership_band_without_ownership_names_the_key():
    settings = LineupSettings.unconstrained(ownership={"max_total": 1.0})
    with pytest.raises(ConfigError, match="ownership_column"):
        optimize_lineups(_players(MLB_POSITIONS, 0), MLB, settings)
