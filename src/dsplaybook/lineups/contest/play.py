"""A portfolio that plays against the field (Haugh & Singal), and its honest evaluation.

1. Ownership: given (column or file; the field is calibrated to it) or modelled
   (:mod:`~dsplaybook.lineups.contest.ownership`).
2. Two simulated fields of opponents (:mod:`~dsplaybook.lineups.contest.field`) and two sets of
   correlated score slates (:mod:`~dsplaybook.lineups.simulation`): one to choose on, one
   from other seeds to evaluate on.
3. Candidates: the best lineups by projection meeting every per-lineup rule (the ranked
   list), the best with ownership-discounted points (contrarian), and the best of each of
   the top QBs (stack-diverse), plus the projection-max sequence itself.
4. The greedy expected-payout portfolio (:mod:`~dsplaybook.lineups.contest.expected`), keeping the
   run's overlap and max-exposure rules, and two baselines: (a) the projection-max
   sequence of ``lineups.csv`` and (b) the variance-aware portfolio of
   ``portfolio.csv``'s method over the same candidates.
5. All three evaluated on the fresh slates and field: expected payout, ROI, P(cash),
   P(top 1%), their players' ownership and how many opponents play the same lineups.
"""

from __future__ import annotations

import logging
import math
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from dsplaybook.lineups.checks import optimize_checked
from dsplaybook.lineups.contest.expected import (
    SCORE_UNIT,
    PrizeCurve,
    entry_payouts,
    field_standing,
    greedy_portfolio,
    integer_points,
    lineup_points,
    own_counts,
)
from dsplaybook.lineups.contest.field import calibrate, draw_field, field_model, ownership_of
from dsplaybook.lineups.contest.ownership import (
    FEATURES,
    fit_position_shares,
    given_ownership,
    position_shares,
)
from dsplaybook.lineups.contest.settings import Contest, OwnershipModel
from dsplaybook.lineups.engines.ranked import top_lineups
from dsplaybook.lineups.formulation import EngineInputs, formulate
from dsplaybook.lineups.optimize import overlap_limit
from dsplaybook.lineups.rosters import RosterRules, plays
from dsplaybook.lineups.settings import LineupSettings, Simulation, SimulationSettings
from dsplaybook.lineups.simulation import build_portfolio, simulate_player_scores

log = logging.getLogger("dsplaybook")

SIM_CHUNK = 500  # slates scored against the field at once
TOP_SHARE = 0.01  # "top 1%"


@dataclass(frozen=True)
class ContestResult:
    table: pd.DataFrame  # one row per portfolio: the held-out figures
    lineups: dict[str, np.ndarray]  # portfolio -> (entries, roster size) player rows
    payouts: dict[str, np.ndarray]  # portfolio -> total payout per held-out slate
    ownership: pd.DataFrame  # per player: given/modelled and the field's realised share
    n_candidates: int
    seconds: dict[str, float]


def _rng(seed: int, stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, stream])


def _sorted_field_scores(points: np.ndarray, field: np.ndarray) -> np.ndarray:
    scores = lineup_points(points, field)
    scores.sort(axis=1)  # in place: the largest array of a contest
    return scores


