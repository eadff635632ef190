"""Which labels people gave are likely wrong: cleanlab's ``find_label_issues`` on the
chosen model's out-of-fold probabilities, with the filter ``labelling.label_errors``.

cleanlab rather than our own: it is the reference implementation of confident learning
(Northcutt et al., 2021), well kept and small. Its filters trade recall for precision.
On people labelling a real digits folder through the page (bench/label_checks.py: the
queue sends them the hardest images, so the held-out model is often wrong on right
labels), with one person at 15% errors: ``predicted_neq_given`` (the held-out model
disagrees) found 17 of 17 errors at 32% precision, ``confident_learning`` 12 at 86%,
``prune_by_noise_rate`` 13 at 68%. The default, ``per_person``, adds who gave the label:
confident learning's flags estimate each person's error rate, and a label is flagged
when the model's held-out probability of it is below twice that rate (16 of 17 at 67%).
A label a person confirmed in the review list (shown the model's doubt) is not flagged
again.
"""

from __future__ import annotations

import warnings
from collections.abc import Collection, Mapping

import numpy as np
import pandas as pd

COLUMNS = ("image_index", "given_label", "suggested_label", "suggested_p")


FILTERS = ("per_person", "predicted_neq_given", "prune_by_noise_rate", "confident_learning", "both")
PER_PERSON = 2.0  # per_person flags p(given) below this many times the person's flag rate


def likely_wrong(
    labels: np.ndarray,
    proba: np.ndarray,
    filter_by: str = "per_person",
    people: np.ndarray | None = None,
) -> np.ndarray:
    """Per row: whether its label is likely wrong, given out-of-fold ``proba`` (columns:
    every class of the dataset), the filter ``filter_by`` and who gave each label
    (``people``; None: one person). Classes nobody used are left out of the count; with
    fewer than two classes of two labels each nothing is flagged."""
    present, counts = np.unique(labels, return_counts=True)
    if len(present) < 2 or counts.min() < 2:
        return np.zeros(len(labels), dtype=bool)
    from cleanlab.filter import find_label_issues

    p = proba[:, present]
    p = p / np.clip(p.sum(axis=1, keepdims=True), 1e-12, None)
    y = np.searchsorted(present, labels)
    cleanlab_filter = "confident_learning" if filter_by == "per_person" else filter_by
    with warnings.catch_warnings():  # it warns of rare classes; the flags stay right
        warnings.simplefilter("ignore")
        found = find_label_issues(y, p, filter_by=cleanlab_filter, n_jobs=1)
    found = np.asarray(found, dtype=bool)
    if filter_by != "per_person":
        return found
    return per_person(found, p[np.arange(len(y)), y], people)


def per_person(strict: np.ndarray, p_given: np.ndarray, people: np.ndarray | None) -> np.ndarray:
    """Flag a label whose held-out probability is below ``PER_PERSON`` times its giver's
    error rate, estimated as the share of their labels confident learning flags (with one
    flag in ten labels as a prior). Bayes' rule flags a label when the model's
    probability of it is below the giver's error rate; confident learning finds only
    some errors (70-80% on real digits) and a few-label model is underconfident, hence
    the factor. A careful person's doubtful-but-right labels are then left alone while a
    careless one's are looked at."""
    people = np.zeros(len(p_given), dtype=object) if people is None else np.asarray(people)
    rate = np.zeros(len(p_given))
    for person in set(people.tolist()):
        mine = people == person
        rate[mine] = (strict[mine].sum() + 1) / (mine.sum() + 10)
    return p_given < PER_PERSON * rate


def label_issues(
    rows: np.ndarray,
    labels: np.ndarray,
    proba: np.ndarray,
    confirmed: Collection[int] = (),
    filter_by: str = "per_person",
    people: Mapping[int, str] | None = None,
) -> pd.DataFrame:
    """The labels likely wrong: image_index, given_label, the model's suggested_label and
    its out-of-fold probability, most doubtful first; ``confirmed`` images are left out;
    ``people``: image -> who gave its label (absent: the folder)."""
    givers = np.array([(people or {}).get(int(i), "(folder)") for i in rows], dtype=object)
    flagged = likely_wrong(labels, proba, filter_by, givers) & ~np.isin(rows, list(confirmed))
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
