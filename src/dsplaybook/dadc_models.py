"""The model kept in the DADC loop: a scikit-learn classifier on a feature set, or a
small CNN on the pixels (imported only when asked for, so TensorFlow loads only then)."""

from __future__ import annotations

from collections.abc import Callable

from dsplaybook.label_budget import make_classifier

LOOP_METHODS = ("logreg", "svm", "rf", "gb")


def loop_model_factory(model: dict, n_classes: int, threads: int) -> Callable[[int], object]:
    """``make_model(seed)`` for dadc.simulate, from the ``dadc.model`` config block."""
    if model["kind"] == "cnn":
        from dsplaybook.dadc_cnn import SmallCnn

        return lambda seed: SmallCnn(n_classes=n_classes, seed=seed, **model["cnn"])
    if model["method"] not in LOOP_METHODS:
        raise ValueError(f"dadc.model.method: use one of {', '.join(LOOP_METHODS)}")
    return lambda seed: make_classifier(model["method"], seed, threads)
