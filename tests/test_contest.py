"""The portfolio that plays against the field: payouts, the expected-payout estimator and
its greedy against exact enumeration, the ownership model against shares simulated from
it, the simulated field against its rules and targets, determinism."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from lineup_fixtures import all_valid_lineups, best_given_earlier, small_pool

from dsplaybook.errors import ConfigError, InputError
from dsplaybook.lineups.checks import lineup_violations, portfolio_violations
from dsplaybook.lineups.contest.expected import (
    PrizeCurve,
    Standing,
    entry_payouts,
    field_standing,
    greedy_portfolio,
    lineup_points,
)
from dsplaybook.lineups.contest.field import calibrate, draw_field, field_model, ownership_of
from dsplaybook.lineups.contest.ownership import (
    fit_dirichlet,
    given_ownership,
    position_shares,
    softmax_within,
)
from dsplaybook.lineups.contest.play import play_contest
from dsplaybook.lineups.contest.prizes import double_up, prize_pool, top_heavy
from dsplaybook.lineups.contest.settings import Contest, OwnershipModel
from dsplaybook.lineups.optimize import LineupSettings, optimize_lineups
from dsplaybook.lineups.presets import PRESETS
from dsplaybook.lineups.rosters import custom_rules
from dsplaybook.lineups.settings import Simulation

NFL = PRESETS["fanduel_nfl"]
NFL_COUNTS = {"QB": 6, "RB": 10, "WR": 14, "TE": 6, "D": 6}


def test_payout_presets_pay_out_the_prize_pool():
    heavy = top_heavy(10_000, 20.0, 0.15)
    assert heavy.sum() == pytest.approx(prize_pool(10_000, 20.0, 0.15))
    paid = heavy[heavy > 0]
    assert len(paid) == 2000 and paid[-1] == pytest.approx(40.0)
    assert np.all(np.diff(paid) <= 0) and paid[0] > 50 * paid[-1]
    double = double_up(1000, 10.0, 0.1)
    assert set(double[double > 0]) == {20.0} and (double > 0).sum() == 450
    custom = Contest(
        payout="custom", field_size=10, entries=1, prizes=[{"first": 1, "last": 3, "prize": 5}]
    )
    assert list(custom.prize_table()) == [5, 5, 5, 0, 0, 0, 0, 0, 0, 0]


@pytest.mark.parametrize(
    "values, fix",
    [
        ({"payout": "custom"}, "payout: custom needs prizes"),
        ({"prizes": [{"first": 1, "last": 1, "prize": 9}]}, "set payout: custom"),
        ({"entries": 10, "field_size": 10}, "fewer than field_size"),
        (
            {
                "payout": "custom",
                "field_size": 5,
                "entries": 1,
                "prizes": [{"first": 1, "last": 9, "prize": 1}],
            },
            "beyond field_size",
        ),
    ],
)
def test_contest_settings_refuse_what_cannot_be_played(values, fix):
    with pytest.raises((ValueError, ConfigError), match=fix):
        Contest(**values)


# --- exact enumeration on a tiny contest ---------------------------------------------

TINY = custom_rules({"name": "tiny", "salary_cap": 100, "slots": {"A": 1, "B": 1}})


def _tiny_contest():
    """Players A0..A2, B0..B2; each scores one of two values with probability ½,
    independently: 64 equally likely slates, enumerated. Scores are small integers, so
    ties are common (the split rule matters)."""
    pool = pd.DataFrame(
        {
            "id": [f"{p}{i}" for p in "AB" for i in range(3)],
            "name": [f"{p}{i}" for p in "AB" for i in range(3)],
            "position": ["A"] * 3 + ["B"] * 3,
            "team": ["T0", "T1", "T2", "T0", "T1", "T2"],
            "opponent": ["T1", "T0", "T3", "T1", "T0", "T3"],
            "salary": [50.0] * 6,
            "projection": [3.0, 2.5, 2.0, 3.0, 2.0, 1.5],
            "injury": [""] * 6,
        }
    )
    outcomes = [(1, 5), (2, 3), (0, 4), (2, 4), (1, 3), (1, 2)]
    slates = np.array(
        [
            [outcomes[p][bit] for p, bit in enumerate(bits)]
            for bits in itertools.product((0, 1), repeat=6)
        ]
    )
    field = np.array([[0, 3], [0, 3], [1, 4], [2, 5]])  # opponents (one lineup twice)
    candidates = np.array([[a, b] for a in range(3) for b in range(3, 6)])
    prizes = np.array([10.0, 6.0, 3.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    return pool, slates, field, candidates, prizes


def _enumerated_value(slates, field, candidates, prizes, portfolio) -> float:
    """Expected total payout of ``portfolio`` by listing every entry of every slate,
    ranking them and splitting tied ranks' prizes: no code shared with the estimator."""
    total = 0.0
    for slate in slates:
        entries = [("field", int(slate[list(f)].sum())) for f in field] + [
            ("ours", int(slate[list(candidates[c])].sum())) for c in portfolio
        ]
        scores = sorted((s for _, s in entries), reverse=True)
        for who, score in entries:
            if who != "ours":
                continue
            first = scores.index(score)  # 0-based rank of the first tied entry
            tied = scores.count(score)
            ranks = range(first, first + tied)
            total += sum(prizes[r] if r < len(prizes) else 0.0 for r in ranks) / tied
    return total / len(slates)


