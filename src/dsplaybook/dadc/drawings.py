"""People's drawings in the dataset's own bitmap format.

QuickDraw's numpy bitmaps come from the simplified drawings: strokes aligned to the
top-left corner and scaled uniformly so the longer side spans 0-255, rendered on a
256×256 canvas and reduced to 28×28 with anti-aliasing, white ink on black. A sketchpad
drawing goes through the same steps, centred, with its longer side as wide as the ink of
the dataset's own images (``ink_extent``: 28 pixels for real QuickDraw, about 21 for the
synthetic stand-ins), so a circle drawn in the page looks like the dataset's circles.
"""

from __future__ import annotations

from typing import cast

import numpy as np
from PIL import Image, ImageDraw

from dsplaybook.errors import InputError

CANVAS = 256
LINE_WIDTH = 18  # on the 256 canvas, about 2 pixels at 28×28 as in the bitmaps
MAX_STROKES, MAX_POINTS = 200, 5000  # a drawing larger than this is refused
PAD = 280  # side of the page's drawing pad, in its pixels
PAD_MARGIN = PAD // 2  # a stroke may leave the pad by this much (a fast mouse does)

Strokes = list[list[tuple[float, float]]]


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


def strokes_to_bitmap(strokes: Strokes, extent: float = 28.0) -> np.ndarray:
    """Strokes -> 28×28 uint8, white on black, centred, the longer side ``extent`` pixels
    of ink (line width included), as the dataset's images."""
    points = np.concatenate([np.asarray(s, dtype=float) for s in strokes])
    low = points.min(axis=0)
    span = float((points.max(axis=0) - low).max()) or 1.0  # a dot stays a dot
    target = max(min(extent, 28.0) * CANVAS / 28 - LINE_WIDTH, 1.0)  # centre line
    scale = target / span
    size = (points.max(axis=0) - low) * scale
    offset = (CANVAS - size) / 2
    image = Image.new("L", (CANVAS, CANVAS), 0)
    pen = ImageDraw.Draw(image)
    for stroke in strokes:
        xy = [tuple((np.asarray(p) - low) * scale + offset) for p in stroke]
        if len(xy) == 1:
            x, y = xy[0]
            r = LINE_WIDTH / 2
            pen.ellipse((x - r, y - r, x + r, y + r), fill=255)
        else:
            pen.line(xy, fill=255, width=LINE_WIDTH, joint="curve")
            for x, y in (xy[0], xy[-1]):  # round caps
                r = LINE_WIDTH / 2
                pen.ellipse((x - r, y - r, x + r, y + r), fill=255)
    small = image.resize((28, 28), Image.Resampling.BOX)  # area average = anti-aliasing
    return np.asarray(small, dtype=np.uint8)


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
