"""Variance-aware lineup portfolios for top-heavy contests.

Player scores are simulated as correlated normals around their projections:
teammates move together, a quarterback most with his own receivers, and a defence
against the offence it faces. From a set of candidate lineups, a portfolio is built
greedily to maximise the chance that *at least one* lineup clears a target score —
what pays in a top-heavy contest — rather than the sum of projections.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dsplaybook.roster_rules import RosterRules


@dataclass(frozen=True)
class SimulationSettings:
    n_sims: int = 5000
    score_cv: float = 0.4  # sd of a player's score as a share of his projection
    teammate_correlation: float = 0.15
    qb_receiver_correlation: float = 0.45
    opposing_defense_correlation: float = -0.2
    target_quantile: float = 0.95  # target = this quantile of the top lineup's score
    portfolio_size: int = 5
    seed: int = 0


def correlation_matrix(pool: pd.DataFrame, rules: RosterRules, s: SimulationSettings) -> np.ndarray:
    position = pool["position"].to_numpy()
    team = pool["team"].to_numpy()
    opponent = pool["opponent"].to_numpy()
    same_team = team[:, None] == team[None, :]
    corr = np.where(same_team, s.teammate_correlation, 0.0)
    qb = position == rules.quarterback
    receiver = np.isin(position, rules.receivers)
    stack = same_team & ((qb[:, None] & receiver[None, :]) | (receiver[:, None] & qb[None, :]))
    corr[stack] = s.qb_receiver_correlation
    defence = position == rules.defense
    facing = (defence[:, None] & (opponent[None, :] == team[:, None])) & ~defence[None, :]
    corr[facing | facing.T] = s.opposing_defense_correlation
    np.fill_diagonal(corr, 1.0)
    return _nearest_correlation(corr)


def _nearest_correlation(corr: np.ndarray) -> np.ndarray:
    """Clip negative eigenvalues so the matrix is a valid correlation matrix."""
    values, vectors = np.linalg.eigh(corr)
    fixed = (vectors * np.clip(values, 1e-6, None)) @ vectors.T
    scale = np.sqrt(np.diag(fixed))
    return fixed / scale[:, None] / scale[None, :]


def simulate_player_scores(
    pool: pd.DataFrame, rules: RosterRules, s: SimulationSettings
) -> np.ndarray:
    """(n_sims, n_players) simulated fantasy points, seeded."""
    rng = np.random.default_rng(s.seed)
    chol = np.linalg.cholesky(correlation_matrix(pool, rules, s))
    z = rng.standard_normal((s.n_sims, len(pool))) @ chol.T
    mean = pool["projection"].to_numpy(float)
    sd = s.score_cv * np.abs(mean)
    return mean + z * sd


@dataclass(frozen=True)
class Portfolio:
    order: list[int]  # indices into the candidate lineups, in the order chosen
    target: float
    hit_probability: list[float]  # P(at least one chosen lineup ≥ target), after each pick
    lineup_mean: np.ndarray
    lineup_sd: np.ndarray
    lineup_hit: np.ndarray  # P(this lineup ≥ target)
    baseline_hit: float  # same-size portfolio of the top projected lineups
    lineup_scores: np.ndarray  # (n_sims, n_candidates)


def build_portfolio(
    player_scores: np.ndarray,
    lineups: list[np.ndarray],
    projected: np.ndarray,
    s: SimulationSettings,
) -> Portfolio:
    incidence = np.zeros((player_scores.shape[1], len(lineups)))
    for k, lineup in enumerate(lineups):
        incidence[lineup, k] = 1.0
    scores = player_scores @ incidence
    best = int(np.argmax(projected))
    target = float(np.quantile(scores[:, best], s.target_quantile))
    hits = scores >= target
    size = min(s.portfolio_size, len(lineups))
    covered = np.zeros(len(scores), dtype=bool)
    order: list[int] = []
    cumulative: list[float] = []
    for _ in range(size):
        gain = (covered[:, None] | hits).mean(axis=0)
        gain[order] = -1.0
        pick = int(np.argmax(gain))  # ties -> lowest index: deterministic
        order.append(pick)
        covered |= hits[:, pick]
        cumulative.append(float(covered.mean()))
    top = np.argsort(-projected, kind="stable")[:size]
    return Portfolio(
        order=order,
        target=target,
        hit_probability=cumulative,
        lineup_mean=scores.mean(axis=0),
        lineup_sd=scores.std(axis=0),
        lineup_hit=hits.mean(axis=0),
        baseline_hit=float(hits[:, top].any(axis=1).mean()),
        lineup_scores=scores,
    )
