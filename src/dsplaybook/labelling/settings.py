"""The ``labelling:`` settings: how the pool is labelled (budget, features and method,
the candidates ``auto`` chooses among) and what people label next (the queue, overlap,
live retraining). A light module: the workflow parses it."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from dsplaybook.config import Section, block
from dsplaybook.label_budget.methods import METHODS
from dsplaybook.label_budget.settings import FeatureName, MethodName
from dsplaybook.labelling.label_errors import FILTERS
from dsplaybook.labelling.queue import Queue
from dsplaybook.represent.features import FEATURE_SETS


class Cell(Section):
    """One features + method pair."""

    features: FeatureName = Field(description="A feature set.")
    method: MethodName = Field(description="A method.")


DEFAULT_CANDIDATES = tuple(
    Cell(features=f, method=m)
    for f, m in (
        ("hog2", "svm"),
        ("hog2", "logreg"),
        ("pca", "svm"),
        ("pca", "logreg"),
        ("raw", "svm"),
    )
)


class PoolLabelling(Section):
    """The ``labelling`` keys that choose how the pool is labelled (the queue has its own
    block and rule)."""

    budget: int = Field(
        1000,
        ge=1,
        description="Labels spent before labelling the pool; must be one of label_budget.budgets.",
    )
    features: Literal[("best", "auto", *FEATURE_SETS)] = Field(
        "best",
        description="best: the sweep's highest mean accuracy at the budget, or, where there "
        "is no sweep (a folder dataset), as auto; auto: the candidate with the highest "
        "cross-validated accuracy on the given labels; or a feature set name.",
    )
    method: Literal[("best", "auto", *METHODS)] = Field(
        "best", description="best/auto (chosen with the features), or a method name."
    )
    candidates: tuple[Cell, ...] = Field(
        DEFAULT_CANDIDATES,
        min_length=1,
        description="The cells auto chooses among (features + method), by cross-validation "
        "on the labels people gave (never on test images).",
    )
    source: Literal["simulated", "human"] = Field(
        "simulated",
        description="Whose labels train the pool labelling on fashion_mnist/quickdraw: "
        "simulated = the sweep's first draw, human = the label store. Folder datasets "
        "always use the store.",
    )
    review_size: int = Field(
        100, ge=0, description="Least-confident labels listed in review.csv (human path)."
    )
    label_errors: Literal[FILTERS] = Field(
        "per_person",
        description="How labels people gave are flagged as likely wrong (review.csv and the "
        "label page's review list): per_person (the held-out probability of the label below "
        "twice its giver's error rate, estimated by confident learning), or one of cleanlab's "
        "filters: predicted_neq_given (the held-out model disagrees: most errors, most "
        "flags), prune_by_noise_rate, confident_learning, both (fewer flags, errors missed).",
    )


class Labelling(PoolLabelling):
    """Label the whole unlabelled pool, and choose what people label next."""

    queue: Queue = block(Queue)
    precision: float = Field(
        0.95,
        gt=0,
        le=1,
        description="The label page says how much of the pool the model would label at this "
        "accuracy (a confidence threshold chosen by cross-validation on the labels).",
    )
    overlap: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Share of the queue (seeded) the label page sends to two people, so "
        "their agreement (Cohen's kappa, agreement.csv) can be measured; disagreements go "
        "to review.",
    )
    retrain_every: int = Field(
        20,
        ge=0,
        description="The label page retrains the queue's model in the background after this "
        "many new labels, re-ranks what is left and shows its suggestion (0: off).",
    )
