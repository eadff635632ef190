"""The contest simulator against two real DraftKings slates (../shared/data/contests):

1. Projection error: actual - projection (RotoGrinders, published before lock) per
   position and projection level: bias, sd, and the sd as a share of the projection
   (what ``lineups.simulation.score_cv`` assumes).
2. Ownership: the default ownership model (``lineups.contest.ownership_model``) and the
   Dirichlet regression fitted in-slate and on the other slate, against the real
   ``%Drafted``: MAE in percentage points and Spearman's rho (a position's shares are
   scaled to its real total, so only who-gets-what is judged).
3. The field: the simulated field (the default field model), scored with the real points,
   against the real field: quantiles, KS distance, stack share (QB with a WR/TE of his
   team), salary left and the duplicate-lineup rate.

Prints the tables docs/benchmarks.md quotes. Usage: python bench/contest_calibration.py
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from dsplaybook.lineups.backtest.run import actual_points
from dsplaybook.lineups.backtest.standings import read_standings
from dsplaybook.lineups.contest.field import draw_field, field_model
from dsplaybook.lineups.contest.ownership import (
    FEATURES,
    fit_position_shares,
    position_shares,
    primary_position,
)
from dsplaybook.lineups.contest.settings import Contest, OwnershipModel
from dsplaybook.lineups.player_pool import read_player_pool
from dsplaybook.lineups.presets import PRESETS
from dsplaybook.lineups.projections import join_projections, name_key, read_projections
from dsplaybook.lineups.rosters import plays
from dsplaybook.lineups.settings import LineupSettings

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "contests"
SLATES = {
    "NFL 2017 wk 2": (
        "nfl-2017-09-17-dk-classic-main-wk2",
        "draftkings_nfl",
        ["roto_offense_2017-09-14.csv", "roto_defense_2017-09-14.csv"],
    ),
    "NBA 2017-12-13": ("nba-2017-12-13-dk-classic-main", "draftkings_nba", ["roto_2017-12-13.csv"]),
}


def load(folder: str, roster: str, files: list[str]):
    root = SHARED / folder
    rules = PRESETS[roster]
    pool = read_player_pool(root / "salaries.csv", None, rules.positions)
    pool = join_projections(pool, [read_projections(root / "projections" / f) for f in files])
    standings = read_standings(root / "standings.csv", rules.slot_names())
    truth = actual_points(pool, standings)
    players = standings.players.assign(key=name_key(standings.players["name"]))
    owned = players.drop_duplicates("key").set_index("key")["ownership"]
    keys = name_key(pool["name"])
    ownership = keys.map(owned).fillna(0.0).to_numpy(float).copy()
    ownership[keys.duplicated(keep="first").to_numpy()] = 0.0  # one owner per name
    return rules, pool, standings, truth, ownership


def residuals(pool: pd.DataFrame, truth: np.ndarray) -> pd.DataFrame:
    projected = pool["projection"].to_numpy(float)
    playing = projected >= 1.0
    frame = pd.DataFrame(
        {
            "position": primary_position(pool)[playing],
            "projection": projected[playing],
            "residual": (truth - projected)[playing],
        }
    )
    rows = []
    for position, group in [("all", frame), *frame.groupby("position")]:
        rows.append(
            {
                "position": position,
                "players": len(group),
                "bias": group["residual"].mean(),
                "sd": group["residual"].std(),
                "sd_share_of_projection": group["residual"].std() / group["projection"].mean(),
                "zero_points": float((group["residual"] == -group["projection"]).mean()),
            }
        )
    level = pd.qcut(frame["projection"], 3, labels=["low", "mid", "high"])
    for name, group in frame.groupby(level, observed=True):
        rows.append(
            {
                "position": f"projection {name} ({group['projection'].min():.0f}-"
                f"{group['projection'].max():.0f})",
                "players": len(group),
                "bias": group["residual"].mean(),
                "sd": group["residual"].std(),
                "sd_share_of_projection": group["residual"].std() / group["projection"].mean(),
                "zero_points": float((group["residual"] == -group["projection"]).mean()),
            }
        )
    return pd.DataFrame(rows)


def as_ownership(pool: pd.DataFrame, shares: np.ndarray, real: np.ndarray) -> np.ndarray:
    """Position shares scaled to each position's real total ownership."""
    groups = primary_position(pool)
    out = np.zeros(len(pool))
    for g in np.unique(groups):
        rows = groups == g
        out[rows] = shares[rows] * real[rows].sum()
    return out


def ownership_fit(pool, real, model: OwnershipModel) -> dict:
    predicted = as_ownership(pool, position_shares(pool, model), real)
    return {
        "mae_pp": 100 * float(np.abs(predicted - real).mean()),
        "mae_pp_owned": 100 * float(np.abs(predicted - real)[real > 0].mean()),
        "spearman": float(stats.spearmanr(predicted, real).statistic),
    }


