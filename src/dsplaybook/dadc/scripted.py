"""Scripted drawings, as strokes in pad pixels (0..280), for checks without a person:
clean drawings of every class (is the round-0 model worth fooling?) and tricky ones (what
a person trying to fool it draws: a diamond for a square, an upside-down triangle). The
caller draws them through the page's own bitmap path (``strokes_to_bitmap``)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dsplaybook.dadc.drawings import Strokes, varied
from dsplaybook.errors import InputError

Shape = Callable[[np.random.Generator], Strokes]


def _arc(cx, cy, rx, ry, start=0.0, end=2 * np.pi, n=40):
    t = np.linspace(start, end, n)
    return [(cx + rx * np.cos(a), cy + ry * np.sin(a)) for a in t]


def _poly(*points):
    return [tuple(map(float, p)) for p in points]


CLEAN: dict[str, Shape] = {
    # the synthetic stand-ins
    "circle": lambda rng: [_arc(140, 140, 100, 100 * rng.uniform(0.85, 1))],
    "square": lambda rng: [_poly((40, 40), (240, 40), (240, 240), (40, 240), (40, 40))],
    "triangle": lambda rng: [_poly((140, 30), (250, 230), (30, 230), (140, 30))],
    "zigzag": lambda rng: [
        _poly(*[(30 + 44 * k, 90 if k % 2 == 0 else 190) for k in range(int(rng.integers(5, 7)))])
    ],
    # the four real QuickDraw categories of the development mirror
    "eyeglasses": lambda rng: [
        _arc(80, 140, 50, 45),
        _arc(200, 140, 50, 45),
        _poly((130, 135), (150, 135)),
    ],
    "hat": lambda rng: [
        _arc(140, 220, 90, 190, np.pi, 2 * np.pi),
        _arc(140, 220, 130, 30, 0, 2 * np.pi),
    ],
    "laptop": lambda rng: [
        _poly((60, 30), (220, 30), (220, 150), (60, 150), (60, 30)),
        _poly((60, 150), (20, 230), (260, 230), (220, 150)),
    ],
    "snowman": lambda rng: [_arc(140, 190, 75, 75), _arc(140, 75, 45, 45)],
}

TRICKY: dict[str, tuple[Shape, ...]] = {
    "circle": (
        lambda rng: [_arc(140, 140, 120, 55)],  # a flat ellipse
        lambda rng: [_arc(140, 140, 100, 100, 0.3, 2 * np.pi - 0.3)],  # open
        lambda rng: [
            [
                (140 + r * np.cos(a), 140 + r * np.sin(a))
                for a, r in zip(
                    np.linspace(0, 4 * np.pi, 60), np.linspace(30, 110, 60), strict=True
                )
            ]
        ],
    ),
    "square": (
        lambda rng: [_poly((140, 20), (260, 140), (140, 260), (20, 140), (140, 20))],  # diamond
        lambda rng: [_poly((20, 90), (260, 90), (260, 190), (20, 190), (20, 90))],  # oblong
        lambda rng: [_poly((40, 40), (240, 40), (240, 240), (40, 240))],  # not closed
    ),
    "triangle": (
        lambda rng: [_poly((30, 40), (250, 40), (140, 240), (30, 40))],  # apex down
        lambda rng: [_poly((40, 40), (40, 240), (240, 240), (40, 40))],  # right angle
        lambda rng: [_poly((110, 20), (170, 250), (60, 250), (110, 20))],  # thin
    ),
    "zigzag": (
        lambda rng: [_poly(*[(90 if k % 2 == 0 else 190, 30 + 44 * k) for k in range(6)])],
        lambda rng: [_poly((30, 200), (140, 60), (250, 200))],  # one tooth
        lambda rng: [_poly(*[(20 + 20 * k, 140 + 60 * np.sin(k * 1.2)) for k in range(13)])],
    ),
}


def _turned(name: str) -> Shape:
    """The clean drawing turned by 25°-90° either way: far past the ±15° of 'clean'."""

    def draw(rng: np.random.Generator) -> Strokes:
        turn = rng.uniform(25, 90) * rng.choice([-1, 1])
        return varied(CLEAN[name](rng), rng, rotate=0.0, stretch=0.0, jitter=0.0, turn=turn)

    return draw


for _name in CLEAN:  # the real categories have no hand-made tricks: turned ones only
    TRICKY[_name] = (*TRICKY.get(_name, ()), _turned(_name))


def clean_drawings(
    classes: tuple[str, ...], per_class: int, seed: int
) -> list[tuple[Strokes, int]]:
    """``per_class`` clean drawings of each class, rotated up to ±15°, stretched, jittered."""
    rng = np.random.default_rng(seed)
    return [
        (varied(CLEAN[name](rng), rng), k)
        for k, name in enumerate(classes)
        for _ in range(per_class)
    ]


def tricky_drawing(name: str, kind: int, rng: np.random.Generator) -> Strokes:
    """One variant of a tricky kind of class ``name`` (rotated, stretched, jittered)."""
    return varied(TRICKY[name][kind](rng), rng)


def play_rounds(rounds, n_rounds: int, seed: int, attempts: int = 400) -> list[dict]:
    """A scripted person against ``rounds`` (a ``DrawingRounds``): each round, tricky
    drawings of random classes until ``round_size`` fool the open model, each confirmed
    by a second scripted player (another browser) after the drawer's own second tab
    tried to confirm it and was refused; then, once the next model is ready, how it does on
    them. Stops early when ``attempts`` drawings find too few fools (the model learnt the
    tricks). Per round: the DADC measure (share of the round's validated fools that still
    fool the next model), fresh variants of them (±9°, 5-px jitter, 10 each) the next model
    gets right, and the next model's test error."""
    import time

    from dsplaybook.dadc.drawings import drawing_extent, strokes_to_bitmap

    rng = np.random.default_rng(seed)
    extent = drawing_extent(rounds.data)
    names = rounds.data.class_names
    played = []
    for k in range(n_rounds):
        start, fools, self_refused = rounds.round, [], 0
        for _ in range(attempts):
            if rounds.round != start or rounds.training:
                break
            c = int(rng.integers(len(names)))
            strokes = tricky_drawing(names[c], int(rng.integers(len(TRICKY[names[c]]))), rng)
            bitmap = strokes_to_bitmap(strokes, extent)
            answer = rounds.submit(strokes, bitmap, c, "drawer", start, client="drawer-browser")
            if answer["fooled"]:
                try:  # the drawer's second tab: the same browser, so the same player
                    rounds.validate(answer["drawing"], "drawer-tab-2", "confirm", "drawer-browser")
                except InputError:  # refused (sessions.drawing.VerdictRefused)
                    self_refused += 1
                rounds.validate(answer["drawing"], "checker", "confirm", "checker-browser")
                fools.append((strokes, c))
        while rounds.training:
            time.sleep(0.02)
        if rounds.round == start:
            break  # fewer than round_size fools in ``attempts`` tries
        model = rounds._models[rounds.round]
        again = model.predict(np.stack([strokes_to_bitmap(st, extent) for st, _ in fools]))
        truth = np.array([c for _, c in fools])
        fresh_rng = np.random.default_rng([seed, k])
        fresh = [
            (strokes_to_bitmap(varied(st, fresh_rng, 9, 0.1, 5), extent), c)
            for st, c in fools
            for _ in range(10)
        ]
        fresh_guess = model.predict(np.stack([b for b, _ in fresh]))
        facts = rounds.store.round_facts().set_index("round")["test_error"]
        played.append(
            {
                "round": k,
                "fools": len(fools),
                "self_validations_refused": self_refused,
                "still_fooling": float((again != truth).mean()),
                "fresh_right": float((fresh_guess == np.array([c for _, c in fresh])).mean()),
                "test_error": float(facts[rounds.round]),
                "round0_error": float(facts[0]),
            }
        )
    return played
