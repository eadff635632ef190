"""The label page's model in the loop: it learns while a person labels.

After new labels (every ``retrain_every``, sooner while there are few), a background
thread makes the choice the workflow makes (``pool_labelling.choose_on``: the
``labelling.candidates``, cross-validated on every label so far, one-standard-error
rule), fits the chosen cell as the pool labelling does (an SVM with Platt-scaled
probabilities) and keeps, for every image, its suggestion and confidence. The chosen
cell's out-of-fold probabilities flag labels people gave that are likely wrong
(``label_errors``); its fold models' agreement on the images nobody labelled estimates
the accuracy of the model's labels there, with an interval (``pool_accuracy``). Once
a batch (``queue.size``) of labels exists it re-ranks what is left: by the chosen
model's top-two margin (``uncertainty``, and ``auto`` once two classes exist), else with
the queue's own strategy on the queue's features. The page never waits: until a new
model is ready it works from the last one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Collection, Mapping

import numpy as np
import pandas as pd

from dsplaybook.label_budget.scores import class_probabilities
from dsplaybook.label_budget.sweep import draw_seed
from dsplaybook.labelling.label_errors import label_issues
from dsplaybook.labelling.model_choice import fold_count, held_out, threshold_for
from dsplaybook.labelling.pool_labelling import (
    LabellingSettings,
    cell_fitter,
    choose_on,
    fit_on_given,
)
from dsplaybook.labelling.queue import QueueSettings, select_images
from dsplaybook.labelling.settings import Cell

log = logging.getLogger("dsplaybook")
ESTIMATE_SAMPLE = 2000  # images nobody labelled that the fold models judge for the estimate


def pool_accuracy(fold_predictions: np.ndarray) -> tuple[float, float, float]:
    """Accuracy of the model's labels on the images nobody labelled, and an interval:
    how often two models trained on different folds of the labels agree there (the
    disagreement between two such models estimates their error: Jiang et al., 2022,
    "Assessing generalization of SGD via disagreement"). The labels people gave are the
    images the queue found hardest, so accuracy measured on them (cross-validation)
    understates the pool's: on a real digits folder 85.7% against 99.7% realised, where
    this said 99.9% (bench/label_checks.py). Fold models saw 4/5 of the labels: the
    figure leans low. ``fold_predictions``: folds × images. The interval
    spans the pairs of folds, widened by the sample's binomial error (Wilson: not empty
    when every pair agrees on every image)."""
    k, n = fold_predictions.shape
    pairs = [
        float((fold_predictions[a] == fold_predictions[b]).mean())
        for a in range(k)
        for b in range(a + 1, k)
    ]
    estimate = float(np.mean(pairs))
    return estimate, wilson(min(pairs), n)[0], wilson(max(pairs), n)[1]


def wilson(p: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion ``p`` of ``n``."""
    if n <= 0:
        return 0.0, 1.0
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))


def matched_confidence(proba: np.ndarray, target: float, rows: np.ndarray) -> np.ndarray:
    """Every row's top probability after one temperature, chosen so that their mean over
    ``rows`` (the images nobody labelled) is ``target`` (the estimated accuracy there):
    a model trained on few labels is far from calibrated (on the images a real digits
    folder's queue showed, Platt-scaled SVMs said 55% on average where 81% were right:
    ECE 0.264; scaled, 0.029), and the order of its confidences is what it gets right.
    The suggested class does not change."""
    from scipy.special import softmax

    logits = np.log(np.clip(proba, 1e-12, None))

    def top(t: float, at: np.ndarray) -> np.ndarray:
        return softmax(logits[at] / t, axis=1).max(axis=1)

    low, high = -5.0, 5.0  # log temperature: the mean top falls as it rises
    for _ in range(40):
        middle = (low + high) / 2
        low, high = (middle, high) if top(np.exp(middle), rows).mean() > target else (low, middle)
    return top(np.exp((low + high) / 2), np.arange(len(proba)))


