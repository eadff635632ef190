"""Few labels, far: do stronger learners lift the best cell (issue 38, Deliver 2)?

On the best feature set (``hog2_scattering_pca``, computed and cached as
``few_label_features.py`` does), the same seeded random label draws as the sweep, and the
official test set (inductive: no test image in any fit), it prints one markdown row per
(lever, labels):

* ``graphsvm``: the default, graph spreading's and the SVM's probabilities averaged;
* ``stacked``: the same two, weighted by the share chosen on the *labelled rows only*
  (5-fold out-of-fold predictions, the weight with the best out-of-fold accuracy);
* ``selftrain``: the SVM refitted on the labelled rows plus the ``--pseudo`` most confident
  pool images per class of graphsvm's own labels (confidence = its Platt-calibrated
  score), then averaged with the graph again; the pseudo-labels' real accuracy is shown;
* ``poisson_mbo`` (with ``--graphlearning``, needs the ``bench`` extra):
  the graphlearning package's Poisson-MBO (Calder et al. 2020) and Laplace learning on
  its own 10-neighbour graph, *transductive* (scored on the unlabelled training images,
  its protocol), beside ours (graphspread, poisson) scored on the same images;
* ``mirror`` (with ``--mirror``): left-right mirrored images (Fashion-MNIST's classes do
  not change in a mirror), featurised by the same fitted projection: the SVM taught the
  labelled rows and their mirrors, the test images scored as the mean over each and its
  mirror, and mirror-invariant features (each row the mean of an image's and its mirror's);
* ``ensemble`` (with ``--ensemble``): an ensemble of the best cells across feature sets,
  graphsvm's probabilities averaged with graphsvm's on ``hog2`` and an RBF SVM's on raw
  pixels;
* ``ceiling`` (with ``--ceiling``): the SVM on 10,000 and all 60,000 *true* training
  labels, what a learner on these features could reach with every label.

    python bench/few_label_learners.py [--budgets 100,500,2000] [--draws 2]
        [--pseudo 1000,3000] [--graphlearning] [--mirror] [--ceiling] [--ensemble]
        [--selected results/label_budget/fashion_mnist/selected/uncertainty.csv]

``--selected`` takes a sweep's chosen labels (the same budgets and draws) instead of the
random draws, so every lever is measured on chosen labels too.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import numpy as np
from _transductive import transductive_scores
from few_label_features import fashion_mnist, features
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import SVC

from dsplaybook.label_budget.calibration import platt_scaling
from dsplaybook.label_budget.graph import GraphSpreading, GraphSvmEnsemble
from dsplaybook.label_budget.hyperparameters import GraphsvmParams
from dsplaybook.label_budget.scaling import GlobalScaler
from dsplaybook.label_budget.sweep import draw_labelled, draw_seed, read_selected
from dsplaybook.represent.features import FEATURE_SETS, combined_features, flat_pixels
from dsplaybook.represent.settings import Represent

WEIGHTS = np.round(np.linspace(0, 1, 11), 1)  # the graph's share in the stacked mean
H = GraphsvmParams()


def svm(seed: int) -> SVC:
    return SVC(C=H.C, gamma=H.gamma, probability=True, random_state=seed)


def full_columns(proba: np.ndarray, classes: np.ndarray, n_classes: int) -> np.ndarray:
    """Probabilities over every class (a fold may lack one)."""
    out = np.zeros((len(proba), n_classes))
    out[:, classes] = proba
    return out


def stacked_weight(x, y_all, labelled, seed, n_classes) -> float:
    """The graph's share chosen by 5-fold out-of-fold accuracy on the labelled rows."""
    y = y_all[labelled]
    folds = max(2, min(5, int(np.bincount(y, minlength=n_classes).min())))  # a class missing: 2
    graph_oof, svm_oof = np.zeros((len(y), n_classes)), np.zeros((len(y), n_classes))
    split = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for train, held in split.split(labelled, y):
        hidden = np.full(len(x), -1)
        hidden[labelled[train]] = y[train]
        graph = GraphSpreading(H.n_neighbors, H.alpha, H.max_iter, H.n_components).fit(x, hidden)
        graph_oof[held] = full_columns(
            graph.training_scores(x, labelled[held]), graph.classes_, n_classes
        )
        with platt_scaling():
            fitted = svm(seed).fit(x[labelled[train]], y[train])
        svm_oof[held] = full_columns(
            fitted.predict_proba(x[labelled[held]]), fitted.classes_, n_classes
        )
    accuracy = [((w * graph_oof + (1 - w) * svm_oof).argmax(1) == y).mean() for w in WEIGHTS]
    best = np.flatnonzero(np.isclose(accuracy, max(accuracy)))
    return float(WEIGHTS[best[np.argmin(np.abs(WEIGHTS[best] - 0.5))]])  # ties: nearest 0.5


