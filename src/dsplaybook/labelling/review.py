"""review.csv: what a person should check, most pressing first, each with its reason.

``dispute``: people's votes tie (the row's class is the model's pick among the tied
classes, until someone settles it); ``likely_wrong``: a label people (or the folder) gave
that confident learning doubts (``label_errors``; the class is the model's out-of-fold
guess); ``uncertain``: the model's least confident labels of images nobody labelled
(``labelling.review_size`` of them).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from dsplaybook.data.datasets import MnistStyle
from dsplaybook.labelling.disputes import best_of, tied_classes
from dsplaybook.labelling.label_errors import label_issues
from dsplaybook.labelling.pool_labelling import PoolLabels

COLUMNS = (
    "image_index",
    "predicted_class",
    "class_name",
    "confidence",
    "file",
    "reason",
    "given",
)
REASONS = ("dispute", "likely_wrong", "uncertain")


def review_table(
    data: MnistStyle,
    pool: PoolLabels,
    people: pd.DataFrame,
    given: Mapping[int, int],
    out_of_fold: np.ndarray | None,
    review_size: int,
    filter_by: str = "per_person",
) -> pd.DataFrame:
    """``people``: human_labels.csv; ``given``: the labels the model trained on (sorted
    rows match ``out_of_fold``, the chosen cell's held-out probabilities of them)."""
    names = np.array(data.class_names)
    files = np.array(data.files_train) if data.files_train else None
    parts = []
    ties = people[people["label"].astype(int) < 0]
    if len(ties):
        at = {int(i): k for k, i in enumerate(pool.labels["image_index"])}
        votes = ties["votes"] if "votes" in ties else pd.Series("", index=ties.index)
        rows = ties["image_index"].astype(int).to_numpy()
        every = list(range(len(names)))
        picks = [
            best_of(pool.proba[at[i]], tied_classes(v, data.class_names) or every)
            for i, v in zip(rows, votes, strict=True)
        ]
        chances = [pool.proba[at[i], k] for i, k in zip(rows, picks, strict=True)]
        parts.append(
            pd.DataFrame(
                {
                    "image_index": rows,
                    "predicted_class": picks,
                    "confidence": chances,
                    "reason": "dispute",
                    "given": votes.to_numpy(),
                }
            )
        )
    if out_of_fold is not None:
        rows = np.array(sorted(given), dtype=int)
        labels = np.array([given[i] for i in rows], dtype=int)
        confirmed = set()
        if "confirmed" in people:
            confirmed = set(people.loc[people["confirmed"].astype(bool), "image_index"].astype(int))
        named = people["annotator"] if "annotator" in people else pd.Series("", people.index)
        giver = named.fillna("").astype(str).where(named.fillna("") != "", people["session"])
        by_image = dict(zip(people["image_index"].astype(int), giver.astype(str), strict=True))
        issues = label_issues(rows, labels, out_of_fold, confirmed, filter_by, by_image)
        parts.append(
            pd.DataFrame(
                {
                    "image_index": issues["image_index"],
                    "predicted_class": issues["suggested_label"],
                    "confidence": issues["suggested_p"],
                    "reason": "likely_wrong",
                    "given": names[issues["given_label"].to_numpy(dtype=int)],
                }
            )
        )
    uncertain = pool.labels.sort_values(["confidence", "image_index"]).head(review_size)
    parts.append(
        pd.DataFrame(
            {
                "image_index": uncertain["image_index"],
                "predicted_class": uncertain["predicted_class"],
                "confidence": uncertain["confidence"],
                "reason": "uncertain",
                "given": "",
            }
        )
    )
    table = pd.concat(parts, ignore_index=True)
    table["predicted_class"] = table["predicted_class"].astype(int)
    table["class_name"] = names[table["predicted_class"].to_numpy()]
    table["confidence"] = table["confidence"].astype(float).round(6)
    table["file"] = files[table["image_index"].to_numpy(dtype=int)] if files is not None else ""
    return table[list(COLUMNS)]
