"""Representations learned without labels: a dense autoencoder, a convolutional VAE
and a 2-D VAE for a latent-space map (Keras 3).

Inputs are images scaled to [0, 1]. Encoders and decoders are saved as separate
Keras models so embedding and reconstruction need no custom training code.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np
from keras import layers, ops

from dsplaybook.atomic import write_text
from dsplaybook.represent.keras_runtime import EpochLogger
from dsplaybook.represent.settings import NetworkSettings


def scale_images(images: np.ndarray) -> np.ndarray:
    """uint8 N×28×28 -> float32 N×28×28×1 in [0, 1]."""
    return (images.astype("float32") / 255.0)[..., None]


@dataclass
class Trained:
    encoder: keras.Model  # image -> latent (for a VAE: the mean)
    decoder: keras.Model | None  # latent -> image (None: an encoder-only network, sslcnn)
    history: dict


def _dense_encoder(hidden: list[int], latent: int, name: str, vae: bool) -> keras.Model:
    inputs = keras.Input((28, 28, 1))
    h = layers.Flatten()(inputs)
    for units in hidden:
        h = layers.Dense(units, activation="relu")(h)
    if not vae:
        return keras.Model(inputs, layers.Dense(latent, name="code")(h), name=name)
    mean = layers.Dense(latent, name="z_mean")(h)
    log_var = layers.Dense(latent, name="z_log_var")(h)
    return keras.Model(inputs, [mean, log_var], name=name)


def _dense_decoder(hidden: list[int], latent: int, name: str) -> keras.Model:
    inputs = keras.Input((latent,))
    h = inputs
    for units in reversed(hidden):
        h = layers.Dense(units, activation="relu")(h)
    out = layers.Reshape((28, 28, 1))(layers.Dense(784, activation="sigmoid")(h))
    return keras.Model(inputs, out, name=name)


def _conv_encoder(filters: list[int], latent: int) -> keras.Model:
    inputs = keras.Input((28, 28, 1))
    h = inputs
    for f in filters:  # 28 -> 14 -> 7
        h = layers.Conv2D(f, 3, strides=2, padding="same", activation="relu")(h)
    h = layers.Dense(256, activation="relu")(layers.Flatten()(h))
    mean = layers.Dense(latent, name="z_mean")(h)
    log_var = layers.Dense(latent, name="z_log_var")(h)
    return keras.Model(inputs, [mean, log_var], name="cvae_encoder")


def _conv_decoder(filters: list[int], latent: int) -> keras.Model:
    inputs = keras.Input((latent,))
    side = 28 // 2 ** len(filters)
    h = layers.Dense(side * side * filters[-1], activation="relu")(inputs)
    h = layers.Reshape((side, side, filters[-1]))(h)
    for f in reversed(filters):
        h = layers.Conv2DTranspose(f, 3, strides=2, padding="same", activation="relu")(h)
    out = layers.Conv2D(1, 3, padding="same", activation="sigmoid")(h)
    return keras.Model(inputs, out, name="cvae_decoder")


class _VAE(keras.Model):
    """Encoder + reparameterised sample + decoder; loss = summed BCE + beta·KL."""

    def __init__(self, encoder: keras.Model, decoder: keras.Model, beta: float, seed: int):
        super().__init__(name="vae")
        self.encoder, self.decoder, self.beta = encoder, decoder, beta
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, x, training=False):
        mean, log_var = self.encoder(x, training=training)
        eps = keras.random.normal(ops.shape(mean), seed=self.seed_generator)
        z = mean + ops.exp(0.5 * log_var) * eps
        recon = self.decoder(z, training=training)
        kl = -0.5 * ops.mean(ops.sum(1 + log_var - ops.square(mean) - ops.exp(log_var), axis=1))
        self.add_loss(self.beta * kl)
        return recon


def _summed_bce(y_true, y_pred):
    # per-image sum over pixels, so the reconstruction term is on the KL's scale
    return 784.0 * keras.losses.binary_crossentropy(
        ops.reshape(y_true, (-1, 784)), ops.reshape(y_pred, (-1, 784))
    )


def _fit(
    model: keras.Model,
    x: np.ndarray,
    epochs: int,
    batch_size: int,
    lr: float,
    name: str,
    loss,
    seed: int,
) -> dict:
    model.compile(optimizer=keras.optimizers.Adam(lr), loss=loss)
    history = model.fit(
        x,
        x,
        epochs=epochs,
        batch_size=batch_size,
        shuffle=True,
        verbose=0,
        callbacks=[EpochLogger(name)],
    )
    del seed
    return {k: [float(v) for v in vals] for k, vals in history.history.items()}


def train_dense_autoencoder(
    x: np.ndarray,
    hidden: list[int],
    latent: int,
    epochs: int,
    batch_size: int,
    lr: float,
    seed: int,
) -> Trained:
    encoder = _dense_encoder(hidden, latent, "ae_encoder", vae=False)
    decoder = _dense_decoder(hidden, latent, "ae_decoder")
    inputs = keras.Input((28, 28, 1))
    model = keras.Model(inputs, decoder(encoder(inputs)))
    history = _fit(model, x, epochs, batch_size, lr, "autoencoder", "binary_crossentropy", seed)
    return Trained(encoder, decoder, history)


def train_vae(
    x: np.ndarray,
    kind: str,
    latent: int,
    epochs: int,
    batch_size: int,
    lr: float,
    seed: int,
    filters: list[int] | None = None,
    hidden: list[int] | None = None,
    beta: float = 1.0,
) -> Trained:
    """kind 'conv' (filters) or 'dense' (hidden). The saved encoder outputs the mean only."""
    if kind == "conv":
        encoder, decoder = (
            _conv_encoder(filters or [32, 64], latent),
            _conv_decoder(filters or [32, 64], latent),
        )
    else:
        encoder = _dense_encoder(hidden or [512, 256], latent, "vae_encoder", vae=True)
        decoder = _dense_decoder(hidden or [512, 256], latent, "vae_decoder")
    vae = _VAE(encoder, decoder, beta, seed)
    history = _fit(vae, x, epochs, batch_size, lr, f"{kind} vae", _summed_bce, seed)
    mean_only = keras.Model(encoder.inputs, encoder.outputs[0], name=encoder.name)
    return Trained(mean_only, decoder, history)


def embed(encoder: keras.Model, images: np.ndarray, batch_size: int = 1024) -> np.ndarray:
    return np.asarray(
        encoder.predict(scale_images(images), batch_size=batch_size, verbose=0), dtype=np.float32
    )


def reconstruct(encoder: keras.Model, decoder: keras.Model, images: np.ndarray) -> np.ndarray:
    codes = encoder.predict(scale_images(images), verbose=0)
    return np.asarray(decoder.predict(codes, verbose=0))[..., 0]


def save_model(model: keras.Model, dest: str | Path) -> None:
    """Save atomically: Keras needs the .keras suffix, so write into a temporary folder
    beside ``dest`` and rename."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(
        dir=dest.parent, prefix=f".{dest.name}.", suffix=".part"
    ) as tmp:
        path = Path(tmp) / dest.name
        model.save(path)
        os.replace(path, dest)