def self_trained(model, x, labelled, y_labelled, per_class, seed):
    """The SVM refitted on the labelled rows plus each class's most confident pool rows."""
    pool = np.setdiff1d(np.arange(len(x)), labelled)
    scores = model.training_scores(x, pool)
    guess, confidence = model.classes_[scores.argmax(1)], scores.max(1)
    chosen = np.concatenate(
        [
            np.flatnonzero(guess == c)[
                np.argsort(-confidence[guess == c], kind="stable")[:per_class]
            ]
            for c in model.classes_
        ]
    )
    picked, guesses = pool[chosen], guess[chosen]
    with platt_scaling():
        fitted = svm(seed).fit(np.vstack([x[labelled], x[picked]]), np.r_[y_labelled, guesses])
    return fitted, picked, guesses


def draws(y, budget, seeds, selected=None):
    """Per draw: its seed, the labelled rows for ``budget`` (the sweep's random draw, or a
    selection's from ``selected``, ``read_selected``'s mapping) and the labels with the
    rest hidden (-1), as the graph models take them."""
    for draw, seed in enumerate(seeds):
        if selected is None:
            labelled = draw_labelled(len(y), budget, seed)
        elif (budget, draw) in selected:
            seed, labelled = selected[budget, draw]
        else:
            raise SystemExit(f"--selected: no labels for budget {budget} draw {draw}")
        hidden = np.full(len(y), -1)
        hidden[labelled] = y[labelled]
        yield seed, labelled, hidden


def row(lever, budget, accuracies, extra=""):
    a = 100 * np.asarray(accuracies)
    spread = f" ± {a.std(ddof=1):.1f}" if len(a) > 1 else " (one fit)"
    print(f"| {lever} | {budget} | {a.mean():.1f}{spread} | {extra} |", flush=True)


def graphlearning_rows(x, y, budget, seeds):
    import graphlearning as gl  # the bench extra: pip install -e ".[bench]"

    weights = gl.weightmatrix.knn(x, 10)
    found: dict[str, list] = {}
    priors = np.bincount(y, minlength=10) / len(y)  # balanced classes: Fashion-MNIST's
    for _, labelled, _ in draws(y, budget, seeds):
        theirs = (
            ("graphlearning laplace", gl.ssl.laplace(weights)),
            ("graphlearning poisson_mbo", gl.ssl.poisson_mbo(weights, class_priors=priors)),
        )
        for name, result in transductive_scores(x, y, labelled, theirs).items():
            found.setdefault(name, []).append(result)
    for name, results in found.items():
        accuracy, seconds = zip(*results, strict=True)
        row(f"{name} (transductive)", budget, accuracy, f"{np.mean(seconds):.0f} s a fit")


def ceiling_rows(x, y, x_test, y_test, seed):
    for budget in (10_000, len(x)):
        rows = draw_labelled(len(x), budget, seed)
        started = time.perf_counter()
        fitted = SVC(C=H.C, gamma=H.gamma).fit(x[rows], y[rows])
        accuracy = (fitted.predict(x_test) == y_test).mean()
        row("ceiling: svm on true labels", budget, [accuracy],
            f"{time.perf_counter() - started:.0f} s")  # fmt: skip


