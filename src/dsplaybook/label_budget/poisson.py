"""Poisson learning over the whole unlabelled training pool, predicting inductively.

Calder, Cook, Thorpe and Slepčev (ICML 2020) replace label spreading's boundary
condition by sources: each labelled image injects its one-hot label minus the mean label,
and the potential u solves the graph Poisson equation L u = b (L = D - W). At a few
labels per class spreading's solution flattens to a constant away from the labels, while
Poisson's keeps the information; the paper's figures are at 1-5 labels per class.

The graph is graphspread's (:mod:`dsplaybook.label_budget.graph`, built once per
training set); the equation is solved in its symmetric form (I - S) w = D^-1/2 b,
u = D^-1/2 w, by conjugate gradients (what graphlearning's default solver does). Test
images attach to the graph as in graphspread and never join it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.special import softmax

from dsplaybook.label_budget.graph import GraphSpreading
from dsplaybook.label_budget.hyperparameters import PoissonParams

_DEFAULTS = PoissonParams()


def conjugate_gradient(
    apply: Callable[[np.ndarray], np.ndarray], rhs: np.ndarray, tol: float, max_iter: int
) -> tuple[np.ndarray, int]:
    """Solve ``apply(x) = rhs`` column by column (a symmetric positive semi-definite
    operator; a singular one needs a consistent right-hand side) until every column's
    residual is below ``tol`` of its right-hand side's norm; returns x and the steps."""
    x = np.zeros_like(rhs)
    r = rhs.copy()
    p = r.copy()
    rr = np.einsum("ij,ij->j", r, r)
    stop = tol**2 * rr
    steps = 0
    while steps < max_iter and np.any(rr > stop):
        ap = apply(p)
        curvature = np.einsum("ij,ij->j", p, ap)
        alpha = np.divide(rr, curvature, out=np.zeros_like(rr), where=curvature > 0)
        x += alpha * p
        r -= alpha * ap
        fresh = np.einsum("ij,ij->j", r, r)
        p = r + np.divide(fresh, rr, out=np.zeros_like(rr), where=rr > 0) * p
        rr = fresh
        steps += 1
    return x, steps


def poisson_potential(
    s,
    root: np.ndarray,
    labelled: np.ndarray,
    classes: np.ndarray,
    n_classes: int,
    tol: float,
    max_iter: int,
) -> tuple[np.ndarray, int]:
    """The potential u (one column per class) of the Poisson equation on the graph with
    normalised adjacency ``s`` = D^-1/2 W D^-1/2 and ``root`` = D^-1/2, sources at the
    ``labelled`` rows (``classes``: their class index)."""
    onehot = np.zeros((len(labelled), n_classes))
    onehot[np.arange(len(labelled)), classes] = 1.0
    source = np.zeros((len(root), onehot.shape[1]))
    source[labelled] = onehot - onehot.mean(axis=0)
    w, steps = conjugate_gradient(
        lambda v: v - s @ v, root[:, None] * source, tol=tol, max_iter=max_iter
    )
    return root[:, None] * w, steps


class PoissonLearning(GraphSpreading):
    """Poisson learning on graphspread's graph; ``predict_proba`` is graphspread's (the
    neighbours' distributions, here a softmax of the potentials)."""

    predicts_argmax_proba = True  # scores.predictions_and_scores asks predict_proba once

    def __init__(
        self,
        n_neighbors: int = _DEFAULTS.n_neighbors,
        n_components: int = _DEFAULTS.n_components,
        tol: float = _DEFAULTS.tol,
        max_iter: int = _DEFAULTS.max_iter,
        balance: bool = _DEFAULTS.balance,
        temperature: float = _DEFAULTS.temperature,
        n_jobs: int = 1,
    ):
        self.n_neighbors = n_neighbors
        self.n_components = n_components
        self.tol = tol
        self.max_iter = max_iter
        self.balance = balance
        self.temperature = temperature
        self.n_jobs = n_jobs

    def _distributions(
        self, s, root: np.ndarray, labelled: np.ndarray, class_index: np.ndarray
    ) -> tuple[np.ndarray, int]:
        n_classes = len(self.classes_)
        u, steps = poisson_potential(
            s, root, labelled, class_index, n_classes, self.tol, self.max_iter
        )
        if self.balance:  # a class drawn more often than its share must not grow with it
            u = u / np.bincount(class_index, minlength=n_classes)
        spread = float(u.std()) or 1.0
        return softmax(u / (self.temperature * spread), axis=1), steps