def test_expected_payout_and_the_greedy_agree_with_enumeration():
    _, slates, field, candidates, prizes = _tiny_contest()
    curve = PrizeCurve(prizes)
    scores = lineup_points(slates, candidates)
    field_scores = np.sort(lineup_points(slates, field), axis=1)
    standing = field_standing(field_scores, scores, 1.0)
    assert (standing.tied > 0).mean() > 0.2  # ties are common here: the split rule counts
    for size in (1, 2, 3):
        for portfolio in itertools.combinations(range(len(candidates)), size):
            cols = list(portfolio)
            estimate = entry_payouts(
                scores[:, cols], Standing(standing.above[:, cols], standing.tied[:, cols]), curve
            )
            exact = _enumerated_value(slates, field, candidates, prizes, portfolio)
            assert estimate.sum(axis=1).mean() == pytest.approx(exact, abs=1e-9), portfolio
    greedy = greedy_portfolio(scores, standing, curve, 3)
    chosen: list[int] = []
    for k in range(3):  # the greedy by enumeration: each step the best exact total
        value = {
            c: _enumerated_value(slates, field, candidates, prizes, (*chosen, c))
            for c in range(len(candidates))
            if c not in chosen
        }
        best = max(value.values())
        assert value[greedy.order[k]] == pytest.approx(best, abs=1e-9)
        before = _enumerated_value(slates, field, candidates, prizes, chosen) if chosen else 0.0
        assert greedy.gains[k] == pytest.approx(best - before, abs=1e-9)
        chosen.append(greedy.order[k])
    # the best pair by enumeration is at most what two greedy steps leave on the table
    pairs = max(
        _enumerated_value(slates, field, candidates, prizes, p)
        for p in itertools.combinations(range(len(candidates)), 2)
    )
    assert sum(greedy.gains[:2]) <= pairs + 1e-9


def test_a_sampled_field_standing_for_a_larger_one_counts_each_opponent_that_often():
    _, slates, field, candidates, prizes = _tiny_contest()
    curve = PrizeCurve(np.concatenate([prizes, np.zeros(8)]))
    scores = lineup_points(slates, candidates)
    once = np.sort(lineup_points(slates, field), axis=1)
    twice = np.sort(lineup_points(slates, np.vstack([field, field])), axis=1)
    weighted = entry_payouts(scores[:, :2], _cols(field_standing(once, scores, 2.0), 2), curve)
    doubled = entry_payouts(scores[:, :2], _cols(field_standing(twice, scores, 1.0), 2), curve)
    assert np.allclose(weighted, doubled)


def _cols(standing: Standing, k: int) -> Standing:
    return Standing(standing.above[:, :k], standing.tied[:, :k])


# --- ownership ----------------------------------------------------------------------


