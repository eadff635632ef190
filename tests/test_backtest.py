"""Backtests on real DraftKings contests: the readers on real rows and edge rows (the 2017
R variant and today's format), placement and tie-splitting against a brute-force
ranking and a hand example, the guard against reading results as projections, and the
backtest itself (determinism; the real field's own ROI is minus the rake)."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dsplaybook.errors import InputError
from dsplaybook.lineups.backtest.payouts import prize_by_place, read_payouts
from dsplaybook.lineups.backtest.placement import place_among, tied_payouts
from dsplaybook.lineups.backtest.run import RealContest, actual_points, backtest, field_figures
from dsplaybook.lineups.backtest.standings import parse_lineup, read_standings
from dsplaybook.lineups.contest.settings import Contest
from dsplaybook.lineups.player_pool import read_player_pool
from dsplaybook.lineups.presets import PRESETS
from dsplaybook.lineups.projections import join_projections, read_projections
from dsplaybook.lineups.settings import LineupSettings, Simulation

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "contests"
NFL = SHARED / "nfl-2017-09-17-dk-classic-main-wk2"
NBA = SHARED / "nba-2017-12-13-dk-classic-main"
NFL_SLOTS = PRESETS["draftkings_nfl"].slot_names()
NBA_SLOTS = PRESETS["draftkings_nba"].slot_names()


def _shared() -> None:
    if not NFL.exists():
        pytest.skip("needs ../shared/data/contests (development and CI data)")


# -- readers -----------------------------------------------------------------------------


def test_the_2017_standings_read_as_they_are():
    _shared()
    nfl = read_standings(NFL / "standings.csv", NFL_SLOTS)
    first = nfl.entries.iloc[0]
    assert first["rank"] == 1 and first["points"] == 213.58 and first["user"] == "jtorture78"
    assert first["lineup"][0] == "J.J. Nelson" and "Buccaneers" in first["lineup"]  # DST name
    assert nfl.entries.iloc[1]["user"] == "longhorns37"  # "(1/3)" is the entry count
    assert nfl.entries["lineup"].map(len).isin([0, 9]).all()
    fpts = dict(zip(nfl.players["name"], nfl.players["fpts"], strict=True))
    for row in nfl.entries.head(200).itertuples():  # each lineup's FPTS add up to its Points
        assert sum(fpts[name] for name in row.lineup) == pytest.approx(row.points, abs=0.01)
    assert nfl.players["ownership"].between(0, 1).all()
    nba = read_standings(NBA / "standings.csv", NBA_SLOTS)
    assert (nba.entries["lineup"].map(len) == 0).sum() > 0  # entries that never set a lineup
    assert set(nba.players["roster_position"]) <= set(NBA_SLOTS)


def test_todays_standings_format_and_edge_rows(tmp_path):
    path = tmp_path / "contest-standings.csv"
    path.write_text(
        "Rank,EntryId,EntryName,TimeRemaining,Points,Lineup,,Player,Roster Position,%Drafted,FPTS\n"
        "1,11,alice (1/2),0,30.5,QB A B RB C D RB E F WR G H WR I J WR K L TE M N FLEX O P DST Bears ,,A B,QB,50.5%,10\n"  # noqa: E501
        "1,12,bob,0,30.5,QB A B RB C D RB E F WR G H WR I J WR K L TE M N FLEX O P DST Bears ,,Bears,DST,1%,20.5\n"  # noqa: E501
        "3,13,alice (2/2),0,0,,,,,,\n"
    )
    table = read_standings(path, NFL_SLOTS)
    assert list(table.entries["rank"]) == [1, 1, 3]
    assert list(table.entries["user"]) == ["alice", "bob", "alice"]
    assert table.entries["lineup"].iloc[0][-1] == "Bears" and table.entries["lineup"].iloc[2] == ()
    assert table.players["ownership"].tolist() == [0.505, 0.01]
    bad = tmp_path / "bad.csv"
    bad.write_text(path.read_text().replace("30.5,QB A B", "lots,QB A B", 1))
    with pytest.raises(InputError, match=r"bad.csv: row 2 column 'Points': 'lots'"):
        read_standings(bad, NFL_SLOTS)
    with pytest.raises(InputError, match=r"row 4 column 'Lineup': 3 players"):
        parse_lineup("QB A B RB C WR D", NFL_SLOTS, 4)
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="'Rank' is missing"):
        read_standings(other, NFL_SLOTS)


def test_payout_tables_with_tickets_and_r_numbers(tmp_path):
    path = tmp_path / "payouts.csv"
    path.write_text(
        '"Place_lo","Place_hi","Payout"\n"1","1",NA\n"2","2","1e+05"\n"3","5","$1,000"\n'
    )
    table = read_payouts(path)
    assert table["cash"].tolist() == [False, True, True]
    assert table["payout"].tolist() == [0.0, 100_000.0, 1000.0]
    assert prize_by_place(table, 6).tolist() == [0, 100_000, 1000, 1000, 1000, 0]
    path.write_text('"Place_lo","Place_hi","Payout"\n"1","3","10"\n"3","4","5"\n')
    with pytest.raises(InputError, match="row 3: place 3 is already paid"):
        read_payouts(path)


def test_results_are_never_read_as_projections(tmp_path):
    _shared()
    with pytest.raises(InputError, match="holds results, not projections"):
        read_projections(NFL / "projections" / "dfn_offense_2017-09-17.csv", "Actual FP")
    with pytest.raises(InputError, match="standings"):
        read_projections(NFL / "standings.csv", "FPTS")
    dfn = read_projections(NBA / "projections" / "dfn_2017-12-13.csv")  # holds actuals too
    raw = pd.read_csv(NBA / "projections" / "dfn_2017-12-13.csv")
    assert dfn["projection"].tolist() == raw["Proj FP"].fillna(0).tolist()
    assert not np.allclose(dfn["projection"], raw["Actual FP"].fillna(0))


def test_projections_join_the_salaries_by_name_position_salary_then_team(caplog):
    _shared()
    rules = PRESETS["draftkings_nfl"]
    pool = read_player_pool(NFL / "salaries.csv", None, rules.positions)
    files = [read_projections(NFL / "projections" / f) for f in
             ("roto_offense_2017-09-14.csv", "roto_defense_2017-09-14.csv")]  # fmt: skip
    joined = join_projections(pool, files)
    thomas = joined[joined["name"] == "Michael Thomas"].set_index("team")["projection"]
    assert thomas["NO"] == 19.08 and thomas["LAR"] != 19.08  # two Michael Thomases apart
    assert (joined["projection"] > 0).sum() > 200
    assert "players not in any projection file" in caplog.text


# -- placement ---------------------------------------------------------------------------


def _brute_force(points: np.ndarray, prize: np.ndarray) -> tuple[list[int], list[float]]:
    places, paid = [], []
    for p in points:
        ahead = int((points > p).sum())
        tied = int((points == p).sum())
        spots = [prize[k] if k < len(prize) else 0.0 for k in range(ahead, ahead + tied)]
        places.append(ahead + 1)
        paid.append(sum(spots) / tied)
    return places, paid


def test_tied_payouts_match_a_brute_force_ranking():
    rng = np.random.default_rng(0)
    for n, top in itertools.product((1, 2, 7, 40), (3, 10)):
        points = rng.integers(0, top, n).astype(float)
        prize = np.sort(rng.integers(0, 100, max(1, n // 2)))[::-1].astype(float)
        place, payout = tied_payouts(points, prize)
        expected_place, expected_paid = _brute_force(points, prize)
        assert place.tolist() == expected_place
        assert np.allclose(payout, expected_paid)


def test_tied_places_split_their_prizes_by_hand():
    # places 1-4 pay 100, 50, 20, 10: two entries tied for 2nd share (50 + 20) / 2
    prize = np.array([100.0, 50.0, 20.0, 10.0])
    placed = place_among(np.array([90.0, 80.0]), np.array([80.0, 95.0, 60.0]), prize)
    assert placed["place"].tolist() == [2, 3]
    assert placed["payout"].tolist() == [50.0, 15.0]  # 90: 2nd alone; 80 tied with a field entry
    assert placed["percentile"].tolist() == pytest.approx([2 / 3, 1 / 6 + 1 / 3])


# -- the backtest ------------------------------------------------------------------------


def _nfl_contest() -> tuple:
    rules = PRESETS["draftkings_nfl"]
    pool = read_player_pool(NFL / "salaries.csv", None, rules.positions)
    files = [read_projections(NFL / "projections" / f) for f in
             ("roto_offense_2017-09-14.csv", "roto_defense_2017-09-14.csv")]  # fmt: skip
    pool = join_projections(pool, files)
    contest = RealContest(
        "main", read_standings(NFL / "standings.csv", rules.slot_names()),
        read_payouts(NFL / "payouts.csv"), 2.0, 150,
    )  # fmt: skip
    return rules, pool, contest


def test_the_real_field_loses_the_rake_and_players_nobody_drafted_score_zero():
    _shared()
    rules, pool, contest = _nfl_contest()
    figures, _ = field_figures(contest)
    paid = contest.payouts.eval("(place_hi - place_lo + 1) * payout").sum()
    assert figures["field_roi"] == pytest.approx(paid / (2.0 * figures["field_entries"]) - 1)
    assert -0.25 < figures["field_roi"] < -0.05  # DraftKings keeps about 15%
    truth = actual_points(pool, contest.standings)
    drafted = set(contest.standings.players["name"])
    assert (truth[~pool["name"].isin(drafted).to_numpy()] == 0).all()


def test_a_backtest_is_deterministic_and_places_every_lineup():
    _shared()
    rules, pool, contest = _nfl_contest()
    small = Contest(candidates=300, choose_sims=300, evaluate_sims=300, opponents=500,
                    contrarian=(0.5,), qb_candidates=2, per_qb=20, shortlist=200)  # fmt: skip
    args = (pool, rules, LineupSettings(), [contest], (3,), small, Simulation(), 7)
    summary, lineups = backtest(*args)
    again, _ = backtest(*args)
    pd.testing.assert_frame_equal(summary, again)
    assert set(summary["method"]) == {"projection_max", "variance_aware", "opponent_aware"}
    assert len(lineups) == 9 and lineups["percentile"].between(0, 1).all()
    field = contest.standings.entries["points"].to_numpy()
    for row in lineups.itertuples():  # each lineup's place: 1 + field entries ahead (at least)
        assert row.place >= 1 + int((field > row.points).sum())


def test_the_pit_error_is_zero_for_uniform_values_and_one_for_a_point_mass():
    from dsplaybook.lineups.backtest.run import pit_error

    assert pit_error((np.arange(1000) + 0.5) / 1000) <= 0.001
    assert pit_error(np.zeros(50)) == 1.0
    assert 0.45 < pit_error(np.full(50, 0.5)) <= 0.5


def test_a_season_average_as_the_projection_warns(caplog, tmp_path):
    _shared()
    rules = PRESETS["draftkings_nfl"]
    read_player_pool(NFL / "salaries.csv", "auto", rules.positions)
    assert "season average, not a projection" in caplog.text
    caplog.clear()
    read_player_pool(NFL / "salaries.csv", None, rules.positions)
    assert "season average" not in caplog.text
