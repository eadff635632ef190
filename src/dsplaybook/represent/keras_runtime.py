"""TensorFlow/Keras set-up for rule scripts: quiet logs, seeds, threads, device report.

Imported before any model is built. Determinism: seeds from config, TF op determinism
on, a fixed thread count; the same config on the same machine gives the same weights.
"""

from __future__ import annotations

import logging
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # keep TF's C++ chatter out of the logs

import keras
import tensorflow as tf

log = logging.getLogger("dsplaybook")


def configure(seed: int, threads: int) -> str:
    """Seed every generator, pin thread counts, and return the device used ("GPU"/"CPU")."""
    try:
        tf.config.threading.set_intra_op_parallelism_threads(max(1, threads))
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except RuntimeError:  # already initialised in this process (tests): keep the first setting
        pass
    tf.config.experimental.enable_op_determinism()
    keras.utils.set_random_seed(seed)
    device = "GPU" if tf.config.list_physical_devices("GPU") else "CPU"
    log.info("TensorFlow %s on %s, %d thread(s), seed %d", tf.__version__, device, threads, seed)
    return device


class EpochLogger(keras.callbacks.Callback):
    """One log line per epoch, so progress shows in the rule's log file."""

    def __init__(self, name: str):
        super().__init__()
        self.name = name

    def on_epoch_end(self, epoch, logs=None):
        metrics = ", ".join(f"{k} {v:.4f}" for k, v in sorted((logs or {}).items()))
        log.info("%s epoch %d: %s", self.name, epoch + 1, metrics)
