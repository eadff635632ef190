"""The small CNN's settings (``dadc.model.cnn``), in a module of their own: the CNN takes
its defaults from here, and the settings tree must not import TensorFlow."""

from __future__ import annotations

from pydantic import Field, PositiveInt

from dsplaybook.config import Section


class Cnn(Section):
    """The small CNN on pixels (model kind cnn), retrained from scratch every round."""

    filters: tuple[PositiveInt, ...] = Field((16, 32), min_length=1, description="Conv widths.")
    dense: int = Field(64, ge=1, description="Width of the dense layer.")
    epochs: int = Field(30, ge=1, description="Passes over the labelled images per round.")
    batch_size: int = Field(32, ge=1)
    learning_rate: float = Field(0.001, gt=0, description="Adam's learning rate.")
