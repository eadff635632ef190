"""Upload files in each site's format, read back and re-checked; late swap against
exhaustive search on hand-made pools where the best swap is known."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from dsplaybook.errors import ConfigError, InputError
from dsplaybook.lineups.checks import lineup_violations, portfolio_violations
from dsplaybook.lineups.demo_pool import demo_draftkings_nba_pool, demo_pool
from dsplaybook.lineups.late_swap import late_swap, started_players
from dsplaybook.lineups.optimize import LineupSettings, optimize_lineups
from dsplaybook.lineups.player_pool import read_player_pool
from dsplaybook.lineups.presets import PRESETS, roster_rules
from dsplaybook.lineups.rosters import RosterRules, SlotGroup
from dsplaybook.lineups.upload import read_upload, upload_table

# The sites' upload templates (first line), as their "upload lineups" pages give them.
TEMPLATES = {
    "fanduel_nfl": "QB,RB,RB,WR,WR,WR,TE,FLEX,DEF",
    "draftkings_nba": "PG,SG,SF,PF,C,G,F,UTIL",
    "draftkings_nfl": "QB,RB,RB,WR,WR,WR,TE,FLEX,DST",
    "fanduel_nba": "PG,PG,SG,SG,SF,SF,PF,PF,C",
    "fanduel_nfl_kicker": "QB,RB,RB,WR,WR,WR,TE,K,D",
}


def test_the_classic_presets_have_their_sites_upload_header():
    # every other preset's header is held against pydfs' settings (test_lineup_presets.py)
    for name, header in TEMPLATES.items():
        assert ",".join(PRESETS[name].upload_header()) == header


@pytest.mark.parametrize(
    "preset, export, projection",
    [
        ("fanduel_nfl", lambda: demo_pool(n_teams=8, seed=3), "FPPG"),
        ("draftkings_nba", lambda: demo_draftkings_nba_pool(n_games=4, seed=1), "Projection"),
    ],
)
def test_upload_file_round_trips_to_the_pool_and_every_lineup_rechecks(
    tmp_path, preset, export, projection
):
    rules = PRESETS[preset]
    csv = tmp_path / "pool.csv"
    export().to_csv(csv, index=False)
    pool = read_player_pool(csv, projection, rules.positions)
    settings = LineupSettings(n_lineups=20, max_overlap=6, max_exposure=0.5)  # site rules
    result = optimize_lineups(pool, rules, settings)
    path = tmp_path / "upload.csv"
    upload_table(pool, result.lineups, result.slots, rules).to_csv(path, index=False)
    lines = path.read_text().splitlines()
    assert lines[0] == TEMPLATES[preset] and len(lines) == 21
    # every cell is an id of the export, as the site expects
    ids = set(pool["id"].astype(str))
    assert all(cell in ids for line in lines[1:] for cell in line.split(","))
    back = read_upload(path, pool, rules)
    assert [list(x) for x in back.lineups] == [list(x) for x in result.lineups]
    assert portfolio_violations(pool, back.lineups, rules, settings, back.slots) == []
    # a slot's column holds a player who may fill it
    header = lines[0].split(",")
    position = dict(zip(pool["id"].astype(str), pool["position"], strict=True))
    eligible = {g.name: g.eligible for g in rules.slots}
    names = dict(zip(rules.upload_header(), rules.slot_names(), strict=True))
    for line in lines[1:]:
        for column, cell in zip(header, line.split(","), strict=True):
            assert set(position[cell].split("/")) & eligible[names[column]]


def test_an_upload_with_name_and_id_cells_and_entry_columns_reads(tmp_path):
    rules = PRESETS["draftkings_nba"]
    csv = tmp_path / "pool.csv"
    demo_draftkings_nba_pool(n_games=4, seed=1).to_csv(csv, index=False)
    pool = read_player_pool(csv, "Projection", rules.positions)
    result = optimize_lineups(pool, rules, LineupSettings(n_lineups=2))
    table = upload_table(pool, result.lineups, result.slots, rules)
    names = dict(zip(pool["id"].astype(str), pool["name"], strict=True))
    table = table.apply(lambda col: [f"{names[c]} ({c})" for c in col])
    table.insert(0, "Entry ID", ["4001", "4002"])
    table.insert(1, "Contest Name", ["NBA $5 Double Up", "NBA $5 Double Up"])
    path = tmp_path / "DKEntries.csv"
    table.to_csv(path, index=False)
    back = read_upload(path, pool, rules)
    assert [list(x) for x in back.lineups] == [list(x) for x in result.lineups]
    assert back.slot_columns == list(range(2, 10))


def test_an_upload_naming_a_player_of_another_slate_is_one_line(tmp_path):
    rules = PRESETS["draftkings_nba"]
    csv = tmp_path / "pool.csv"
    demo_draftkings_nba_pool(n_games=4, seed=1).to_csv(csv, index=False)
    pool = read_player_pool(csv, "Projection", rules.positions)
    path = tmp_path / "up.csv"
    path.write_text("PG,SG,SF,PF,C,G,F,UTIL\n" + ",".join(["999"] * 8) + "\n")
    with pytest.raises(InputError, match=r"up.csv: row 2 column 'PG': '999' is not a player"):
        read_upload(path, pool, rules)
    path.write_text("QB,RB\n1,2\n")
    with pytest.raises(InputError, match="has no slot columns PG,SG"):
        read_upload(path, pool, rules)


# --- late swap ------------------------------------------------------------------------

SWAP_ROSTER = roster_rules(
    {
        "salary_cap": 50_000,
        "slots": {"QB": 1, "RB": 1, "WR": 2, "TE": 1, "D": 1},
        "flex": [{"name": "FLEX", "positions": ["RB", "WR", "TE"], "count": 1}],
    }
)


def _swap_pool(seed: int) -> pd.DataFrame:
    """Four games, two at 13:00 and two at 16:25: random players."""
    rng = np.random.default_rng(seed)
    games = [("A", "B", "13:00"), ("C", "D", "13:00"), ("E", "F", "16:25"), ("G", "H", "16:25")]
    rows = []
    for away, home, time in games:
        for team, opp in ((away, home), (home, away)):
            for pos, n in {"QB": 1, "RB": 1, "WR": 2, "TE": 1, "D": 1}.items():
                for _ in range(n):
                    rows.append(
                        {
                            "id": f"s{len(rows)}",
                            "name": f"{team} {pos} {len(rows)}",
                            "position": pos,
                            "team": team,
                            "opponent": opp,
                            "salary": float(rng.integers(30, 90) * 100),
                            "projection": round(float(rng.uniform(3, 25)), 4),
                            "injury": "",
                            "start": f"2026-12-06 {time}",
                        }
                    )
    return pd.DataFrame(rows)


def _best_swap(pool, rules, settings, lineup, slots, started, earlier, limit):
    """Exhaustive: every lineup keeping the started players in their slots (the other
    players matched to the slots left), no other started player, valid, within overlap
    of the earlier swapped lineups."""
    kept_slot = {int(p): s for p, s in zip(lineup, slots, strict=True) if started[p]}
    open_slots = list(rules.slot_names())
    for s in kept_slot.values():
        open_slots.remove(s)
    rest_rules = RosterRules(
        "rest",
        rules.salary_cap,
        tuple(
            SlotGroup(g.name, g.eligible, open_slots.count(g.name))
            for g in rules.slots
            if open_slots.count(g.name)
        ),
    )
    free = [i for i in range(len(pool)) if not started[i]]
    points, salary = pool["projection"].to_numpy(), pool["salary"].to_numpy()
    budget = rules.salary_cap - salary[list(kept_slot)].sum()
    best = None
    for rest in itertools.combinations(free, len(open_slots)):
        if salary[list(rest)].sum() > budget:
            continue
        if rest_rules.assign_slots([pool["position"].iloc[i] for i in rest]) is None:
            continue
        candidate = np.array(sorted(set(kept_slot) | set(rest)))
        if any(len(set(candidate.tolist()) & e) > limit for e in earlier):
            continue
        if lineup_violations(pool, candidate, rules, settings):
            continue
        value = float(points[candidate].sum())
        if best is None or value > best:
            best = value
    return best


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_late_swap_keeps_started_players_in_their_slots_and_finds_the_best_swap(tmp_path, seed):
    pool = _swap_pool(seed)
    rules = SWAP_ROSTER
    settings = LineupSettings(
        n_lineups=3,
        max_overlap=5,
        stack=False,
        avoid_opposing_defense=False,
        max_per_team=None,
        min_teams=None,
        min_games=None,
        max_exposure=1.0,
    )
    # submitted this morning on worse projections
    morning = pool.assign(projection=pool["projection"][::-1].to_numpy())
    submitted = optimize_lineups(morning, rules, settings)
    path = tmp_path / "entries.csv"
    table = upload_table(pool, submitted.lineups, submitted.slots, rules)
    table.insert(0, "entry_id", ["11", "12", "13"])
    table.to_csv(path, index=False)
    upload = read_upload(path, pool, rules)
    started = started_players(pool, (), "2026-12-06 13:05")
    assert set(pool["team"][started]) == {"A", "B", "C", "D"}
    swapped = late_swap(pool, rules, settings, upload, started)
    assert swapped.notes == []
    limit, earlier = settings.max_overlap, []
    for k, (new, slots) in enumerate(zip(swapped.lineups, swapped.slots, strict=True)):
        old = dict(zip(upload.lineups[k].tolist(), upload.slots[k], strict=True))
        mine = dict(zip(new.tolist(), slots, strict=True))
        for player, slot in old.items():
            if started[player]:
                assert mine.get(player) == slot, "a started player moved or left"
        added = set(new.tolist()) - set(old)
        assert not started[list(added)].any() if added else True
        best = _best_swap(
            pool, rules, settings, upload.lineups[k], upload.slots[k], started, earlier, limit
        )
        assert float(pool["projection"].to_numpy()[new].sum()) == pytest.approx(best)
        earlier.append(set(new.tolist()))
    changed = [
        set(a.tolist()) != set(b.tolist())
        for a, b in zip(swapped.lineups, upload.lineups, strict=True)
    ]
    assert any(changed), "nothing was swapped: the test would not see a wrong swap"
    out = upload.with_lineups(pool, swapped.lineups, swapped.slots, rules)
    assert list(out.iloc[1:, 0]) == ["11", "12", "13"]
    out.to_csv(tmp_path / "swapped.csv", index=False, header=False)
    again = read_upload(tmp_path / "swapped.csv", pool, rules)
    assert [list(x) for x in again.lineups] == [list(x) for x in swapped.lineups]


def test_late_swap_takes_the_known_better_player_and_leaves_the_started_star():
    pool = _swap_pool(0)
    rules = SWAP_ROSTER
    settings = LineupSettings.unconstrained()
    submitted = optimize_lineups(pool, rules, settings)
    lineup, slots = submitted.lineups[0], submitted.slots[0]
    rb = lineup[slots.index("RB")]
    # a game the lineup's RB is not in has started (a team's game: both teams)
    game = next(
        g for g in ("A@B", "C@D", "E@F", "G@H") if pool["team"].iloc[rb] not in g.split("@")
    )
    started = started_players(pool, (game,), None)
    # news after the lock: an unstarted RB not in the lineup is now worth 60 points, a
    # started RB outside it 80 (too late for him)
    out_rb = [
        i for i in np.flatnonzero(~started) if pool["position"].iloc[i] == "RB" and i not in lineup
    ]
    late_rb = [
        i for i in np.flatnonzero(started) if pool["position"].iloc[i] == "RB" and i not in lineup
    ]
    pool.loc[out_rb[0], ["projection", "salary"]] = [60.0, 3000.0]
    pool.loc[late_rb[0], ["projection", "salary"]] = [80.0, 3000.0]
    from dsplaybook.lineups.upload import Upload

    upload = Upload([lineup], [slots], pd.DataFrame(), [0], [])
    swapped = late_swap(pool, rules, settings, upload, started)
    assert out_rb[0] in swapped.lineups[0]
    assert late_rb[0] not in swapped.lineups[0]


def test_started_games_must_name_the_pool_and_times_need_times():
    pool = _swap_pool(0)
    with pytest.raises(ConfigError, match="'ZZ' names no team"):
        started_players(pool, ("ZZ",), None)
    with pytest.raises(ConfigError, match="write it as 'YYYY-MM-DD HH:MM'"):
        started_players(pool, (), "1pm")
    with pytest.raises(ConfigError, match="no game start times"):
        started_players(pool.assign(start=""), (), "2026-12-06 13:05")
    assert set(pool["team"][started_players(pool, ("C@D",), None)]) == {"C", "D"}
