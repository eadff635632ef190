"""How to choose which images get labelled: shared by the label page's queue
(``label_budget.queue``) and the simulated collection rounds (``dadc.simulate``).

* ``random_initial``: a seeded random choice;
* ``kmeans_initial``: the image nearest each k-means centroid (a diverse first batch);
* ``pick_uncertain``: the smallest margin between a model's top two class scores.
"""

from __future__ import annotations

import numpy as np

from dsplaybook.label_budget.scores import class_scores


def random_initial(n_pool: int, size: int, seed: int) -> np.ndarray:
    return np.sort(np.random.default_rng(seed).choice(n_pool, size=size, replace=False))


def kmeans_initial(x_pool: np.ndarray, size: int, sample: int, seed: int) -> np.ndarray:
    """The pool image nearest each of ``size`` k-means centroids (distinct images)."""
    from sklearn.cluster import KMeans  # here, not at the top: see label_budget.methods

    rng = np.random.default_rng(seed)
    subset = np.sort(rng.choice(len(x_pool), size=min(sample, len(x_pool)), replace=False))
    x = np.asarray(x_pool[subset], dtype=np.float64)
    centres = KMeans(n_clusters=size, n_init=1, random_state=seed).fit(x).cluster_centers_
    chosen: list[int] = []
    taken = np.zeros(len(subset), dtype=bool)
    for centre in centres:
        distance = ((x - centre) ** 2).sum(axis=1)
        distance[taken] = np.inf  # two centroids never claim the same image
        best = int(np.argmin(distance))
        taken[best] = True
        chosen.append(int(subset[best]))
    return np.sort(np.array(chosen))


def top_two_margin(scores: np.ndarray) -> np.ndarray:
    """Best class score minus the second best (small = the model is unsure)."""
    top = np.sort(scores, axis=1)[:, -2:]
    return top[:, 1] - top[:, 0]


def pick_uncertain(model, x: np.ndarray, candidates: np.ndarray, budget: int) -> np.ndarray:
    """The ``budget`` candidates with the smallest top-two margin (ties: candidate order)."""
    margin = top_two_margin(class_scores(model, x[candidates]))
    return candidates[np.argsort(margin, kind="stable")[:budget]]
