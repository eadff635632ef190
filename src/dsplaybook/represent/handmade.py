"""Hand-made, shift- and contrast-tolerant image features (nothing is fitted).

HOG (histograms of oriented gradients, scikit-image) describes each small cell of the
image by its edge directions, normalised over blocks of 2×2 cells: small shifts and
changes of contrast move it little, which is what a classifier trained on 100 labels
cannot learn by itself. On Fashion-MNIST (3 draws, RBF SVM) 4-pixel cells reached 71%
at 100 labels and 84% at 1,000, against 44% and 80% for raw pixels; 4- and 7-pixel
cells together add about a point.
"""

from __future__ import annotations

import numpy as np

from dsplaybook.represent.settings import HogSettings


def hog_of(images: np.ndarray, orientations: int, cell_size: int) -> np.ndarray:
    """uint8 N×28×28 -> float32 N×D HOG descriptors (2×2-cell blocks, L2-Hys)."""
    from skimage.feature import hog

    return np.stack(
        [
            hog(
                image,
                orientations=orientations,
                pixels_per_cell=(cell_size, cell_size),
                cells_per_block=(2, 2),
                feature_vector=True,
            )
            for image in images
        ]
    ).astype(np.float32)


def _in_chunks(function, images: np.ndarray, threads: int, *args) -> np.ndarray:
    """``function(chunk, *args)`` over ``threads`` processes (HOG is Python per image)."""
    if threads <= 1 or len(images) < 2_000:
        return function(images, *args)
    from joblib import Parallel, delayed

    chunks = np.array_split(images, threads * 4)
    parts = Parallel(n_jobs=threads)(delayed(function)(c, *args) for c in chunks)
    return np.concatenate(parts)


def hog_features(images: np.ndarray, s: HogSettings, threads: int = 1) -> np.ndarray:
    return _in_chunks(hog_of, images, threads, s.orientations, s.cell_size)


def hog_two_scales(images: np.ndarray, s: HogSettings, threads: int = 1) -> np.ndarray:
    """Fine and coarse HOG side by side (1,296 + 324 dims for 4 and 7 pixels)."""
    fine = _in_chunks(hog_of, images, threads, s.orientations, s.cell_size)
    coarse = _in_chunks(hog_of, images, threads, s.orientations, s.coarse_cell_size)
    return np.hstack([fine, coarse])
