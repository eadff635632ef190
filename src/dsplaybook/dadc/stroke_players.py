"""Simulated players who *draw* new fools, on real people's drawings (issue 39).

A player takes a real drawing it has not given before and edits its strokes with the
tricks people use — turn it, stretch it, drop or add a stroke, draw only part of it,
exaggerate one stroke, borrow a stroke of another class — rendering each attempt
through the drawing page's path, until the round's model is fooled while a second,
independent model (the *peer*, standing in for the players who validate a fool) still
recognises the true class. Every attempt is a drawing made: the budget counts them, as
a person's time is spent on each Guess.

Standard collection gets the same number of drawings, unedited real ones. Both train
the page's round model (HOG + SVM) on the initial drawings plus what they collected;
errors are measured on held-out real drawings and on a hard set (held-out drawings a
strong reference model gets wrong or is least sure of, whose label a second reference
confirms).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dsplaybook.dadc.drawings import strokes_to_bitmap, varied
from dsplaybook.dadc.player_settings import PlayerSettings
from dsplaybook.dadc.round_model import HumanRoundSettings, RoundModel, fit_round_model
from dsplaybook.data.strokes import Strokes

Edit = Callable[[Strokes, np.random.Generator, Strokes], Strokes]


def _points(strokes: Strokes) -> np.ndarray:
    return np.concatenate([np.asarray(s, dtype=float).reshape(-1, 2) for s in strokes])


def _affine(strokes: Strokes, matrix: np.ndarray) -> Strokes:
    points = _points(strokes)
    centre = (points.min(axis=0) + points.max(axis=0)) / 2
    return [
        [(float(x), float(y)) for x, y in (np.asarray(s, float) - centre) @ matrix.T + centre]
        for s in strokes
    ]


def turn(strokes: Strokes, rng: np.random.Generator, other: Strokes) -> Strokes:
    """Rotate by 30-120 degrees either way."""
    angle = np.deg2rad(rng.uniform(30, 120) * rng.choice([-1, 1]))
    c, s = np.cos(angle), np.sin(angle)
    return _affine(strokes, np.array([[c, -s], [s, c]]))


def stretch(strokes: Strokes, rng: np.random.Generator, other: Strokes) -> Strokes:
    """Squash one axis to 40-70% (a flat snowman, a tall cake)."""
    scale = np.ones(2)
    scale[int(rng.integers(2))] = rng.uniform(0.4, 0.7)
    return _affine(strokes, np.diag(scale))


def drop_stroke(strokes: Strokes, rng: np.random.Generator, other: Strokes) -> Strokes:
    """Leave one stroke out (never the last one)."""
    if len(strokes) < 2:
        return strokes
    k = int(rng.integers(len(strokes)))
    return strokes[:k] + strokes[k + 1 :]


def partial(strokes: Strokes, rng: np.random.Generator, other: Strokes) -> Strokes:
    """Draw only the first 40-70% of the strokes (at least one)."""
    keep = max(1, round(len(strokes) * rng.uniform(0.4, 0.7)))
    return strokes[:keep]


def exaggerate(strokes: Strokes, rng: np.random.Generator, other: Strokes) -> Strokes:
    """Blow one stroke up 1.5-2.2× about its own centre."""
    k = int(rng.integers(len(strokes)))
    stroke = np.asarray(strokes[k], dtype=float)
    centre = (stroke.min(axis=0) + stroke.max(axis=0)) / 2
    big = (stroke - centre) * rng.uniform(1.5, 2.2) + centre
    return [*strokes[:k], [(float(x), float(y)) for x, y in big], *strokes[k + 1 :]]


def add_stroke(strokes: Strokes, rng: np.random.Generator, other: Strokes) -> Strokes:
    """A scribble across part of the drawing (a person adding a detail)."""
    points = _points(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    n = int(rng.integers(3, 7))
    scribble = low + rng.uniform(0, 1, (n, 2)) * np.maximum(high - low, 1.0)
    return [*strokes, [(float(x), float(y)) for x, y in scribble]]


def borrow_stroke(strokes: Strokes, rng: np.random.Generator, other: Strokes) -> Strokes:
    """Mix in one stroke of a drawing of another class, placed in this drawing's box."""
    k = int(rng.integers(len(other)))
    theirs, mine = _points(other), _points(strokes)
    stroke = np.asarray(other[k], dtype=float)
    span = np.maximum(np.ptp(theirs, axis=0), 1.0)
    placed = (stroke - theirs.min(axis=0)) / span * np.ptp(mine, axis=0) + mine.min(axis=0)
    return [*strokes, [(float(x), float(y)) for x, y in placed]]


EDITS: dict[str, Edit] = {
    "turn": turn,
    "stretch": stretch,
    "drop_stroke": drop_stroke,
    "partial": partial,
    "exaggerate": exaggerate,
    "add_stroke": add_stroke,
    "borrow_stroke": borrow_stroke,
}


@dataclass
class Collected:
    bitmaps: list[np.ndarray]
    classes: list[int]
    made: int = 0
    fools: int = 0
    peer_rejected: int = 0
    fooling: list[tuple[Strokes, int]] = field(default_factory=list)