def test_the_dirichlet_regression_recovers_the_coefficients_it_was_simulated_with():
    rng = np.random.default_rng(4)
    beta, precision = np.array([1.2, 0.8, -0.4]), 80.0
    groups = np.repeat(np.arange(3), 15)
    slates = []
    for _ in range(40):
        x = rng.standard_normal((len(groups), 3))
        mean = softmax_within(groups, x @ beta)
        shares = np.zeros(len(groups))
        for g in range(3):
            rows = groups == g
            shares[rows] = rng.dirichlet(precision * mean[rows])
        slates.append((x, groups, shares))
    fit = fit_dirichlet(slates)
    assert np.allclose(fit.coefficients, beta, atol=0.12)
    assert 0.7 * precision < fit.precision < 1.3 * precision
    # and the mean shares it implies are the true ones
    x = slates[0][0]
    assert (
        np.abs(
            softmax_within(groups, x @ fit.coefficients) - softmax_within(groups, x @ beta)
        ).max()
        < 0.02
    )


def test_modelled_shares_sum_to_one_per_position_and_follow_value():
    pool = small_pool(NFL_COUNTS, teams=6, seed=3)
    shares = position_shares(pool, OwnershipModel(projection=1.0, value=1.0))
    for _, rows in pool.groupby("position").groups.items():
        assert shares[list(rows)].sum() == pytest.approx(1.0)
    qb = pool.index[pool["position"] == "QB"]
    best = pool.loc[qb, "projection"].idxmax()
    worst = pool.loc[qb, "projection"].idxmin()
    assert shares[best] > shares[worst]


def test_an_ownership_file_is_read_in_percent_or_share_and_bad_values_are_named(tmp_path):
    pool = small_pool({"QB": 2, "RB": 2}, seed=1)
    good = tmp_path / "own.csv"
    good.write_text("Id,Ownership\np0,40\np1,60\np2,12.5\n")
    owned = given_ownership(pool, str(good))
    assert list(owned) == [0.4, 0.6, 0.125, 0.0]
    bad = tmp_path / "bad.csv"
    bad.write_text("id,ownership\np0,140\n")
    with pytest.raises(InputError, match=r"bad.csv: player 'p0': ownership 140 is not"):
        given_ownership(pool, str(bad))
    missing = tmp_path / "missing.csv"
    missing.write_text("id,owned\np0,1\n")
    with pytest.raises(InputError, match=r"missing.csv: column 'ownership' is missing"):
        given_ownership(pool, str(missing))


# --- the simulated field ------------------------------------------------------------


def _field(pool, weights, **contest):
    settings = LineupSettings()
    return field_model(pool, NFL, weights, Contest(**contest), settings.team_rules(NFL))


def test_every_opponent_lineup_is_valid_and_spends_the_salary_window():
    pool = small_pool(NFL_COUNTS, teams=6, seed=5)
    model = _field(pool, position_shares(pool, OwnershipModel()), max_unused_salary=0.1)
    field = draw_field(model, 400, np.random.default_rng(0))
    site = LineupSettings.unconstrained(max_per_team="site", min_teams="site")
    salary = pool["salary"].to_numpy()[field].sum(axis=1)
    assert (salary <= NFL.salary_cap).all() and (salary >= 0.9 * NFL.salary_cap).all()
    for lineup in field:
        assert lineup_violations(pool, lineup, NFL, site) == []
    owned = ownership_of(field, len(pool))
    by_position = pd.Series(owned).groupby(pool["position"]).sum()
    assert by_position["QB"] == pytest.approx(1.0) and by_position["D"] == pytest.approx(1.0)
    assert owned.sum() == pytest.approx(NFL.size)


def test_the_field_is_calibrated_to_a_given_ownership():
    pool = small_pool(NFL_COUNTS, teams=6, seed=6)
    # a target the rules can meet: the ownership of a field drawn with other weights
    other = position_shares(pool, OwnershipModel(projection=2.0, value=-0.5, salary=1.0))
    target = ownership_of(
        draw_field(_field(pool, other), 20_000, np.random.default_rng(1)), len(pool)
    )
    start = _field(pool, np.ones(len(pool)))
    before = np.abs(
        ownership_of(draw_field(start, 20_000, np.random.default_rng(2)), len(pool)) - target
    ).max()
    calibrated, _ = calibrate(start, target, np.random.default_rng(3))
    after = np.abs(
        ownership_of(draw_field(calibrated, 20_000, np.random.default_rng(4)), len(pool)) - target
    ).max()
    assert before > 0.15 and after < 0.04