def with_mirrors(name, images, cache, n):
    """The feature set's rows for the images' mirrors (train first), projected by what
    was fitted on the unmirrored training rows only."""
    mirrored = images[:, :, ::-1].copy()
    settings, blocks = Represent(), []
    for part in FEATURE_SETS[name].parts:
        path = cache / f"{part}_mirrored.npy"
        if not path.exists():
            entry = FEATURE_SETS[part]
            settings_part = getattr(settings, entry.settings)
            np.save(path, entry.handmade(mirrored, settings_part, os.cpu_count() or 1))
        plain = features(part, images, cache, n)
        blocks.append((plain[:n], np.vstack([plain[n:], np.load(path)])))
    _, rest = combined_features(name, blocks, settings.combined_components)
    return rest[len(images) - n :]


class Mirrors:
    """The mirror levers, given the scaled features of the images and of their mirrors."""

    def __init__(self, x, x_test, mirrored_train, mirrored_test):
        self.x, self.x_test = x, x_test
        self.train, self.test = mirrored_train, mirrored_test
        symmetric = GlobalScaler().fit((x + mirrored_train) / 2)
        self.x_sym = symmetric.transform((x + mirrored_train) / 2)
        self.x_test_sym = symmetric.transform((x_test + mirrored_test) / 2)

    def probabilities(self, model, graph, labelled, hidden, seed):
        """Per lever, the test probabilities; ``model`` is the draw's fitted graphsvm,
        ``graph`` its graph's test probabilities."""
        graph_both = (graph + model.graph_.predict_proba(self.test)) / 2
        y_labelled = hidden[labelled]
        with platt_scaling():
            taught = svm(seed).fit(
                np.vstack([self.x[labelled], self.train[labelled]]), np.r_[y_labelled, y_labelled]
            )
        taught_test = taught.predict_proba(self.x_test)
        svm_both = (taught_test + taught.predict_proba(self.test)) / 2
        invariant = GraphSvmEnsemble(random_state=seed).fit(self.x_sym, hidden)
        return {
            "mirror: svm taught the mirrors too": (graph + taught_test) / 2,
            "mirror: that, and scored on both": (graph_both + svm_both) / 2,
            "mirror: mirror-invariant features": invariant.predict_proba(self.x_test_sym),
        }


