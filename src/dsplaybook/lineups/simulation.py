"""Variance-aware lineup portfolios for top-heavy contests.

Player scores are simulated as correlated normals around their projections, with the
spread real slates show (sd = score_sd_base + score_cv × projection, fitted on two real
DraftKings slates; the projections were unbiased there: actual ≈ -1.3 + 1.00 × projection):
teammates move together, a quarterback most with his own receivers, and a defense
against the offence it faces. From a set of candidate lineups, a portfolio is built
greedily to maximise the chance that *at least one* lineup clears a target score —
what pays in a top-heavy contest — rather than the sum of projections.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dsplaybook.lineups.rosters import RosterRules, plays
from dsplaybook.lineups.settings import SimulationSettings


def correlation_matrix(pool: pd.DataFrame, rules: RosterRules, s: SimulationSettings) -> np.ndarray:
    position = pool["position"]
    team = pool["team"].to_numpy()
    opponent = pool["opponent"].to_numpy()
    same_team = team[:, None] == team[None, :]
    corr = np.where(same_team, s.teammate_correlation, 0.0)
    qb = plays(position, [rules.quarterback])
    receiver = plays(position, rules.receivers)
    stack = same_team & ((qb[:, None] & receiver[None, :]) | (receiver[:, None] & qb[None, :]))
    corr[stack] = s.qb_receiver_correlation
    defense = plays(position, [rules.defense])
    facing = (defense[:, None] & (opponent[None, :] == team[:, None])) & ~defense[None, :]
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
    sd = np.where(mean != 0, s.score_sd_base + s.score_cv * np.abs(mean), 0.0)
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
    blocked: Callable[[list[int]], np.ndarray] | None = None,
) -> Portfolio:
    """``blocked(order)``: candidates the rules rule out given those chosen (the contest
    comparison holds every portfolio to the same overlap and exposure rules)."""
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
        if blocked is not None and order:
            gain[blocked(order)] = -1.0
        if gain.max() < 0:
            break
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


def portfolio_table(portfolio: Portfolio, projected: np.ndarray) -> pd.DataFrame:
    """One row per candidate lineup: projection, simulated mean/sd, hit probability, and
    for the chosen ones their rank and the portfolio's hit probability up to them."""
    n = len(projected)
    rank = pd.array([pd.NA] * n, dtype="Int64")
    cumulative = np.full(n, np.nan)
    for position, k in enumerate(portfolio.order):
        rank[k] = position + 1
        cumulative[k] = portfolio.hit_probability[position]
    return pd.DataFrame(
        {
            "lineup": range(1, n + 1),
            "projected": projected.round(4),
            "sim_mean": portfolio.lineup_mean.round(3),
            "sim_sd": portfolio.lineup_sd.round(3),
            "hit_probability": portfolio.lineup_hit.round(4),
            "target": round(portfolio.target, 3),
            "portfolio_rank": rank,
            "portfolio_hit_probability": cumulative,
        }
    )