def candidate_lineups(
    pool: pd.DataFrame,
    rules: RosterRules,
    settings: LineupSettings,
    contest: Contest,
    ownership: np.ndarray,
) -> np.ndarray:
    """Unique candidate lineups (sorted player rows) meeting every per-lineup rule."""
    limit = overlap_limit(settings, rules)

    def best(frame: pd.DataFrame, rule_set: LineupSettings, count: int) -> np.ndarray:
        inputs = EngineInputs(formulate(frame, rules, rule_set), limit, 0.0, frame, rules)
        return top_lineups(inputs, count)

    found = [best(pool, settings, contest.candidates)]
    projection = pool["projection"].to_numpy(float)
    for discount in contest.contrarian:
        points = projection * np.clip(1.0 - discount * ownership, 0.0, None)
        found.append(best(pool.assign(projection=points), settings, contest.candidates // 2))
    qb = plays(pool["position"], [rules.quarterback]) & ~pool["id"].isin(settings.exclude)
    if contest.qb_candidates and qb.any() and not settings.lock:
        ids = pool["id"].to_numpy()
        top = np.flatnonzero(qb)[np.argsort(-projection[qb], kind="stable")]
        for q in top[: contest.qb_candidates]:
            others = tuple(ids[qb & (ids != ids[q])])
            own = settings.model_copy(update={"exclude": (*settings.exclude, *others)})
            found.append(best(pool, own, contest.per_qb))
    stacked = np.vstack([f for f in found if len(f)])
    return np.unique(stacked, axis=0)


@dataclass(frozen=True)
class _Field:
    """The simulated field: one draw to choose the portfolio on, one held out to judge it."""

    shares: np.ndarray  # modelled share of each player's position
    target: np.ndarray | None  # the given ownership, if any
    fitted: np.ndarray | None  # the Dirichlet regression's shares on the given ownership
    choose: np.ndarray  # opponent lineups the portfolio is chosen against
    test: np.ndarray  # opponent lineups it is judged against
    weight: float  # entries each simulated opponent stands for


def _simulated_field(
    pool: pd.DataFrame,
    rules: RosterRules,
    settings: LineupSettings,
    contest: Contest,
    seed: int,
    ownership_file: str | None,
) -> _Field:
    limits = settings.team_rules(rules)
    target = given_ownership(pool, ownership_file)
    shares = position_shares(pool, contest.ownership_model)
    model = field_model(pool, rules, shares if target is None else target, contest, limits)
    fitted = None
    if target is not None:
        model, gap = calibrate(model, target, _rng(seed, 3))
        log.info("field calibrated to the given ownership: largest gap %.3f", gap)
        fit = fit_position_shares(pool, target)
        fitted = position_shares(
            pool, OwnershipModel(**dict(zip(FEATURES, fit.coefficients, strict=True)))
        )
        log.info(
            "Dirichlet regression on the given ownership: %s, precision %.1f",
            ", ".join(f"{f} {c:+.2f}" for f, c in zip(FEATURES, fit.coefficients, strict=True)),
            fit.precision,
        )
    opponents = min(contest.opponents, contest.field_size - contest.entries)
    weight = (contest.field_size - contest.entries) / opponents
    choose = draw_field(model, opponents, _rng(seed, 1))
    test = draw_field(model, opponents, _rng(seed, 2))
    return _Field(shares, target, fitted, choose, test, weight)


def play_contest(
    pool: pd.DataFrame,
    rules: RosterRules,
    settings: LineupSettings,
    contest: Contest,
    simulation: Simulation,
    seed: int,
    ownership_file: str | None = None,
) -> ContestResult:
    clock, seconds = time.perf_counter(), {}

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = now - clock
        clock = now

    n = len(pool)
    field = _simulated_field(pool, rules, settings, contest, seed, ownership_file)
    field_share = ownership_of(field.test, n)
    lap("field")

    entries = contest.entries
    settings = _for_entries(settings, entries)
    baseline = optimize_checked(pool, rules, settings, seed=seed)
    projection_max = np.sort(np.array(baseline.lineups, dtype=np.int64), axis=1)
    # contrarian points use the choosing field's ownership: the held-out field is only
    # ever used to judge
    choosing_share = ownership_of(field.choose, n)
    found = candidate_lineups(pool, rules, settings, contest, choosing_share)
    candidates = np.unique(np.vstack([found, projection_max]), axis=0)
    log.info("%d candidate lineups", len(candidates))
    lap("candidates")

    curve = PrizeCurve(contest.prize_table())
    choose = SimulationSettings.from_config(
        simulation, seed=seed, n_sims=contest.choose_sims, portfolio_size=entries
    )
    player_scores = simulate_player_scores(pool, rules, choose)
    points = integer_points(player_scores)
    scores = lineup_points(points, candidates)
    choose_sorted = _sorted_field_scores(points, field.choose)
    standing = field_standing(choose_sorted, scores, field.weight)
    blocked = _blocker(candidates, settings, rules, entries, pool)
    greedy = greedy_portfolio(scores, standing, curve, entries, blocked, contest.shortlist)
    ours = _filled(candidates[greedy.order], pool, rules, settings, seed)
    lap("greedy")
    projected = pool["projection"].to_numpy(float)[candidates].sum(axis=1)
    variance = build_portfolio(player_scores, list(candidates), projected, choose, blocked)
    lap("variance-aware")
    chosen = {
        "opponent_aware": ours,
        "projection_max": projection_max,
        "variance_aware": _filled(candidates[variance.order], pool, rules, settings, seed),
    }
    in_sample = {}
    for name, rows in chosen.items():
        mine = lineup_points(points, rows)
        standing = field_standing(choose_sorted, mine, field.weight)
        in_sample[name] = entry_payouts(mine, standing, curve).sum(axis=1).mean()
    evaluate = SimulationSettings.from_config(
        simulation, seed=seed + 1, n_sims=contest.evaluate_sims
    )
    payouts, figures = _evaluate(
        pool, rules, evaluate, field.test, field.weight, curve, chosen, contest
    )
    lap("evaluation")
    table = _table(
        chosen, payouts, figures, in_sample, field_share, field.test, field.weight, contest
    )
    ownership = pool[["id", "name", "position", "team", "salary", "projection"]].assign(
        modelled_share_of_position=field.shares,
        given_ownership=np.nan if field.target is None else field.target,
        fitted_share_of_position=np.nan if field.fitted is None else field.fitted,
        field_ownership=field_share,
    )
    return ContestResult(table, chosen, payouts, ownership, len(candidates), seconds)


def _filled(
    chosen: np.ndarray, pool: pd.DataFrame, rules: RosterRules, settings: LineupSettings, seed: int
) -> np.ndarray:
    """A greedy that painted itself into a corner of the rules (no candidate left that
    they allow) is completed by the exact sequence's next best lineups given its picks."""
    if len(chosen) >= settings.n_lineups:
        return chosen
    log.info(
        "the rules leave room for %d of %d entries among the candidates; the rest by projection",
        len(chosen),
        settings.n_lineups,
    )
    done = optimize_checked(pool, rules, settings, seed=seed, start=list(chosen))
    return np.sort(np.array(done.lineups, dtype=np.int64), axis=1)


def _for_entries(settings: LineupSettings, entries: int) -> LineupSettings:
    """The run's rules for a portfolio of ``entries``: a share cap that rounds to no
    lineup at all (one entry × 0.6) becomes one lineup."""
    update: dict = {"n_lineups": entries}
    if math.floor(settings.max_exposure * entries + 1e-9) < 1:
        update["max_exposure"] = 1.0
    return settings.model_copy(update=update)


def _blocker(
    candidates: np.ndarray,
    settings: LineupSettings,
    rules: RosterRules,
    entries: int,
    pool: pd.DataFrame,
):
    """blocked(order): candidates sharing more than max_overlap players with a chosen
    lineup, or holding a player already at his max exposure of the ``entries`` lineups."""
    limit = overlap_limit(settings, rules)
    member = np.zeros((len(candidates), len(pool)), dtype=np.int16)
    np.put_along_axis(member, candidates, 1, axis=1)
    caps = np.array(
        [settings.lineup_counts(settings.player_band(str(pid)))[1] for pid in pool["id"]]
    )

    def blocked(order: list[int]) -> np.ndarray:
        if not order:
            return np.zeros(len(candidates), dtype=bool)
        taken = member[order]
        out = ((member @ taken.T) > limit).any(axis=1)
        full = taken.sum(axis=0) >= caps
        return np.asarray(out | (member[:, full] > 0).any(axis=1))

    return blocked


def _evaluate(
    pool: pd.DataFrame,
    rules: RosterRules,
    evaluate: SimulationSettings,
    field: np.ndarray,
    weight: float,
    curve: PrizeCurve,
    chosen: dict[str, np.ndarray],
    contest: Contest,
) -> tuple[dict[str, np.ndarray], dict[str, dict[str, Any]]]:
    """Held-out slates, in chunks: per portfolio the total payout per slate, the share of
    its entries that cash and whether one finishes in the top 1%."""
    player_scores = simulate_player_scores(pool, rules, evaluate)
    top = TOP_SHARE * contest.field_size
    paid_places = int((curve.prizes > 0).sum())
    # the field's score at the last paid rank (the cash line), for the normal link
    line_index = field.shape[0] - max(1, min(field.shape[0], math.ceil(paid_places / weight)))
    margin: dict[str, list] = {name: [] for name in chosen}
    lines: list = []
    totals: dict[str, list] = {name: [] for name in chosen}
    cash: dict[str, list] = {name: [] for name in chosen}
    top_hit: dict[str, list] = {name: [] for name in chosen}
    for start in range(0, len(player_scores), SIM_CHUNK):
        points = integer_points(player_scores[start : start + SIM_CHUNK])
        field_sorted = _sorted_field_scores(points, field)
        lines.append(field_sorted[:, line_index] / SCORE_UNIT)
        for name, rows in chosen.items():
            scores = lineup_points(points, rows)
            standing = field_standing(field_sorted, scores, weight)
            paid = entry_payouts(scores, standing, curve)
            own_above, _ = own_counts(scores)
            totals[name].append(paid.sum(axis=1))
            cash[name].append((paid > 0).mean(axis=1))
            top_hit[name].append((standing.above + own_above < top).any(axis=1))
            margin[name].append((scores - field_sorted[:, [line_index]]) / SCORE_UNIT)
    payouts = {name: np.concatenate(v) for name, v in totals.items()}
    figures = {}
    for name in chosen:
        over_line = np.vstack(margin[name])  # (slates, entries): score - cash line
        # mean–variance link: P(cash) ≈ Φ(E[score - line] / sd[score - line]) per entry
        normal = special.ndtr(over_line.mean(axis=0) / np.maximum(over_line.std(axis=0), 1e-9))
        figures[name] = {
            "cash": np.concatenate(cash[name]),
            "top": np.concatenate(top_hit[name]),
            "normal": float(normal.mean()),
            "line": float(np.concatenate(lines).mean()),
        }
    return payouts, figures


ASSUMPTIONS = (
    "simulated, not measured: outcomes drawn around our projections (sd fitted to two "
    "real slates), the field drawn from modelled ownership; on real DraftKings contests "
    "the simulated ROI overstated the real one (docs/lineups.md, Backtests)"
)


def _se(values: np.ndarray) -> float:
    return float(values.std(ddof=1) / np.sqrt(len(values))) if len(values) > 1 else 0.0


def _table(
    chosen: dict[str, np.ndarray],
    payouts: dict[str, np.ndarray],
    figures: dict[str, dict[str, np.ndarray]],
    in_sample: dict[str, float],
    field_share: np.ndarray,
    field: np.ndarray,
    weight: float,
    contest: Contest,
) -> pd.DataFrame:
    counts = Counter(map(tuple, field))  # opponents per distinct lineup
    rows = []
    for name, lineups in chosen.items():
        fee = contest.entry_fee * len(lineups)
        totals = payouts[name]
        rows.append(
            {
                "portfolio": name,
                "entries": len(lineups),
                "expected_payout": totals.mean(),
                "payout_se": totals.std(ddof=1) / np.sqrt(len(totals)),
                "expected_roi": totals.mean() / fee - 1.0,
                # the simulation's own (Monte Carlo) 95% interval: not the model's error,
                # which the backtests measure (docs/lineups.md)
                "expected_roi_low": (totals.mean() - 1.96 * _se(totals)) / fee - 1.0,
                "expected_roi_high": (totals.mean() + 1.96 * _se(totals)) / fee - 1.0,
                "in_sample_roi": in_sample[name] / fee - 1.0,
                "p_cash": figures[name]["cash"].mean(),
                "p_any_cash": (figures[name]["cash"] > 0).mean(),
                "p_top_1pct": figures[name]["top"].mean(),
                "p_cash_normal": figures[name]["normal"],
                "cash_line": figures[name]["line"],
                "mean_ownership": field_share[lineups].mean(),
                # paired over the same held-out slates: the se of ROI(this) - ROI(proj-max)
                "roi_gain_se": (totals - payouts["projection_max"]).std(ddof=1)
                / np.sqrt(len(totals))
                / fee,
                "field_duplicates": weight
                * sum(counts.get(tuple(r), 0) for r in lineups)
                / len(lineups),
            }
        )
    table = pd.DataFrame(rows)
    table["assumptions"] = ASSUMPTIONS
    base = table.set_index("portfolio")["expected_roi"]
    table["roi_vs_projection_max"] = (
        table["expected_roi"] / base["projection_max"] if base["projection_max"] > 0 else np.nan
    )
    return table
