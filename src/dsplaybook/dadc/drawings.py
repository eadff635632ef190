"""People's drawings in the dataset's own bitmap format.

A drawing from the page goes through the same steps as Google's simplified drawings
(top-left aligned, longer side 0-255) and the same renderer (``data.strokes.render``:
Google's recipe for the numpy_bitmap files), so a drawing means the same pixels wherever
it comes from. Datasets whose ink spans less than Google's (the synthetic stand-ins,
about 21 of 28 pixels) get a wider padding, so a circle drawn in the page looks like the
dataset's circles.
"""

from __future__ import annotations

from typing import cast

import numpy as np

from dsplaybook.data.datasets import MnistStyle
from dsplaybook.data.quickdraw import is_real_quickdraw
from dsplaybook.data.strokes import (
    MAX_POINTS,
    MAX_STROKES,
    PADDING,
    Strokes,
    padding_for_ink,
    render,
    simplified,
)
from dsplaybook.errors import InputError

PAD = 280  # side of the page's drawing pad, in its pixels
PAD_MARGIN = PAD // 2  # a stroke may leave the pad by this much (a fast mouse does)


def _coordinate(value: object) -> float | None:
    """A JSON number on the pad (margin included), else None: no text, no true/false."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if -PAD_MARGIN <= number <= PAD + PAD_MARGIN else None  # NaN fails too


def parse_strokes(value: object) -> Strokes:
    """Strokes sent by the page: [[[x, y], ...], ...] in pad pixels. InputError if not."""
    if not isinstance(value, list) or len(value) > MAX_STROKES:
        raise InputError(f"strokes: a list of at most {MAX_STROKES} strokes is expected")
    strokes, points = [], 0
    for k, stroke in enumerate(value):
        if not isinstance(stroke, list):
            raise InputError(f"strokes[{k}]: each stroke is a list of [x, y] points")
        points += len(stroke)
        if points > MAX_POINTS:
            raise InputError(f"strokes: more than {MAX_POINTS} points")
        path = []
        for j, point in enumerate(stroke):
            xy = (
                [_coordinate(v) for v in point]
                if isinstance(point, list) and len(point) == 2
                else [None]
            )
            if None in xy:
                raise InputError(
                    f"strokes[{k}][{j}]: a point is [x, y], two numbers from "
                    f"{-PAD_MARGIN} to {PAD + PAD_MARGIN} (pad pixels)"
                )
            path.append((cast(float, xy[0]), cast(float, xy[1])))  # both checked above
        if path:
            strokes.append(path)
    if not strokes:
        raise InputError("draw something first: the canvas is empty")
    return strokes


def ink_extent(images: np.ndarray, sample: int = 500) -> float:
    """Median side (pixels) of the box around the ink of the dataset's images."""
    sides = []
    for image in images[:sample]:
        rows, cols = np.nonzero(image > 64)
        if len(rows):
            sides.append(max(np.ptp(rows), np.ptp(cols)) + 1)
    return float(np.median(sides)) if sides else 28.0


def page_bitmap(value: object, extent: float | None) -> tuple[Strokes, np.ndarray]:
    """What the drawing page does with the strokes a browser sends: parse (InputError
    naming the bad point) and render."""
    strokes = parse_strokes(value)
    return strokes, strokes_to_bitmap(strokes, extent)


def strokes_to_bitmap(strokes: Strokes, extent: float | None = None) -> np.ndarray:
    """Strokes in any coordinates -> 28×28 uint8, white on black, as Google renders its
    simplified drawings; ``extent``: the longer side in pixels of ink instead (line
    included), for datasets drawn smaller than Google's."""
    padding = PADDING if extent is None else padding_for_ink(extent)
    return render(simplified(strokes), padding=padding)


def drawing_extent(data: MnistStyle) -> float | None:
    """How the page renders drawings for a dataset: Google's recipe for real QuickDraw
    (None), else the ink extent of its own images."""
    return None if is_real_quickdraw(data.source) else ink_extent(data.x_train)


def varied(
    strokes: Strokes,
    rng: np.random.Generator,
    rotate: float = 15.0,
    stretch: float = 0.15,
    jitter: float = 3.0,
    turn: float = 0.0,
) -> Strokes:
    """The same drawing as a person might draw it again: rotated up to ±``rotate``
    degrees about its centre, each axis stretched up to ±``stretch``, each point moved
    by ``jitter`` pad pixels (sd); ``turn`` adds a fixed rotation. Used to augment a
    fooling drawing and to script drawings."""
    points = np.concatenate([np.asarray(s, dtype=float) for s in strokes])
    centre = (points.min(axis=0) + points.max(axis=0)) / 2
    angle = np.deg2rad(turn + rng.uniform(-rotate, rotate))
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    scale = 1 + rng.uniform(-stretch, stretch, 2)
    out = []
    for stroke in strokes:
        p = (np.asarray(stroke, dtype=float) - centre) * scale @ rotation.T + centre
        p += rng.normal(0, jitter, p.shape)
        out.append([(float(x), float(y)) for x, y in p])
    return out
