"""The lineup MILP against exhaustive search, with every constraint re-checked."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from lineup_fixtures import all_valid_lineups, brute_force_sequence, small_pool

from dsplaybook.errors import ConfigError, InputError
from dsplaybook.lineups.checks import portfolio_violations
from dsplaybook.lineups.milp import InfeasibleRules, LineupSettings, optimize_lineups
from dsplaybook.lineups.rosters import PRESETS, RosterRules

# A FanDuel-shaped roster small enough to enumerate: QB 1, RB 2, WR 2, TE 1, D 1.
MINI = RosterRules(
    name="mini",
    salary_cap=45_000,
    size=7,
    slots={"QB": (1, 1), "RB": (2, 2), "WR": (2, 2), "TE": (1, 1), "D": (1, 1)},
)
# With a flex: RB 1–2, WR 2–3, TE 1–2 and 7 players in all.
FLEX = RosterRules.from_config(
    {
        "salary_cap": 40_000,
        "slots": {"QB": 1, "RB": 1, "WR": 2, "TE": 1, "D": 1},
        "flex": [{"positions": ["RB", "WR", "TE"], "count": 1}],
        "defense": "D",
    }
)
POOL_COUNTS = {"QB": 3, "RB": 5, "WR": 6, "TE": 3, "D": 3}


def _points(pool, lineup):
    return float(pool["projection"].to_numpy()[lineup].sum())


@pytest.mark.parametrize("rules", [MINI, FLEX], ids=["fixed", "flex"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_single_lineup_is_optimal_against_exhaustive_search(rules, seed):
    pool = small_pool(POOL_COUNTS, seed=seed)
    settings = LineupSettings.unconstrained()
    best = max(_points(pool, c) for c in all_valid_lineups(pool, rules, settings))
    lineup = optimize_lineups(pool, rules, settings).lineups[0]
    assert _points(pool, lineup) == pytest.approx(best)
    assert portfolio_violations(pool, [lineup], rules, settings) == []


@pytest.mark.parametrize(
    "settings",
    [
        LineupSettings.unconstrained(stack=True),
        LineupSettings.unconstrained(avoid_opposing_defense=True),
        LineupSettings.unconstrained(max_per_team=2),
        LineupSettings.unconstrained(stack=True, avoid_opposing_defense=True, max_per_team=3),
        LineupSettings.unconstrained(lock=("p4",), exclude=("p0", "p9")),
    ],
    ids=["stack", "defense", "team-limit", "all-three", "lock-exclude"],
)
def test_constrained_lineup_is_optimal_and_valid(settings):
    pool = small_pool(POOL_COUNTS, seed=3)
    candidates = all_valid_lineups(pool, MINI, settings)
    lineup = optimize_lineups(pool, MINI, settings).lineups[0]
    assert _points(pool, lineup) == pytest.approx(max(_points(pool, c) for c in candidates))
    assert portfolio_violations(pool, [lineup], MINI, settings) == []


def test_constraints_actually_bind():
    # The unconstrained optimum breaks the stacking rule on this pool; the constrained one
    # must be strictly worse, or the test proves nothing.
    pool = small_pool(POOL_COUNTS, seed=3)
    free = optimize_lineups(pool, MINI, LineupSettings.unconstrained()).lineups[0]
    stacked = optimize_lineups(
        pool, MINI, LineupSettings.unconstrained(stack=True, max_per_team=2)
    ).lineups[0]
    assert _points(pool, stacked) < _points(pool, free)


def test_sequence_with_overlap_matches_exhaustive_search():
    pool = small_pool(POOL_COUNTS, seed=4)
    settings = LineupSettings.unconstrained(n_lineups=4, max_overlap=4)
    result = optimize_lineups(pool, MINI, settings)
    got = [_points(pool, lineup) for lineup in result.lineups]
    assert got == pytest.approx(brute_force_sequence(pool, MINI, settings, 4))
    assert portfolio_violations(pool, result.lineups, MINI, settings) == []
    assert got == sorted(got, reverse=True)


def test_exposure_limit_holds_across_lineups():
    pool = small_pool(POOL_COUNTS, seed=5)
    settings = LineupSettings.unconstrained(n_lineups=4, max_exposure=0.5)  # at most 2 of 4
    result = optimize_lineups(pool, MINI, settings)
    counts = np.bincount(np.concatenate(result.lineups), minlength=len(pool))
    assert counts.max() == 2
    assert portfolio_violations(pool, result.lineups, MINI, settings) == []


@pytest.mark.parametrize(
    ("rules", "settings", "group"),
    [
        (MINI, LineupSettings.unconstrained(), "salary cap"),
        (MINI, LineupSettings.unconstrained(lock=("p0", "p1")), "locked/excluded players"),
        (
            MINI,
            LineupSettings.unconstrained(n_lineups=40, max_overlap=0),
            "overlap with earlier lineups",
        ),
        (MINI, LineupSettings.unconstrained(max_per_team=1), "max players per team"),
    ],
    ids=["cap", "two-locked-QBs", "overlap", "team"],
)
def test_infeasible_rules_name_the_group(rules, settings, group):
    pool = small_pool(POOL_COUNTS, seed=6)
    if group == "salary cap":
        pool = pool.assign(salary=pool["salary"] + 10_000)
    with pytest.raises(InfeasibleRules) as err:
        optimize_lineups(pool, rules, settings)
    message = str(err.value)
    assert f"'{group}' cannot be met" in message and "Fix:" in message
    assert "\n" not in message


def test_missing_position_is_named():
    pool = small_pool({"QB": 2, "RB": 4, "WR": 4, "TE": 2}, seed=1)  # no defense
    with pytest.raises(InfeasibleRules, match="'roster size and positions' cannot be met"):
        optimize_lineups(pool, MINI, LineupSettings.unconstrained())


def test_unknown_locked_player_is_an_input_error():
    with pytest.raises(InputError, match="'nobody' in lock/exclude is not in the pool"):
        optimize_lineups(
            small_pool(POOL_COUNTS), MINI, LineupSettings.unconstrained(lock=("nobody",))
        )


def test_presets_match_the_sites():
    fd, dk = PRESETS["fanduel_nfl"], PRESETS["draftkings_nfl"]
    assert (fd.salary_cap, fd.size) == (60_000, 9)
    assert dict(fd.slots) == {
        "QB": (1, 1),
        "RB": (2, 2),
        "WR": (3, 3),
        "TE": (1, 1),
        "K": (1, 1),
        "D": (1, 1),
    }
    assert (dk.salary_cap, dk.size) == (50_000, 9)
    assert dict(dk.slots) == {"QB": (1, 1), "RB": (2, 3), "WR": (3, 4), "TE": (1, 2), "DST": (1, 1)}
    assert FLEX.size == 7 and FLEX.slots["WR"] == (2, 3)


def test_bad_roster_config_is_one_line():
    with pytest.raises(ConfigError, match="unknown preset 'yahoo'"):
        RosterRules.from_config("yahoo")
    with pytest.raises(ConfigError, match="position 'FB' has no slot"):
        RosterRules.from_config(
            {"salary_cap": 1, "slots": {"QB": 1}, "flex": [{"positions": ["FB"], "count": 1}]}
        )


def test_draftkings_preset_solves_a_dk_shaped_pool():
    pool = small_pool({"QB": 3, "RB": 6, "WR": 8, "TE": 3, "DST": 3}, seed=8)
    pool = pool.assign(salary=pool["salary"] * 0.75)
    rules = PRESETS["draftkings_nfl"]
    settings = LineupSettings.unconstrained()
    lineup = optimize_lineups(pool, rules, settings).lineups[0]
    assert portfolio_violations(pool, [lineup], rules, settings) == []
    assert isinstance(pool, pd.DataFrame)


def test_exposure_that_rounds_to_zero_names_the_product_and_the_fix():
    pool = small_pool(POOL_COUNTS)
    settings = LineupSettings.unconstrained(n_lineups=1, max_exposure=0.6)
    with pytest.raises(InfeasibleRules) as err:
        optimize_lineups(pool, MINI, settings)
    message = str(err.value)
    assert "max_exposure 0.6 × n_lineups 1 = 0.6 rounds down to 0" in message
    assert "raise n_lineups to at least 2 or max_exposure to at least 1" in message


def test_the_solver_banner_stays_off_the_terminal(capfd):
    optimize_lineups(small_pool(POOL_COUNTS), MINI, LineupSettings.unconstrained())
    out, err = capfd.readouterr()
    assert "HiGHS" not in out + err
