"""`python -m dsplaybook.app.replay`: real people's drawings through the drawing page.

Trains the round-0 model the page would open with (config ``dadc.human``), replays the
held-out drawings of each category's stroke file (those after the first
``quickdraw.per_category`` recognised ones the dataset took, so none was in any fit)
through the page's parser and renderer, and prints per-class recognition, the model's
accuracy on the dataset's held-out rendered bitmaps, the gap and the confusion table.
Needs ``quickdraw.source: strokes`` and the built dataset (``make app`` or
``snakemake results/data/quickdraw_strokes.h5``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd
import yaml

from dsplaybook.dadc.drawing_store import DRAWING_COLUMNS
from dsplaybook.dadc.drawings import drawing_extent
from dsplaybook.dadc.replay import held_out_drawings, per_class_accuracy, replay
from dsplaybook.dadc.round_model import HumanRoundSettings, train_round_model
from dsplaybook.data.datasets import dataset_file, read_mnist_style
from dsplaybook.data.names import category_filename, category_suffix
from dsplaybook.errors import InputError
from dsplaybook.settings import load_config


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m dsplaybook.app.replay", description=__doc__)
    parser.add_argument("--config", default="config.yaml")
    parser.add_argument("--held-out", type=int, default=200, help="drawings per category")
    parser.add_argument(
        "--strokes",
        default="resources/quickdraw/strokes",
        help="folder of <category>.ndjson (default: the files the dataset was built from)",
    )
    parser.add_argument("--out", help="CSV of per-class recognition (default: print only)")
    args = parser.parse_args(argv)
    try:
        with open(args.config, encoding="utf-8") as fh:
            config = load_config(yaml.safe_load(fh), args.config)
        qd = config.quickdraw
        if config.dadc.human.dataset != "quickdraw" or qd.source != "strokes":
            raise InputError(
                f"{args.config}: replay needs dadc.human.dataset: quickdraw and "
                "quickdraw.source: strokes (real drawings as strokes)"
            )
        h5 = dataset_file(config.dataset_id("quickdraw"))
        if not h5.exists():
            raise InputError(f"{h5}: not built; run snakemake {h5} first")
        data = read_mnist_style(h5)
        drawings, true_class = [], []
        for k, category in enumerate(qd.categories):
            path = Path(args.strokes) / category_filename(category, category_suffix("strokes"))
            if not path.exists():
                raise InputError(f"{path}: missing; --strokes names the folder of stroke files")
            held = held_out_drawings(path, qd.per_category, args.held_out, qd.recognized_only)
            drawings += held
            true_class += [k] * len(held)
        if not drawings:
            raise InputError(
                f"{args.strokes}: no drawings beyond the first {qd.per_category} of each "
                "category; lower quickdraw.per_category to hold some out"
            )
        human = config.dadc.human
        settings = HumanRoundSettings.from_config(
            human,
            seed=config.seed,
            hyperparameters=getattr(config.classifiers, human.method).to_data(),
        )
        started = time.perf_counter()
        model = train_round_model(data, pd.DataFrame(columns=list(DRAWING_COLUMNS)), settings)
        trained = time.perf_counter() - started
        result = replay(drawings, true_class, model, drawing_extent(data), data.class_names)
        n = len(data.class_names)
        bitmaps = per_class_accuracy(model, data.x_test, data.y_test, n)
    except (InputError, OSError) as err:
        sys.exit(f"replay: {err}")
    table = result.recognition()
    print(f"round-0 model: {human.method} on {human.features}, trained in {trained:.1f} s")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(
        f"through the page: {result.overall:.3f}; held-out rendered bitmaps: {bitmaps:.3f}; "
        f"gap {100 * (bitmaps - result.overall):+.1f} points"
    )
    print(result.confusion().to_string())
    if args.out:
        table.assign(bitmaps=bitmaps, page=result.overall).to_csv(args.out, index=False)


if __name__ == "__main__":
    main()