def load_model(path: str | Path) -> keras.Model:
    return keras.models.load_model(path, compile=False)


def train_representation(images: np.ndarray, m: NetworkSettings, seed: int) -> Trained:
    """Train the network ``m`` describes on uint8 images (training images only)."""
    x = scale_images(images)
    if m.kind == "autoencoder":
        return train_dense_autoencoder(
            x, list(m.hidden), m.latent, m.epochs, m.batch_size, m.learning_rate, seed
        )
    return train_vae(
        x,
        kind=m.kind,
        latent=m.latent,
        epochs=m.epochs,
        batch_size=m.batch_size,
        lr=m.learning_rate,
        seed=seed,
        filters=list(m.filters) or None,
        hidden=list(m.hidden) or None,
        beta=m.beta,
    )


def save_trained(
    trained: Trained, encoder: str | Path, decoder: str | Path | None, history: str | Path
):
    """Encoder, decoder (if the network has one) and the training history (JSON), each
    written atomically."""
    if (trained.decoder is None) != (decoder is None):
        raise ValueError("save_trained: pass a decoder path exactly when the network has one")
    save_model(trained.encoder, encoder)
    if trained.decoder is not None and decoder is not None:
        save_model(trained.decoder, decoder)
    write_text(history, json.dumps(trained.history, indent=1))
