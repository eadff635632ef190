"""Simulated players who draw new fools vs standard collection, on real drawings
(issue 39): per-round errors on held-out real drawings and on a hard set, 5 seeds.

    python bench/drawing_players.py [--seeds 5] [--rounds 5] [--budget 200]
        [--attempts 6] [--copies 0] [--weight 1] [--fools-only] [--plot docs/dadc_players.png]

Seven shared stroke categories with ~2,000 real drawings each are split per class into
the initial drawings, the players' pool, a reference split (two reference models that
define the hard set), the peer's training split and the test split — disjoint. The
round model is the drawing page's (SVM on HOG); the peer is a random forest on HOG
trained on its own split; the references are an SVM on HOG (strong) and a
logistic regression on HOG (the confirming one) trained on the reference split.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from dsplaybook.dadc.drawings import strokes_to_bitmap
from dsplaybook.dadc.round_model import HumanRoundSettings, fit_round_model
from dsplaybook.dadc.stroke_players import PlayerSettings, simulate_players, summarise
from dsplaybook.data.strokes import read_category
from dsplaybook.settings import load_config

CATEGORIES = ["snowman", "cake", "necklace", "piano", "power_outlet", "smiley_face", "teapot"]
SPLITS = {"initial": 50, "pool": 700, "reference": 400, "peer": 250, "test": 300}
HARD_FRACTION = 0.2


def model_settings(config, method: str, features: str, seed: int) -> HumanRoundSettings:
    human = config.dadc.human.model_copy(update={"method": method, "features": features})
    return HumanRoundSettings.from_config(
        human, seed=seed, hyperparameters=getattr(config.classifiers, method).to_data()
    )


def split(folder: Path, seed: int) -> dict[str, list]:
    """Per class, a seeded shuffle of its first recognised drawings cut into the splits."""
    rng = np.random.default_rng(seed)
    out: dict[str, list] = {name: [] for name in SPLITS}
    for c, category in enumerate(CATEGORIES):
        drawings = read_category(folder / f"{category}.ndjson", sum(SPLITS.values()))
        order = rng.permutation(len(drawings))
        at = 0
        for name, n in SPLITS.items():
            out[name] += [(drawings[k], c) for k in order[at : at + n]]
            at += n
    return out


def render(pairs) -> tuple[np.ndarray, np.ndarray]:
    return np.stack([strokes_to_bitmap(st) for st, _ in pairs]), np.array([c for _, c in pairs])


def hard_mask(config, parts, x_test, y_test, seed) -> np.ndarray:
    """Test drawings the strong reference gets wrong or is least sure of (lowest
    true-class margin), among those the second reference classifies right."""
    x_ref, y_ref = render(parts["reference"])
    strong = fit_round_model(
        x_ref, y_ref, np.ones(len(y_ref)), model_settings(config, "svm", "hog", seed)
    )
    second = fit_round_model(
        x_ref, y_ref, np.ones(len(y_ref)), model_settings(config, "logreg", "hog", seed)
    )
    p = strong.probabilities(x_test, len(CATEGORIES))
    true = p[np.arange(len(y_test)), y_test]
    p[np.arange(len(y_test)), y_test] = -1
    margin = true - p.max(axis=1)
    confirmed = second.predict(x_test) == y_test
    candidates = [k for k in np.argsort(margin, kind="stable") if confirmed[k]]
    mask = np.zeros(len(y_test), dtype=bool)
    mask[candidates[: int(HARD_FRACTION * len(y_test))]] = True
    return mask


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--strokes", default="../shared/data/quickdraw_strokes")
    parser.add_argument("--config", default="config.yaml")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--budget", type=int, default=200)
    parser.add_argument("--attempts", type=int, default=6)
    parser.add_argument("--copies", type=int, default=0)
    parser.add_argument("--weight", type=float, default=1.0)
    parser.add_argument(
        "--fools-only", action="store_true", help="edits enter training only when they fool"
    )
    parser.add_argument("--plot", default="")
    args = parser.parse_args()
    with open(args.config, encoding="utf-8") as fh:
        config = load_config(yaml.safe_load(fh), args.config)
    runs = []
    started = time.perf_counter()
    for replicate in range(args.seeds):
        seed = config.seed + replicate
        parts = split(Path(args.strokes), seed)
        x_test, y_test = render(parts["test"])
        hard = hard_mask(config, parts, x_test, y_test, seed)
        x_peer, y_peer = render(parts["peer"])
        peer = fit_round_model(
            x_peer, y_peer, np.ones(len(y_peer)), model_settings(config, "rf", "hog", seed)
        )
        s = PlayerSettings(
            rounds=args.rounds,
            round_budget=args.budget,
            attempts=args.attempts,
            copies=args.copies,
            weight=args.weight,
            keep_recognised_edits=not args.fools_only,
            seed=seed,
        )
        run = simulate_players(
            parts["initial"],
            parts["pool"],
            (x_test, y_test, hard),
            peer,
            s,
            model_settings(config, "svm", "hog", seed),
        )
        runs.append(run)
        print(run.to_string(index=False), flush=True)
    rounds = pd.concat(runs, ignore_index=True)
    print(f"{args.seeds} seeds in {time.perf_counter() - started:.0f} s; {vars(args)}")
    errors = rounds.groupby(["round", "strategy"])[
        ["test_error", "hard_error", "fools", "made"]
    ].agg(["mean", "std"])
    print(errors.round(4).to_string())
    print(summarise(rounds).round(3).to_string())
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, 2, figsize=(9, 3.4), sharex=True)
        for ax, column, title in zip(
            axes, ["hard_error", "test_error"], ["hard set", "held-out real drawings"], strict=True
        ):
            for strategy, style in (("standard", "o-"), ("dadc", "s-")):
                m = rounds[rounds.strategy == strategy].groupby("round")[column]
                ax.errorbar(
                    m.mean().index,
                    100 * m.mean(),
                    100 * m.std(),
                    fmt=style,
                    capsize=3,
                    label="drawing players (DADC)" if strategy == "dadc" else "standard",
                )
            ax.set_title(f"Error on the {title}")
            ax.set_xlabel(f"round ({args.budget} drawings made each)")
            ax.set_ylabel("error (%)")
        axes[0].legend()
        fig.suptitle(
            f"Simulated players, {args.seeds} seeds (mean ± sd), 7 real QuickDraw categories",
            fontsize=9,
        )
        fig.tight_layout()
        fig.savefig(args.plot, dpi=110)


if __name__ == "__main__":
    main()
