"""A backtest: each portfolio method's lineups for a real contest, scored with the real
points, placed in the real standings and paid from the real payout table, beside what
the real field did.

The lineups are built before lock as a user would: from the salaries export and the
projections, the contest's payout table and size, and modelled ownership (the real
ownership is only known after lock: it is used to judge, never to choose). Players the
standings never mention were drafted by nobody; they get 0 points (they most likely did
not play, which is the point of using projections instead of season averages). A name
the standings give once but the pool holds twice (two Michael Thomases) goes to the
player with the higher projection; the log says so. Names are compared as the
projections are (``projections.name_key``: no accents, punctuation or suffixes)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dsplaybook.lineups.backtest.payouts import prize_by_place
from dsplaybook.lineups.backtest.placement import place_among, tied_payouts
from dsplaybook.lineups.backtest.standings import Standings
from dsplaybook.lineups.contest.expected import field_standing, integer_points, lineup_points
from dsplaybook.lineups.contest.field import draw_field, field_model
from dsplaybook.lineups.contest.ownership import position_shares
from dsplaybook.lineups.contest.play import play_contest
from dsplaybook.lineups.contest.settings import Contest, Prize
from dsplaybook.lineups.projections import name_key
from dsplaybook.lineups.rosters import RosterRules
from dsplaybook.lineups.settings import LineupSettings, Simulation, SimulationSettings
from dsplaybook.lineups.simulation import simulate_player_scores

log = logging.getLogger("dsplaybook")
METHODS = ("projection_max", "variance_aware", "opponent_aware")
TOP_USERS = 0.01
PIT_SIMS, PIT_FIELD = 400, 2000  # simulated slates and field entries for the PIT


@dataclass(frozen=True)
class RealContest:
    """One contest of the slate: its standings, payouts, fee and entry limit."""

    name: str
    standings: Standings
    payouts: pd.DataFrame
    entry_fee: float
    max_entries: int


def actual_points(pool: pd.DataFrame, standings: Standings) -> np.ndarray:
    """Each pool player's real fantasy points from the standings' player table."""
    table = standings.players.assign(key=name_key(standings.players["name"]))
    table = table.drop_duplicates("key")
    fpts = dict(zip(table["key"], table["fpts"], strict=True))
    keys = name_key(pool["name"])
    points = keys.map(fpts)
    twice = keys.duplicated(keep=False) & points.notna()
    for key in keys[twice].unique():
        rows = pool.index[keys == key]
        name = pool.at[rows[0], "name"]
        keep = pool.loc[rows, "projection"].idxmax()
        points[rows.drop(keep)] = np.nan
        log.info(
            "standings: %r is in the pool %d times; its %.1f points go to %s (the higher "
            "projection)", name, len(rows), fpts[key], pool.at[keep, "id"],
        )  # fmt: skip
    nobody = int(points.isna().sum())
    log.info("standings: %d of %d pool players were drafted by nobody: 0 points", nobody, len(pool))
    return points.fillna(0.0).to_numpy(float)


def field_figures(contest: RealContest) -> tuple[dict, np.ndarray]:
    """The real field's own results (median entry, cash rate, ROI, the top 1% of users:
    entries grouped by name), and every user's ROI, sorted."""
    entries = contest.standings.entries
    prize = prize_by_place(contest.payouts, len(entries))
    _, paid = tied_payouts(entries["points"].to_numpy(), prize)
    users = (
        entries.assign(paid=paid)
        .groupby("user")
        .agg(entries=("paid", "size"), paid=("paid", "sum"))
    )
    users["roi"] = users["paid"] / (users["entries"] * contest.entry_fee) - 1
    top = users.sort_values("roi", ascending=False).head(max(1, round(TOP_USERS * len(users))))
    return {
        "field_entries": len(entries),
        "field_users": len(users),
        "field_median_points": float(entries["points"].median()),
        "field_cash_rate": float((paid > 0).mean()),
        "field_roi": float(paid.sum() / (len(entries) * contest.entry_fee) - 1),
        "top1pct_users_roi": float(
            top["paid"].sum() / (top["entries"].sum() * contest.entry_fee) - 1
        ),
    }, np.sort(users["roi"].to_numpy())


def real_contest_settings(base: Contest, contest: RealContest, entries: int) -> Contest:
    """``base`` (candidates, sims, field model) with the real contest's size, fee and
    prizes (cash places; a ticket counts 0)."""
    size = len(contest.standings.entries) + entries
    prizes = tuple(
        Prize(first=int(r.place_lo), last=int(min(r.place_hi, size)), prize=float(r.payout))
        for r in contest.payouts.itertuples()
        if r.payout > 0 and r.place_lo <= size
    )
    return base.model_copy(
        update={
            "payout": "custom",
            "prizes": prizes,
            "field_size": size,
            "entry_fee": contest.entry_fee,
            "entries": entries,
        }
    )


@dataclass(frozen=True)
class SimulatedContest:
    """What the PIT judges lineups on: ``PIT_SIMS`` simulated slates (integer points per
    player) and ``PIT_FIELD`` simulated opponents' scores on each, sorted per slate. It
    depends on the pool and the settings only, so a backtest builds it once."""

    points: np.ndarray  # (sims, players)
    field_sorted: np.ndarray  # (sims, PIT_FIELD)


