"""Small player pools and an exhaustive-search reference for the lineup tests."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from dsplaybook.lineups.checks import lineup_violations
from dsplaybook.lineups.milp import LineupSettings
from dsplaybook.lineups.rosters import RosterRules


def small_pool(counts: dict[str, int], teams: int = 4, seed: int = 0) -> pd.DataFrame:
    """Random players, teams T0..T{teams-1} playing T0–T1, T2–T3, …"""
    rng = np.random.default_rng(seed)
    rows = []
    for pos, n in counts.items():
        for _ in range(n):
            team = int(rng.integers(teams))
            points = round(float(rng.uniform(2, 25)), 1)
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


def all_valid_lineups(pool: pd.DataFrame, rules: RosterRules, settings: LineupSettings):
    """Every roster that breaks no single-lineup rule, by brute force over position counts."""
    by_pos = {p: np.flatnonzero(pool["position"].to_numpy() == p) for p in rules.slots}
    choices = []
    for counts in itertools.product(*[range(lo, hi + 1) for lo, hi in rules.slots.values()]):
        if sum(counts) != rules.size:
            continue
        per_pos = [
            itertools.combinations(by_pos[p], c) for p, c in zip(rules.slots, counts, strict=True)
        ]
        for combo in itertools.product(*per_pos):
            lineup = np.array(sorted(i for group in combo for i in group))
            if not lineup_violations(pool, lineup, rules, settings):
                choices.append(lineup)
    return choices


def brute_force_sequence(pool, rules, settings, n):
    """Best projected values of the greedy sequence under overlap, by exhaustive search."""
    candidates = all_valid_lineups(pool, rules, settings)
    points = np.array([pool["projection"].to_numpy()[c].sum() for c in candidates])
    chosen: list[set] = []
    values = []
    for _ in range(n):
        ok = [
            k
            for k, c in enumerate(candidates)
            if settings.max_overlap is None
            or all(len(set(c) & s) <= settings.max_overlap for s in chosen)
        ]
        if not ok:
            break
        best = max(ok, key=lambda k: points[k])
        values.append(points[best])
        chosen.append(set(candidates[best]))
    return values
