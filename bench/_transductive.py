"""Transductive scoring shared by the benches that compare with graphlearning."""

from __future__ import annotations

import time

import numpy as np

from dsplaybook.label_budget.graph import GraphSpreading
from dsplaybook.label_budget.poisson import PoissonLearning


def transductive_scores(x, y, labelled, theirs) -> dict[str, tuple[float, float]]:
    """Per model, its accuracy on the images not labelled and its seconds: graphlearning's
    ``theirs`` ((name, model) pairs, ``fit_predict``) and ours, graphspread and poisson
    (every image of ``x`` in the graph, the unlabelled ones hidden as -1)."""
    pool = np.setdiff1d(np.arange(len(y)), labelled)
    hidden = np.full(len(y), -1)
    hidden[labelled] = y[labelled]
    found = {}
    for name, model in theirs:
        started = time.perf_counter()
        guess = model.fit_predict(labelled, y[labelled])
        found[name] = ((guess[pool] == y[pool]).mean(), time.perf_counter() - started)
    for name, ours in (("ours graphspread", GraphSpreading()), ("ours poisson", PoissonLearning())):
        started = time.perf_counter()
        ours.fit(x, hidden)
        guess = ours.classes_[ours.label_distributions_[pool].argmax(1)]
        found[name] = ((guess == y[pool]).mean(), time.perf_counter() - started)
    return found
