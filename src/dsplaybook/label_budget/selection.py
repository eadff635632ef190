"""Which training images get labelled: one registry (``SELECTIONS``) for the label-budget
sweep (``label_budget.choose``), the label page's queue (``label_budget.queue``) and the
simulated collection rounds (``dadc.simulate``).

A strategy sees only the training matrix, the rows labelled so far with their classes,
and the candidate rows; it returns ``size`` distinct candidates. It never sees a test
image or a label it was not given (``pick_labels`` is the only way a sweep reveals one).

* ``random``: a seeded random choice (the sweep's paired baseline);
* ``kmeans``: the image nearest each k-means centroid (a diverse batch);
* ``typiclust``: as many clusters as labelled + wanted images, the most *typical* image
  (densest: 1 / mean distance to its nearest cluster-mates) of each uncovered cluster,
  largest first (Hacohen et al. 2022, "Active learning on a budget");
* ``probcover``: balls of radius delta around every image, delta the largest radius at
  which 95% of the balls are pure in k-means pseudo-classes; greedy maximum coverage
  (Yehuda et al. 2022);
* ``uncertainty``: the smallest margin between a model's top two class scores; the sweep
  starts it from a seed set (kmeans by default) and retrains between batches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import Field

from dsplaybook.config import Section
from dsplaybook.label_budget.fingerprint import fingerprint
from dsplaybook.label_budget.scores import class_scores, training_scores


class SelectionSettings(Section):
    """How the selection strategies work (``label_budget.selection``, also read by the
    label page's queue)."""

    components: int = Field(
        50, ge=1, description="PCA components of the features that selection measures in."
    )
    kmeans_sample: int = Field(10_000, ge=1, description="Images k-means sees (kmeans strategy).")
    typical_neighbours: int = Field(
        20, ge=1, description="typiclust: cluster-mates whose mean distance sets typicality."
    )
    max_clusters: int = Field(
        3000, ge=2, description="typiclust: at most this many clusters (the largest first)."
    )
    ball_purity: float = Field(
        0.95,
        gt=0,
        le=1,
        description="probcover: the share of balls pure in k-means pseudo-classes that "
        "sets the radius.",
    )
    ball_neighbours: int = Field(
        60, ge=2, description="probcover: at most this many images inside one ball."
    )
    seed_share: float = Field(
        0.5,
        gt=0,
        le=1,
        description="uncertainty (sweep): share of the budget chosen by seed_selection first.",
    )
    seed_selection: Literal["kmeans", "typiclust", "random"] = Field(
        "kmeans",
        description="uncertainty (sweep): how the first images are chosen (a model needs "
        "labels before its margins mean anything).",
    )
    batches: int = Field(
        4, ge=1, description="uncertainty (sweep): batches after the seed set, retraining between."
    )


@dataclass
class Known:
    """Rows labelled so far and their classes (aligned)."""

    rows: np.ndarray
    classes: np.ndarray

    @classmethod
    def none(cls) -> Known:
        return cls(np.array([], dtype=int), np.array([], dtype=int))


# -- the plain building blocks (the DADC simulation calls these directly) -------------


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
    return smallest_margins(class_scores(model, x[candidates]), candidates, budget)


def smallest_margins(scores: np.ndarray, candidates: np.ndarray, budget: int) -> np.ndarray:
    """The ``budget`` candidates whose class ``scores`` (aligned) have the smallest top-two
    margin (ties: candidate order)."""
    return candidates[np.argsort(top_two_margin(scores), kind="stable")[:budget]]


def reduce(x: np.ndarray, components: int, seed: int) -> np.ndarray:
    """PCA of the training matrix (distances in 800 HOG dimensions are mostly noise)."""
    from sklearn.decomposition import PCA

    x = np.asarray(x, dtype=np.float32)
    n = min(components, x.shape[1], len(x))
    if n >= x.shape[1]:
        return x
    return PCA(n_components=n, svd_solver="randomized", random_state=seed).fit_transform(x)


def _kmeans_labels(z: np.ndarray, clusters: int, seed: int) -> np.ndarray:
    from sklearn.cluster import KMeans, MiniBatchKMeans

    clusters = max(1, min(clusters, len(z)))
    if clusters <= 50:
        return KMeans(n_clusters=clusters, n_init=3, random_state=seed).fit_predict(z)
    model = MiniBatchKMeans(n_clusters=clusters, n_init=3, batch_size=4096, random_state=seed)
    return model.fit_predict(z)


def typicality(z: np.ndarray, neighbours: int) -> np.ndarray:
    """1 / mean distance to the ``neighbours`` nearest other rows (dense = typical)."""
    from sklearn.neighbors import NearestNeighbors

    if len(z) == 1:
        return np.ones(1)
    k = min(neighbours, len(z) - 1)
    distance, _ = NearestNeighbors(n_neighbors=k + 1).fit(z).kneighbors(z)
    return 1.0 / (distance[:, 1:].mean(axis=1) + 1e-12)


# -- the strategies: (z, known, candidates, size, seed, settings, context) -> rows ------


def _random(z, known, candidates, size, seed, s, context):
    return candidates[random_initial(len(candidates), size, seed)]


def _kmeans(z, known, candidates, size, seed, s, context):
    return candidates[kmeans_initial(z[candidates], size, s.kmeans_sample, seed)]


def _typiclust(z, known, candidates, size, seed, s, context):
    clusters = min(len(known.rows) + size, s.max_clusters, len(z))
    cluster = _kmeans_labels(z, clusters, seed)
    is_candidate = np.zeros(len(z), dtype=bool)
    is_candidate[candidates] = True
    sizes = np.bincount(cluster, minlength=clusters)
    # a cluster's claim: uncovered first, then larger; a cluster gives one image per turn
    taken = np.bincount(cluster[known.rows], minlength=clusters)
    open_clusters = sizes > 0  # closed once no candidate of it is left
    ranked_members: dict[int, list[int]] = {}
    chosen: list[int] = []
    while len(chosen) < size and open_clusters.any():
        best = int(np.argmax(np.where(open_clusters, sizes / (1.0 + taken), -np.inf)))
        if best not in ranked_members:
            members = np.flatnonzero(cluster == best)  # density among all its members
            order = np.argsort(-typicality(z[members], s.typical_neighbours), kind="stable")
            ranked_members[best] = [int(m) for m in members[order] if is_candidate[m]]
        if ranked_members[best]:
            chosen.append(ranked_members[best].pop(0))
        open_clusters[best] = bool(ranked_members[best])
        taken[best] += 1
    return np.array(chosen, dtype=int)


def ball_radius(distance: np.ndarray, pseudo: np.ndarray, neighbour: np.ndarray, purity: float):
    """The largest radius at which ``purity`` of the balls hold one pseudo-class only."""
    same = pseudo[neighbour] == pseudo[:, None]
    # a ball of radius r is pure when every neighbour closer than r shares the class:
    # the first impure neighbour's distance bounds the radius each ball allows
    first_bad = np.where(same.all(axis=1), np.inf, 0.0)
    impure = ~same
    any_bad = impure.any(axis=1)
    first_index = np.argmax(impure, axis=1)
    first_bad[any_bad] = distance[any_bad, first_index[any_bad]]
    finite_cap = distance[:, -1].max()
    return float(np.quantile(np.minimum(first_bad, finite_cap), 1 - purity))


_NEIGHBOURS: dict[tuple, tuple] = {}  # the last matrix's neighbours (seed-free: reused)


def nearest_neighbours(z: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Distances and rows of every row's ``k`` nearest rows, itself first. The last
    answer is kept: a sweep asks it for every (budget, draw) of one matrix."""
    from sklearn.neighbors import NearestNeighbors

    key = fingerprint(z, k)
    if key not in _NEIGHBOURS:
        _NEIGHBOURS.clear()
        _NEIGHBOURS[key] = NearestNeighbors(n_neighbors=k + 1).fit(z).kneighbors(z)
    return _NEIGHBOURS[key]


def _probcover(z, known, candidates, size, seed, s, context):
    from scipy import sparse

    n = len(z)
    k = min(s.ball_neighbours, n - 1)
    distance, neighbour = nearest_neighbours(z, k)
    pseudo = _kmeans_labels(z, context.get("classes", 10), seed)
    radius = ball_radius(distance[:, 1:], pseudo, neighbour[:, 1:], s.ball_purity)
    inside = distance <= radius  # column 0 is the image itself: it covers itself
    rows = np.repeat(np.arange(n), inside.sum(axis=1))
    ball = sparse.csr_matrix((np.ones(len(rows)), (rows, neighbour[inside])), shape=(n, n))
    covers = ball.T.tocsr()  # covers[j] = the images whose ball holds j
    uncovered = np.ones(n, dtype=bool)
    for row in known.rows:
        uncovered[ball[row].indices] = False
    gain = ball @ uncovered.astype(float)
    allowed = np.zeros(n, dtype=bool)
    allowed[candidates] = True
    chosen: list[int] = []
    while len(chosen) < size:
        score = np.where(allowed, gain, -1.0)
        best = int(np.argmax(score))
        if score[best] <= 0:  # all covered: a fresh covering pass over the rest
            uncovered[:] = True
            uncovered[ball[np.array(chosen + list(known.rows), dtype=int)].indices] = False
            gain = ball @ uncovered.astype(float)
            if (np.where(allowed, gain, -1.0) <= 0).all():
                uncovered[:] = True
                gain = ball @ uncovered.astype(float)
            continue
        chosen.append(best)
        allowed[best] = False
        newly = ball[best].indices[uncovered[ball[best].indices]]
        uncovered[newly] = False
        if len(newly):
            gain -= np.asarray(covers[newly].sum(axis=0)).ravel()
    return np.array(chosen, dtype=int)


def _uncertainty(z, known, candidates, size, seed, s, context):
    from dsplaybook.label_budget.methods import METHODS, make_classifier

    method = context["method"]
    model = make_classifier(method, seed, 1, context.get("hyperparameters"))
    if METHODS[method].whole_pool:  # a graph method learns from every unlabelled image too
        y = np.full(len(z), -1)
        y[known.rows] = np.unique(known.classes, return_inverse=True)[1]
        model.fit(z, y)
        # the candidates are in its graph: their fitted scores, not a neighbour search
        return smallest_margins(training_scores(model, z, candidates), candidates, size)
    model.fit(z[known.rows], known.classes)
    return pick_uncertain(model, z, candidates, size)


@dataclass(frozen=True)
class Selection:
    pick: Callable[..., np.ndarray]
    needs_labels: bool = False  # needs labels of two classes (the sweep seeds it first)
    description: str = ""
    reads: tuple[str, ...] = ()  # the label_budget.selection keys its pick reads
    measures: bool = True  # measures distances in selection.features (random: seed only)


# The registry of selection strategies. The sweep's ``label_budget.selections`` and the
# queue's ``labelling.queue.strategy`` are both built from it (a test checks).
SELECTIONS: dict[str, Selection] = {
    "random": Selection(_random, description="seeded random images", measures=False),
    "kmeans": Selection(
        _kmeans, description="the image nearest each k-means centroid", reads=("kmeans_sample",)
    ),
    "typiclust": Selection(
        _typiclust,
        description="the most typical image of each cluster",
        reads=("typical_neighbours", "max_clusters"),
    ),
    "probcover": Selection(
        _probcover,
        description="greedy cover by pure balls",
        reads=("ball_neighbours", "ball_purity"),
    ),
    "uncertainty": Selection(
        _uncertainty,
        needs_labels=True,
        description="smallest top-two margin",
        reads=("method", "seed_share", "seed_selection", "batches"),
    ),
}


def selection_keys(strategy: str, seed_selection: str) -> tuple[str, ...]:
    """The ``label_budget.selection`` keys a sweep's ``strategy`` depends on (the
    workflow's params, so a key it never reads re-runs none of its cells): the space it
    measures in (not random's), its own knobs, and those of the strategy seeding it."""
    entry = SELECTIONS[strategy]
    keys = [*(("features", "components") if entry.measures else ()), *entry.reads]
    if entry.needs_labels:
        keys += SELECTIONS[seed_selection].reads
    return tuple(dict.fromkeys(keys))


def select(
    strategy: str,
    z: np.ndarray,
    known: Known,
    candidates: np.ndarray,
    size: int,
    seed: int,
    s: SelectionSettings,
    context: dict | None = None,
) -> np.ndarray:
    """``size`` distinct rows of ``candidates`` (never a known row), by ``strategy``."""
    candidates = np.setdiff1d(candidates, known.rows)
    size = min(size, len(candidates))
    chosen = np.asarray(
        SELECTIONS[strategy].pick(z, known, candidates, size, seed, s, context or {}), dtype=int
    )
    if len(np.unique(chosen)) != size or not np.isin(chosen, candidates).all():
        raise AssertionError(f"selection {strategy!r} broke its contract")  # a bug, not input
    return chosen


def pick_labels(
    strategy: str,
    z: np.ndarray,
    budget: int,
    seed: int,
    s: SelectionSettings,
    oracle: Callable[[np.ndarray], np.ndarray],
    context: dict | None = None,
) -> Known:
    """``budget`` rows of the training matrix ``z`` chosen by ``strategy``, their classes
    asked of ``oracle`` (a person, simulated in the sweep) batch by batch, and nothing
    else asked: the labels outside the budget are never seen."""
    everyone = np.arange(len(z))
    if not SELECTIONS[strategy].needs_labels:
        rows = select(strategy, z, Known.none(), everyone, budget, seed, s, context)
        return Known(rows, np.asarray(oracle(rows)))
    first = min(max(2, round(budget * s.seed_share)), budget)
    rows = select(s.seed_selection, z, Known.none(), everyone, first, seed, s, context)
    known = Known(rows, np.asarray(oracle(rows)))
    left = budget - len(rows)
    for batch in range(s.batches):
        size = left // (s.batches - batch)
        if size == 0:
            continue
        # a model needs two classes: until then, more seed images
        name = strategy if len(np.unique(known.classes)) >= 2 else s.seed_selection
        rows = select(name, z, known, everyone, size, seed + batch + 1, s, context)
        known = Known(
            np.concatenate([known.rows, rows]), np.concatenate([known.classes, oracle(rows)])
        )
        left -= size
    return known
