"""A small CNN with the scikit-learn calls the DADC loop uses (fit/predict/predict_proba).

Trained from scratch every round on flat [0, 1] pixels (N×784), seeded per round.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers


class SmallCnn:
    def __init__(
        self,
        n_classes: int,
        seed: int,
        filters: list[int] = (16, 32),
        dense: int = 64,
        epochs: int = 30,
        batch_size: int = 32,
        learning_rate: float = 0.001,
    ):
        self.n_classes, self.seed = n_classes, seed
        self.filters, self.dense = list(filters), dense
        self.epochs, self.batch_size, self.learning_rate = epochs, batch_size, learning_rate
        self.classes_ = np.arange(n_classes)

    def _build(self) -> keras.Model:
        inputs = keras.Input((28, 28, 1))
        h = inputs
        for f in self.filters:
            h = layers.Conv2D(f, 3, padding="same", activation="relu")(h)
            h = layers.MaxPooling2D()(h)
        h = layers.Dense(self.dense, activation="relu")(layers.Flatten()(h))
        model = keras.Model(inputs, layers.Dense(self.n_classes, activation="softmax")(h))
        model.compile(
            optimizer=keras.optimizers.Adam(self.learning_rate),
            loss="sparse_categorical_crossentropy",
        )
        return model

    @staticmethod
    def _images(x: np.ndarray) -> np.ndarray:
        return np.asarray(x, dtype="float32").reshape(-1, 28, 28, 1)

    def fit(self, x: np.ndarray, y: np.ndarray) -> SmallCnn:
        keras.utils.set_random_seed(self.seed)
        self.model_ = self._build()
        self.model_.fit(
            self._images(x), y, epochs=self.epochs, batch_size=self.batch_size, verbose=0
        )
        return self

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        return self.model_.predict(self._images(x), batch_size=1024, verbose=0)

    def predict(self, x: np.ndarray) -> np.ndarray:
        return np.argmax(self.predict_proba(x), axis=1)
