"""Every lineup rule players use (site team/game rules, stacks, groups, conditional
players, minimum salary, exposure bands, projection noise) against exhaustive search,
and the independent checker rejecting lineups the sites would refuse."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from cvxpy_reference import WITH_REFERENCE as ENGINES
from lineup_fixtures import all_valid_lineups, exact_sequence, small_pool

from dsplaybook.lineups.checks import lineup_violations, portfolio_violations
from dsplaybook.lineups.noise import lineup_points
from dsplaybook.lineups.optimize import InfeasibleRules, LineupSettings, optimize_lineups
from dsplaybook.lineups.presets import PRESETS, roster_rules
from dsplaybook.lineups.rosters import RosterRules

ROSTER = {"salary_cap": 45_000, "slots": {"QB": 1, "RB": 2, "WR": 2, "TE": 1, "D": 1}}
MINI = roster_rules(ROSTER)
COUNTS = {"QB": 3, "RB": 5, "WR": 6, "TE": 3, "D": 3}


def _pool(seed: int, teams: int = 4) -> pd.DataFrame:
    return small_pool(COUNTS, teams=teams, seed=seed)


def _ids(pool, rows):
    return tuple(pool["id"].iloc[list(rows)])


# Each rule, on its own, with what the unconstrained best lineup would break.
STATIC_RULES = {
    "min teams 4": ({"min_teams": 4}, None),
    "min games 3": ({"min_games": 3}, None),
    "max per team 2": ({"max_per_team": 2}, None),
    "site rules (custom roster)": ({}, {"max_per_team": 3, "min_teams": 3}),
    "min salary": ({"min_salary": 44_000}, None),
    "QB + 2 receivers": ({"stack": {"qb_receivers": 2}}, None),
    "bring-back": ({"stack": {"qb_receivers": 1, "bring_back": 1}}, None),
    "bring-back TE only": (
        {"stack": {"qb_receivers": 1, "bring_back": 1, "bring_back_positions": ["TE"]}},
        None,
    ),
    "game stack of 5": ({"stack": {"qb_receivers": 0, "game": 5}}, None),
    "team stack of 3": ({"stack": {"qb_receivers": 0, "team": 3}}, None),
    "group at most 1": ({"groups": [{"players": ["p3", "p4", "p5", "p6"], "at_most": 1}]}, None),
    "group at least 2": ({"groups": [{"players": ["p3", "p4", "p9", "p10"], "at_least": 2}]}, None),
    "conditional": ({"requires": [{"player": "p14", "only_with": ["p3", "p4"]}]}, None),
}


def _rules_and_settings(name: str, **extra):
    rules_update, roster_spec = STATIC_RULES[name]
    rules = roster_rules({**ROSTER, **(roster_spec or {})})
    settings = LineupSettings.unconstrained(**rules_update, **extra)
    if roster_spec:  # the roster's own rules apply through "site"
        settings = settings.model_copy(
            update={"max_per_team": "site", "min_teams": "site", "min_games": "site"}
        )
    return rules, settings


@pytest.mark.parametrize("name", STATIC_RULES)
def test_each_rule_gives_the_exhaustive_best_lineup_and_binds(name):
    rules, settings = _rules_and_settings(name)
    free = LineupSettings.unconstrained()
    binds = False
    for seed in range(4):
        pool = _pool(seed, teams=6 if "games" in name else 4)
        valid = all_valid_lineups(pool, rules, settings)
        best = max(float(pool["projection"].to_numpy()[c].sum()) for c in valid)
        for engine in ENGINES:
            result = optimize_lineups(pool, rules, settings, engine=ENGINES[engine])
            got = result.lineups[0]
            assert float(pool["projection"].to_numpy()[got].sum()) == pytest.approx(best)
            assert lineup_violations(pool, got, rules, settings, result.slots[0]) == []
        unconstrained = optimize_lineups(pool, rules, free).lineups[0]
        binds |= bool(lineup_violations(pool, unconstrained, rules, settings))
    assert binds, f"{name}: the unconstrained best lineup never breaks the rule"


@pytest.mark.parametrize("name", ["min teams 4", "bring-back", "game stack of 5", "conditional"])
def test_each_rule_holds_along_a_sequence_exactly(name):
    rules, settings = _rules_and_settings(name, n_lineups=5, max_overlap=4, max_exposure=0.6)
    pool = _pool(5)
    expected, _ = exact_sequence(pool, rules, settings)
    for engine in ("ranked", "highs"):
        result = optimize_lineups(pool, rules, settings, engine=ENGINES[engine])
        values = [float(pool["projection"].to_numpy()[x].sum()) for x in result.lineups]
        assert values == pytest.approx(expected)
        assert portfolio_violations(pool, result.lineups, rules, settings, result.slots) == []


EXPOSURE_RULES = {
    "player max": {"player_exposure": {"p1": {"max": 0.4}, "p7": {"max": 0.2}}},
    "player min": {"player_exposure": {"p2": {"min": 0.6}, "p13": {"min": 0.8}}},
    "global min": {"min_exposure": 0.0, "player_exposure": {"p19": {"min": 1.0}}},
    "team max": {"team_exposure": {"T1": {"max": 0.4}}},  # eight teams: T1 is in all 5
    "team min": {"team_exposure": {"T5": {"min": 0.6}, "T0": {"min": 0.4}}},  # in 0 and 1
}


@pytest.mark.parametrize("name", EXPOSURE_RULES)
def test_exposure_bands_match_exhaustive_search(name):
    settings = LineupSettings.unconstrained(
        n_lineups=5, max_overlap=5, max_exposure=1.0, **EXPOSURE_RULES[name]
    )
    free = LineupSettings.unconstrained(n_lineups=5, max_overlap=5, max_exposure=1.0)
    pool = _pool(3, teams=8 if name.startswith("team") else 4)
    expected, _ = exact_sequence(pool, MINI, settings)
    assert len(expected) == 5
    for engine in ENGINES:
        result = optimize_lineups(pool, MINI, settings, engine=ENGINES[engine])
        values = [float(pool["projection"].to_numpy()[x].sum()) for x in result.lineups]
        assert values == pytest.approx(expected), engine
        assert portfolio_violations(pool, result.lineups, MINI, settings, result.slots) == []
    unconstrained = optimize_lineups(pool, MINI, free)
    assert portfolio_violations(pool, unconstrained.lineups, MINI, settings), "rule never binds"


def test_a_minimum_that_cannot_be_met_names_the_rule():
    pool = _pool(3)
    settings = LineupSettings.unconstrained(
        n_lineups=3, max_overlap=6, player_exposure={"p0": {"min": 1.0}, "p1": {"min": 1.0}}
    )  # p0 and p1 are both quarterbacks: never in one lineup
    assert set(pool["position"].iloc[[0, 1]]) == {"QB"}
    with pytest.raises(InfeasibleRules, match="required by min exposure"):
        optimize_lineups(pool, MINI, settings)


def test_projection_noise_is_seeded_exact_per_lineup_and_diverse():
    pool = _pool(2)
    noisy = LineupSettings.unconstrained(n_lineups=6, max_overlap=6, randomness={"sd": 0.3})
    plain = LineupSettings.unconstrained(n_lineups=6, max_overlap=6)

    def points_for(k):
        return lineup_points(pool, noisy.randomness, 7, k)

    expected, _ = exact_sequence(pool, MINI, noisy, points_for)
    for engine in ENGINES:
        result = optimize_lineups(pool, MINI, noisy, engine=ENGINES[engine], seed=7)
        got = [float(points_for(k)[x].sum()) for k, x in enumerate(result.lineups)]
        assert got == pytest.approx(expected), engine
    again = optimize_lineups(pool, MINI, noisy, seed=7)
    other = optimize_lineups(pool, MINI, noisy, seed=8)
    first = optimize_lineups(pool, MINI, noisy, seed=7)
    assert [list(x) for x in first.lineups] == [list(x) for x in again.lineups]
    assert [list(x) for x in first.lineups] != [list(x) for x in other.lineups]
    distinct = len({int(i) for x in first.lineups for i in x})
    exact = optimize_lineups(pool, MINI, plain)
    assert distinct > len({int(i) for x in exact.lineups for i in x})


def test_floor_and_ceiling_draws_stay_in_range():
    pool = _pool(2)
    pool = pool.assign(floor=pool["projection"] * 0.5, ceiling=pool["projection"] * 1.8)
    settings = LineupSettings.unconstrained(randomness={"use_range": True})
    draws = np.array([lineup_points(pool, settings.randomness, 1, k) for k in range(400)])
    assert (draws >= pool["floor"].to_numpy() - 1e-9).all()
    assert (draws <= pool["ceiling"].to_numpy() + 1e-9).all()
    mean = (pool["floor"] + pool["projection"] + pool["ceiling"]) / 3  # triangular law
    assert np.allclose(draws.mean(axis=0), mean, rtol=0.08)


def _roster_lineup(pool: pd.DataFrame, rules: RosterRules) -> np.ndarray:
    return np.arange(rules.size)


def test_the_checker_rejects_a_one_game_draftkings_lineup():
    rules = PRESETS["draftkings_nba"]
    positions = ["PG", "SG", "SF", "PF", "C", "PG", "SF", "C"]
    pool = pd.DataFrame(
        {
            "id": [f"d{i}" for i in range(8)],
            "name": [f"player {i}" for i in range(8)],
            "position": positions,
            "team": ["A", "B"] * 4,
            "opponent": ["B", "A"] * 4,
            "salary": [5000.0] * 8,
            "projection": [30.0] * 8,
        }
    )
    lineup = np.arange(8)
    site = LineupSettings()  # site rules by default
    assert "players from 1 games, site needs 2" in lineup_violations(pool, lineup, rules, site)
    # the same players from two games pass
    two_games = pool.assign(team=["A", "B", "C", "D"] * 2, opponent=["B", "A", "D", "C"] * 2)
    assert lineup_violations(two_games, lineup, rules, site) == []


def test_the_checker_rejects_five_from_one_fanduel_team():
    rules = PRESETS["fanduel_nfl"]
    positions = ["QB", "RB", "RB", "WR", "WR", "WR", "TE", "WR", "D"]
    teams = ["A", "A", "A", "A", "A", "B", "C", "C", "B"]
    pool = pd.DataFrame(
        {
            "id": [f"f{i}" for i in range(9)],
            "name": [f"player {i}" for i in range(9)],
            "position": positions,
            "team": teams,
            "opponent": [{"A": "X", "B": "Y", "C": "Z"}[t] for t in teams],
            "salary": [6000.0] * 9,
            "projection": [10.0] * 9,
        }
    )
    problems = lineup_violations(pool, np.arange(9), rules, LineupSettings())
    assert "5 players from A, max 4" in problems
    four = pool.assign(team=["A", "A", "A", "A", "D", "B", "C", "C", "B"])
    assert lineup_violations(four, np.arange(9), rules, LineupSettings()) == []


def test_the_site_rules_bind_the_optimiser_on_a_small_slate():
    # one game only: no DraftKings lineup exists; the rule is named
    pool = small_pool({"PG": 3, "SG": 3, "SF": 3, "PF": 3, "C": 3}, teams=2, seed=0).assign(
        salary=5000.0
    )
    with pytest.raises(InfeasibleRules, match="'min games' cannot be met"):
        optimize_lineups(pool, PRESETS["draftkings_nba"], LineupSettings(stack=False))


WITH_SITE_RULES = [
    name
    for name, r in PRESETS.items()
    if (r.max_per_team or r.size) < r.size or r.min_teams or r.min_games or r.position_caps
]


@pytest.mark.parametrize("preset", WITH_SITE_RULES)
def test_every_presets_site_rules_against_exhaustive_search(preset):
    from test_lineups import _preset_pool

    site = LineupSettings(stack=False, avoid_opposing_defense=False, n_lineups=3, max_exposure=1.0)
    binds = False
    # four fifths of the players in one game, then four fifths on one team: the site
    # rules bind on such slates (a captain copy stays on his player's team)
    for seed, teams, opponents in (
        (0, ("T0", "T1", "T0", "T0", "T2"), ("T1", "T0", "T1", "T1", "T3")),
        (1, ("T0",) * 9 + ("T2",), ("T1",) * 9 + ("T3",)),
    ):
        pool, rules = _preset_pool(preset, seed)
        uncapped = dataclasses.replace(rules, position_caps=())  # the roster's own caps off
        person = pd.factorize(pool.get("person", pool["id"]))[0]
        pool = pool.assign(
            team=[teams[i % len(teams)] for i in person],
            opponent=[opponents[i % len(teams)] for i in person],
        )
        expected, _ = exact_sequence(pool, rules, site)
        if len(expected) < site.n_lineups:  # too lopsided a slate: both say so
            with pytest.raises(InfeasibleRules):
                optimize_lineups(pool, rules, site)
            free = LineupSettings.unconstrained(n_lineups=3, max_overlap=6)
            binds |= len(optimize_lineups(pool, uncapped, free).lineups) == 3
            continue
        result = optimize_lineups(pool, rules, site)
        values = [float(pool["projection"].to_numpy()[x].sum()) for x in result.lineups]
        assert values == pytest.approx(expected)
        assert portfolio_violations(pool, result.lineups, rules, site, result.slots) == []
        free = optimize_lineups(
            pool, uncapped, LineupSettings.unconstrained(n_lineups=3, max_overlap=6)
        )
        binds |= bool(portfolio_violations(pool, free.lineups, rules, site))
    assert binds, f"{preset}: the site rules never bind on these pools"


def test_a_poor_required_player_is_walked_exactly(caplog):
    """A min exposure on the pool's worst cheap receiver or back: his lineups are far
    below the listing the main walk holds, so they come from a walk of their own (no MIP
    solve)."""
    pool = _pool(4)
    skill = pool[pool["position"].isin(["RB", "WR"]) & (pool["salary"] < 6000)]
    worst = str(skill.sort_values("projection")["id"].iloc[0])
    settings = LineupSettings.unconstrained(
        n_lineups=4, max_overlap=5, max_exposure=1.0, player_exposure={worst: {"min": 1.0}}
    )
    expected, _ = exact_sequence(pool, MINI, settings)
    with caplog.at_level("INFO", logger="dsplaybook"):
        result = optimize_lineups(pool, MINI, settings)
    values = [float(pool["projection"].to_numpy()[x].sum()) for x in result.lineups]
    assert values == pytest.approx(expected)
    assert "with a required player" in caplog.text and result.solver_runs == 0
    assert sum(worst in set(pool["id"].iloc[list(x)]) for x in result.lineups) == 4


def test_a_cap_that_rounds_to_no_lineup_keeps_the_player_out_from_the_first():
    pool = _pool(3)
    free = optimize_lineups(pool, MINI, LineupSettings.unconstrained(n_lineups=4, max_overlap=6))
    star = str(pool["id"].iloc[int(free.lineups[0][0])])
    team = str(pool["team"].iloc[int(free.lineups[0][1])])
    settings = LineupSettings.unconstrained(
        n_lineups=4,
        max_overlap=6,
        player_exposure={star: {"max": 0.2}},  # 0.8 of a lineup: none
        team_exposure={team: {"max": 0.1}},
    )
    result = optimize_lineups(pool, MINI, settings)
    assert portfolio_violations(pool, result.lineups, MINI, settings, result.slots) == []
    expected, _ = exact_sequence(pool, MINI, settings)
    values = [float(pool["projection"].to_numpy()[x].sum()) for x in result.lineups]
    assert values == pytest.approx(expected)
