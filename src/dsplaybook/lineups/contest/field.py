"""Simulated opponents: the field's lineups drawn from its ownership.

An opponent fills the roster slot group by slot group (single-position groups first, the
QB's first of all, flex groups last), each group's players drawn without replacement
with probability proportional to their weights — all opponents at once, by Gumbel top-k
(``log w + Gumbel`` keys, the k largest per group; Gumbel-max is exact weighted sampling).
A draw is kept when it spends the cap but at most ``max_unused_salary`` of it and meets the
site's team and game rules; the rest are redrawn (rejection keeps the law exact given
those rules). The **stacked copula** (Haugh & Singal's stacking opponents): a share of
opponents take, with their QB, one receiver of his team, drawn by weight among them.

Opponents spend the cap: independent picks by ownership alone would overspend it in
most draws, so the weights are tilted by ``exp(-λ · salary)`` with λ set (bisection on
trial draws) so the median draw spends the middle of the salary window. That is part of
the model: the cap pulls the field's ownership towards value, and the field's realised
ownership is what the outputs report. With target ownership (a column or file), the
weights are then calibrated so the field meets it: ``w ← w · (target / realised)^0.8`` on
trial fields.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from dsplaybook.errors import InputError
from dsplaybook.lineups.contest.settings import Contest
from dsplaybook.lineups.rosters import RosterRules, player_positions, plays
from dsplaybook.lineups.rule_rows import game_keys
from dsplaybook.lineups.settings import TeamRules

log = logging.getLogger("dsplaybook")

BATCH = 4096  # opponents drawn at once
MAX_DRAWS = 400  # batches before the rules are called too tight for the field model
CALIBRATION_ROUNDS = 8
CALIBRATION_STEP = 0.8
FIRST_PICK = 1e300  # a key above any Gumbel key, yet finite (the dry-group test)


@dataclass(frozen=True)
class FieldModel:
    """Everything a draw needs, precomputed once."""

    weights: np.ndarray  # players: relative pick weight within a slot group
    groups: list[tuple[np.ndarray, int]]  # (eligible players mask, count), in draw order
    qb_group: int | None  # the index of the QB's group in ``groups``
    mates: np.ndarray | None  # players × players: receiver of the QB's team
    salary: np.ndarray
    cap: float
    least_salary: float
    team: np.ndarray  # team index per player
    game: np.ndarray  # game index per player
    limits: TeamRules
    stack_share: float


def field_model(
    pool: pd.DataFrame,
    rules: RosterRules,
    weights: np.ndarray,
    contest: Contest,
    limits: TeamRules,
) -> FieldModel:
    listed = [player_positions(p) for p in pool["position"]]
    order = sorted(
        range(len(rules.slots)),
        key=lambda g: (
            len(rules.slots[g].eligible) > 1,
            rules.quarterback not in rules.slots[g].eligible,
            g,
        ),
    )
    groups = [
        (np.array([bool(p & rules.slots[g].eligible) for p in listed]), rules.slots[g].count)
        for g in order
    ]
    qb_group = next(
        (
            k
            for k, g in enumerate(order)
            if rules.slots[g].eligible == {rules.quarterback} and rules.slots[g].count == 1
        ),
        None,
    )
    team = pool["team"].to_numpy()
    mates = None
    if contest.copula == "stacked" and qb_group is not None and contest.stack_share > 0:
        receiver = plays(pool["position"], rules.receivers)
        mates = (team[:, None] == team[None, :]) & receiver[None, :]
    model = FieldModel(
        weights=np.asarray(weights, float),
        groups=groups,
        qb_group=qb_group,
        mates=mates,
        salary=pool["salary"].to_numpy(float),
        cap=float(rules.salary_cap),
        least_salary=(1.0 - contest.max_unused_salary) * rules.salary_cap,
        team=np.unique(team, return_inverse=True)[1],
        game=np.unique(game_keys(pool), return_inverse=True)[1],
        limits=limits,
        stack_share=contest.stack_share if mates is not None else 0.0,
    )
    rng = np.random.default_rng(0)
    return _stack_corrected(_tilted(model, rng), rng)


def _stack_corrected(model: FieldModel, rng: np.random.Generator, trial: int = 4096) -> FieldModel:
    """Stacked draws break the cap or team rules more often than others, so the share of
    draws made stacked is raised until the share among *kept* opponents is stack_share."""
    share = model.stack_share
    if share <= 0 or share >= 1:
        return model
    kept = {}
    for name, p in (("stacked", 1.0), ("free", 0.0)):
        trial_model = replace(model, stack_share=p)
        kept[name] = max(_valid(trial_model, _draw(trial_model, rng, trial)).mean(), 1e-3)
    raised = share * kept["free"] / (kept["stacked"] * (1 - share) + share * kept["free"])
    return replace(model, stack_share=float(raised))


def _tilted(model: FieldModel, rng: np.random.Generator, trial: int = 2048) -> FieldModel:
    """Weights × exp(-λ · salary/cap · roster size), λ ≥ 0 by bisection so the median
    draw spends the middle of the salary window (λ = 0 when it already does)."""
    middle = (model.least_salary + model.cap) / 2.0
    size = sum(count for _, count in model.groups)
    scaled = model.salary / model.cap * size

    def median_spent(lam: float) -> float:
        draws = _draw(replace(model, weights=model.weights * np.exp(-lam * scaled)), rng, trial)
        draws = draws[draws[:, 0] >= 0]
        return float(np.median(model.salary[draws].sum(axis=1))) if len(draws) else 0.0

    if median_spent(0.0) <= middle:
        return model
    low, high = 0.0, 1.0
    while median_spent(high) > middle and high < 1e3:
        low, high = high, high * 2.0
    for _ in range(12):
        mid = (low + high) / 2.0
        low, high = (mid, high) if median_spent(mid) > middle else (low, mid)
    return replace(model, weights=model.weights * np.exp(-high * scaled))


def _draw(model: FieldModel, rng: np.random.Generator, size: int) -> np.ndarray:
    """``size`` draws (rows of player indices, sorted; -1 rows where a group ran dry)."""
    n = len(model.weights)
    with np.errstate(divide="ignore"):
        keys = np.log(model.weights)[None, :] + rng.gumbel(size=(size, n))
    stacked = rng.random(size) < model.stack_share
    picked = np.zeros((size, n), dtype=bool)
    rows = np.arange(size)[:, None]
    chosen, ok = [], np.ones(size, dtype=bool)
    for k, (eligible, count) in enumerate(model.groups):
        masked = np.where(eligible[None, :] & ~picked, keys, -np.inf)
        top = np.argpartition(-masked, count - 1, axis=1)[:, :count]
        ok &= np.isfinite(masked[rows, top]).all(axis=1)
        picked[rows, top] = True
        chosen.append(top)
        if k == model.qb_group and model.mates is not None and stacked.any():
            qb = top[:, 0]
            # one receiver of the QB's team, drawn by weight (Gumbel-max among them),
            # is taken first by the group he is eligible for
            mate_keys = np.where(model.mates[qb] & ~picked, keys, -np.inf)
            mate = mate_keys.argmax(axis=1)
            has = stacked & np.isfinite(mate_keys[np.arange(size), mate])
            keys[np.flatnonzero(has), mate[has]] = FIRST_PICK
    lineups = np.sort(np.hstack(chosen), axis=1)
    return np.where(ok[:, None], lineups, -1)


def _valid(model: FieldModel, lineups: np.ndarray) -> np.ndarray:
    ok = lineups[:, 0] >= 0
    safe = np.where(lineups >= 0, lineups, 0)
    spent = model.salary[safe].sum(axis=1)
    ok &= (spent <= model.cap + 1e-9) & (spent >= model.least_salary - 1e-9)
    teams, games = model.team[safe], model.game[safe]
    limits = model.limits
    if limits.max_per_team is not None:
        same = (teams[:, :, None] == teams[:, None, :]).sum(axis=2)
        ok &= same.max(axis=1) <= limits.max_per_team
    for labels, least in ((teams, limits.min_teams), (games, limits.min_games)):
        if least:
            ordered = np.sort(labels, axis=1)
            distinct = 1 + (np.diff(ordered, axis=1) != 0).sum(axis=1)
            ok &= distinct >= least
    return ok


def draw_field(model: FieldModel, n_opponents: int, rng: np.random.Generator) -> np.ndarray:
    """(n_opponents, roster size) opponent lineups (sorted player rows), seeded."""
    found, total, draws, accepted = [], 0, 0, 0
    while total < n_opponents:
        if draws >= MAX_DRAWS:
            raise InputError(
                f"lineups.contest: only {accepted} of {draws * BATCH:,} opponent draws meet the "
                "salary window and site rules; raise lineups.contest.max_unused_salary"
            )
        batch = _draw(model, rng, BATCH)
        batch = batch[_valid(model, batch)]
        draws += 1
        accepted += len(batch)
        found.append(batch[: n_opponents - total])
        total += len(found[-1])
    log.info(
        "field: %d opponents from %d draws (%.1f%% met the salary window and site rules)",
        n_opponents,
        draws * BATCH,
        100.0 * accepted / (draws * BATCH),
    )
    return np.vstack(found)


def ownership_of(lineups: np.ndarray, n_players: int) -> np.ndarray:
    """Each player's share of the lineups."""
    return np.bincount(lineups.ravel(), minlength=n_players) / max(len(lineups), 1)


def calibrate(
    model: FieldModel, target: np.ndarray, rng: np.random.Generator, trial: int = 5000
) -> tuple[FieldModel, float]:
    """Weights whose field meets ``target`` ownership as closely as the rules allow, and
    the largest remaining gap (absolute share)."""
    weights = np.where(target > 0, np.maximum(model.weights, 1e-12), 0.0)
    gap = np.inf
    for _ in range(CALIBRATION_ROUNDS):
        current = replace(model, weights=weights)
        realised = ownership_of(draw_field(current, trial, rng), len(target))
        gap = float(np.abs(realised - target).max())
        ratio = np.where(target > 0, (target + 1e-4) / (realised + 1e-4), 0.0)
        weights = weights * ratio**CALIBRATION_STEP
        weights /= weights[weights > 0].mean()
    return replace(model, weights=weights), gap
