import pandas as pd
import pytest

from dsplaybook.errors import InputError
from dsplaybook.lineups.demo_pool import demo_pool
from dsplaybook.lineups.player_pool import drop_injured, read_player_pool

FANDUEL = (
    "Id,Position,First Name,Last Name,FPPG,Played,Salary,Game,Team,Opponent,"
    "Injury Indicator,Injury Details\n"
    "1,QB,Aaron,Rodgers,26.1,4,9200,GB@SF,GB,SF,,\n"
    "2,WR,Julio,Jones,28.3,4,9400,HOU@ATL,ATL,HOU,Q,Hamstring\n"
    "3,D,Denver,Broncos,17.7,4,4700,DEN@MIN,DEN,MIN,O,\n"
)
DRAFTKINGS = (
    "Position,Name + ID,Name,ID,Roster Position,Salary,Game Info,TeamAbbrev,AvgPointsPerGame\n"
    'QB,Tom Brady (1),Tom Brady,1,QB,"7,100",NE@DAL 10/11/2015 04:25PM ET,NE,24.5\n'
    "DST,Cowboys (2),Cowboys,2,DST,3000,NE@DAL 10/11/2015 04:25PM ET,DAL,7.1\n"
)


def _write(tmp_path, text, name="pool.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_fanduel_export_is_normalised(tmp_path):
    pool = read_player_pool(_write(tmp_path, FANDUEL))
    assert pool["name"].tolist() == ["Aaron Rodgers", "Julio Jones", "Denver Broncos"]
    assert pool["salary"].tolist() == [9200, 9400, 4700]
    assert pool["projection"].tolist() == [26.1, 28.3, 17.7]
    assert pool["opponent"].tolist() == ["SF", "HOU", "MIN"]


def test_draftkings_export_derives_opponent_and_parses_salary(tmp_path):
    pool = read_player_pool(_write(tmp_path, DRAFTKINGS))
    assert pool["opponent"].tolist() == ["DAL", "NE"]
    assert pool["salary"].tolist() == [7100, 3000]
    assert pool["position"].tolist() == ["QB", "DST"]


def test_configurable_projection_column(tmp_path):
    text = FANDUEL.replace("FPPG", "Expected Points")
    assert read_player_pool(_write(tmp_path, text), "Expected Points")["projection"].iloc[0] == 26.1
    assert read_player_pool(_write(tmp_path, text))["projection"].iloc[0] == 26.1  # auto


def test_drop_injured(tmp_path):
    pool = drop_injured(read_player_pool(_write(tmp_path, FANDUEL)), ["O", "IR"])
    assert pool["id"].tolist() == ["1", "2"]


@pytest.mark.parametrize(
    ("edit", "fragment"),
    [
        (lambda t: t.replace("9400", "lots"), "row 3 column 'Salary': 'lots' is not a number"),
        (lambda t: t.replace("26.1", ""), "row 2 column 'FPPG'"),
        (lambda t: t.replace("\n3,D", "\n2,D"), "row 4 column 'id': id '2' already used on row 3"),
        (lambda t: t.replace(",Team,", ",Squad,"), "column 'Team' is missing"),
        (
            lambda t: t.replace("\n1,QB", "\n1,FB"),
            "row 2 column 'Position': 'FB' is not a position",
        ),
        (lambda t: t.replace("FPPG", "Points"), "no projection column"),
        (lambda t: "a;b\n1;2\n", "not a FanDuel or Yahoo export"),
        (lambda t: t.replace("28.3", "inf"), "row 3 column 'FPPG': 'inf' is not a finite number"),
        (lambda t: t.replace("9400", "1e308"), "row 3 column 'Salary': '1e308' is out of range"),
        (lambda t: t.replace("26.1", "-nan"), "row 2 column 'FPPG': '-nan' is not a number"),
    ],
    ids=[
        "salary",
        "projection",
        "duplicate",
        "missing-column",
        "position",
        "no-projection",
        "format",
        "infinite-projection",
        "absurd-salary",
        "nan-projection",
    ],
)
def test_malformed_exports_give_one_line_naming_row_and_column(tmp_path, edit, fragment):
    path = _write(tmp_path, edit(FANDUEL), "broken.csv")
    with pytest.raises(InputError) as err:
        read_player_pool(path, positions=["QB", "RB", "WR", "TE", "K", "D"])
    assert fragment in str(err.value)
    assert "broken.csv" in str(err.value) and "\n" not in str(err.value)


def test_demo_pool_reads_back_and_is_seeded(tmp_path):
    frame = demo_pool(n_teams=4, seed=3)
    assert frame.equals(demo_pool(n_teams=4, seed=3))
    assert not frame.equals(demo_pool(n_teams=4, seed=4))
    path = tmp_path / "demo.csv"
    frame.to_csv(path, index=False)
    pool = read_player_pool(path, positions=["QB", "RB", "WR", "TE", "D"])
    assert len(pool) == 4 * 15  # QB 2, RB 4, WR 5, TE 3, D 1 per team
    assert (pool["name"].str.startswith("Synthetic")).all()
    assert set(pool["opponent"]) == set(pool["team"])
    assert isinstance(pool, pd.DataFrame)


def test_locking_a_player_dropped_as_injured_says_why(tmp_path):
    from dsplaybook.lineups.player_pool import PoolSettings, load_pool

    path = _write(tmp_path, FANDUEL)
    settings = PoolSettings()  # the defaults: auto, drop O, D, IR and NA
    assert list(load_pool(path, settings, locked=["1"])["id"]) == ["1", "2"]
    with pytest.raises(InputError) as err:
        load_pool(path, settings, locked=["3"])
    assert "player '3' (Denver Broncos) has injury status 'O'" in str(err.value)
    assert "drop_injured: false" in str(err.value)


def test_not_active_players_are_dropped_by_default():
    import yaml
    from conftest import REPO

    from dsplaybook.settings import Config

    assert "NA" in Config().lineups.injury_statuses
    assert "NA" in yaml.safe_load((REPO / "config.yaml").read_text())["lineups"]["injury_statuses"]


def test_multi_position_players_are_read_and_each_position_checked(tmp_path):
    from dsplaybook.lineups.demo_pool import demo_draftkings_nba_pool
    from dsplaybook.lineups.presets import PRESETS

    path = tmp_path / "dk.csv"
    frame = demo_draftkings_nba_pool(n_games=2, seed=0)
    frame.to_csv(path, index=False)
    pool = read_player_pool(path, positions=PRESETS["draftkings_nba"].positions)
    assert pool["position"].str.contains("/").any()
    frame.loc[3, "Position"] = "PG/XF"
    frame.to_csv(path, index=False)
    with pytest.raises(InputError, match="row 5 column 'Position': 'PG/XF' is not a position"):
        read_player_pool(path, positions=PRESETS["draftkings_nba"].positions)


def test_draftkings_game_times_are_read_for_late_swap(tmp_path):
    pool = read_player_pool(_write(tmp_path, DRAFTKINGS))
    assert list(pool["start"]) == ["2015-10-11 16:25", "2015-10-11 16:25"]
    assert list(read_player_pool(_write(tmp_path, FANDUEL))["start"].unique()) == [""]


def test_floor_and_ceiling_columns_are_read_and_checked(tmp_path):
    lines = FANDUEL.splitlines()
    lines[0] += ",Floor,Ceil"
    path = tmp_path / "ranges.csv"
    path.write_text("\n".join([lines[0], *(line + ",1,60" for line in lines[1:])]) + "\n")
    pool = read_player_pool(path, range_columns=("Floor", "Ceil"))
    assert (pool["floor"] == 1).all() and (pool["ceiling"] == 60).all()
    path.write_text("\n".join([lines[0], *(line + ",1,2" for line in lines[1:])]) + "\n")
    with pytest.raises(InputError, match="does not hold the projection"):
        read_player_pool(path, range_columns=("Floor", "Ceil"))
    with pytest.raises(InputError, match="column 'Low' .* is missing"):
        read_player_pool(path, range_columns=("Low", "Ceil"))
