"""Simulated players who draw new fools vs standard collection, on real drawings
(issue 39): per-round errors on held-out real drawings and on a hard set, 5 seeds.

    python bench/drawing_players.py [--seeds 5] [--attempts 6] [--copies 0]
        [--keep-edits] [--plot docs/dadc_players.png]

The workflow's study (``dadc.player_study.run_study``, rule simulate_drawing_players)
on the seven shared stroke categories with ~2,000 real drawings each, the config's
``dadc.players`` with the levers given here; the round model is the page's (SVM on HOG).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd
import yaml

from dsplaybook.dadc.player_study import plot_study, round_table, run_study
from dsplaybook.dadc.round_model import HumanRoundSettings
from dsplaybook.dadc.simulate import replicate_seed
from dsplaybook.settings import load_config

CATEGORIES = ["snowman", "cake", "necklace", "piano", "power_outlet", "smiley_face", "teapot"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--strokes", default="../shared/data/quickdraw_strokes")
    parser.add_argument("--config", default="config.yaml")
    parser.add_argument("--seeds", type=int)
    parser.add_argument("--attempts", type=int)
    parser.add_argument("--copies", type=int)
    parser.add_argument(
        "--keep-edits", action="store_true", help="edits the model got right train too"
    )
    parser.add_argument("--plot", default="")
    args = parser.parse_args()
    with open(args.config, encoding="utf-8") as fh:
        config = load_config(yaml.safe_load(fh), args.config)
    levers = {
        k: getattr(args, k) for k in ("seeds", "attempts", "copies") if getattr(args, k) is not None
    }
    if args.keep_edits:
        levers["keep_recognised_edits"] = True
    study = config.dadc.players.model_copy(update=levers)
    human = config.dadc.human
    methods = {m: getattr(config.classifiers, m).to_data() for m in ("svm", "logreg", "rf")}
    files = [Path(args.strokes) / f"{c}.ndjson" for c in CATEGORIES]
    runs, started = [], time.perf_counter()
    for replicate in range(study.seeds):
        seed = replicate_seed(config.seed, replicate)
        model = HumanRoundSettings.from_config(
            human, seed=seed, hyperparameters=methods[human.method]
        )
        runs.append(run_study(files, study, model, seed, True, methods))
        print(runs[-1].to_string(index=False), flush=True)
    rounds = pd.concat(runs, ignore_index=True)
    print(f"{study.seeds} seeds in {time.perf_counter() - started:.0f} s; levers {levers}")
    print(round_table(rounds).set_index("round").T.round(4).to_markdown())
    if args.plot:
        plot_study(rounds, args.plot, study.round_budget)


if __name__ == "__main__":
    main()
