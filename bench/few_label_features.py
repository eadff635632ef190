"""Few labels, far: which features and learners earn their place on Fashion-MNIST.

Computes the hand-made feature sets from the Fashion-MNIST mirror (`make setup` fills
resources/mirror/fashion-mnist; cached under --cache), then runs the sweep's own cells
(`label_budget.sweep.run_cell`: seeded random label draws, inductive — no test image in
any fit — official test set, the audited auto-accept) and prints one markdown row per
(features, method, budget): accuracy mean ± sd over draws, the pool share accepted at 99%
and how right it really was, seconds per fit.

    python bench/few_label_features.py [--features hog2,scattering,hog2_scattering_pca]
        [--methods graphspread,graphsvm,svm] [--budgets 100,500,2000] [--draws 2]
        [--quickdraw FOLDER [--per-category 5000]]

--quickdraw runs the same table on Google's QuickDraw bitmaps instead: every
<category>.npy of FOLDER (numpy_bitmap files, e.g. ../shared/data/quickdraw), the first
--per-category drawings of each, split as the workflow's `build_quickdraw` splits them
(seeded, stratified, quickdraw.test_fraction of config.yaml: 0.2).
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import time
from pathlib import Path

import numpy as np

from dsplaybook.data.idx import parse_idx
from dsplaybook.data.quickdraw import QuickDrawSettings, build_quickdraw
from dsplaybook.label_budget.sweep import SweepSettings, run_cell
from dsplaybook.represent.features import FEATURE_SETS, combined_features
from dsplaybook.represent.settings import Represent

MIRROR = Path(__file__).resolve().parents[1] / "resources" / "mirror" / "fashion-mnist"


def idx(name: str) -> np.ndarray:
    path = MIRROR / f"{name}.gz"
    return parse_idx(gzip.decompress(path.read_bytes()), name=str(path))


def features(name: str, images: np.ndarray, cache: Path, n_train: int) -> np.ndarray:
    """All 70,000 rows of a feature set (train first), computed once per cache."""
    path = cache / f"{name}.npy"
    if path.exists():
        return np.load(path)
    entry, settings = FEATURE_SETS[name], Represent()
    started = time.perf_counter()
    if entry.parts:
        blocks = [features(part, images, cache, n_train) for part in entry.parts]
        parts = [(b[:n_train], b[n_train:]) for b in blocks]
        train, test = combined_features(name, parts, settings.combined_components)
        out = np.vstack([train, test])
    else:
        out = entry.handmade(images, getattr(settings, entry.settings), os.cpu_count() or 1)
    print(f"# {name}: {out.shape[1]} dims, {time.perf_counter() - started:.0f} s for "
          f"{len(images):,} images")  # fmt: skip
    np.save(path, out)
    return out


def fashion_mnist() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    x_train, y_train = idx("train-images-idx3-ubyte"), idx("train-labels-idx1-ubyte")
    x_test, y_test = idx("t10k-images-idx3-ubyte"), idx("t10k-labels-idx1-ubyte")
    return x_train, y_train, x_test, y_test


def quickdraw(folder: Path, per_category: int, seed: int):
    files = sorted(folder.glob("*.npy"))
    if not files:
        raise SystemExit(f"{folder}: no <category>.npy files (QuickDraw numpy_bitmap)")
    settings = QuickDrawSettings(
        source="official",
        categories=[f.stem for f in files],
        per_category=per_category,
        test_fraction=0.2,
        seed=seed,
    )
    data = build_quickdraw([str(f) for f in files], settings)
    print(f"# QuickDraw {', '.join(settings.categories)}: {len(data.x_train):,} train, "
          f"{len(data.x_test):,} test")  # fmt: skip
    return data.x_train, data.y_train, data.x_test, data.y_test


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", default="hog2,scattering,hog2_scattering,hog2_scattering_pca")
    parser.add_argument("--methods", default="graphspread,graphsvm,svm")
    parser.add_argument("--budgets", default="100,500,2000")
    parser.add_argument("--draws", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42, help="the draws (config.yaml: 42)")
    parser.add_argument("--cache", default="/tmp/dsplaybook-few-label-features")
    parser.add_argument("--quickdraw", type=Path, help="a folder of QuickDraw <category>.npy")
    parser.add_argument("--per-category", type=int, default=5000)
    args = parser.parse_args()
    cache = Path(args.cache) / ("quickdraw" if args.quickdraw else "")
    cache.mkdir(parents=True, exist_ok=True)
    x_train, y_train, x_test, y_test = (
        quickdraw(args.quickdraw, args.per_category, args.seed)
        if args.quickdraw
        else fashion_mnist()
    )
    images, n = np.concatenate([x_train, x_test]), len(x_train)
    settings = SweepSettings(
        budgets=tuple(int(b) for b in args.budgets.split(",")),
        draws=args.draws,
        seed=args.seed,
        threads=os.cpu_count() or 1,
    )
    load = os.getloadavg()[0]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, load average {load:.2f} at start"
    )
    print("| features | method | labels | accuracy | accepted at 99% (really right) | s a fit |")
    print("|---|---|---|---|---|---|")
    for name in args.features.split(","):
        x = features(name, images, cache, n)
        for method in args.methods.split(","):
            cell = run_cell(x[:n], y_train.astype(int), x[n:], y_test.astype(int), method, settings)
            for budget, rows in cell.groupby("budget"):
                print(
                    f"| {name} | {method} | {budget} | {100 * rows['accuracy'].mean():.1f} ± "
                    f"{100 * rows['accuracy'].std():.1f} | {100 * rows['accept_99'].mean():.1f}% "
                    f"({100 * rows['accept_99_accuracy'].mean():.1f}%) | "
                    f"{rows['fit_seconds'].mean():.0f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
