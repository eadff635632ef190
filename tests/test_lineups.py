"""The lineup MILP against exhaustive search, with every rule re-checked independently
(slots by matching). Both back ends (HiGHS kept alive over the sequence with one column
per player, and cvxpy with one column per (player, slot)) must give the same values."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from cvxpy_reference import WITH_REFERENCE as ENGINES
from lineup_fixtures import (
    all_valid_lineups,
    best_given_earlier,
    brute_force_sequence,
    preset_pool,
    small_pool,
)
from scipy import sparse

from dsplaybook.errors import ConfigError, InputError
from dsplaybook.lineups.checks import lineup_violations, portfolio_violations, slot_violations
from dsplaybook.lineups.engines import LineupEngine
from dsplaybook.lineups.formulation import EngineInputs, formulate
from dsplaybook.lineups.optimize import InfeasibleRules, LineupSettings, optimize_lineups
from dsplaybook.lineups.presets import PRESETS, roster_rules

# A FanDuel-shaped roster small enough to enumerate: QB 1, RB 2, WR 2, TE 1, D 1.
MINI = roster_rules({"salary_cap": 45_000, "slots": {"QB": 1, "RB": 2, "WR": 2, "TE": 1, "D": 1}})
# With a flex: 7 players, one of them RB, WR or TE.
FLEX = roster_rules(
    {
        "salary_cap": 40_000,
        "slots": {"QB": 1, "RB": 1, "WR": 2, "TE": 1, "D": 1},
        "flex": [{"positions": ["RB", "WR", "TE"], "count": 1}],
        "defense": "D",
    }
)
POOL_COUNTS = {"QB": 3, "RB": 5, "WR": 6, "TE": 3, "D": 3}
# Small pools for every preset, multi-position players where the sport has them.
PRESET_POOLS = {
    "fanduel_nfl": {"QB": 2, "RB": 3, "WR": 4, "TE": 2, "D": 2},
    "fanduel_nfl_kicker": {"QB": 2, "RB": 3, "WR": 4, "TE": 2, "K": 2, "D": 2},
    "draftkings_nfl": {"QB": 2, "RB": 3, "WR": 4, "TE": 2, "DST": 2},
    "fanduel_nba": {"PG": 2, "SG": 2, "SF": 2, "PF": 2, "C": 2, "PG/SG": 1, "SF/PF": 1, "PF/C": 1},
    "draftkings_nba": {
        "PG": 2,
        "SG": 1,
        "SF": 2,
        "PF": 1,
        "C": 2,
        "PG/SG": 2,
        "SG/SF": 1,
        "SF/PF": 1,
        "PF/C": 1,
    },
}


def _points(pool, lineup):
    return float(pool["projection"].to_numpy()[lineup].sum())


def _values(pool, result):
    return [_points(pool, lineup) for lineup in result.lineups]


def _preset_pool(name, seed):
    rules = PRESETS[name]
    if name not in PRESET_POOLS:  # every other site, sport and mode: a generated pool
        pool = preset_pool(rules, seed)
        return pool, rules.for_pool(pool["position"])
    pool = small_pool(PRESET_POOLS[name], seed=seed)
    # salaries around the cap, so it binds on some draws
    return pool.assign(salary=pool["salary"] * 0.9 * rules.salary_cap / (rules.size * 6_500)), rules


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("rules", [MINI, FLEX], ids=["fixed", "flex"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_single_lineup_is_optimal_against_exhaustive_search(rules, seed, engine):
    pool = small_pool(POOL_COUNTS, seed=seed)
    settings = LineupSettings.unconstrained()
    best = max(_points(pool, c) for c in all_valid_lineups(pool, rules, settings))
    result = optimize_lineups(pool, rules, settings, engine=ENGINES[engine])
    assert _points(pool, result.lineups[0]) == pytest.approx(best, abs=1e-9)
    assert portfolio_violations(pool, result.lineups, rules, settings, result.slots) == []


# the hand-built pools on two draws; every other preset on one generated pool, under its
# site's own team rules (DraftKings NHL's goalie-free team count, MLB hitter caps, …)
PRESET_DRAWS = [(p, s) for p in PRESET_POOLS for s in (0, 1)]
PRESET_DRAWS += [(p, 0) for p in PRESETS if p not in PRESET_POOLS]


@pytest.mark.parametrize(("preset", "seed"), PRESET_DRAWS)
def test_every_preset_sequence_matches_exhaustive_search(preset, seed):
    pool, rules = _preset_pool(preset, seed)
    site = {"max_per_team": "site", "min_teams": "site", "min_games": "site"}
    settings = LineupSettings.unconstrained(
        n_lineups=4, max_overlap=rules.size - 3, **({} if preset in PRESET_POOLS else site)
    )
    expected = brute_force_sequence(pool, rules, settings, 4)
    assert len(expected) == 4
    for engine in ENGINES:
        result = optimize_lineups(pool, rules, settings, engine=ENGINES[engine])
        assert _values(pool, result) == pytest.approx(expected, abs=1e-9), engine
        assert portfolio_violations(pool, result.lineups, rules, settings, result.slots) == []


@pytest.mark.parametrize("preset", ["fanduel_nba", "draftkings_nba"])
def test_multi_position_players_fill_flex_slots_validly(preset):
    pool, rules = _preset_pool(preset, seed=3)
    result = optimize_lineups(pool, rules, LineupSettings.unconstrained(n_lineups=6))
    multi = [
        slot
        for lineup, slots in zip(result.lineups, result.slots, strict=True)
        for i, slot in zip(lineup, slots, strict=True)
        if "/" in pool["position"].iloc[i]
    ]
    assert multi, "no multi-position player was chosen: the test proves nothing"
    for lineup, slots in zip(result.lineups, result.slots, strict=True):
        positions = list(pool["position"].iloc[lineup])
        assert slot_violations(positions, slots, rules) == []
        assert sorted(slots) == sorted(rules.slot_names())


def _guard_heavy_pool():
    """13 DraftKings NBA players: the five best are three PGs and two SGs, which the
    per-position counts of the old model (PG 1–3, SG 1–3, …) accept, but DraftKings has
    only four slots a guard may take (PG, SG, G, UTIL)."""
    rows = [
        ("PG", 30),
        ("PG", 25),
        ("PG", 20),
        ("SG", 25),
        ("SG", 20),
        ("SF", 15),
        ("PF", 15),
        ("C", 15),
        ("SF", 5),
        ("PF", 5),
        ("C", 5),
        ("SG", 2),
        ("C", 1),
    ]
    pool = small_pool({"PG": 1}, seed=0).iloc[[0] * len(rows)].reset_index(drop=True)
    return pool.assign(
        id=[f"p{i}" for i in range(len(rows))],
        name=[f"{p} {i}" for i, (p, _) in enumerate(rows)],
        position=[p for p, _ in rows],
        team=[f"T{i % 4}" for i in range(len(rows))],
        opponent=[f"T{(i % 4) ^ 1}" for i in range(len(rows))],
        salary=3_000.0,
        projection=[float(v) for _, v in rows],
    )


def test_slot_assignment_beats_position_counts_on_a_hand_built_pool():
    pool, rules = _guard_heavy_pool(), PRESETS["draftkings_nba"]
    settings = LineupSettings.unconstrained()
    counts_pick = np.arange(8)  # 3 PG, 2 SG, SF, PF, C: every per-position count holds
    assert _points(pool, counts_pick) == 165.0
    problems = lineup_violations(pool, counts_pick, rules, settings)
    assert any("no assignment" in p for p in problems), problems
    best = max(_points(pool, c) for c in all_valid_lineups(pool, rules, settings))
    assert best == 150.0  # one guard fewer, an SF/PF/C at 5 points instead
    for engine in ENGINES:
        result = optimize_lineups(pool, rules, settings, engine=ENGINES[engine])
        assert _points(pool, result.lineups[0]) == best
        assert portfolio_violations(pool, result.lineups, rules, settings, result.slots) == []


def test_checker_rejects_a_wrong_slot_statement():
    rules = PRESETS["draftkings_nba"]
    positions = ["PG", "SG", "SF", "PF", "C", "PG/SG", "SF/PF", "C"]
    good = rules.assign_slots(positions)
    assert good is not None and slot_violations(positions, good, rules) == []
    wrong = ["PG", "SG", "SF", "PF", "C", "F", "G", "UTIL"]  # PG/SG in F, SF/PF in G
    assert len(slot_violations(positions, wrong, rules)) == 2


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
    best = max(_points(pool, c) for c in all_valid_lineups(pool, FLEX, settings))
    for engine in ENGINES:
        result = optimize_lineups(pool, FLEX, settings, engine=ENGINES[engine])
        assert _points(pool, result.lineups[0]) == pytest.approx(best, abs=1e-9)
        assert portfolio_violations(pool, result.lineups, FLEX, settings, result.slots) == []


def test_constraints_actually_bind():
    # The unconstrained optimum breaks the stacking rule on this pool; the constrained one
    # must be strictly worse, or the test proves nothing.
    pool = small_pool(POOL_COUNTS, seed=3)
    free = optimize_lineups(pool, MINI, LineupSettings.unconstrained()).lineups[0]
    stacked = optimize_lineups(
        pool, MINI, LineupSettings.unconstrained(stack=True, max_per_team=2)
    ).lineups[0]
    assert _points(pool, stacked) < _points(pool, free)


def test_sequence_with_overlap_and_exposure_matches_exhaustive_search():
    pool = small_pool(POOL_COUNTS, seed=4)
    pool = pool.assign(salary=pool["salary"] * 0.8)  # the cap binds, but not always
    settings = LineupSettings.unconstrained(n_lineups=5, max_overlap=4, max_exposure=0.6)
    expected = brute_force_sequence(pool, FLEX, settings, 5)
    for engine in ENGINES:
        result = optimize_lineups(pool, FLEX, settings, engine=ENGINES[engine])
        got = _values(pool, result)
        assert got == pytest.approx(expected, abs=1e-9)
        assert portfolio_violations(pool, result.lineups, FLEX, settings, result.slots) == []
        assert got == sorted(got, reverse=True)


@pytest.mark.parametrize("engine", ["ranked", "highs"])
def test_ties_are_resolved_exactly_and_the_same_way_every_run(engine):
    # One decimal and twin players: many lineups tie (HiGHS answers some steps from its
    # pool of known lineups without a solve); each must still be the best possible given
    # the lineups before it.
    pool = small_pool({"QB": 2, "RB": 3, "WR": 3, "TE": 2, "D": 2}, seed=1, decimals=1)
    pool = pd.concat([pool, pool.assign(id=pool["id"] + "-twin")], ignore_index=True)
    settings = LineupSettings.unconstrained(n_lineups=8, max_overlap=5)
    first = optimize_lineups(pool, FLEX, settings, engine=ENGINES[engine])
    again = optimize_lineups(pool, FLEX, settings, engine=ENGINES[engine])
    assert [list(x) for x in first.lineups] == [list(x) for x in again.lineups]
    if engine == "highs":
        assert first.solver_runs < settings.n_lineups, "no tie was answered from the pool"
    else:  # ties in points go to the smallest tuple of pool rows
        values = _values(pool, first)
        for k in range(1, len(values)):
            if values[k] == values[k - 1]:
                assert tuple(first.lineups[k - 1]) < tuple(first.lineups[k])
    best = best_given_earlier(pool, FLEX, settings, first.lineups)
    assert _values(pool, first) == pytest.approx(best, abs=1e-9)
    assert portfolio_violations(pool, first.lineups, FLEX, settings, first.slots) == []


def test_a_gap_keeps_lineups_valid_and_within_it():
    pool = small_pool(POOL_COUNTS, seed=6)
    gap = 0.2
    settings = LineupSettings.unconstrained(n_lineups=4, max_overlap=4, mip_gap=gap)
    result = optimize_lineups(pool, FLEX, settings)
    assert portfolio_violations(pool, result.lineups, FLEX, settings, result.slots) == []
    best = best_given_earlier(pool, FLEX, settings, result.lineups)
    for got, possible in zip(_values(pool, result), best, strict=True):
        assert (1 - gap) * possible - 1e-6 <= got <= possible + 1e-9


def test_no_overlap_limit_still_gives_different_lineups():
    pool = small_pool(POOL_COUNTS, seed=7)
    result = optimize_lineups(pool, MINI, LineupSettings.unconstrained(n_lineups=5))
    assert len({tuple(x) for x in result.lineups}) == 5


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
    with pytest.raises(InputError, match="'nobody' in lineups.lock is not in the pool"):
        optimize_lineups(
            small_pool(POOL_COUNTS), MINI, LineupSettings.unconstrained(lock=("nobody",))
        )


def test_presets_match_the_sites():
    expected = {
        "fanduel_nfl": (60_000, "QB RB RB WR WR WR TE FLEX D"),
        "fanduel_nfl_kicker": (60_000, "QB RB RB WR WR WR TE K D"),
        "draftkings_nfl": (50_000, "QB RB RB WR WR WR TE FLEX DST"),
        "fanduel_nba": (60_000, "PG PG SG SG SF SF PF PF C"),
        "draftkings_nba": (50_000, "PG SG SF PF C G F UTIL"),
    }
    assert set(expected) <= set(PRESETS)
    for name, (cap, slots) in expected.items():
        assert (PRESETS[name].salary_cap, " ".join(PRESETS[name].slot_names())) == (cap, slots)
    dk = {g.name: g.eligible for g in PRESETS["draftkings_nba"].slots}
    assert dk["G"] == {"PG", "SG"} and dk["F"] == {"SF", "PF"} and len(dk["UTIL"]) == 5
    assert FLEX.size == 7 and FLEX.slot_names()[-1] == "FLEX"


def test_bad_roster_config_is_one_line():
    with pytest.raises(ConfigError, match="unknown preset 'yahoo'"):
        roster_rules("yahoo")
    with pytest.raises(ConfigError, match="position 'FB' has no slot"):
        roster_rules(
            {"salary_cap": 1, "slots": {"QB": 1}, "flex": [{"positions": ["FB"], "count": 1}]}
        )
    with pytest.raises(ConfigError, match=r"slots.RB': \[2, 3\] is not a number of slots.*flex"):
        roster_rules({"salary_cap": 1, "slots": {"QB": 1, "RB": [2, 3]}})


def test_exposure_that_rounds_to_zero_names_the_product_and_the_fix():
    pool = small_pool(POOL_COUNTS)
    settings = LineupSettings.unconstrained(n_lineups=1, max_exposure=0.6)
    with pytest.raises(InfeasibleRules) as err:
        optimize_lineups(pool, MINI, settings)
    message = str(err.value)
    assert "max_exposure 0.6 × n_lineups 1 = 0.6 rounds down to 0" in message
    assert "raise n_lineups to at least 2 or max_exposure to at least 1" in message


def test_the_solver_banner_goes_to_the_log_not_the_terminal(tmp_path):
    # HiGHS prints its banner once per process, so only a fresh process can show it.
    log = tmp_path / "rule.log"
    script = f"""