def play_round(
    model,
    peer,
    pool: Sequence[tuple[Strokes, int]],
    start: int,
    s: PlayerSettings,
    rng: np.random.Generator,
    extent: float | None,
) -> tuple[Collected, int]:
    """One round of drawing: from ``pool[start:]`` until ``s.round_budget`` drawings are
    made. An attempt the peer does not recognise is dropped, as players reject it; of
    the rest, the drawing as drawn and every fool are kept, and the edits the model
    still recognised too when ``s.keep_recognised_edits`` (the page keeps each drawing
    given). Returns what was collected and the next unused pool position."""
    got = Collected([], [])
    by_class: dict[int, list[int]] = {}
    for k, (_, c) in enumerate(pool):
        by_class.setdefault(c, []).append(k)
    # a stroke to borrow comes from the first 50 drawings of each other class
    others = {c: [k for cls, ks in by_class.items() if cls != c for k in ks[:50]] for c in by_class}
    position = start
    names = list(EDITS)
    while got.made < s.round_budget and position < len(pool):
        original, c = pool[position]
        position += 1
        for attempt in range(s.attempts):
            if got.made >= s.round_budget:
                break
            strokes = original
            other = pool[int(rng.choice(others[c]))][0] if others[c] else original
            if attempt or not s.first_unedited:
                for name in rng.choice(names, size=s.edits_per_attempt, replace=False):
                    strokes = EDITS[str(name)](strokes, rng, other)
            bitmap = strokes_to_bitmap(strokes, extent)
            got.made += 1
            if int(peer.predict(bitmap[None])[0]) != c:
                got.peer_rejected += 1  # not a drawing of its class to another player
                continue
            fooled = int(model.predict(bitmap[None])[0]) != c
            if fooled or attempt == 0 or s.keep_recognised_edits:
                got.bitmaps.append(bitmap)
                got.classes.append(c)
            if fooled:
                got.fools += 1
                got.fooling.append((strokes, c))
                break  # fooled: the player moves on to another drawing
    return got, position


def standard_round(
    pool: Sequence[tuple[Strokes, int]], start: int, budget: int, extent: float | None
) -> tuple[Collected, int]:
    """``budget`` unedited real drawings, in pool order."""
    taken = pool[start : start + budget]
    got = Collected(
        [strokes_to_bitmap(st, extent) for st, _ in taken], [c for _, c in taken], len(taken)
    )
    return got, start + len(taken)


def _errors(model: RoundModel, x: np.ndarray, y: np.ndarray, hard: np.ndarray) -> dict:
    wrong = model.predict(x) != y
    return {"test_error": float(wrong.mean()), "hard_error": float(wrong[hard].mean())}


def simulate_players(
    initial: Sequence[tuple[Strokes, int]],
    pool: Sequence[tuple[Strokes, int]],
    test: tuple[np.ndarray, np.ndarray, np.ndarray],
    peer,
    s: PlayerSettings,
    model_settings: HumanRoundSettings,
    extent: float | None = None,
) -> pd.DataFrame:
    """DADC with drawing players against standard collection at equal drawings made,
    from the same ``initial`` drawings and the same (seed-shuffled) ``pool`` of real
    drawings. ``test``: images, classes and the hard-set mask. One row per strategy and
    round (round 0: the initial drawings alone, the same for both)."""
    rng = np.random.default_rng(s.seed)
    order = rng.permutation(len(pool))
    shuffled = [pool[k] for k in order]
    x0 = np.stack([strokes_to_bitmap(st, extent) for st, _ in initial])
    y0 = np.array([c for _, c in initial])
    x_test, y_test, hard = test
    first = fit_round_model(x0, y0, np.ones(len(y0)), model_settings)
    rows = [
        {"strategy": name, "round": 0, "made": 0, "fools": 0, "peer_rejected": 0}
        | _errors(first, x_test, y_test, hard)
        for name in ("standard", "dadc")
    ]
    for name in ("standard", "dadc"):
        play_rng = np.random.default_rng([s.seed, 1])  # the same for every strategy
        model, position = first, 0
        xs, ys, ws = [x0], [y0], [np.ones(len(y0))]
        for r in range(1, s.rounds + 1):
            if name == "standard":
                got, position = standard_round(shuffled, position, s.round_budget, extent)
            else:
                got, position = play_round(model, peer, shuffled, position, s, play_rng, extent)
            bitmaps, classes = list(got.bitmaps), list(got.classes)
            for strokes, c in got.fooling:  # the page's varied copies of a fool
                for _ in range(s.copies):
                    bitmaps.append(strokes_to_bitmap(varied(strokes, play_rng), extent))
                    classes.append(c)
            if bitmaps:
                xs.append(np.stack(bitmaps))
                ys.append(np.array(classes))
                ws.append(np.full(len(classes), s.weight))
            model = fit_round_model(
                np.concatenate(xs), np.concatenate(ys), np.concatenate(ws), model_settings
            )
            rows.append(
                {
                    "strategy": name,
                    "round": r,
                    "made": got.made,
                    "fools": got.fools,
                    "peer_rejected": got.peer_rejected,
                }
                | _errors(model, x_test, y_test, hard)
            )
    return pd.DataFrame(rows).assign(seed=s.seed)


def relative_reduction(standard, dadc):
    """Share of standard collection's errors that DADC avoids (negative: it adds; NaN
    where standard made none): numbers or aligned Series alike."""
    return (standard - dadc) / np.where(np.asarray(standard) > 0, standard, np.nan)
