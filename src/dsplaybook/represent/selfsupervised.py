"""A small CNN trained without labels to give the same code to two augmented views of
an image (VICReg: Bardes, Ponce & LeCun, 2022).

Why this objective: an autoencoder spends its capacity on redrawing every pixel, so a
shirt shifted by two pixels gets a different code; VICReg asks for codes that do *not*
change under shifts, zooms, flips and erased patches (invariance), while every code
dimension keeps varying over the batch (variance) and dimensions stay uncorrelated
(covariance), which rules out the collapsed answer "every image has the same code".
No negatives and no momentum encoder, so it trains with the small batches a CPU affords.

The saved encoder is a plain Keras model (image in [0, 1] -> globally pooled features),
embedded like the autoencoders' encoders.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from dsplaybook.represent.autoencoders import Trained, scale_images
from dsplaybook.represent.keras_runtime import EpochLogger
from dsplaybook.represent.settings import SelfSupervisedSettings

# VICReg's published weights: invariance 25, variance 25, covariance 1
INVARIANCE_WEIGHT, VARIANCE_WEIGHT, COVARIANCE_WEIGHT = 25.0, 25.0, 1.0


def cnn_encoder(filters: tuple[int, ...]) -> keras.Model:
    """Conv-BN-ReLU blocks, stride 2 down to 7×7 (cheap on a CPU), then global average
    pooling."""
    inputs = keras.Input((28, 28, 1))
    h, side = inputs, 28
    for f in filters:
        stride = 2 if side > 7 else 1
        side //= stride
        h = layers.Conv2D(f, 3, strides=stride, padding="same", use_bias=False)(h)
        h = layers.ReLU()(layers.BatchNormalization()(h))
    return keras.Model(inputs, layers.GlobalAveragePooling2D()(h), name="sslcnn_encoder")


def _projector(width: int) -> keras.Sequential:
    return keras.Sequential(
        [
            layers.Dense(width, use_bias=False),
            layers.BatchNormalization(),
            layers.ReLU(),
            layers.Dense(width),
        ],
        name="projector",
    )


class _Augment(layers.Layer):
    """One random view: zoom, shift, horizontal flip, one erased square (cutout)."""

    def __init__(self, s: SelfSupervisedSettings, seed: int, **kwargs):
        super().__init__(**kwargs)
        self.zoom = layers.RandomZoom((-s.zoom, s.zoom), fill_mode="constant", seed=seed)
        self.shift = layers.RandomTranslation(s.shift, s.shift, fill_mode="constant", seed=seed + 1)
        self.flip = layers.RandomFlip("horizontal", seed=seed + 2) if s.flip else None
        self.erase = s.erase
        self.seed_generator = keras.random.SeedGenerator(seed + 3)

    def call(self, x):
        x = self.shift(self.zoom(x, training=True), training=True)
        if self.flip is not None:
            x = self.flip(x, training=True)
        if not self.erase:
            return x
        n = tf.shape(x)[0]
        corner = keras.random.randint((n, 2), 0, 28 - self.erase, seed=self.seed_generator)
        rows = tf.range(28)[None, :]
        inside_r = (rows >= corner[:, :1]) & (rows < corner[:, :1] + self.erase)
        inside_c = (rows >= corner[:, 1:]) & (rows < corner[:, 1:] + self.erase)
        square = tf.cast(inside_r[:, :, None] & inside_c[:, None, :], x.dtype)[..., None]
        return x * (1.0 - square)


def vicreg_loss(z_a: tf.Tensor, z_b: tf.Tensor) -> tf.Tensor:
    """Invariance (MSE between views) + variance (hinge on each dimension's sd) +
    covariance (squared off-diagonal covariances), with VICReg's weights."""
    invariance = tf.reduce_mean(tf.square(z_a - z_b))
    n = tf.cast(tf.shape(z_a)[0], z_a.dtype)
    d = tf.cast(tf.shape(z_a)[1], z_a.dtype)
    variance = covariance = 0.0
    for z in (z_a, z_b):
        z = z - tf.reduce_mean(z, axis=0)
        sd = tf.sqrt(tf.math.reduce_variance(z, axis=0) + 1e-4)
        variance += tf.reduce_mean(tf.nn.relu(1.0 - sd))
        cov = tf.matmul(z, z, transpose_a=True) / (n - 1.0)
        off_diagonal = cov - tf.linalg.diag(tf.linalg.diag_part(cov))
        covariance += tf.reduce_sum(tf.square(off_diagonal)) / d
    return (
        INVARIANCE_WEIGHT * invariance
        + VARIANCE_WEIGHT * variance / 2
        + COVARIANCE_WEIGHT * covariance / 2
    )


class _VICReg(keras.Model):
    def __init__(self, encoder: keras.Model, s: SelfSupervisedSettings, seed: int):
        super().__init__(name="vicreg")
        self.encoder, self.projector = encoder, _projector(s.projector)
        self.view_a = _Augment(s, seed, name="view_a")
        self.view_b = _Augment(s, seed + 10, name="view_b")
        self.loss_tracker = keras.metrics.Mean(name="loss")

    @property
    def metrics(self):
        return [self.loss_tracker]

    def call(self, x, training=False):
        return self.projector(self.encoder(x, training=training), training=training)

    def train_step(self, data):
        x = data[0] if isinstance(data, tuple) else data
        a, b = self.view_a(x), self.view_b(x)
        with tf.GradientTape() as tape:
            loss = vicreg_loss(self(a, training=True), self(b, training=True))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables, strict=True))
        self.loss_tracker.update_state(loss)
        return {"loss": self.loss_tracker.result()}


def train_self_supervised(
    images: np.ndarray,
    s: SelfSupervisedSettings,
    seed: int,
    callbacks: Sequence[keras.callbacks.Callback] = (),
) -> Trained:
    """Train on uint8 training images; the encoder is what is kept (no decoder).
    ``callbacks`` see the VICReg model, whose ``encoder`` is the one trained."""
    encoder = cnn_encoder(s.filters)
    model = _VICReg(encoder, s, seed)
    steps = max(1, len(images) // s.batch_size) * s.epochs
    # cosine decay: the usual schedule for these objectives, no tuning of when to drop
    schedule = keras.optimizers.schedules.CosineDecay(s.learning_rate, steps)
    model.compile(optimizer=keras.optimizers.Adam(schedule))
    x = scale_images(images)
    history = model.fit(
        x,
        epochs=s.epochs,
        batch_size=s.batch_size,
        shuffle=True,
        verbose=0,
        callbacks=[EpochLogger("sslcnn"), *callbacks],
    )
    values = {k: [float(v) for v in vals] for k, vals in history.history.items()}
    return Trained(encoder, None, values)