from lineup_fixtures import small_pool
from dsplaybook.lineups.optimize import LineupSettings, optimize_lineups
from dsplaybook.logs import log_to_file
from test_lineups import MINI, POOL_COUNTS
log_to_file({str(log)!r}, echo=True)
optimize_lineups(small_pool(POOL_COUNTS), MINI, LineupSettings.unconstrained(), engine="highs")
"""
    tests = str(__import__("pathlib").Path(__file__).parent)
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tests
    )
    assert "HiGHS" not in run.stdout + run.stderr
    assert "lineup 1 of 1" in run.stderr  # the terminal still shows progress
    assert "Running HiGHS" in log.read_text()


def test_the_highs_engine_runs_after_another_highs_solve_in_the_process():
    # cvxpy's HiGHS starts a thread scheduler; a later run asking for another thread
    # count used to fail, which read as "infeasible at lineup 1" (CI caught it).
    script = """
import cvxpy as cp
x = cp.Variable(3, boolean=True)
cp.Problem(cp.Maximize(cp.sum(x)), [cp.sum(x) <= 2]).solve(solver=cp.HIGHS)
from lineup_fixtures import small_pool
from dsplaybook.lineups.optimize import LineupSettings, optimize_lineups
from test_lineups import MINI, POOL_COUNTS
settings = LineupSettings.unconstrained()
print(len(optimize_lineups(small_pool(POOL_COUNTS), MINI, settings, engine="highs").lineups))
"""
    tests = str(__import__("pathlib").Path(__file__).parent)
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tests, check=False
    )
    assert run.returncode == 0, run.stderr[-500:]
    assert run.stdout.strip().endswith("1")


@pytest.mark.parametrize(
    "settings",
    [
        LineupSettings.unconstrained(n_lineups=6, max_overlap=4, max_exposure=0.5),
        LineupSettings.unconstrained(n_lineups=4, max_overlap=5, stack=True, max_per_team=3),
    ],
    ids=["exposure", "stacking"],
)
def test_a_listing_too_long_hands_the_rest_to_highs_exactly(monkeypatch, settings):
    # The ranked engine lists lineups above a falling threshold; past MAX_LISTED it
    # hands the sequence, with the lineups so far, to the HiGHS back end.
    from dsplaybook.lineups.engines import listing

    pool = small_pool(POOL_COUNTS, seed=8)
    expected = brute_force_sequence(pool, FLEX, settings, settings.n_lineups)
    listed_only = optimize_lineups(pool, FLEX, settings, engine="ranked")
    assert listed_only.solver_runs == 0
    monkeypatch.setattr(listing, "MAX_LISTED", 10)
    handed_over = optimize_lineups(pool, FLEX, settings, engine="ranked")
    # some lineups came from the listing, the rest from HiGHS
    assert 0 < handed_over.solver_runs < settings.n_lineups
    for result in (listed_only, handed_over):
        assert _values(pool, result) == pytest.approx(expected, abs=1e-9)
        assert portfolio_violations(pool, result.lineups, FLEX, settings, result.slots) == []


def test_the_best_lineup_and_the_listing_match_exhaustive_search():
    # The knapsack tables give the best lineup's points exactly, the Lagrangian bound that
    # screens count vectors is at or above them, and the listing above a threshold holds
    # exactly the valid lineups exhaustive search finds above it.
    from dsplaybook.lineups.engines.listing import LineupLister, player_classes

    for seed in range(3):
        pool = small_pool(POOL_COUNTS, seed=seed)
        pool = pool.assign(salary=pool["salary"] * 0.85)  # the cap binds
        every = all_valid_lineups(pool, FLEX, LineupSettings.unconstrained())
        values = sorted((_points(pool, list(c)) for c in every), reverse=True)
        lister = LineupLister(
            player_classes(pool["position"], FLEX, np.ones(len(pool), dtype=bool)),
            pool["projection"].to_numpy(float),
            pool["salary"].to_numpy(float),
            FLEX.salary_cap,
        )
        assert lister.best == pytest.approx(values[0], abs=1e-9)
        assert lister.vector_bounds.max() >= values[0] - 1e-9
        threshold = values[min(40, len(values) - 1)]
        points, lineups = lister.lineups_above(threshold)
        assert sorted(points.tolist(), reverse=True) == pytest.approx(
            [v for v in values if v >= threshold], abs=1e-9
        )
        assert len({tuple(x) for x in lineups}) == len(lineups)


def test_a_stack_built_into_the_listing_lists_exactly_the_lineups_that_meet_it():
    # ChoiceLister: one listing per set with the stack's count built in, overlapping sets
    # listed once, and a set's cap (set_caps: a static row over all its players) obeyed:
    # the same lineups as the plain listing filtered by hand.
    from dsplaybook.lineups.engines.listing import (
        ChoiceLister,
        LineupLister,
        player_classes,
        set_caps,
    )
    from dsplaybook.lineups.formulation import RowGroup

    for seed in range(3):
        pool = small_pool(POOL_COUNTS, seed=seed)
        usable = np.ones(len(pool), dtype=bool)
        rng = np.random.default_rng(seed)
        sets = rng.random((4, len(pool))) < 0.3  # overlapping sets
        sets[3] = sets[0] | sets[1]
        sets[2, np.flatnonzero(~sets[3])[0]] = True  # no row holds all of set 2
        need = 3
        cap_row = RowGroup(
            sparse.csr_matrix(sets[3:4].astype(float)), np.array([-np.inf]), np.array([4.0])
        )
        caps = set_caps(sets, [cap_row])
        assert caps.tolist() == [4.0, 4.0, np.inf, 4.0]
        plain = LineupLister(
            player_classes(pool["position"], FLEX, usable),
            pool["projection"].to_numpy(float),
            pool["salary"].to_numpy(float),
            FLEX.salary_cap,
        )
        stacked = ChoiceLister(sets, need, caps, usable, pool, FLEX)
        threshold = plain.best - 25.0
        _, every = plain.lineups_above(threshold)
        counts = np.stack([sets[:, row].sum(axis=1) for row in every])
        meets = ((counts >= need) & (counts <= caps)).any(axis=1)
        expected = {tuple(r) for r in every[meets]}
        points, got = stacked.lineups_above(threshold)
        assert 0 < len(expected) < len(every)  # the stack rules lineups out
        assert {tuple(r) for r in got} == expected
        assert len(got) == len(expected)  # each once
        assert stacked.best == pytest.approx(points.max(), abs=1e-9)


@pytest.mark.parametrize("name", list(ENGINES))
def test_every_engine_is_built_the_same_way_and_offers_the_same_interface(name):
    pool = small_pool(POOL_COUNTS)
    settings = LineupSettings.unconstrained(n_lineups=2)
    engine = ENGINES[name]
    f = formulate(pool, MINI, settings, by_slot=engine.by_slot)
    built = engine.build(EngineInputs(f, MINI.size - 1, 0.0, pool, MINI))
    assert isinstance(built, LineupEngine)
    players, _ = built.next_lineup()
    assert len(players) == MINI.size
