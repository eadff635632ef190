"""Scripted drawings, as strokes in pad pixels (0..280), for checks without a person:
clean drawings of every class (is the round-0 model worth fooling?) and tricky ones (what
a person trying to fool it draws: a diamond for a square, an upside-down triangle). The
caller draws them through the page's own bitmap path (``strokes_to_bitmap``)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dsplaybook.dadc.drawings import Strokes, varied

Shape = Callable[[np.random.Generator], Strokes]


def _arc(cx, cy, rx, ry, start=0.0, end=2 * np.pi, n=40):  # noqa: ANN001, ANN202
    t = np.linspace(start, end, n)
    return [(cx + rx * np.cos(a), cy + ry * np.sin(a)) for a in t]


def _poly(*points):  # noqa: ANN002, ANN202
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
    ],  # fmt: skip
    "hat": lambda rng: [_arc(140, 170, 80, 110, np.pi, 2 * np.pi), _poly((20, 170), (260, 170))],
    "laptop": lambda rng: [
        _poly((60, 30), (220, 30), (220, 150), (60, 150), (60, 30)),
        _poly((60, 150), (20, 230), (260, 230), (220, 150)),
    ],  # fmt: skip
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
    ),  # fmt: skip
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


for _name in TRICKY:
    TRICKY[_name] = (*TRICKY[_name], _turned(_name))


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