def test_stacked_opponents_pair_their_qb_with_a_receiver_of_his_team():
    pool = small_pool(NFL_COUNTS, teams=6, seed=7)
    shares = position_shares(pool, OwnershipModel())
    team, position = pool["team"].to_numpy(), pool["position"].to_numpy()

    def stacked_share(**contest) -> float:
        field = draw_field(_field(pool, shares, **contest), 3000, np.random.default_rng(0))
        hits = 0
        for lineup in field:
            qb = [i for i in lineup if position[i] == "QB"][0]
            hits += any(position[i] in ("WR", "TE") and team[i] == team[qb] for i in lineup)
        return hits / len(field)

    independent = stacked_share(copula="independent")
    stacked = stacked_share(copula="stacked", stack_share=0.8)
    # the share is of the opponents kept (after the cap and team rules), ± sampling noise
    assert stacked >= 0.78 and stacked > independent + 0.3


# --- the whole contest --------------------------------------------------------------

SMALL_CONTEST = {
    "field_size": 3000,
    "entries": 4,
    "opponents": 1500,
    "candidates": 300,
    "qb_candidates": 2,
    "per_qb": 20,
    "shortlist": 200,
    "choose_sims": 300,
    "evaluate_sims": 400,
    "max_unused_salary": 0.05,  # a 6-team pool has few lineups within 1% of the cap
}


def test_the_contest_is_seeded_and_judged_on_fresh_slates():
    pool = small_pool(NFL_COUNTS, teams=6, seed=8)
    settings = LineupSettings(n_lineups=4)
    contest = Contest(**SMALL_CONTEST)
    a = play_contest(pool, NFL, settings, contest, Simulation(), seed=1)
    b = play_contest(pool, NFL, settings, contest, Simulation(), seed=1)
    c = play_contest(pool, NFL, settings, contest, Simulation(), seed=2)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert not a.table.equals(c.table)
    ours = list(a.lineups["opponent_aware"])
    assert len(ours) == 4
    assert portfolio_violations(pool, ours, NFL, settings) == []
    # chosen on one set of slates, judged on another: in-sample is not the figure reported
    row = a.table.set_index("portfolio").loc["opponent_aware"]
    assert row["in_sample_roi"] != row["expected_roi"]


def test_optimize_lineups_continues_from_given_lineups_under_the_same_rules():
    pool = small_pool({"QB": 3, "RB": 4, "WR": 5, "TE": 3, "D": 3}, teams=4, seed=9)
    settings = LineupSettings.unconstrained(n_lineups=4, max_overlap=5)
    valid = all_valid_lineups(pool, NFL, settings)
    points = pool["projection"].to_numpy()
    middling = sorted(valid, key=lambda v: -points[list(v)].sum())[len(valid) // 3]
    start = [np.array(sorted(middling))]  # not the best lineup, chosen first
    result = optimize_lineups(pool, NFL, settings, start=start)
    assert np.array_equal(result.lineups[0], start[0]) and len(result.lineups) == 4
    assert portfolio_violations(pool, result.lineups, NFL, settings) == []
    # each later lineup is the exhaustive best given the ones before it, the start included
    best = best_given_earlier(pool, NFL, settings, result.lineups)
    got = [points[lineup].sum() for lineup in result.lineups]
    assert got[1:] == pytest.approx(best[1:])


def test_top_lineups_are_the_exhaustive_best_meeting_every_per_lineup_rule():
    from dsplaybook.lineups.engines.ranked import top_lineups
    from dsplaybook.lineups.formulation import EngineInputs, formulate

    pool = small_pool({"QB": 3, "RB": 4, "WR": 5, "TE": 3, "D": 3}, teams=4, seed=10)
    settings = LineupSettings.unconstrained(stack=True, avoid_opposing_defense=True)
    valid = all_valid_lineups(pool, NFL, settings)
    points = pool["projection"].to_numpy()
    every = sorted((points[list(v)].sum() for v in valid), reverse=True)
    inputs = EngineInputs(formulate(pool, NFL, settings), NFL.size - 1, 0.0, pool, NFL)
    found = top_lineups(inputs, 40)
    assert points[found].sum(axis=1) == pytest.approx(every[:40])
    assert len(every) > 40 and len(top_lineups(inputs, 10_000)) == len(every)
    assert all(lineup_violations(pool, row, NFL, settings) == [] for row in found)
    # and the rules bind: the unconstrained best is not among them
    plain = all_valid_lineups(pool, NFL, LineupSettings.unconstrained())
    assert max(points[list(v)].sum() for v in plain) > every[0]
