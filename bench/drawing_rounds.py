"""Drawing rounds without a person: is the round-0 model worth fooling, and does a round
learn from what fooled it without forgetting the dataset?

A scripted person draws through the page's own bitmap path (``strokes_to_bitmap``):
clean drawings of every class (round-0 recognition), then, round after round, tricky
variants (``dadc.scripted.TRICKY``) of every class, keeping those that fool the open
round's model; a second scripted session confirms each (peer validation). Per round:
the DADC measure (share of round k's validated fools that still fool round k+1's
model), fresh variants of those fools (±9°, 5-px jitter) that round k+1 gets right, the
test error on the dataset's own test set, and the training time.

    python bench/drawing_rounds.py            # the synthetic stand-ins
    python bench/drawing_rounds.py --real     # the four QuickDraw categories in ../shared
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
REAL = REPO.parent / "shared" / "data" / "quickdraw"
STAND_INS = ("circle", "square", "triangle", "zigzag")


def stand_ins(per_class: int = 1500, test: int = 300):
    from dsplaybook.data.datasets import MnistStyle
    from dsplaybook.data.doodles import draw_category

    drawn = [draw_category(c, per_class + test, 0).reshape(-1, 28, 28) for c in STAND_INS]
    x = np.concatenate([d[:per_class] for d in drawn])
    xt = np.concatenate([d[per_class:] for d in drawn])
    y, yt = np.repeat(np.arange(4), per_class), np.repeat(np.arange(4), test)
    return MnistStyle(x, y, xt, yt, STAND_INS)


def real(per_class: int = 4000, test: int = 1000):
    from dsplaybook.data.datasets import MnistStyle

    names = ("eyeglasses", "hat", "laptop", "snowman")
    drawn = [np.load(REAL / f"{n}.npy").reshape(-1, 28, 28) for n in names]
    x = np.concatenate([d[:per_class] for d in drawn])
    xt = np.concatenate([d[per_class : per_class + test] for d in drawn])
    y, yt = np.repeat(np.arange(4), per_class), np.repeat(np.arange(4), test)
    return MnistStyle(x, y, xt, yt, names)


def run(data, rounds_to_play: int = 5, round_size: int = 10, seed: int = 0, **settings) -> dict:
    from dsplaybook.dadc.drawing_store import DrawingStore
    from dsplaybook.dadc.drawings import ink_extent, strokes_to_bitmap
    from dsplaybook.dadc.round_model import HumanRoundSettings
    from dsplaybook.dadc.scripted import clean_drawings, play_rounds
    from dsplaybook.sessions.drawing import DrawingRounds

    s = HumanRoundSettings(dataset="quickdraw", round_size=round_size, drawings="", seed=seed,
                           **settings)  # fmt: skip
    extent = ink_extent(data.x_train)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        rounds = DrawingRounds(data, DrawingStore(Path(tmp) / "s.sqlite"), Path(tmp) / "m", s)
        first_train = time.perf_counter() - started
        clean = clean_drawings(data.class_names, 25, seed)
        images = np.stack([strokes_to_bitmap(st, extent) for st, _ in clean])
        truth = np.array([k for _, k in clean])
        guess = rounds._models[0].predict(images)
        per_class = {n: float((guess[truth == k] == k).mean())
                     for k, n in enumerate(data.class_names)}  # fmt: skip
        started = time.perf_counter()
        table = play_rounds(rounds, rounds_to_play, seed + 1)
        played_s = time.perf_counter() - started
        errors = rounds.store.round_facts()["test_error"].to_numpy()
    return {"first_train_s": first_train, "clean_right": float((guess == truth).mean()),
            "clean_per_class": per_class, "rounds": table, "played_s": played_s,
            "round0_error": float(errors[0]),
            "max_error_rise": float(errors.max() - errors[0])}  # fmt: skip


def retrain_times(data, repeats: int = 3) -> dict:
    """Round-0 training (with its calibration) on an idle machine, then with two
    busy-looping processes beside it (a machine doing other work: the page's own
    threads, a workflow run)."""
    import multiprocessing

    import pandas as pd

    from dsplaybook.dadc.round_model import HumanRoundSettings, train_round_model

    s = HumanRoundSettings(dataset="quickdraw", drawings="", seed=0)
    none = pd.DataFrame(columns=["id", "true_class", "bitmap", "fooled", "strokes"])

    def timed() -> list[float]:
        seconds = []
        for _ in range(repeats):
            started = time.perf_counter()
            train_round_model(data, none, s)
            seconds.append(time.perf_counter() - started)
        return seconds

    idle = timed()
    burners = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(2)]
    for b in burners:
        b.start()
    try:
        busy = timed()
    finally:
        for b in burners:
            b.terminate()
    return {"idle": idle, "busy": busy}


def _spin() -> None:
    while True:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--real", action="store_true")
    parser.add_argument(
        "--retrain", action="store_true", help="only round-0 training time, idle and busy"
    )
    parser.add_argument("--method", default="svm")
    parser.add_argument("--features", default="hog")
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--weight", type=float, default=3.0)
    parser.add_argument("--round-size", type=int, default=10)
    args = parser.parse_args()
    data = real() if args.real else stand_ins()
    if args.retrain:
        times = retrain_times(data)
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores; "
              f"{'real QuickDraw' if args.real else 'stand-ins'}: round-0 training "
              f"(calibration included) {min(times['idle']):.1f}-{max(times['idle']):.1f} s "
              f"idle, {min(times['busy']):.1f}-{max(times['busy']):.1f} s beside two "
              "busy processes")  # fmt: skip
        return
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load "
          f"{os.getloadavg()[0]:.2f}; {'real QuickDraw' if args.real else 'stand-ins'}, "
          f"{len(data.x_train)} train / {len(data.x_test)} test; {args.features} + "
          f"{args.method}, copies {args.copies}, weight {args.weight}")  # fmt: skip
    result = run(data, round_size=args.round_size, method=args.method, features=args.features,
                 copies=args.copies,
                 weight=args.weight)  # fmt: skip
    print(
        f"round 0: trained in {result['first_train_s']:.1f} s; scripted clean drawings "
        f"right: {result['clean_right']}; test error {result['round0_error']:.4f}"
    )
    print("  per class:", ", ".join(f"{n} {v:.2f}" for n, v in result["clean_per_class"].items()))
    for r in result["rounds"]:
        print(
            f"round {r['round']} -> {r['round'] + 1}: {r['fools']} validated fools, still "
            f"fooling {r['still_fooling']:.2f}, fresh variants right {r['fresh_right']:.2f}, "
            f"test error {r['test_error']:.4f}"
        )
    print(
        f"{len(result['rounds'])} rounds played in {result['played_s']:.1f} s "
        "(drawing, judging and training; fewer than asked: the tricks stopped fooling it)"
    )
    print(f"largest test-error rise over round 0: {100 * result['max_error_rise']:.2f} points")


if __name__ == "__main__":
    main()
