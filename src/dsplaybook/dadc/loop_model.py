"""The model kept in the DADC loop, as one unfitted scikit-learn estimator: a classifier
of the registry on a feature set, or a small CNN on the pixels (imported only when
asked for, so TensorFlow loads only then). Each round fits a ``clone`` with its seed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from dsplaybook.label_budget.methods import SUPERVISED, make_classifier

if TYPE_CHECKING:
    from sklearn.base import BaseEstimator

LOOP_METHODS = SUPERVISED  # the loop labels only what it adds: no unlabelled pool


def loop_model(
    model: Mapping[str, Any],
    n_classes: int,
    threads: int,
    hyperparameters: Mapping[str, Any] | None = None,
) -> BaseEstimator:
    """The estimator described by the ``dadc.model`` config block."""
    if model["kind"] == "cnn":
        from dsplaybook.dadc.cnn import SmallCnn

        cnn: dict[str, Any] = {
            k: tuple(v) if isinstance(v, list) else v for k, v in model["cnn"].items()
        }
        return SmallCnn(n_classes=n_classes, **cnn)
    if model["method"] not in LOOP_METHODS:
        raise ValueError(f"dadc.model.method: use one of {', '.join(LOOP_METHODS)}")
    return make_classifier(model["method"], 0, threads, hyperparameters)


def seeded_clone(estimator: BaseEstimator, seed: int) -> BaseEstimator:
    """An unfitted copy with every ``random_state`` (pipeline steps included) set to ``seed``."""
    from sklearn.base import clone

    copy = clone(estimator)
    seeds = {k: seed for k in copy.get_params(deep=True) if k.split("__")[-1] == "random_state"}
    return copy.set_params(**seeds)
