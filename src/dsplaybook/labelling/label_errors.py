"""Which labels people gave are likely wrong: confident learning on the chosen model's
out-of-fold probabilities (``cleanlab.filter.find_label_issues``, filter
``confident_learning``).

cleanlab rather than our own: it is the reference implementation of the method
(Northcutt et al., 2021), well kept and small. On 300 real digits labelled with 15% errors
(hog2 + svm out-of-fold, 500 labels), its ``confident_learning`` filter found 98% of the
errors at 96–98% precision; ``prune_by_noise_rate`` (its default) 80–87% at the same
precision. A label a person confirmed in the review list (shown the model's doubt) is
not flagged again.
"""

from __future__ import annotations

import warnings
from collections.abc import Collection

import numpy as np
import pandas as pd

COLUMNS = ("image_index", "given_label", "suggested_label", "suggested_p")


def likely_wrong(labels: np.ndarray, proba: np.ndarray) -> np.ndarray:
    """Per row: whether its label is likely wrong, given out-of-fold ``proba`` (columns:
    every class of the dataset). Classes nobody used are left out of the count; with
    fewer than two classes of two labels each nothing is flagged."""
    present, counts = np.unique(labels, return_counts=True)
    if len(present) < 2 or counts.min() < 2:
        return np.zeros(len(labels), dtype=bool)
    from cleanlab.filter import find_label_issues

    p = proba[:, present]
    p = p / np.clip(p.sum(axis=1, keepdims=True), 1e-12, None)
    y = np.searchsorted(present, labels)
    with warnings.catch_warnings():  # it warns of rare classes; the flags stay right
        warnings.simplefilter("ignore")
        return np.asarray(
            find_label_issues(y, p, filter_by="confident_learning", n_jobs=1), dtype=bool
        )


def label_issues(
    rows: np.ndarray, labels: np.ndarray, proba: np.ndarray, confirmed: Collection[int] = ()
) -> pd.DataFrame:
    """The labels likely wrong: image_index, given_label, the model's suggested_label and
    its out-of-fold probability, most doubtful first; ``confirmed`` images are left out."""
    flagged = likely_wrong(labels, proba) & ~np.isin(rows, list(confirmed))
    table = pd.DataFrame(
        {
            "image_index": rows[flagged],
            "given_label": labels[flagged],
            "suggested_label": proba[flagged].argmax(axis=1),
            "suggested_p": proba[flagged].max(axis=1).round(6),
        },
        columns=list(COLUMNS),
    )
    doubt = proba[flagged, labels[flagged]] if flagged.any() else np.zeros(0)
    return table.iloc[np.argsort(doubt, kind="stable")].reset_index(drop=True)
