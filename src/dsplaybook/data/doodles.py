"""Synthetic doodles in QuickDraw's numpy_bitmap format, for offline demos.

QuickDraw has no offline source on a user's machine, so the default config draws
simple jittered shapes whose names are also real QuickDraw categories. Everything
built from them is marked synthetic; switch ``quickdraw.source`` to ``official``
for the real drawings.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np

from dsplaybook.atomic import atomic_path

SEGMENTS = 16
_SIZE = 28


def _circle(rng: np.random.Generator) -> np.ndarray:
    t = np.linspace(0, 2 * np.pi, SEGMENTS + 1) + rng.uniform(0, 2 * np.pi)
    radius = rng.uniform(0.5, 0.9) * (1 + rng.normal(0, 0.06, SEGMENTS + 1))
    radius[-1] = radius[0]
    aspect = rng.uniform(0.75, 1.0)
    return np.stack([radius * np.cos(t), aspect * radius * np.sin(t)], axis=1)


def _polygon(corners: np.ndarray) -> np.ndarray:
    """Closed polygon through ``corners``, resampled to SEGMENTS+1 points."""
    closed = np.vstack([corners, corners[:1]])
    edge = np.linalg.norm(np.diff(closed, axis=0), axis=1)
    cumulative = np.concatenate([[0], np.cumsum(edge)])
    at = np.linspace(0, cumulative[-1], SEGMENTS + 1)
    return np.stack([np.interp(at, cumulative, closed[:, i]) for i in range(2)], axis=1)


def _square(rng: np.random.Generator) -> np.ndarray:
    half = rng.uniform(0.45, 0.85)
    corners = np.array([[-half, -half], [half, -half], [half, half], [-half, half]])
    return _polygon(corners + rng.normal(0, 0.05, corners.shape))


def _triangle(rng: np.random.Generator) -> np.ndarray:
    angles = np.array([90, 210, 330]) * np.pi / 180 + rng.normal(0, 0.12, 3)
    size = rng.uniform(0.55, 0.95)
    corners = size * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return _polygon(corners)


def _zigzag(rng: np.random.Generator) -> np.ndarray:
    teeth = rng.integers(3, 7)
    x = np.linspace(-0.85, 0.85, SEGMENTS + 1)
    amplitude = rng.uniform(0.25, 0.6)
    phase = np.abs(((x + 0.85) / 1.7 * teeth * 2) % 2 - 1) * 2 - 1
    return np.stack([x, amplitude * phase + rng.normal(0, 0.03, x.shape)], axis=1)


SHAPES = {"circle": _circle, "square": _square, "triangle": _triangle, "zigzag": _zigzag}


def category_seed(seed: int, category: str) -> int:
    """A stable per-category seed (crc32, not Python's salted hash)."""
    return (seed * 1_000_003 + zlib.crc32(category.encode())) % 2**32


def draw_category(category: str, n: int, seed: int, batch: int = 256) -> np.ndarray:
    """``n`` doodles of ``category`` as an (n, 784) uint8 array, white strokes on black."""
    if category not in SHAPES:
        raise ValueError(f"cannot draw {category!r}; synthetic shapes: {sorted(SHAPES)}")
    rng = np.random.default_rng(category_seed(seed, category))
    grid_1d = ((np.arange(_SIZE) + 0.5) / _SIZE * 2 - 1).astype(np.float32)
    gx, gy = np.meshgrid(grid_1d, grid_1d)
    pixels = np.stack([gx.ravel(), gy.ravel()], axis=1)  # (P, 2) in [-1, 1]
    out = np.empty((n, _SIZE * _SIZE), dtype=np.uint8)
    for start in range(0, n, batch):
        count = min(batch, n - start)
        strokes = np.stack([_random_pose(SHAPES[category](rng), rng) for _ in range(count)])
        widths = rng.uniform(0.05, 0.09, size=(count, 1))
        strokes, widths = strokes.astype(np.float32), widths.astype(np.float32)
        out[start : start + count] = _render(strokes, widths, pixels)
    return out


def _random_pose(points: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    angle = rng.normal(0, 0.25)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    return points @ rotation.T * rng.uniform(0.8, 1.05) + rng.normal(0, 0.05, 2)


def _render(strokes: np.ndarray, widths: np.ndarray, pixels: np.ndarray) -> np.ndarray:
    """Distance from each pixel to the nearest segment -> soft-edged (anti-aliased) ink."""
    a, b = strokes[:, :-1, None, :], strokes[:, 1:, None, :]  # (B, S, 1, 2)
    p = pixels[None, None, :, :]  # (1, 1, P, 2)
    ab = b - a
    t = np.clip(np.sum((p - a) * ab, -1) / np.maximum(np.sum(ab * ab, -1), 1e-12), 0, 1)
    dist = np.linalg.norm(p - (a + t[..., None] * ab), axis=-1).min(axis=1)  # (B, P)
    ink = np.clip(1.5 - dist / widths, 0, 1)
    return np.round(ink * 255).astype(np.uint8)


def write_category(dest: str | Path, category: str, n: int, seed: int) -> int:
    """Draw ``n`` doodles of ``category`` into a QuickDraw-format .npy; return ``n``."""
    bitmaps = draw_category(category, n, seed)
    with atomic_path(dest) as tmp, open(tmp, "wb") as fh:
        np.save(fh, bitmaps)
    return len(bitmaps)
