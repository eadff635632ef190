"""Real people's drawings replayed through the drawing page's own path: the strokes as
the page sends them (pad pixels, JSON lists), the page's parser and renderer
(``drawings.page_bitmap``) and the open round's model, as ``DrawingRounds.judge`` asks
it. What the page would have guessed for each drawing, per class and as a confusion
table, beside the model's accuracy on held-out rendered bitmaps: a large gap means the
page and the training data disagree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import numpy as np
import pandas as pd

from dsplaybook.dadc.drawings import PAD, page_bitmap
from dsplaybook.dadc.round_model import RoundModel
from dsplaybook.data.strokes import Strokes, drawings_in

PAD_INSET = 20  # pad pixels left free around a replayed drawing, as a person leaves


def as_sent_by_the_page(strokes: Strokes) -> list[list[list[float]]]:
    """A simplified drawing (0-255) as the page's pad would send it: scaled into the
    280-pixel pad inside a margin, points as [x, y] lists rounded to the pixel, the way
    mouse events report them."""
    scale = (PAD - 2 * PAD_INSET) / 255
    return [
        [[round(PAD_INSET + x * scale), round(PAD_INSET + y * scale)] for x, y in s]
        for s in strokes
    ]


def held_out_drawings(
    path: str | Path, skip: int, count: int, recognized_only: bool = True
) -> list[Strokes]:
    """Up to ``count`` drawings of a stroke file after the first ``skip`` (the ones a
    dataset built with ``per_category = skip`` took), recognised ones only when asked."""
    return list(islice(drawings_in(path, recognized_only), skip, skip + count))


@dataclass(frozen=True)
class Replay:
    """What the page guessed for each replayed drawing."""

    true_class: np.ndarray
    guess: np.ndarray
    class_names: tuple[str, ...]

    def recognition(self) -> pd.DataFrame:
        """Per class: drawings replayed and the share the page guessed right."""
        rows = [
            {
                "class": name,
                "drawings": int((self.true_class == k).sum()),
                "recognised": float((self.guess[self.true_class == k] == k).mean())
                if (self.true_class == k).any()
                else float("nan"),
            }
            for k, name in enumerate(self.class_names)
        ]
        return pd.DataFrame(rows)

    def confusion(self) -> pd.DataFrame:
        """Drawings of each true class (rows) by the page's guess (columns)."""
        k = len(self.class_names)
        table = np.zeros((k, k), dtype=int)
        np.add.at(table, (self.true_class, self.guess), 1)
        return pd.DataFrame(table, index=self.class_names, columns=self.class_names)

    @property
    def overall(self) -> float:
        """Mean of the per-class recognition (classes weigh the same)."""
        return float(self.recognition()["recognised"].mean())


def replay(
    drawings: Sequence[Strokes],
    true_class: Sequence[int],
    model: RoundModel,
    extent: float | None,
    class_names: tuple[str, ...],
) -> Replay:
    """Each drawing through the page's path and ``model``'s guess, as the page shows it."""
    bitmaps = np.stack([page_bitmap(as_sent_by_the_page(d), extent)[1] for d in drawings])
    probabilities = model.probabilities(bitmaps, len(class_names))
    return Replay(np.asarray(true_class, dtype=np.int64), probabilities.argmax(axis=1), class_names)


def per_class_accuracy(model: RoundModel, images: np.ndarray, y: np.ndarray, n: int) -> float:
    """Mean per-class accuracy of the page's guess on bitmaps (classes weigh the same)."""
    guess = model.probabilities(images, n).argmax(axis=1)
    return float(np.mean([(guess[y == k] == k).mean() for k in range(n) if (y == k).any()]))