class CellEnsemble:
    """An ensemble of the best cells across feature sets: the draw's graphsvm averaged with
    graphsvm on ``hog2`` and with an RBF SVM on raw pixels (each cell's probabilities)."""

    def __init__(self, images, cache, n):
        hog2 = features("hog2", images, cache, n)
        scaler = GlobalScaler().fit(hog2[:n])
        self.hog2, self.hog2_test = scaler.transform(hog2[:n]), scaler.transform(hog2[n:])
        pixels = flat_pixels(images)
        self.raw, self.raw_test = pixels[:n], pixels[n:]

    def probabilities(self, best, hidden, labelled, seed, n_classes):
        """Per ensemble, the test probabilities; ``best``: the draw's graphsvm's."""
        other = GraphSvmEnsemble(random_state=seed).fit(self.hog2, hidden)
        with platt_scaling():
            pixels = svm(seed).fit(self.raw[labelled], hidden[labelled])
        other_p, pixels_p = (
            full_columns(m.predict_proba(x), m.classes_, n_classes)
            for m, x in ((other, self.hog2_test), (pixels, self.raw_test))
        )
        return {
            "ensemble: + hog2 graphsvm": (best + other_p) / 2,
            "ensemble: + raw-pixel svm": (best + pixels_p) / 2,
            "ensemble: all three": (best + other_p + pixels_p) / 3,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", default="hog2_scattering_pca")
    parser.add_argument("--budgets", default="100,500,2000")
    parser.add_argument("--draws", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42, help="the draws (config.yaml: 42)")
    parser.add_argument("--pseudo", default="1000,3000", help="pseudo-labels per class")
    parser.add_argument("--graphlearning", action="store_true")
    parser.add_argument("--mirror", action="store_true")
    parser.add_argument("--ceiling", action="store_true")
    parser.add_argument("--ensemble", action="store_true")
    parser.add_argument(
        "--selected",
        help="a sweep's selected/<selection>.csv: its labels instead of random draws",
    )
    parser.add_argument("--cache", default="/tmp/dsplaybook-few-label-features")
    args = parser.parse_args()
    if args.mirror and not FEATURE_SETS[args.features].parts:
        parser.error("--mirror: only for a combined feature set (its parts are mirrored)")
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    x_train, y_train, x_test, y_test = fashion_mnist()
    n = len(x_train)
    images = np.concatenate([x_train, x_test])
    raw = features(args.features, images, cache, n)
    scaler = GlobalScaler().fit(raw[:n])
    x, x_test_features = scaler.transform(raw[:n]), scaler.transform(raw[n:])
    y, y_test = y_train.astype(int), y_test.astype(int)
    selected = read_selected(args.selected, n) if args.selected else None
    ensemble = CellEnsemble(images, cache, n) if args.ensemble else None
    mirrors = None
    if args.mirror:
        mirrored = with_mirrors(args.features, images, cache, n)
        mirrors = Mirrors(
            x, x_test_features, scaler.transform(mirrored[:n]), scaler.transform(mirrored[n:])
        )
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, load average {os.getloadavg()[0]:.2f} at start; "
          f"{args.features}, {args.draws} draws: "
          f"{args.selected or f'random from seed {args.seed}'}")  # fmt: skip
    print("| lever | labels | accuracy (official test set) | notes |\n|---|---|---|---|")
    pseudo = [int(p) for p in args.pseudo.split(",") if p]
    for budget in (int(b) for b in args.budgets.split(",") if b):
        seeds = [draw_seed(args.seed, budget, draw) for draw in range(args.draws)]
        found: dict[str, list] = {}
        notes: dict[str, list] = {}
        extra_found: dict[str, list] = {}
        for seed, labelled, hidden in draws(y, budget, seeds, selected):
            model = GraphSvmEnsemble(random_state=seed).fit(x, hidden)
            graph = model.graph_.predict_proba(x_test_features)
            best = full_columns(model.predict_proba(x_test_features), model.classes_, 10)
            found.setdefault("graphsvm", []).append((best.argmax(1) == y_test).mean())
            if ensemble is not None:
                for name, proba in ensemble.probabilities(best, hidden, labelled, seed, 10).items():
                    extra_found.setdefault(name, []).append((proba.argmax(1) == y_test).mean())
            w = stacked_weight(x, y, labelled, seed, 10)
            stacked = w * graph + (1 - w) * model.svm_.predict_proba(x_test_features)
            found.setdefault("stacked", []).append((stacked.argmax(1) == y_test).mean())
            notes.setdefault("stacked", []).append(f"{w:.1f}")
            for per_class in pseudo:
                started = time.perf_counter()
                fitted, picked, guesses = self_trained(
                    model, x, labelled, y[labelled], per_class, seed
                )
                mean = (graph + fitted.predict_proba(x_test_features)) / 2
                name = f"selftrain {per_class}/class"
                found.setdefault(name, []).append((mean.argmax(1) == y_test).mean())
                notes.setdefault(name, []).append(
                    f"{100 * (guesses == y[picked]).mean():.1f}%, "
                    f"{time.perf_counter() - started:.0f} s"
                )
            if mirrors is not None:
                for name, proba in mirrors.probabilities(
                    model, graph, labelled, hidden, seed
                ).items():
                    extra_found.setdefault(name, []).append((proba.argmax(1) == y_test).mean())
        row("graphsvm", budget, found.pop("graphsvm"))
        row("stacked", budget, found.pop("stacked"), "graph share " + ", ".join(notes["stacked"]))
        for name, accuracy in found.items():
            row(name, budget, accuracy, "pseudo-labels right, refit: " + "; ".join(notes[name]))
        if args.graphlearning:
            graphlearning_rows(x, y, budget, seeds)
        for name, accuracy in extra_found.items():
            row(name, budget, accuracy)
    if args.ceiling:
        ceiling_rows(x, y, x_test_features, y_test, args.seed)


if __name__ == "__main__":
    main()
