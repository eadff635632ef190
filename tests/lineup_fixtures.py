"""Small player pools and an exhaustive-search reference for the lineup tests."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

from dsplaybook.lineups.checks import lineup_violations
from dsplaybook.lineups.optimize import LineupSettings
from dsplaybook.lineups.rosters import RosterRules, SlotGroup
from dsplaybook.lineups.slot_rows import slot_rows


def small_pool(counts: dict[str, int], teams: int = 4, seed: int = 0, decimals: int = 4):
    """Random players, teams T0..T{teams-1} playing T0–T1, T2–T3, … Four decimals make
    ties between lineups practically impossible; one decimal makes them common."""
    rng = np.random.default_rng(seed)
    rows = []
    for pos, n in counts.items():
        for _ in range(n):
            team = int(rng.integers(teams))
            points = round(float(rng.uniform(2, 25)), decimals)
            rows.append(
                {
                    "id": f"p{len(rows)}",
                    "name": f"{pos} {len(rows)}",
                    "position": pos,
                    "team": f"T{team}",
                    "opponent": f"T{team ^ 1}",
                    "salary": float(int(rng.integers(35, 95)) * 100),
                    "projection": points,
                    "injury": "",
                }
            )
    return pd.DataFrame(rows)


def preset_pool(rules: RosterRules, seed: int = 0, extra: int = 6) -> pd.DataFrame:
    """A small pool for any roster: each slot group's count (+ a share of ``extra``) players at its
    eligible positions in turn, on four teams in two games, salaries so the cap binds on
    some draws; single-game slots get their copies (slot_rows), tiers a player per tier."""
    if rules.mode == "tiers":
        rules = RosterRules(
            name="tiers",
            salary_cap=rules.salary_cap,
            slots=(*(SlotGroup(f"T{k}", frozenset([f"T{k}"]), 1) for k in range(1, 5)),),
        )
    positions = []
    plain = [g for g in rules.slots if not g.eligible <= rules.multiplier_slots]
    spare = -(-extra // len(plain))
    for g in plain:
        choices = sorted(g.eligible - {"FLEX", "UTIL"}) or sorted(g.eligible)
        positions += [choices[k % len(choices)] for k in range(g.count + spare)]
    rng = np.random.default_rng(seed)
    rows = []
    for k, pos in enumerate(positions):
        team = int(rng.integers(4))
        rows.append(
            {
                "id": f"p{k}",
                "name": f"{pos} {k}",
                "position": pos,
                "team": f"T{team}",
                "opponent": f"T{team ^ 1}",
                "salary": float(int(rng.integers(35, 95)) * 100),
                "projection": round(float(rng.uniform(2, 25)), 4),
                "injury": "",
            }
        )
    pool = pd.DataFrame(rows)
    pool["salary"] = pool["salary"] * 0.9 * min(rules.salary_cap, 10**6) / (rules.size * 6_500)
    pool["salary"] = pool["salary"].round()
    return slot_rows(pool, rules)


class CheckedLineups:
    """Every roster of a pool that breaks no single-lineup rule, found lazily: all
    combinations of roster-size players meeting salary and slots (cheap) are listed up
    front; the independent checker runs on one only when a search reaches it, and its
    answer is kept. Searches walk the combinations in descending value, so a sequence
    of a few lineups checks a few hundred rosters, not every one (81,000 on a soccer
    pool), and still returns what checking them all would."""

    def __init__(self, pool: pd.DataFrame, rules: RosterRules, settings: LineupSettings):
        self.pool, self.rules, self.settings = pool, rules, settings
        salary, position = pool["salary"].to_numpy(), pool["position"].to_numpy()
        plain = LineupSettings.unconstrained(
            n_lineups=settings.n_lineups,
            max_overlap=settings.max_overlap,
            max_exposure=settings.max_exposure,
            min_exposure=settings.min_exposure,
            player_exposure=settings.player_exposure,
            team_exposure=settings.team_exposure,
            randomness=settings.randomness,
            mip_gap=settings.mip_gap,
        )
        site_keys = {"max_per_team", "min_teams", "min_games"}
        other_rules = settings.team_rules(rules) != plain.team_rules(rules) or settings.model_dump(
            exclude=site_keys
        ) != plain.model_dump(exclude=site_keys)
        # rules of the roster itself and captain copies: the full checker on every lineup
        self.full_check = other_rules or bool(
            rules.position_caps
            or rules.teams_exclude
            or pool.get("person", pd.Series()).duplicated().any()
        )
        fits: dict[tuple, bool] = {}
        self.candidates: list[np.ndarray] = []
        for combo in itertools.combinations(range(len(pool)), rules.size):
            lineup = np.array(combo)
            if salary[lineup].sum() > rules.salary_cap:
                continue
            key = tuple(sorted(position[lineup]))
            if key not in fits:
                fits[key] = rules.assign_slots(list(key)) is not None
            if fits[key]:
                self.candidates.append(lineup)
        # A lineup's verdict depends on its players' attributes, not on who they are:
        # lineups whose rows agree on every column but the name, the points and the
        # salary (the cap is met already) share it, so lopsided slates, where most
        # rosters repeat a few team/position patterns, are checked once per pattern.
        # Ids count only when a rule names players, salaries only under a minimum, and
        # persons (captain copies) only by whether one fills two slots.
        ignored = {"name", "projection", "salary", "person"}
        if not (settings.lock or settings.exclude or settings.groups or settings.requires):
            ignored.add("id")
        kept = [c for c in pool.columns if c not in ignored]
        self._rows = list(pool[kept].itertuples(index=False, name=None))
        self._salary = salary if settings.min_salary > 0 else None
        self._person = pool["person"].to_numpy() if "person" in pool.columns else None
        self._verdicts: dict[tuple, bool] = {}

    def valid(self, k: int) -> bool:
        if not self.full_check:
            return True
        lineup = self.candidates[k]
        key = tuple(sorted(self._rows[i] for i in lineup))
        if self._salary is not None:
            key += (float(self._salary[lineup].sum()),)
        if self._person is not None:
            key += (len(set(self._person[lineup])),)
        if key not in self._verdicts:
            self._verdicts[key] = not lineup_violations(
                self.pool, lineup, self.rules, self.settings
            )
        return self._verdicts[key]

    def values(self, points: np.ndarray) -> np.ndarray:
        return np.array([float(points[c].sum()) for c in self.candidates])

    def best(self, values: np.ndarray, allowed) -> int | None:
        """The first valid candidate meeting ``allowed(k)`` in descending value; ties in
        listing order, as a scan keeping the first strict maximum would pick."""
        for k in np.argsort(-values, kind="stable"):
            if allowed(int(k)) and self.valid(int(k)):
                return int(k)
        return None


def all_valid_lineups(pool: pd.DataFrame, rules: RosterRules, settings: LineupSettings):
    """Every roster that breaks no single-lineup rule: all combinations of roster-size
    players, checked by the independent checker (slots by matching)."""
    checked = CheckedLineups(pool, rules, settings)
    return [c for k, c in enumerate(checked.candidates) if checked.valid(k)]


def _allowed(candidate, earlier, used, limit, cap) -> bool:
    chosen = set(candidate.tolist())
    if any(used[i] >= cap for i in chosen):
        return False
    return all(len(chosen & e) <= limit for e in earlier)


class _Sequence:
    """The valid lineups of a pool and the overlap/exposure state of a sequence."""

    def __init__(self, pool, rules, settings):
        self.checked = CheckedLineups(pool, rules, settings)
        self.points = self.checked.values(pool["projection"].to_numpy())
        self.limit = rules.size - 1 if settings.max_overlap is None else settings.max_overlap
        self.cap = math.floor(settings.max_exposure * settings.n_lineups + 1e-9)
        self.used = np.zeros(len(pool), dtype=int)
        self.earlier: list[set] = []

    def best(self) -> int | None:
        """The best valid lineup the sequence still allows."""
        candidates = self.checked.candidates
        return self.checked.best(
            self.points,
            lambda k: _allowed(candidates[k], self.earlier, self.used, self.limit, self.cap),
        )

    def take(self, lineup) -> None:
        self.earlier.append(set(np.asarray(lineup).tolist()))
        self.used[np.asarray(lineup)] += 1


def best_given_earlier(pool, rules, settings, lineups):
    """For each lineup of a sequence, the best value any valid lineup could have had given
    the lineups before it (overlap and exposure), by exhaustive search."""
    sequence, best = _Sequence(pool, rules, settings), []
    for lineup in lineups:
        k = sequence.best()
        best.append(None if k is None else sequence.points[k])
        sequence.take(lineup)
    return best


def brute_force_sequence(pool, rules, settings, n):
    """Best projected values of the greedy sequence under overlap, by exhaustive search
    (meaningful when the pool has no ties)."""
    sequence, values = _Sequence(pool, rules, settings), []
    for _ in range(n):
        k = sequence.best()
        if k is None:
            break
        values.append(sequence.points[k])
        sequence.take(sequence.checked.candidates[k])
    return values


def exact_sequence(pool, rules, settings, points_for=None):
    """The sequence's best values by exhaustive search with every sequential rule spelled
    out independently: overlap, per-player and per-team max exposure, and min exposure as
    "a player (team) whose minimum needs every lineup left is in this one".
    ``points_for(k)``: per-player points of lineup k (projection noise); the values
    returned are in those points."""
    checked = CheckedLineups(pool, rules, settings)
    candidates = checked.candidates
    n, ids, team = settings.n_lineups, pool["id"].astype(str).tolist(), pool["team"].to_numpy()
    # lineups always differ: at most size - 1 shared, whatever max_overlap says
    limit = (
        rules.size - 1
        if settings.max_overlap is None
        else min(settings.max_overlap, rules.size - 1)
    )

    def band(b):
        return math.ceil(b.min * n - 1e-9), math.floor(b.max * n + 1e-9)

    player_band = [band(settings.player_band(pid)) for pid in ids]
    team_band = {t: band(b) for t, b in settings.team_exposure.items()}
    used, team_used, earlier, values, chosen = [0] * len(pool), {}, [], [], []
    # every lineup's value: once, unless each lineup of the sequence has its own points
    fixed = None if points_for is not None else checked.values(pool["projection"].to_numpy())
    for k in range(n):
        left = n - k
        must = {i for i, (low, _) in enumerate(player_band) if low - used[i] >= left}
        must_team = {t for t, (low, _) in team_band.items() if low - team_used.get(t, 0) >= left}

        def allowed(j, must=must, must_team=must_team):
            players = set(candidates[j].tolist())
            if any(used[i] >= player_band[i][1] for i in players):
                return False
            teams = set(team[list(players)])
            if any(team_used.get(t, 0) >= team_band[t][1] for t in teams if t in team_band):
                return False
            if not must <= players or not must_team <= teams:
                return False
            return all(len(players & e) <= limit for e in earlier)

        values_now = fixed if fixed is not None else checked.values(points_for(k))
        k_best = checked.best(values_now, allowed)
        best = None if k_best is None else float(values_now[k_best])
        best_lineup = None if k_best is None else candidates[k_best]
        if best is None:
            break
        values.append(best)
        chosen.append(best_lineup)
        earlier.append(set(best_lineup.tolist()))
        for i in best_lineup:
            used[i] += 1
        for t in set(team[best_lineup]):
            team_used[t] = team_used.get(t, 0) + 1
    return values, chosen