class LiveRanking:
    """Thread-safe; ``labels()`` is called from the training thread, so it must be."""

    def __init__(
        self,
        matrices: Mapping[str, np.ndarray] | np.ndarray,
        n_classes: int,
        settings: QueueSettings,
        retrain_every: int,
        labels: Callable[[], Mapping[int, int]],
        precision: float = 0.95,
        choice: LabellingSettings | None = None,
        confirmed: Callable[[], Collection[int]] = set,
        people: Callable[[], Mapping[int, str]] = dict,
    ):
        """``matrices``: the training rows of every feature set the candidates and the
        queue use (one matrix: the queue's features); ``choice``: the candidates and the
        classifiers' settings (None: the queue's features + method alone)."""
        if isinstance(matrices, np.ndarray):
            matrices = {settings.features: matrices}
        self.matrices, self.n_classes, self.settings = dict(matrices), n_classes, settings
        self.choice = choice or LabellingSettings(
            candidates=(Cell(features=settings.features, method=settings.method),),
            classifiers={settings.method: dict(settings.hyperparameters)},
            pool_size=0,
            seed=settings.seed,
        )
        self.precision = precision
        self.estimate: dict | None = None  # accuracy on the pool, interval, share at precision
        self.retrain_every, self.labels, self.confirmed = retrain_every, labels, confirmed
        self.people = people  # image -> who gave its label (absent: the folder)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.version = 0  # models made so far
        self.trained_on = 0  # labels the current model saw
        self._trained_at = 0  # the label count (maybe_retrain) its retrain started at
        self._latest = 0  # the latest label count seen: labels given during a retrain
        self.cell: tuple[str, str] | None = None  # the chosen features + method
        self.ranking: list[int] | None = None
        self.seconds: float | None = None  # the last retrain, start to new model
        self.issues = pd.DataFrame()  # labels likely wrong (label_errors.label_issues)
        self._suggested: np.ndarray | None = None  # class per image
        self._confidence: np.ndarray | None = None

    @property
    def x(self) -> np.ndarray:
        """The queue's features (what its strategies other than uncertainty measure)."""
        return self.matrices[self.settings.features]

    @property
    def training(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def due(self, labels: int) -> bool:
        """``retrain_every`` labels given since the last model (a count of label events:
        a changed label counts), or fewer while there are few: a fifth of the labels the
        model saw (at least 2), so suggestions start after the first labels."""
        if self.retrain_every <= 0:
            return False
        step = min(self.retrain_every, max(2, self.trained_on // 5))
        return labels - self._trained_at >= step

    def maybe_retrain(self, labels: int) -> bool:
        """Start a retrain if it is due and none is running; ``labels``: the labels given
        so far, counted as events (the folder's, then every label people gave)."""
        with self._lock:
            self._latest = max(self._latest, labels)
            if not self.due(labels) or self.training:
                return False
            self._trained_at = labels
            # started before it is published: wait() joins whatever _thread holds, without
            # the lock, and joining a thread not yet started raises. The thread cannot
            # clear _thread before this assignment: its finally takes the lock we hold.
            thread = threading.Thread(target=self._retrain_logged, daemon=True)
            thread.start()
            self._thread = thread
            return True

    def wait(self, timeout: float = 120.0) -> None:
        """Until no retrain runs, the catch-up retrains included (or ``timeout`` s)."""
        deadline = time.monotonic() + timeout
        while (thread := self._thread) is not None and time.monotonic() < deadline:
            thread.join(max(0.0, deadline - time.monotonic()))
            if self._thread is thread:  # still the same: timed out
                return

    def suggestion(self, image: int, class_names: tuple[str, ...]) -> dict | None:
        if self._suggested is None or self._confidence is None:
            return None
        k = int(self._suggested[image])
        return {"label": k, "name": class_names[k], "p": round(float(self._confidence[image]), 3)}

    def least_confident(self, exclude: Collection[int], n: int) -> list[int]:
        """The ``n`` images the model is least sure of, leaving out ``exclude``."""
        if self._confidence is None:
            return []
        order = np.argsort(self._confidence, kind="stable")
        return [int(i) for i in order if int(i) not in exclude][:n]

    def flagged(self) -> dict[int, dict]:
        """image -> why its label looks wrong (given, suggested class, probability)."""
        return {int(r.image_index): r._asdict() for r in self.issues.itertuples(index=False)}

    def _retrain_logged(self) -> None:
        try:
            self._retrain()
        except Exception:  # a background thread has nobody to raise to
            log.exception("label page: retraining failed; the last model stays")
        finally:
            # labels given while this model trained started no retrain: if they are due,
            # train again now, or the model stays behind until the next label
            with self._lock:
                if self._thread is threading.current_thread():
                    self._thread = None
            self.maybe_retrain(self._latest)

    def _choose(self, labels: dict[int, int]) -> tuple[str, str]:
        """The chosen cell (too few labels to cross-validate: the first candidate)."""
        y = np.array(list(labels.values()))
        if fold_count(y):
            return choose_on(self.matrices, labels, self.choice, self.n_classes)[0]
        first = next(c for c in self.choice.candidates if c.features in self.matrices)
        return first.features, first.method

    def _held_out(self, features: str, method: str, labels: dict[int, int]):
        """The chosen cell's out-of-fold figures on the labels (sorted rows), and every
        fold model's confidence on a seeded sample of the images nobody labelled (None:
        too few labels to cross-validate)."""
        rows = np.fromiter(labels, dtype=int, count=len(labels))
        y = np.array([labels[i] for i in rows])
        folds = fold_count(y)
        if not folds:
            return None
        x = self.matrices[features]
        y_full = np.full(len(x), -1, dtype=np.int64)
        y_full[rows] = y
        fit_cell = cell_fitter(self.choice, draw_seed(self.choice.seed, len(labels), 0))
        left = np.setdiff1d(np.arange(len(x)), rows)
        rng = np.random.default_rng([self.choice.seed, len(labels)])
        sample = np.sort(rng.choice(left, min(ESTIMATE_SAMPLE, len(left)), replace=False))
        return held_out(
            lambda train: fit_cell(features, method, x, y_full, train),
            x, rows, y, folds, self.choice.seed, self.n_classes, extra=sample,
        )  # fmt: skip

    def _rank(self, model, x: np.ndarray, labels: dict[int, int]) -> list[int] | None:
        """The next batch: the first batch keeps its k-means order (uncertainty on fewer
        labels than a batch picked worse images: 74.8% vs 80.4% pool accuracy at 100
        labels, bench/label_loop.py); then the chosen model's smallest margins."""
        s = self.settings
        if len(labels) < s.size:
            return None
        strategy = "uncertainty" if s.strategy == "auto" else s.strategy
        if strategy != "uncertainty":
            return [int(i) for i in select_images(self.x, labels, s, self.n_classes)[0]]
        from dsplaybook.label_budget.selection import pick_uncertain

        left = np.setdiff1d(np.arange(len(x)), np.fromiter(labels, dtype=int))
        return [int(i) for i in pick_uncertain(model, x, left, s.size)]

    def _retrain(self) -> None:
        started = time.perf_counter()
        labels = dict(sorted(self.labels().items()))
        if len(set(labels.values())) < 2:
            return  # a model needs two classes
        rows = np.fromiter(labels, dtype=int, count=len(labels))
        y = np.array([labels[i] for i in rows])
        features, method = self._choose(labels)
        held = self._held_out(features, method, labels)
        x = self.matrices[features]
        model = fit_on_given(x, labels, method, self.choice)
        proba = np.zeros((len(x), self.n_classes))
        proba[:, np.asarray(model.classes_, dtype=int)] = class_probabilities(model, x)
        confidence = proba.max(axis=1)
        ranked = self._rank(model, x, labels)
        estimate, issues = None, pd.DataFrame()
        if held is not None:
            correct, held_conf, oof, pool_proba = held
            unlabelled = np.setdiff1d(np.arange(len(x)), rows)
            accuracy, low, high = pool_accuracy(pool_proba.argmax(axis=2))
            threshold = threshold_for(correct, held_conf, self.precision)  # raw scale
            share = 0.0 if threshold is None else (confidence[unlabelled] >= threshold).mean()
            confidence = matched_confidence(proba, accuracy, unlabelled)
            estimate = {
                "accuracy": round(accuracy, 4),
                "low": round(low, 4),
                "high": round(high, 4),
                "held_out": round(float(correct.mean()), 4),  # on the labels themselves
                "precision": self.precision,
                "pool_share": round(float(share), 4),
                "folds": fold_count(y),
                "cell": f"{features} + {method}",
            }
            confirmed = set(self.confirmed())
            filter_by, people = self.choice.label_errors, dict(self.people())
            issues = label_issues(rows, y, oof, confirmed, filter_by, people)
        with self._lock:
            self.estimate, self.issues, self.cell = estimate, issues, (features, method)
            self._suggested, self._confidence = proba.argmax(axis=1), confidence
            if ranked is not None:
                self.ranking = ranked
            self.trained_on = len(labels)
            self.version += 1
            self.seconds = time.perf_counter() - started
        log.info(
            "label page: model %d (%s + %s) trained on %d labels in %.2f s; estimated "
            "accuracy %s; %d labels flagged",
            self.version,
            features,
            method,
            len(labels),
            self.seconds,
            "n/a" if estimate is None else f"{estimate['accuracy']:.3f}",
            len(issues),
        )
