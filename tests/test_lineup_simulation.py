import itertools

import numpy as np
import pytest
from lineup_fixtures import small_pool

from dsplaybook.lineups.optimize import LineupSettings, optimize_lineups
from dsplaybook.lineups.presets import PRESETS
from dsplaybook.lineups.simulation import (
    SimulationSettings,
    build_portfolio,
    correlation_matrix,
    simulate_player_scores,
)

RULES = PRESETS["fanduel_nfl_kicker"]
COUNTS = {"QB": 4, "RB": 6, "WR": 8, "TE": 4, "K": 3, "D": 4}


def test_correlations_follow_the_teams():
    pool = small_pool(COUNTS, teams=4, seed=1)
    s = SimulationSettings(n_sims=40_000, seed=3)
    corr = correlation_matrix(pool, RULES, s)
    assert np.allclose(np.diag(corr), 1) and np.linalg.eigvalsh(corr).min() > 0
    scores = simulate_player_scores(pool, RULES, s)
    empirical = np.corrcoef(scores.T)
    pos, team = pool["position"].to_numpy(), pool["team"].to_numpy()
    qb = np.flatnonzero(pos == "QB")[0]
    mates = np.flatnonzero((team == team[qb]) & np.isin(pos, ["WR", "TE"]))
    strangers = np.flatnonzero((team != team[qb]) & (pool["opponent"].to_numpy() != team[qb]))
    assert mates.size and strangers.size
    assert empirical[qb, mates].mean() > 0.3
    assert abs(empirical[qb, strangers].mean()) < 0.05
    assert np.allclose(scores.mean(0), pool["projection"], atol=0.3)


def test_simulation_is_seeded():
    pool = small_pool(COUNTS, seed=2)
    a = simulate_player_scores(pool, RULES, SimulationSettings(n_sims=200, seed=1))
    b = simulate_player_scores(pool, RULES, SimulationSettings(n_sims=200, seed=1))
    c = simulate_player_scores(pool, RULES, SimulationSettings(n_sims=200, seed=2))
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def _portfolio(n_lineups: int, settings: SimulationSettings):
    pool = small_pool(COUNTS, teams=4, seed=5).assign(salary=lambda d: d["salary"] * 0.8)
    lineups = optimize_lineups(
        pool, RULES, LineupSettings.unconstrained(n_lineups=n_lineups, max_overlap=5)
    ).lineups
    scores = simulate_player_scores(pool, RULES, settings)
    projected = np.array([pool["projection"].to_numpy()[lu].sum() for lu in lineups])
    return build_portfolio(scores, lineups, projected, settings), projected


def test_greedy_portfolio_is_within_the_coverage_bound_of_the_best():
    portfolio, _ = _portfolio(10, SimulationSettings(n_sims=3000, portfolio_size=3, seed=4))
    hits = portfolio.lineup_scores >= portfolio.target
    best = max(hits[:, list(c)].any(axis=1).mean() for c in itertools.combinations(range(10), 3))
    # greedy max-coverage is at least (1 - 1/e) of the optimum
    assert portfolio.hit_probability[-1] >= (1 - 1 / np.e) * best
    assert portfolio.hit_probability == sorted(portfolio.hit_probability)
    assert portfolio.order[0] == int(np.argmax(hits.mean(axis=0)))
    assert portfolio.hit_probability[-1] == pytest.approx(
        hits[:, portfolio.order].any(axis=1).mean()
    )


def test_portfolio_table_ranks_exactly_the_chosen_lineups():
    from dsplaybook.lineups.simulation import portfolio_table

    portfolio, projected = _portfolio(6, SimulationSettings(n_sims=1000, portfolio_size=3, seed=2))
    table = portfolio_table(portfolio, projected)
    assert list(table["lineup"]) == [1, 2, 3, 4, 5, 6]
    ranked = table.dropna(subset=["portfolio_rank"]).sort_values("portfolio_rank")
    assert list(ranked["lineup"] - 1) == portfolio.order
    assert list(ranked["portfolio_hit_probability"]) == portfolio.hit_probability
    assert table["portfolio_rank"].isna().sum() == 6 - 3