def field_comparison(rules, pool, standings, truth) -> dict:
    entries = standings.entries[standings.entries["lineup"].map(len) > 0]
    ids: dict[str, int] = {}
    for k, key in enumerate(name_key(pool["name"])):
        ids.setdefault(key, k)  # a shared name: the first (the higher-salary listing)
    keyed = [name_key(pd.Series(list(lineup))).tolist() for lineup in entries["lineup"]]
    real = np.array([[ids[n] for n in lineup] for lineup in keyed if all(n in ids for n in lineup)])
    contest = Contest()
    model = field_model(
        pool,
        rules,
        position_shares(pool, contest.ownership_model),
        contest,
        LineupSettings().team_rules(rules),
    )
    simulated = draw_field(model, len(real), np.random.default_rng(1))
    salary = pool["salary"].to_numpy(float)
    qb = plays(pool["position"], [rules.quarterback])
    receiver = plays(pool["position"], rules.receivers)
    team = pool["team"].to_numpy()

    def describe(lineups: np.ndarray) -> dict:
        stacked = [
            any(receiver[p] and team[p] == team[q] for p in row for q in row if qb[q])
            for row in lineups
        ]
        unique = len({tuple(sorted(r)) for r in lineups})
        return {
            "points": truth[lineups].sum(axis=1),
            "stack_share": float(np.mean(stacked)) if qb.any() else float("nan"),
            "salary_left": float((rules.salary_cap - salary[lineups].sum(axis=1)).mean()),
            "duplicates": 1.0 - unique / len(lineups),
        }

    mine, theirs = describe(simulated), describe(real)
    ks = stats.ks_2samp(mine["points"], theirs["points"]).statistic
    quantiles = (0.1, 0.5, 0.9, 0.99)
    return {
        "entries": len(real),
        "ks_points": float(ks),
        **{f"real_q{int(100 * q)}": float(np.quantile(theirs["points"], q)) for q in quantiles},
        **{f"sim_q{int(100 * q)}": float(np.quantile(mine["points"], q)) for q in quantiles},
        **{f"real_{k}": theirs[k] for k in ("stack_share", "salary_left", "duplicates")},
        **{f"sim_{k}": mine[k] for k in ("stack_share", "salary_left", "duplicates")},
    }


def spread_fit(projected: np.ndarray, truth: np.ndarray) -> dict:
    playing = projected >= 1.0
    p, t = projected[playing], truth[playing]
    beta, alpha = np.polyfit(p, t, 1)
    b, a = np.polyfit(p, np.abs(t - p) * np.sqrt(np.pi / 2), 1)
    return {"players": int(playing.sum()), "alpha": alpha, "beta": beta, "sd_a": a, "sd_b": b}


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    pd.set_option("display.width", 200)
    pd.set_option("display.float_format", "{:.3f}".format)
    loaded = {name: load(*spec) for name, spec in SLATES.items()}
    print("1. Projection error (actual - RotoGrinders projection; players projected >= 1)")
    for name, (_, pool, _, truth, _) in loaded.items():
        print(f"\n{name}")
        print(residuals(pool, truth).to_string(index=False))
    print("\n2. Ownership against the real %Drafted")
    fits = {name: fit_position_shares(pool, real) for name, (_, pool, _, _, real) in loaded.items()}
    rows = []
    for name, (_, pool, _, _, real) in loaded.items():
        rows.append(
            {"slate": name, "model": "default", **ownership_fit(pool, real, OwnershipModel())}
        )
        for source, fit in fits.items():
            model = OwnershipModel(**dict(zip(FEATURES, fit.coefficients, strict=True)))
            kind = "in-slate fit" if source == name else f"fit on {source}"
            rows.append({"slate": name, "model": kind, **ownership_fit(pool, real, model)})
    print(pd.DataFrame(rows).to_string(index=False))
    for source, fit in fits.items():
        coefficients = ", ".join(
            f"{f} {c:+.2f}" for f, c in zip(FEATURES, fit.coefficients, strict=True)
        )
        print(f"fit on {source}: {coefficients}; precision {fit.precision:.1f}")
    print("\n3. The simulated field (default model) against the real field, real points")
    rows = [{"slate": name, **field_comparison(rules, pool, st, truth)}
            for name, (rules, pool, st, truth, _) in loaded.items()]  # fmt: skip
    print(pd.DataFrame(rows).T.to_string())
    print("\n4. Calibration of the projections: actual = alpha + beta * projection (OLS), and")
    print("   the spread: |residual| * sqrt(pi/2) = a + b * projection (a normal's sd)")
    rows = []
    for name, (_, pool, _, truth, _) in loaded.items():
        rows.append({"slate": name, **spread_fit(pool["projection"].to_numpy(float), truth)})
    both = [(pool["projection"].to_numpy(float), truth) for _, pool, _, truth, _ in loaded.values()]
    rows.append({"slate": "both", **spread_fit(np.concatenate([b[0] for b in both]),
                                                np.concatenate([b[1] for b in both]))})  # fmt: skip
    print(pd.DataFrame(rows).to_string(index=False))


if __name__ == "__main__":
    main()
