"""Real people's drawings through the drawing page: round-0 recognition vs held-out
rendered bitmaps (issue 39), per round model, on the shared stroke categories.

    python bench/drawing_replay.py [--strokes ../shared/data/quickdraw_strokes]

Each set: the first N recognised drawings of each category rendered into a dataset
(Google's recipe, 80/20 seeded split), the round-0 model trained as the page trains it
(dadc.human with the method/features named), then the next drawings of each file
(never in any fit) replayed through the page's parser and renderer. Also: the default
model trained on the shared *official bitmaps* (eyeglasses, hat, laptop, snowman),
judging real snowmen drawn through the page.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from dsplaybook.dadc.drawing_store import DRAWING_COLUMNS
from dsplaybook.dadc.drawings import drawing_extent
from dsplaybook.dadc.replay import held_out_drawings, per_class_accuracy, replay
from dsplaybook.dadc.round_model import HumanRoundSettings, train_round_model
from dsplaybook.data.quickdraw import SOURCES, combine_categories, load_category
from dsplaybook.data.strokes import read_category, render_all
from dsplaybook.settings import load_config

SETS = {
    "4 categories": (["snowman", "cake", "power_outlet", "smiley_face"], 1500, 400),
    "7 categories": (
        ["snowman", "cake", "necklace", "piano", "power_outlet", "smiley_face", "teapot"],
        1500,
        400,
    ),
    "10 categories": (
        ["snowman", "cake", "necklace", "piano", "power_outlet", "smiley_face", "teapot"]
        + ["face", "sock", "bowtie"],
        150,
        100,
    ),
}
# (method, features, HOG cell size): the page's default first
MODELS = [
    ("svm", "hog", 7),
    ("svm", "hog", 4),
    ("logreg", "hog", 7),
    ("logreg", "raw", 7),
    ("rf", "hog", 7),
]


def settings_for(
    config, method: str, features: str, base: int, cell: int = 7
) -> HumanRoundSettings:
    human = config.dadc.human.model_copy(
        update={
            "method": method,
            "features": features,
            "base_per_class": base,
            "hog_cell_size": cell,
        }
    )
    return HumanRoundSettings.from_config(
        human,
        seed=config.seed,
        hyperparameters=getattr(config.classifiers, method).to_data(),
    )


def no_drawings() -> pd.DataFrame:
    return pd.DataFrame(columns=list(DRAWING_COLUMNS))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--strokes", default="../shared/data/quickdraw_strokes")
    parser.add_argument("--bitmaps", default="../shared/data/quickdraw")
    parser.add_argument("--config", default="config.yaml")
    args = parser.parse_args()
    with open(args.config, encoding="utf-8") as fh:
        config = load_config(yaml.safe_load(fh), args.config)
    folder = Path(args.strokes)
    rows = []
    for name, (categories, n_train, n_held) in SETS.items():
        files = [folder / f"{c}.ndjson" for c in categories]
        data = combine_categories(
            [render_all(read_category(f, n_train)) for f in files],
            categories,
            test_fraction=0.2,
            seed=config.seed,
            source=SOURCES["strokes"],
        )
        held = [held_out_drawings(f, n_train, n_held) for f in files]
        drawings = [d for h in held for d in h]
        truth = [k for k, h in enumerate(held) for _ in h]
        direct_images = render_all(drawings)
        for method, features, cell in MODELS:
            s = settings_for(config, method, features, n_train, cell)
            started = time.perf_counter()
            model = train_round_model(data, no_drawings(), s)
            seconds = time.perf_counter() - started
            page = replay(drawings, truth, model, drawing_extent(data), data.class_names)
            bitmaps = per_class_accuracy(model, data.x_test, data.y_test, len(categories))
            direct = per_class_accuracy(model, direct_images, np.array(truth), len(categories))
            rows.append(
                {
                    "set": name,
                    "model": f"{method} on {features}" + (f" (cell {cell})" if cell != 7 else ""),
                    "train/class": int(0.8 * n_train),
                    "held-out drawings": len(drawings),
                    "through the page": round(100 * page.overall, 1),
                    "rendered bitmaps": round(100 * bitmaps, 1),
                    "gap": round(100 * (bitmaps - page.overall), 1),
                    "same drawings rendered directly": round(100 * direct, 1),
                    "retrain s": round(seconds, 1),
                    "worst class": page.recognition().sort_values("recognised").iloc[0]["class"],
                }
            )
            print(rows[-1], flush=True)
            if (method, features, cell) == MODELS[0]:  # the page's default: per class
                guess = model.probabilities(data.x_test, len(categories)).argmax(axis=1)
                per_class = page.recognition().assign(
                    bitmaps=[(guess[data.y_test == k] == k).mean() for k in range(len(categories))]
                )
                print(per_class.to_markdown(index=False, floatfmt=".3f"), flush=True)
    print(pd.DataFrame(rows).to_markdown(index=False))
    official = ["eyeglasses", "hat", "laptop", "snowman"]
    bitmaps_path = Path(args.bitmaps)
    if all((bitmaps_path / f"{c}.npy").exists() for c in official):
        data = combine_categories(
            [load_category(bitmaps_path / f"{c}.npy", 5000) for c in official],
            official,
            test_fraction=0.2,
            seed=config.seed,
            source=SOURCES["official"],
        )
        model = train_round_model(data, no_drawings(), settings_for(config, "svm", "hog", 1000))
        snowmen = held_out_drawings(folder / "snowman.ndjson", 0, 1000)
        page = replay(snowmen, [3] * len(snowmen), model, drawing_extent(data), data.class_names)
        bitmaps = per_class_accuracy(model, data.x_test, data.y_test, 4)
        print(
            f"official bitmaps {official}, svm on hog (1000/class): real snowmen through the "
            f"page recognised {100 * page.recognition().iloc[3]['recognised']:.1f}%; held-out "
            f"official bitmaps {100 * bitmaps:.1f}%; guesses "
            f"{dict(zip(official, np.bincount(page.guess, minlength=4).tolist(), strict=True))}"
        )


if __name__ == "__main__":
    main()
