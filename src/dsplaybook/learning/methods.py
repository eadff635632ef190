"""The classifier registry: every method the sweep, the pool labelling, the hard test set
and the DADC loop can use, with its estimator builder and default hyperparameters.

The workflow's wildcard constraints, the schema enums and ``classifiers:`` in config are
checked against this table (tests/test_registries.py), so a method is added here once.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sklearn.base import BaseEstimator

# scikit-learn is imported inside the builders: the workflow reads this registry every
# time it starts, and importing scikit-learn there would cost most of a second.
Builder = Callable[[Mapping[str, Any], int, int], "BaseEstimator"]


@dataclass(frozen=True)
class Method:
    build: Builder  # (hyperparameters, seed, threads) -> unfitted estimator
    defaults: Mapping[str, Any]  # equal to the schema's classifiers.<name> defaults (tested)
    semi_supervised: bool = False  # also fitted on unlabelled images (label -1)
    whole_pool: bool = False  # sees every unlabelled training image, not a pool_size sample


def _logreg(h, seed, threads):  # noqa: ANN001
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from dsplaybook.learning.scaling import GlobalScaler

    return make_pipeline(GlobalScaler(), LogisticRegression(C=h["C"], max_iter=h["max_iter"]))


def _svm(h, seed, threads, probability=False):  # noqa: ANN001
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import SVC

    from dsplaybook.learning.scaling import GlobalScaler

    # scikit-learn 1.9 warns whenever `probability` is passed, so only pass it when on
    extra = {"probability": True} if probability else {}
    svc = SVC(kernel="rbf", C=h["C"], gamma=h["gamma"], random_state=seed, **extra)
    return make_pipeline(GlobalScaler(), svc)


def _rf(h, seed, threads):  # noqa: ANN001
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(n_estimators=h["n_estimators"], random_state=seed, n_jobs=threads)


def _gb(h, seed, threads):  # noqa: ANN001
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        max_iter=h["max_iter"],
        learning_rate=h["learning_rate"],
        early_stopping=False,
        random_state=seed,
    )


def _labelspread(h, seed, threads):  # noqa: ANN001
    from sklearn.pipeline import make_pipeline
    from sklearn.semi_supervised import LabelSpreading

    from dsplaybook.learning.scaling import GlobalScaler

    spreading = LabelSpreading(
        kernel="knn", n_neighbors=h["n_neighbors"], alpha=h["alpha"], max_iter=h["max_iter"]
    )
    return make_pipeline(GlobalScaler(), spreading)


def _selftrain(h, seed, threads):  # noqa: ANN001
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.semi_supervised import SelfTrainingClassifier

    from dsplaybook.learning.scaling import GlobalScaler

    base = LogisticRegression(C=h["C"], max_iter=h["max_iter"])
    self_training = SelfTrainingClassifier(base, threshold=h["threshold"], max_iter=h["rounds"])
    return make_pipeline(GlobalScaler(), self_training)


@contextmanager
def platt_scaling() -> Iterator[None]:
    """Allow SVC(probability=True), libsvm's pairwise-coupled Platt scaling.

    scikit-learn 1.9 deprecates it (removal in 1.11) in favour of CalibratedClassifierCV,
    which calibrates one-vs-rest: on 300 real digits its confidences reached 0.9 for 0.1%
    (sigmoid) or 0.4% (temperature) of test images against 18.5% here, all at ≥ 99.9%
    accuracy. So the warning is silenced for these fits until a pairwise replacement
    exists (scikit-learn is pinned).
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="The `probability` parameter", category=FutureWarning
        )
        yield


GRAPH_KEYS = ("n_neighbors", "alpha", "max_iter", "n_components")


def _graphspread(h, seed, threads):  # noqa: ANN001
    from sklearn.pipeline import make_pipeline

    from dsplaybook.learning.graph import GraphSpreading
    from dsplaybook.learning.scaling import GlobalScaler

    graph = GraphSpreading(**{k: h[k] for k in GRAPH_KEYS}, n_jobs=threads)
    return make_pipeline(GlobalScaler(), graph)


def _graphsvm(h, seed, threads):  # noqa: ANN001
    from sklearn.pipeline import make_pipeline

    from dsplaybook.learning.graph import GraphSvmEnsemble
    from dsplaybook.learning.scaling import GlobalScaler

    ensemble = GraphSvmEnsemble(
        **{k: h[k] for k in GRAPH_KEYS},
        C=h["C"],
        gamma=h["gamma"],
        random_state=seed,
        n_jobs=threads,
    )
    return make_pipeline(GlobalScaler(), ensemble)


METHODS: dict[str, Method] = {
    "logreg": Method(_logreg, {"C": 0.1, "max_iter": 3000}),
    "svm": Method(_svm, {"C": 10.0, "gamma": "scale"}),
    "rf": Method(_rf, {"n_estimators": 300}),
    "gb": Method(_gb, {"max_iter": 100, "learning_rate": 0.1}),
    "labelspread": Method(
        _labelspread, {"n_neighbors": 10, "alpha": 0.2, "max_iter": 200}, semi_supervised=True
    ),
    "selftrain": Method(
        _selftrain,
        {"C": 0.1, "max_iter": 3000, "threshold": 0.9, "rounds": 10},
        semi_supervised=True,
    ),
    "graphspread": Method(
        _graphspread,
        {"n_neighbors": 10, "alpha": 0.9, "max_iter": 50, "n_components": 50},
        semi_supervised=True,
        whole_pool=True,
    ),
    "graphsvm": Method(
        _graphsvm,
        {
            "n_neighbors": 10,
            "alpha": 0.9,
            "max_iter": 50,
            "n_components": 50,
            "C": 10.0,
            "gamma": "scale",
        },
        semi_supervised=True,
        whole_pool=True,
    ),
}
SUPERVISED = tuple(name for name, m in METHODS.items() if not m.semi_supervised)
SEMI_SUPERVISED = tuple(name for name, m in METHODS.items() if m.semi_supervised)


def make_classifier(
    method: str,
    seed: int,
    threads: int = 1,
    hyperparameters: Mapping[str, Any] | None = None,
    probability: bool = False,
) -> BaseEstimator:
    """A fresh estimator for ``method``; ``hyperparameters`` override the defaults.

    ``probability`` asks an SVM for libsvm's Platt-scaled probabilities (pool labelling).
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
    entry = METHODS[method]
    h = {**entry.defaults, **(hyperparameters or {})}
    if method == "svm":
        return _svm(h, seed, threads, probability=probability)
    return entry.build(h, seed, threads)
