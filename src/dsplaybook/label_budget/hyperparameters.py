"""Hyperparameters of every classification method: one settings block per method
(``classifiers.<method>`` in config), with the only copy of its defaults. The method
registry (``label_budget.methods``) pairs each block with its estimator builder."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from dsplaybook.config import Section

Gamma = Literal["scale", "auto"] | float

C_FIELD = "Inverse of the regularisation strength."


class LogregParams(Section):
    """Logistic regression on globally scaled features."""

    C: float = Field(0.1, gt=0, description=C_FIELD)
    max_iter: int = Field(3000, ge=1, description="Solver iterations at most.")


class SvmParams(Section):
    """RBF-kernel SVM."""

    C: float = Field(10.0, gt=0, description=C_FIELD)
    gamma: Gamma = Field("scale", description="Kernel width: scale, auto or a number > 0.")


class RfParams(Section):
    """Random forest."""

    n_estimators: int = Field(300, ge=1, description="Trees in the forest.")


class GbParams(Section):
    """Histogram gradient boosting."""

    max_iter: int = Field(100, ge=1, description="Boosting iterations.")
    learning_rate: float = Field(0.1, gt=0, description="Shrinkage of each tree.")


class LabelspreadParams(Section):
    """kNN-graph label spreading over the labelled images and the unlabelled pool."""

    n_neighbors: int = Field(10, ge=1, description="Neighbours per image in the graph.")
    alpha: float = Field(0.2, gt=0, lt=1, description="How far labels spread (0..1).")
    max_iter: int = Field(200, ge=1, description="Spreading steps at most.")


class SelftrainParams(Section):
    """Self-training logistic regression."""

    C: float = Field(0.1, gt=0, description=C_FIELD)
    max_iter: int = Field(3000, ge=1, description="Solver iterations at most.")
    threshold: float = Field(0.9, gt=0, le=1, description="Confidence that adopts a label.")
    rounds: int = Field(10, ge=1, description="Self-training rounds at most.")


class GraphspreadParams(Section):
    """Label spreading over every unlabelled training image (kNN graph in a PCA space
    fitted on the training images); test images attach to the graph without joining it."""

    n_neighbors: int = Field(10, ge=1, description="Neighbours per image in the graph.")
    alpha: float = Field(0.9, gt=0, lt=1, description="How far labels spread (0..1).")
    max_iter: int = Field(50, ge=1, description="Spreading steps.")
    n_components: int = Field(50, ge=2, description="PCA dimensions the graph is built in.")


class PoissonParams(Section):
    """Poisson learning (Calder et al., 2020) on graphspread's graph: the labelled images
    are sources and sinks of each class's potential; unlabelled ones take the class whose
    potential is highest."""

    n_neighbors: int = Field(10, ge=1, description="Neighbours per image in the graph.")
    n_components: int = Field(50, ge=2, description="PCA dimensions the graph is built in.")
    tol: float = Field(
        1e-3, gt=0, lt=1, description="Conjugate gradient: relative residual to stop at."
    )
    max_iter: int = Field(1000, ge=1, description="Conjugate gradient: at most this many steps.")
    balance: bool = Field(
        True,
        description="Weigh each class's potential by 1 / its share of the labels (classes "
        "assumed equally common, as the paper's s_j with uniform priors).",
    )
    temperature: float = Field(
        0.1,
        gt=0,
        description="Probabilities: softmax of the potentials over this share of their "
        "standard deviation (sets confidence, not the predicted class).",
    )


class GraphsvmParams(GraphspreadParams):
    """Mean of graphspread's label distribution and an RBF SVM's probabilities."""

    C: float = Field(10.0, gt=0, description=C_FIELD)
    gamma: Gamma = Field("scale", description="Kernel width: scale, auto or a number > 0.")
