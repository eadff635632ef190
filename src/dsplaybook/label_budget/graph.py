"""Label spreading over the whole unlabelled training pool, predicting inductively.

The graph: each training image linked to its ``n_neighbors`` nearest neighbours in a
PCA space fitted on the training images, weighted by a Gaussian of the distance and
symmetrically normalised (Zhou et al., 2004). Labels spread over it for ``max_iter``
steps (``alpha`` = how far). A test image is never part of the graph: it is attached
to its nearest training images and takes the mean of their spread label
distributions, so test images influence nothing that is fitted.

The graph depends on the images only, not on which of them are labelled, so one cell
(25 label draws on the same training set) builds it once: ``_GRAPHS`` holds the last
graph, keyed by a digest of every byte of the training matrix and the graph settings
(a module-level cache because scikit-learn clones estimators, which would copy a cache
passed as a parameter; one entry, so memory stays bounded).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from dsplaybook.label_budget.calibration import platt_scaling
from dsplaybook.label_budget.fingerprint import fingerprint
from dsplaybook.label_budget.hyperparameters import GraphspreadParams, GraphsvmParams

# digest of (X, settings) -> (pca, index, S, scale, 1 / sqrt(degree))
_GRAPHS: dict[tuple, tuple] = {}
_QUERIES: dict[tuple, tuple] = {}  # digest of (graph, query) -> its neighbours (test set)
_SPREAD = GraphspreadParams()  # the defaults of classifiers.graphspread
_ENSEMBLE = GraphsvmParams()  # the defaults of classifiers.graphsvm


def is_labelled(y: np.ndarray) -> np.ndarray:
    """Rows with a class: every row but those marked -1 (numeric labels only)."""
    if y.dtype.kind in "iuf":
        return y != -1
    return np.ones(len(y), dtype=bool)


class GraphSpreading(ClassifierMixin, BaseEstimator):
    predicts_argmax_proba = True  # scores.predictions_and_scores asks predict_proba once

    def __init__(
        self,
        n_neighbors: int = _SPREAD.n_neighbors,
        alpha: float = _SPREAD.alpha,
        max_iter: int = _SPREAD.max_iter,
        n_components: int = _SPREAD.n_components,
        n_jobs: int = 1,
    ):
        self.n_neighbors = n_neighbors
        self.alpha = alpha
        self.max_iter = max_iter
        self.n_components = n_components
        self.n_jobs = n_jobs

    def _graph(self, x: np.ndarray) -> tuple:
        # nothing random: the draws of a cell (each with its own seed) share one graph
        key = fingerprint(x, self.n_neighbors, self.n_components)
        if key not in _GRAPHS:
            from sklearn.decomposition import PCA
            from sklearn.neighbors import NearestNeighbors

            components = min(self.n_components, x.shape[1], len(x))
            pca = PCA(n_components=components, svd_solver="covariance_eigh").fit(x)
            z = pca.transform(x)
            k = self._neighbours(len(x))
            index = NearestNeighbors(n_neighbors=k + 1, n_jobs=self.n_jobs).fit(z)
            distance, neighbour = index.kneighbors(z)
            distance, neighbour = distance[:, 1:], neighbour[:, 1:]  # not itself
            scale = float(np.median(distance[:, -1])) or 1.0
            weight = np.exp(-((distance / scale) ** 2))
            n = len(x)
            w = sparse.csr_matrix(
                (weight.ravel(), (np.repeat(np.arange(n), k), neighbour.ravel())),
                shape=(n, n),
            )
            w = w.maximum(w.T)
            degree = np.asarray(w.sum(axis=1)).ravel()
            root = 1.0 / np.sqrt(np.maximum(degree, 1e-12))
            inverse_root = sparse.diags(root)
            _GRAPHS.clear()  # one graph at a time: a cell works on one training set
            _GRAPHS[key] = (pca, index, (inverse_root @ w @ inverse_root).tocsr(), scale, root)
        return key, _GRAPHS[key]

    def _neighbours(self, n_images: int) -> int:
        return max(1, min(self.n_neighbors, n_images - 1))

    def fit(self, x: np.ndarray, y: np.ndarray) -> GraphSpreading:
        """``y`` is -1 for unlabelled images (any other value, text included, a class)."""
        x, y = validate_data(self, x, y, ensure_min_samples=2)
        check_classification_targets(y)
        labelled = np.flatnonzero(is_labelled(y))
        self.classes_ = np.unique(y[labelled])
        self.graph_key_, (pca, index, s, scale, root) = self._graph(x)
        class_index = np.searchsorted(self.classes_, y[labelled])
        self.label_distributions_, self.n_iter_ = self._distributions(
            s, root, labelled, class_index
        )
        self.pca_, self.index_, self.scale_ = pca, index, scale
        self.n_train_ = len(x)
        return self

    def _distributions(
        self, s, root: np.ndarray, labelled: np.ndarray, class_index: np.ndarray
    ) -> tuple[np.ndarray, int]:
        """Each training image's class distribution (and the steps it took) from the
        normalised adjacency ``s`` and the ``labelled`` rows' ``class_index``."""
        seeds = np.zeros((len(root), len(self.classes_)))
        seeds[labelled, class_index] = 1.0
        f = seeds.copy()
        for _ in range(self.max_iter):
            f = self.alpha * (s @ f) + (1 - self.alpha) * seeds
        total = f.sum(axis=1, keepdims=True)
        spread = np.where(total > 0, f / np.maximum(total, 1e-300), 1 / len(self.classes_))
        return spread, self.max_iter  # a fixed number of spreading steps

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        check_is_fitted(self)
        x = validate_data(self, x, reset=False)
        k = min(self.n_neighbors, self.n_train_)  # test images are not in the graph
        # a cell predicts the same test set after each of its 25 fits on one graph: its
        # neighbours are looked up once (the labels spread differ, the neighbours do not)
        key = (self.graph_key_, fingerprint(x, k))
        if key not in _QUERIES:
            if len(_QUERIES) >= 2:
                _QUERIES.pop(next(iter(_QUERIES)))
            _QUERIES[key] = self.index_.kneighbors(self.pca_.transform(x), k)
        distance, neighbour = _QUERIES[key]
        weight = np.exp(-((distance / self.scale_) ** 2)) + 1e-12
        p = np.einsum("nk,nkc->nc", weight, self.label_distributions_[neighbour])
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, x: np.ndarray) -> np.ndarray:
        proba = self.predict_proba(x)  # checks first that the model is fitted
        return self.classes_[proba.argmax(axis=1)]

    def training_scores(self, x: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Class distributions of the training images ``rows`` (``x``: the matrix it was
        fitted on) as the fit left them: they are in the graph, nothing is looked up."""
        check_is_fitted(self)
        return self.label_distributions_[rows]


class GraphSvmEnsemble(ClassifierMixin, BaseEstimator):
    """The mean of graph spreading's label distribution and an RBF SVM's (Platt)
    probabilities: the graph carries the unlabelled pool's structure, the SVM the
    labelled images' margins. On Fashion-MNIST HOG features (2 draws) the mean beat
    both at 500 labels: 84.1% vs 83.0% (graph) and 82.9% (SVM)."""

    predicts_argmax_proba = True  # scores.predictions_and_scores asks predict_proba once

    def __init__(
        self,
        n_neighbors: int = _ENSEMBLE.n_neighbors,
        alpha: float = _ENSEMBLE.alpha,
        max_iter: int = _ENSEMBLE.max_iter,
        n_components: int = _ENSEMBLE.n_components,
        C: float = _ENSEMBLE.C,
        gamma: str | float = _ENSEMBLE.gamma,
        random_state: int = 0,
        n_jobs: int = 1,
    ):
        self.n_neighbors = n_neighbors
        self.alpha = alpha
        self.max_iter = max_iter
        self.n_components = n_components
        self.C = C
        self.gamma = gamma
        self.random_state = random_state
        self.n_jobs = n_jobs

    def fit(self, x: np.ndarray, y: np.ndarray) -> GraphSvmEnsemble:
        from sklearn.svm import SVC

        x, y = validate_data(self, x, y, ensure_min_samples=2)
        check_classification_targets(y)
        self.graph_ = GraphSpreading(
            self.n_neighbors, self.alpha, self.max_iter, self.n_components, self.n_jobs
        ).fit(x, y)
        labelled = is_labelled(y)
        svm = SVC(C=self.C, gamma=self.gamma, probability=True, random_state=self.random_state)
        with platt_scaling():
            self.svm_ = svm.fit(np.asarray(x)[labelled], y[labelled])
        self.classes_ = self.graph_.classes_
        self.n_iter_ = self.graph_.n_iter_
        return self

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        check_is_fitted(self)
        x = validate_data(self, x, reset=False)
        return (self.graph_.predict_proba(x) + self.svm_.predict_proba(x)) / 2

    def training_scores(self, x: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """``predict_proba`` of the training images ``rows``, the graph's part as fitted."""
        graph = self.graph_.training_scores(x, rows)
        return (graph + self.svm_.predict_proba(np.asarray(x)[rows])) / 2

    def predict(self, x: np.ndarray) -> np.ndarray:
        proba = self.predict_proba(x)  # checks first that the model is fitted
        return self.classes_[proba.argmax(axis=1)]
