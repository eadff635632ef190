"""The label_budget branch's settings: the sweep, the methods' hyperparameters and the
labelling of the pool (vocabularies from the registries)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, create_model

from dsplaybook.config import Section, UniqueItems, block, first_sentence
from dsplaybook.label_budget.methods import METHODS
from dsplaybook.label_budget.pool_labelling import PoolLabelling
from dsplaybook.label_budget.queue import Queue
from dsplaybook.label_budget.sweep import SweepDraws
from dsplaybook.represent.features import FEATURE_SETS

FeatureName = Literal[tuple(FEATURE_SETS)]
MethodName = Literal[tuple(METHODS)]
SKIP_PATTERN = r"^([A-Za-z0-9_.-]+/)?([a-z0-9]+|[*]):([a-z0-9]+|[*])$"
DEFAULT_SKIP = (
    *("raw:selftrain", "raw:labelspread", "raw:graphspread", "raw:graphsvm"),
    *("pca:graphspread", "pca:graphsvm", "autoencoder:graphspread", "autoencoder:graphsvm"),
    *("cvae:graphspread", "cvae:graphsvm", "hog2:rf", "hog2:labelspread", "hog2:selftrain"),
    # the synthetic stand-in is solved (97% at 100 labels: label spreading on autoencoder
    # features) without hog2; random forest and self-training are never its best cell
    *("quickdraw_synthetic/hog2:*", "quickdraw_synthetic/*:rf"),
    "quickdraw_synthetic/*:selftrain",
)


class LabelBudget(SweepDraws):
    """The label-budget sweep: one job per (dataset, features, method) cell."""

    features: Annotated[tuple[FeatureName, ...], UniqueItems()] = Field(
        ("raw", "pca", "autoencoder", "hog2"),
        min_length=1,
        description="Feature sets swept (cvae, hog and sslcnn are left out for time).",
    )
    methods: Annotated[tuple[MethodName, ...], UniqueItems()] = Field(
        ("logreg", "svm", "rf", "labelspread", "selftrain", "graphspread", "graphsvm"),
        min_length=1,
        description="Methods swept (gb is left out: never the best cell).",
    )
    skip: tuple[Annotated[str, Field(pattern=SKIP_PATTERN)], ...] = Field(
        DEFAULT_SKIP,
        description="features:method cells left out (slow, and no better there); "
        "dataset/features:method for one dataset only; * for any features or method.",
    )
    accuracy_goal: float = Field(
        0.8,
        gt=0,
        le=1,
        description="The summary reports the labels needed to reach this mean accuracy.",
    )


Classifiers = create_model(
    "Classifiers",
    __base__=Section,
    __doc__="Hyperparameters of each method, wherever it is used (sweep, pool labelling, "
    "DADC loop and hard test set); changing one re-runs only the cells of that method.",
    **{
        name: (
            method.params,
            Field(
                default_factory=method.params,
                description=first_sentence(method.params.__doc__ or ""),
            ),
        )
        for name, method in METHODS.items()
    },
)


class Labelling(PoolLabelling):
    """Label the whole unlabelled pool, and choose what people label next."""

    queue: Queue = block(Queue)
