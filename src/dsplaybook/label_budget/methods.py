"""The classifier registry: every method the sweep, the pool labelling, the hard test set
and the DADC loop can use, with its estimator builder and its hyperparameter block.

The workflow's wildcard constraints and the settings tree's vocabularies and
``classifiers:`` blocks are built from this table, so a method is added here once (and
its hyperparameters, defaults included, once in ``label_budget.hyperparameters``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dsplaybook.config import Section
from dsplaybook.label_budget import hyperparameters as hp

if TYPE_CHECKING:
    from sklearn.base import BaseEstimator

# scikit-learn is imported inside the builders: the workflow reads this registry every
# time it starts, and importing scikit-learn there would cost most of a second.
Builder = Callable[[Mapping[str, Any], int, int], "BaseEstimator"]


@dataclass(frozen=True)
class Method:
    build: Builder  # (hyperparameters, seed, threads) -> unfitted estimator
    params: type[Section]  # its classifiers.<name> block (the defaults live there)
    semi_supervised: bool = False  # also fitted on unlabelled images (label -1)
    whole_pool: bool = False  # sees every unlabelled training image, not a pool_size sample


def _logreg(h, seed, threads):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from dsplaybook.label_budget.scaling import GlobalScaler

    return make_pipeline(GlobalScaler(), LogisticRegression(C=h["C"], max_iter=h["max_iter"]))


def _svm(h, seed, threads, probability=False):
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import SVC

    from dsplaybook.label_budget.scaling import GlobalScaler

    # scikit-learn 1.9 warns whenever `probability` is passed, so only pass it when on
    extra = {"probability": True} if probability else {}
    svc = SVC(kernel="rbf", C=h["C"], gamma=h["gamma"], random_state=seed, **extra)
    return make_pipeline(GlobalScaler(), svc)


def _rf(h, seed, threads):
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(n_estimators=h["n_estimators"], random_state=seed, n_jobs=threads)


def _gb(h, seed, threads):
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        max_iter=h["max_iter"],
        learning_rate=h["learning_rate"],
        early_stopping=False,
        random_state=seed,
    )


def _labelspread(h, seed, threads):
    from sklearn.pipeline import make_pipeline
    from sklearn.semi_supervised import LabelSpreading

    from dsplaybook.label_budget.scaling import GlobalScaler

    spreading = LabelSpreading(
        kernel="knn", n_neighbors=h["n_neighbors"], alpha=h["alpha"], max_iter=h["max_iter"]
    )
    return make_pipeline(GlobalScaler(), spreading)


def _selftrain(h, seed, threads):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.semi_supervised import SelfTrainingClassifier

    from dsplaybook.label_budget.scaling import GlobalScaler

    base = LogisticRegression(C=h["C"], max_iter=h["max_iter"])
    self_training = SelfTrainingClassifier(base, threshold=h["threshold"], max_iter=h["rounds"])
    return make_pipeline(GlobalScaler(), self_training)


GRAPH_KEYS = tuple(hp.GraphspreadParams.model_fields)


def _graphspread(h, seed, threads):
    from sklearn.pipeline import make_pipeline

    from dsplaybook.label_budget.graph import GraphSpreading
    from dsplaybook.label_budget.scaling import GlobalScaler

    graph = GraphSpreading(**{k: h[k] for k in GRAPH_KEYS}, n_jobs=threads)
    return make_pipeline(GlobalScaler(), graph)


def _poisson(h, seed, threads):
    from sklearn.pipeline import make_pipeline

    from dsplaybook.label_budget.poisson import PoissonLearning
    from dsplaybook.label_budget.scaling import GlobalScaler

    return make_pipeline(GlobalScaler(), PoissonLearning(**h, n_jobs=threads))


def _graphsvm(h, seed, threads):
    from sklearn.pipeline import make_pipeline

    from dsplaybook.label_budget.graph import GraphSvmEnsemble
    from dsplaybook.label_budget.scaling import GlobalScaler

    ensemble = GraphSvmEnsemble(
        **{k: h[k] for k in GRAPH_KEYS},
        C=h["C"],
        gamma=h["gamma"],
        random_state=seed,
        n_jobs=threads,
    )
    return make_pipeline(GlobalScaler(), ensemble)


METHODS: dict[str, Method] = {
    "logreg": Method(_logreg, hp.LogregParams),
    "svm": Method(_svm, hp.SvmParams),
    "rf": Method(_rf, hp.RfParams),
    "gb": Method(_gb, hp.GbParams),
    "labelspread": Method(_labelspread, hp.LabelspreadParams, semi_supervised=True),
    "selftrain": Method(_selftrain, hp.SelftrainParams, semi_supervised=True),
    "graphspread": Method(
        _graphspread, hp.GraphspreadParams, semi_supervised=True, whole_pool=True
    ),
    "graphsvm": Method(_graphsvm, hp.GraphsvmParams, semi_supervised=True, whole_pool=True),
    "poisson": Method(_poisson, hp.PoissonParams, semi_supervised=True, whole_pool=True),
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
    """A fresh estimator for ``method``; ``hyperparameters`` (its ``classifiers.<method>``
    block, whole or in part) override the block's defaults.

    ``probability`` asks an SVM for libsvm's Platt-scaled probabilities (pool labelling).
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
    entry = METHODS[method]
    h = entry.params.from_config(hyperparameters or {}).model_dump()
    if method == "svm":
        return _svm(h, seed, threads, probability=probability)
    return entry.build(h, seed, threads)