def simulated_contest(
    pool: pd.DataFrame,
    rules: RosterRules,
    settings: LineupSettings,
    contest: Contest,
    simulation: Simulation,
    seed: int,
) -> SimulatedContest:
    """The field model play_contest uses, drawn once, scored on the simulated slates."""
    shares = position_shares(pool, contest.ownership_model)
    model = field_model(pool, rules, shares, contest, settings.team_rules(rules))
    field = draw_field(model, PIT_FIELD, np.random.default_rng([seed, 11]))
    sims = SimulationSettings.from_config(simulation, seed=seed + 2, n_sims=PIT_SIMS)
    points = integer_points(simulate_player_scores(pool, rules, sims))
    return SimulatedContest(points, np.sort(lineup_points(points, field), axis=1))


def predicted_percentile_pit(
    simulated: SimulatedContest, lineups: np.ndarray, realised: np.ndarray
) -> np.ndarray:
    """Per lineup, the simulator's probability that its percentile in the field is at most
    the one it really had (the PIT): the share of simulated opponents it beats on each
    simulated slate. Calibrated, these are uniform on 0–1 across lineups."""
    scores = lineup_points(simulated.points, lineups)
    standing = field_standing(simulated.field_sorted, scores, 1.0)
    beaten = PIT_FIELD - standing.above - standing.tied  # opponents strictly below
    return (beaten / PIT_FIELD <= realised[None, :]).mean(axis=0)


def pit_error(pit: np.ndarray) -> float:
    """How far PIT values are from uniform: the largest gap between their ECDF and the
    diagonal (a Kolmogorov distance; 0 = calibrated)."""
    if len(pit) == 0:
        return float("nan")
    values = np.sort(pit)
    n = len(values)
    above = np.arange(1, n + 1) / n - values
    below = values - np.arange(n) / n
    return float(max(above.max(), below.max()))


def backtest(
    pool: pd.DataFrame,
    rules: RosterRules,
    settings: LineupSettings,
    contests: list[RealContest],
    entry_counts: tuple[int, ...],
    base: Contest,
    simulation: Simulation,
    seed: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per contest × entries × method (``summary``) and one per lineup
    (``lineups``: its real points, place, payout and percentile in the field)."""
    rows, per_lineup = [], []
    simulated = simulated_contest(pool, rules, settings, base, simulation, seed)
    for contest in contests:
        truth = actual_points(pool, contest.standings)
        field = contest.standings.entries["points"].to_numpy()
        figures, user_roi = field_figures(contest)
        prize = prize_by_place(contest.payouts, len(field) + max(entry_counts))
        for n in entry_counts:
            if n > contest.max_entries:
                log.info(
                    "%s: %d entries is over its limit of %d; skipped",
                    contest.name,
                    n,
                    contest.max_entries,
                )
                continue
            played = play_contest(
                pool, rules, settings, real_contest_settings(base, contest, n), simulation, seed
            )
            predicted = played.table.set_index("portfolio")["expected_roi"]
            for method in METHODS:
                lineups = played.lineups[method]
                points = truth[lineups].sum(axis=1)
                placed = place_among(points, field, prize)
                pit = predicted_percentile_pit(simulated, lineups, placed["percentile"])
                fees = n * contest.entry_fee
                roi = placed["payout"].sum() / fees - 1
                rows.append(
                    {
                        "contest": contest.name,
                        "entry_fee": contest.entry_fee,
                        "entries": n,
                        "method": method,
                        "roi": roi,
                        "simulated_roi": float(predicted.get(method, np.nan)),
                        "cash_rate": float((placed["payout"] > 0).mean()),
                        "best_place": int(placed["place"].min()),
                        "mean_percentile": float(placed["percentile"].mean()),
                        "pit_error": pit_error(pit),
                        "best_points": float(points.max()),
                        "mean_points": float(points.mean()),
                        "zero_point_players": int((truth[lineups] == 0).sum()),
                        "user_percentile": float(
                            np.searchsorted(user_roi, roi, side="left") / len(user_roi)
                        ),
                        **figures,
                    }
                )
                per_lineup += [
                    {
                        "contest": contest.name, "entries": n, "method": method, "lineup": k + 1,
                        "points": float(points[k]), "place": int(placed["place"][k]),
                        "payout": float(placed["payout"][k]),
                        "percentile": float(placed["percentile"][k]),
                        "pit": float(pit[k]),
                    }
                    for k in range(len(lineups))
                ]  # fmt: skip
                log.info(
                    "%s, %d entries, %s: ROI %+.0f%%, cash %.0f%%, mean percentile %.2f, "
                    "best place %d (simulated ROI %+.0f%%)", contest.name, n, method, 100 * roi,
                    100 * rows[-1]["cash_rate"], rows[-1]["mean_percentile"],
                    rows[-1]["best_place"], 100 * rows[-1]["simulated_roi"],
                )  # fmt: skip
    return pd.DataFrame(rows), pd.DataFrame(per_lineup)
