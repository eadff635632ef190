"""Generated DraftKings exports for the new families of bench/lineups_vs_pydfs.py
(--family): no real showdown, MLB, NHL or golf slate is on hand, so each is drawn with a
seed, in the export's own format (Position, Name + ID, Name, ID, Roster Position,
Salary, Game Info, TeamAbbrev, AvgPointsPerGame) plus the Order (MLB batting order)
and Line (NHL line) columns a projection site adds. Salaries follow points, with noise.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

MLB_TEAM = ["SP", "SP", "RP", "C", "1B", "2B", "3B", "SS", "OF", "OF", "OF", "2B/SS", "1B/OF"]
NHL_TEAM = ["C"] * 4 + ["LW"] * 4 + ["RW"] * 4 + ["D"] * 6 + ["G"] * 2
NFL_SIDE = ["QB", "QB", "RB", "RB", "RB", "WR", "WR", "WR", "WR", "WR", "TE", "TE", "K", "DST"]
NBA_SIDE = ["PG", "PG", "SG", "SG", "SF", "SF", "PF", "PF", "C", "C", "PG/SG", "SF/PF"]


def _rows(positions, teams, rng, mean, spread, cap_share):
    """One row per (position, team): points lognormal around ``mean`` by position,
    salary ~ points with noise, rounded to 100."""
    rows = []
    for team, opponent, listed in teams:
        for k, pos in enumerate(listed):
            points = float(mean.get(pos.split("/")[0], 8.0) * rng.lognormal(0, spread))
            salary = int(np.clip(round(points * cap_share * rng.lognormal(0, 0.15)), 20, 140)) * 100
            rows.append([pos, team, opponent, salary, round(points, 3), k])
    return rows


def _export(rows, game_of, roster_position="") -> pd.DataFrame:
    frame = pd.DataFrame(
        rows, columns=["Position", "TeamAbbrev", "opp", "Salary", "AvgPointsPerGame", "k"]
    )
    frame["ID"] = [str(10_000 + i) for i in range(len(frame))]
    frame["Name"] = [
        f"{t} {p.split('/')[0]} {k}"
        for t, p, k in zip(frame["TeamAbbrev"], frame["Position"], frame["k"], strict=True)
    ]
    frame["Name + ID"] = frame["Name"] + " (" + frame["ID"] + ")"
    frame["Game Info"] = [
        game_of(t, o) for t, o in zip(frame["TeamAbbrev"], frame["opp"], strict=True)
    ]
    frame["Roster Position"] = roster_position or frame["Position"]
    return frame


def _games(n_games: int) -> list[tuple[str, str]]:
    teams = [f"T{i:02d}" for i in range(2 * n_games)]
    return [(teams[2 * g], teams[2 * g + 1]) for g in range(n_games)]


def _matchup(team: str, opponent: str) -> str:
    away, home = sorted([team, opponent])
    return f"{away}@{home} 06/01/2024 07:05PM ET"


def showdown(sport: str, seed: int) -> pd.DataFrame:
    """One game; every player on a FLEX/UTIL row and a CPT row (1.5× salary, own id)."""
    rng = np.random.default_rng(seed)
    side = NFL_SIDE if sport == "nfl" else NBA_SIDE
    mean = (
        {"QB": 18, "RB": 10, "WR": 9, "TE": 6, "K": 7, "DST": 6}
        if sport == "nfl"
        else {"PG": 30, "SG": 26, "SF": 27, "PF": 28, "C": 30}
    )
    share = 6.0 if sport == "nfl" else 1.9  # salary per point: a FLEX five near the cap
    rows = _rows(side, [("AAA", "BBB", side), ("BBB", "AAA", side)], rng, mean, 0.45, share)
    flex = _export(rows, _matchup, "FLEX" if sport == "nfl" else "UTIL")
    cpt = flex.assign(
        ID=[str(20_000 + i) for i in range(len(flex))],
        Salary=(flex["Salary"] * 1.5).astype(int),
        **{"Roster Position": "CPT"},
    )
    cpt["Name + ID"] = cpt["Name"] + " (" + cpt["ID"] + ")"
    return pd.concat([cpt, flex], ignore_index=True)


def mlb(seed: int, n_games: int = 10) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    teams = []
    for home, away in _games(n_games):
        teams += [(home, away, MLB_TEAM), (away, home, MLB_TEAM)]
    mean = {"SP": 16, "RP": 5, "C": 6, "1B": 8, "2B": 7, "3B": 8, "SS": 7, "OF": 8}
    frame = _export(_rows(MLB_TEAM, teams, rng, mean, 0.35, 5.0), _matchup)
    order = np.full(len(frame), "", dtype=object)
    for team in frame["TeamAbbrev"].unique():
        hitters = np.flatnonzero(
            (frame["TeamAbbrev"] == team) & ~frame["Position"].isin(["SP", "RP"])
        )
        for spot, row in enumerate(rng.permutation(hitters)[:9]):
            order[row] = str(spot + 1)
    return frame.assign(Order=order)


def nhl(seed: int, n_games: int = 8) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    teams = []
    for home, away in _games(n_games):
        teams += [(home, away, NHL_TEAM), (away, home, NHL_TEAM)]
    mean = {"C": 9, "LW": 8, "RW": 8, "D": 7, "G": 12}
    frame = _export(_rows(NHL_TEAM, teams, rng, mean, 0.35, 5.5), _matchup)
    # forward lines 1-4 (a C, a LW and a RW each), defence pairs D1-D3, goalies none
    line = []
    for pos, k in zip(frame["Position"], frame["k"], strict=True):
        if pos in ("C", "LW", "RW"):
            line.append(str(k % 4 + 1))
        elif pos == "D":
            line.append(f"D{(k - 12) // 2 + 1}")
        else:
            line.append("")
    return frame.assign(Line=line)


def golf(seed: int, n: int = 150) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = _rows(["G"], [(f"G{i:03d}", "", ["G"]) for i in range(n)], rng, {"G": 60}, 0.25, 1.4)
    frame = _export(rows, lambda t, o: "The Open 07/18/2024 02:00AM ET")
    return frame


FAMILIES = {
    # name: (export builder, preset)
    "showdown_nfl": (lambda: showdown("nfl", 1), "draftkings_nfl_showdown"),
    "showdown_nba": (lambda: showdown("nba", 2), "draftkings_nba_showdown"),
    "mlb_stack": (lambda: mlb(3), "draftkings_mlb"),
    "nhl_lines": (lambda: nhl(4), "draftkings_nhl"),
    "golf": (lambda: golf(5), "draftkings_golf"),
}


def family_pool(name: str, folder: Path) -> tuple[Path, str]:
    build, preset = FAMILIES[name]
    path = folder / f"{name}.csv"
    frame = build().drop(columns=["opp", "k"])
    frame.rename(columns={"AvgPointsPerGame": "Projection"}).to_csv(path, index=False)
    return path, preset
