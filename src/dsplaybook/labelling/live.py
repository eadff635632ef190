"""The label page's model in the loop: it learns while a person labels.

Every ``retrain_every`` new labels, a background thread retrains the queue's model
(``labelling.queue``: its features and method) on every label so far (a folder's class
sub-folders and the people's), keeps the model's suggestion for every image and, once
there are at least a batch (``queue.size``) of labels, re-ranks the images nobody
labelled with the queue's own strategy (``queue.select_images``: the same registry as
``queue.csv``). The page never waits for it: until a new ranking is
ready it works from the last one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping

import numpy as np

from dsplaybook.label_budget.methods import make_classifier
from dsplaybook.label_budget.scores import class_probabilities
from dsplaybook.labelling.queue import QueueSettings, select_images

log = logging.getLogger("dsplaybook")


class LiveRanking:
    """Thread-safe; ``labels()`` is called from the training thread, so it must be."""

    def __init__(
        self,
        x: np.ndarray,
        n_classes: int,
        settings: QueueSettings,
        retrain_every: int,
        labels: Callable[[], Mapping[int, int]],
        precision: float = 0.95,
    ):
        self.x, self.n_classes, self.settings = x, n_classes, settings
        self.precision = precision
        self.estimate: dict | None = None  # cross-validated accuracy, pool share at precision
        self.retrain_every, self.labels = retrain_every, labels
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.version = 0  # rankings made so far
        self.trained_on = 0  # labels the current model saw
        self.ranking: list[int] | None = None
        self.seconds: float | None = None  # the last retrain, start to new ranking
        self._suggested: np.ndarray | None = None  # class per image
        self._confidence: np.ndarray | None = None

    @property
    def training(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def maybe_retrain(self, labelled: int) -> bool:
        """Start a retrain if ``retrain_every`` labels came since the last one."""
        with self._lock:
            due = labelled - self.trained_on >= self.retrain_every
            if self.retrain_every <= 0 or not due or self.training:
                return False
            self._thread = threading.Thread(target=self._retrain_logged, daemon=True)
            self._thread.start()
            return True

    def wait(self, timeout: float = 60.0) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def suggestion(self, image: int, class_names: tuple[str, ...]) -> dict | None:
        if self._suggested is None or self._confidence is None:
            return None
        k = int(self._suggested[image])
        return {"label": k, "name": class_names[k], "p": round(float(self._confidence[image]), 3)}

    def _estimate(self, rows: np.ndarray, y: np.ndarray, confidence: np.ndarray) -> dict | None:
        """Cross-validated accuracy on the labels so far, and the share of the unlabelled
        images whose confidence clears the threshold that reached ``precision`` there."""
        from dsplaybook.labelling.model_choice import fold_count, held_out, threshold_for

        folds = fold_count(y)
        if not folds:
            return None
        s = self.settings

        def fit(train):
            return make_classifier(s.method, s.seed, 1, s.hyperparameters).fit(
                self.x[train], y[np.searchsorted(rows, train)]
            )

        order = np.argsort(rows)
        rows, y = rows[order], y[order]
        correct, conf = held_out(fit, self.x, rows, y, folds, s.seed)
        threshold = threshold_for(correct, conf, self.precision)
        unlabelled = np.setdiff1d(np.arange(len(self.x)), rows)
        share = 0.0 if threshold is None else float((confidence[unlabelled] >= threshold).mean())
        return {
            "accuracy": round(float(correct.mean()), 4),
            "precision": self.precision,
            "pool_share": round(share, 4),
            "folds": folds,
        }

    def least_confident(self, exclude: set[int], n: int) -> list[int]:
        """The ``n`` images the model is least sure of, leaving out ``exclude``."""
        if self._confidence is None:
            return []
        order = np.argsort(self._confidence, kind="stable")
        return [int(i) for i in order if int(i) not in exclude][:n]

    def _retrain_logged(self) -> None:
        try:
            self._retrain()
        except Exception:  # a background thread has nobody to raise to
            log.exception("label page: retraining failed; the last ranking stays")

    def _retrain(self) -> None:
        started = time.perf_counter()
        labels = dict(self.labels())
        if len(set(labels.values())) < 2:
            return  # a model needs two classes
        rows = np.fromiter(labels, dtype=int, count=len(labels))
        y = np.array([labels[i] for i in rows])
        s = self.settings
        model = make_classifier(s.method, s.seed, 1, s.hyperparameters).fit(self.x[rows], y)
        proba = np.zeros((len(self.x), self.n_classes))
        proba[:, np.asarray(model.classes_, dtype=int)] = class_probabilities(model, self.x)
        # the first batch keeps its k-means order: uncertainty on fewer labels than a batch
        # picked worse images (74.8% vs 80.4% pool accuracy at 100 labels, bench/label_loop.py)
        ranked = select_images(self.x, labels, s)[0] if len(labels) >= s.size else None
        estimate = self._estimate(rows, y, proba.max(axis=1))
        with self._lock:
            self.estimate = estimate
            self._suggested, self._confidence = proba.argmax(axis=1), proba.max(axis=1)
            if ranked is not None:
                self.ranking = [int(i) for i in ranked]
            self.trained_on = len(labels)
            self.version += 1
            self.seconds = time.perf_counter() - started
        log.info(
            "label page: retrained on %d labels, new ranking %d in %.2f s",
            len(labels),
            self.version,
            self.seconds,
        )
