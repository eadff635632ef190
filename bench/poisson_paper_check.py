"""Poisson learning checked against its paper (issue 38, Deliver 2).

Calder, Cook, Thorpe and Slepčev (ICML 2020) report Fashion-MNIST accuracy at 1-5, 10, 20, 40, 80
and 160 labels per class on a 10-neighbour graph of variational-autoencoder features; their
per-trial results are in the graphlearning repository (``ResultsFromPaper/FashionMNIST*
_vae_k10_*_accuracy.csv``, 100 trials a rate). This bench repeats their protocol:

* features: the paper's VAE (784-400-30 dense, ReLU, summed binary cross-entropy + KL,
  Adam 1e-3, batch 128, 100 epochs; graphlearning's ``weightmatrix.vae``, re-made with this
  project's Keras ``train_vae`` since PyTorch is not installed here), trained on all
  70,000 images without labels; its means are the features;
* transductive, as the paper: every one of the 70,000 images is in the graph and the
  accuracy is over the images not labelled;
* labels: ``--rates`` labels per class, drawn at random per trial (seeded).

It prints graphlearning's Poisson, Poisson-MBO and Laplace on graphlearning's own graph,
and this project's ``poisson`` and ``graphspread`` (their default graphs) on the same
features, each beside the paper's mean over 100 trials. Needs
the `bench` extra (`pip install -e ".[bench]"`; `make bench` installs it), not a
project dependency.

    python bench/poisson_paper_check.py [--rates 1,3,5,10,40,160] [--trials 10]
        [--mbo-trials 3] [--epochs 100]
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import time
from importlib.metadata import version
from pathlib import Path

import numpy as np
from _transductive import transductive_scores
from few_label_features import fashion_mnist

# The paper's mean accuracy % (sd) over its 100 trials per labels-per-class, computed from
# jwcalder/GraphLearning ResultsFromPaper/FashionMNIST{,ModRate}_vae_k10_<method>_accuracy.csv
PAPER = {
    "poisson": {1: (60.85, 4.62), 2: (66.13, 3.93), 3: (69.62, 2.57), 4: (71.19, 2.23),
                5: (72.42, 2.29), 10: (75.25, 1.47), 20: (77.33, 1.08), 40: (78.79, 0.71),
                80: (79.90, 0.61), 160: (80.66, 0.52)},
    "poisson_mbo": {1: (61.95, 5.72), 2: (67.19, 4.81), 3: (70.36, 2.86), 4: (72.08, 2.53),
                    5: (73.11, 2.67), 10: (76.14, 1.43), 20: (78.16, 1.08), 40: (79.55, 0.74),
                    80: (80.67, 0.60), 160: (81.62, 0.47)},
    "laplace": {1: (18.48, 7.35), 2: (32.46, 8.23), 3: (44.04, 8.62), 4: (52.16, 6.26),
                5: (57.93, 6.78), 10: (70.60, 3.09), 20: (76.51, 1.43), 40: (79.15, 0.71),
                80: (80.93, 0.46), 160: (82.34, 0.33)},
}  # fmt: skip
PAPER_TRIALS = 100


def vae_features(images: np.ndarray, epochs: int, seed: int, cache: Path) -> np.ndarray:
    """The paper's VAE means for every image, cached (training is minutes on a CPU)."""
    path = cache / f"paper_vae_400_30_e{epochs}_s{seed}.npy"
    if path.exists():
        return np.load(path)
    import keras

    from dsplaybook.represent.autoencoders import embed, scale_images, train_vae

    keras.utils.set_random_seed(seed)
    started = time.perf_counter()
    trained = train_vae(
        scale_images(images), "dense", latent=30, epochs=epochs, batch_size=128, lr=1e-3,
        seed=seed, hidden=[400],
    )  # fmt: skip
    z = embed(trained.encoder, images)
    print(f"# VAE 784-400-30, {epochs} epochs on {len(images):,} images: "
          f"{time.perf_counter() - started:.0f} s, last loss "
          f"{trained.history['loss'][-1]:.1f}")  # fmt: skip
    np.save(path, z)
    return z


def labels_per_class(y: np.ndarray, rate: int, rng: np.random.Generator) -> np.ndarray:
    return np.concatenate(
        [rng.choice(np.flatnonzero(y == c), rate, replace=False) for c in np.unique(y)]
    )


def interval(mean: float, sd: float, n: int, paper: tuple[float, float]) -> str:
    """Our mean minus the paper's, with a 95% normal interval of the difference."""
    diff = mean - paper[0]
    if n < 2:
        return f"{diff:+.1f} (one trial: no interval)"
    half = 1.96 * np.sqrt(sd**2 / n + paper[1] ** 2 / PAPER_TRIALS)
    return f"{diff:+.1f} [{diff - half:+.1f}, {diff + half:+.1f}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", default="1,3,5,10,40,160", help="labels per class")
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--mbo-trials", type=int, default=3, help="Poisson-MBO is slow")
    parser.add_argument("--epochs", type=int, default=100, help="the paper's: 100")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--cache", default="/tmp/dsplaybook-few-label-features")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="# %(message)s")  # the VAE's epochs
    import graphlearning as gl  # the bench extra: pip install -e ".[bench]"

    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    x_train, y_train, x_test, y_test = fashion_mnist()
    images = np.concatenate([x_train, x_test])
    y = np.concatenate([y_train, y_test]).astype(int)
    z = vae_features(images, args.epochs, args.seed, cache)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, load average {os.getloadavg()[0]:.2f} at start; "
          f"graphlearning {version('graphlearning')}")  # fmt: skip
    weights = gl.weightmatrix.knn(z, 10)
    priors = np.bincount(y) / len(y)
    print("| method | labels/class | ours: accuracy (trials) | paper (100 trials) | "
          "ours - paper [95%] | s a fit |\n|---|---|---|---|---|---|")  # fmt: skip
    rng = np.random.default_rng(args.seed)
    for rate in (int(r) for r in args.rates.split(",") if r):
        found: dict[str, list[tuple[float, float]]] = {}
        for trial in range(args.trials):
            labelled = labels_per_class(y, rate, rng)
            theirs = [
                ("graphlearning poisson", gl.ssl.poisson(weights)),
                ("graphlearning laplace", gl.ssl.laplace(weights)),
            ]
            if trial < args.mbo_trials:
                theirs.append(
                    ("graphlearning poisson_mbo", gl.ssl.poisson_mbo(weights, class_priors=priors))
                )
            for name, result in transductive_scores(z, y, labelled, theirs).items():
                found.setdefault(name, []).append(result)
        for name, results in found.items():
            accuracy, seconds = (np.array(a) for a in zip(*results, strict=True))
            accuracy = 100 * accuracy
            mean, sd = accuracy.mean(), accuracy.std(ddof=1) if len(accuracy) > 1 else 0.0
            method = name.split()[-1]  # graphspread is label spreading: no paper figure
            paper = PAPER.get(method, {}).get(rate)
            compare = (f"{paper[0]:.1f} ± {paper[1]:.1f} ({method})",
                       interval(mean, sd, len(accuracy), paper)) if paper else ("", "")  # fmt: skip
            print(f"| {name} | {rate} | {mean:.1f} ± {sd:.1f} ({len(accuracy)}) | "
                  f"{compare[0]} | {compare[1]} | {seconds.mean():.1f} |", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
