"""Who the field plays: ownership shares per player.

Given (an ownership column or file, e.g. bought projections) or modelled: within each
position a player's share of that position's picks is a softmax of coefficients times
his features (each a share of the position's best) — the mean of a Dirichlet regression
(Haugh & Singal model a slate's observed shares of a position as Dirichlet with this mean
and a precision φ).
:func:`fit_dirichlet` fits the coefficients and φ by maximum likelihood from past slates'
shares, so a user with ownership history replaces the default coefficients by a fit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, special

from dsplaybook.errors import InputError
from dsplaybook.lineups.contest.settings import OwnershipModel

FEATURES = ("projection", "value", "salary")


def primary_position(pool: pd.DataFrame) -> np.ndarray:
    """A player's first listed position (``PG/SG`` -> PG): his ownership group."""
    return pool["position"].str.split("/").str[0].str.strip().to_numpy()


def features(pool: pd.DataFrame) -> np.ndarray:
    """(players, FEATURES): projection, points per $1,000 and salary, each as a share of
    the best of the player's position. Shares of the best, not z-scores: an export lists
    every backup at 0 points, and how many there are must not change who the field plays."""
    salary = pool["salary"].to_numpy(float)
    projection = pool["projection"].to_numpy(float)
    raw = np.column_stack([projection, 1000.0 * projection / np.maximum(salary, 1.0), salary])
    out = np.zeros_like(raw)
    groups = primary_position(pool)
    for position in np.unique(groups):
        rows = groups == position
        best = raw[rows].max(axis=0)
        out[rows] = raw[rows] / np.where(best > 0, best, 1.0)
    return out


def coefficients(model: OwnershipModel) -> np.ndarray:
    return np.array([getattr(model, name) for name in FEATURES], float)


def softmax_within(groups: np.ndarray, utility: np.ndarray) -> np.ndarray:
    """Shares summing to 1 within each group."""
    shares = np.zeros(len(utility))
    for g in np.unique(groups):
        rows = groups == g
        u = utility[rows] - utility[rows].max()
        shares[rows] = np.exp(u) / np.exp(u).sum()
    return shares


def position_shares(pool: pd.DataFrame, model: OwnershipModel) -> np.ndarray:
    """Each player's modelled share of his position's picks (sums to 1 per position)."""
    return softmax_within(primary_position(pool), features(pool) @ coefficients(model))


@dataclass(frozen=True)
class DirichletFit:
    coefficients: np.ndarray  # one per feature
    precision: float  # φ: larger = slates closer to the mean shares
    log_likelihood: float


def fit_dirichlet(
    slates: list[tuple[np.ndarray, np.ndarray, np.ndarray]], shares_floor: float = 1e-6
) -> DirichletFit:
    """Maximum likelihood Dirichlet regression: each slate is (features, groups, shares)
    with shares summing to 1 within each group; shares ~ Dirichlet(φ · softmax(Xβ))."""
    k = slates[0][0].shape[1]

    def negative_log_likelihood(theta: np.ndarray) -> float:
        beta, phi = theta[:k], np.exp(theta[k])
        total = 0.0
        for x, groups, shares in slates:
            mean = softmax_within(groups, x @ beta)
            alpha = phi * np.maximum(mean, 1e-12)
            y = np.log(np.maximum(shares, shares_floor))
            for g in np.unique(groups):
                rows = groups == g
                a = alpha[rows]
                total += special.gammaln(a.sum()) - special.gammaln(a).sum()
                total += ((a - 1.0) * y[rows]).sum()
        return -total

    start = np.zeros(k + 1)
    start[k] = np.log(50.0)
    found = optimize.minimize(negative_log_likelihood, start, method="L-BFGS-B")
    return DirichletFit(found.x[:k], float(np.exp(found.x[k])), float(-found.fun))


def given_ownership(pool: pd.DataFrame, path: str | None = None) -> np.ndarray | None:
    """Ownership as a share of lineups (0 … 1) from a CSV with id and ownership (% or
    share), else the pool's ``ownership`` column (lineups.ownership_column), or None when
    neither is given. Players the file lacks own 0."""
    if path:
        try:
            table = pd.read_csv(path, dtype={"id": str})
        except (OSError, pd.errors.ParserError, UnicodeDecodeError) as err:
            raise InputError(f"{path}: not a readable CSV ({str(err).splitlines()[0]})") from err
        table.columns = [c.strip().lower() for c in table.columns]
        missing = {"id", "ownership"} - set(table.columns)
        if missing:
            raise InputError(
                f"{path}: column {sorted(missing)[0]!r} is missing; an ownership file needs "
                "columns id and ownership"
            )
        values = pd.to_numeric(table["ownership"], errors="coerce")
        by_id = dict(zip(table["id"].str.strip(), values, strict=True))
        raw = pool["id"].map(by_id).fillna(0.0).to_numpy(float)
        where = path
    elif "ownership" in pool.columns:
        raw = pool["ownership"].to_numpy(float)
        where = "lineups.ownership_column"
    else:
        return None
    bad = ~np.isfinite(raw) | (raw < 0) | (raw > 100)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"{where}: player {pool['id'].iloc[row]!r}: ownership {float(raw[row]):g} is not a "
            "number from 0 to 100 (%) or 0 to 1 (share); fix it"
        )
    # % when any value is above 1 (a share of lineups is at most 1)
    return raw / 100.0 if raw.max(initial=0) > 1.0 else raw


def fit_position_shares(pool: pd.DataFrame, ownership: np.ndarray) -> DirichletFit:
    """The Dirichlet regression fitted to one slate's ownership: each position's shares of
    its picks (ownership / the position's total)."""
    groups = primary_position(pool)
    shares = np.zeros(len(pool))
    for g in np.unique(groups):
        rows = groups == g
        total = ownership[rows].sum()
        shares[rows] = ownership[rows] / total if total > 0 else 1.0 / rows.sum()
    return fit_dirichlet([(features(pool), groups, shares)])
