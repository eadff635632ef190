"""A small CNN as a scikit-learn classifier (``clone``, ``get_params`` and ``set_params``
work), so the DADC loop treats it like any other estimator.

Trained from scratch on every ``fit`` on flat [0, 1] pixels (N×784), seeded by
``random_state``.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers
from sklearn.base import BaseEstimator, ClassifierMixin

from dsplaybook.dadc.cnn_settings import Cnn

_DEFAULTS = Cnn()  # dadc.model.cnn


class SmallCnn(ClassifierMixin, BaseEstimator):
    def __init__(
        self,
        n_classes: int | None = None,
        filters: tuple[int, ...] = _DEFAULTS.filters,
        dense: int = _DEFAULTS.dense,
        epochs: int = _DEFAULTS.epochs,
        batch_size: int = _DEFAULTS.batch_size,
        learning_rate: float = _DEFAULTS.learning_rate,
        random_state: int = 0,
    ):
        # scikit-learn convention: store the arguments unchanged, work in fit()
        self.n_classes = n_classes
        self.filters = filters
        self.dense = dense
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.random_state = random_state

    def _build(self, n_classes: int) -> keras.Model:
        inputs = keras.Input((28, 28, 1))
        h = inputs
        for f in self.filters:
            h = layers.Conv2D(f, 3, padding="same", activation="relu")(h)
            h = layers.MaxPooling2D()(h)
        h = layers.Dense(self.dense, activation="relu")(layers.Flatten()(h))
        model = keras.Model(inputs, layers.Dense(n_classes, activation="softmax")(h))
        model.compile(
            optimizer=keras.optimizers.Adam(self.learning_rate),
            loss="sparse_categorical_crossentropy",
        )
        return model

    @staticmethod
    def _images(x: np.ndarray) -> np.ndarray:
        return np.asarray(x, dtype="float32").reshape(-1, 28, 28, 1)

    def fit(self, x: np.ndarray, y: np.ndarray) -> SmallCnn:
        # every class of the dataset gets an output, even one missing from a small labelled set
        n_classes = self.n_classes or int(np.max(y)) + 1
        self.classes_ = np.arange(n_classes)
        keras.utils.set_random_seed(self.random_state)
        self.model_ = self._build(n_classes)
        self.model_.fit(
            self._images(x), y, epochs=self.epochs, batch_size=self.batch_size, verbose=0
        )
        return self

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        return self.model_.predict(self._images(x), batch_size=1024, verbose=0)

    def predict(self, x: np.ndarray) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(x), axis=1)]
