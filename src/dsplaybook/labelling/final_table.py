"""final_labels.csv: every image of a dataset once, with where its label came from.

Sources, strongest first: ``person`` (the people's majority label; where their votes
tie, the model's pick among the tied classes), ``folder`` (a folder dataset's class
sub-folder; its held-out test images too), ``model`` (the pool labelling, with its
confidence) and, for a built-in set's test images, ``dataset`` (the official label).
``needs_review`` marks every row of review.csv, whatever its source, and
``review_reason`` says why (dispute, likely_wrong, uncertain). This is the table to use.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dsplaybook.data.datasets import MnistStyle
from dsplaybook.errors import InputError

COLUMNS = (
    "split",
    "image_index",
    "file",
    "label",
    "class_name",
    "source",
    "confidence",
    "who",
    "needs_review",
    "review_reason",
)


def final_labels(
    data: MnistStyle, human: pd.DataFrame, model: pd.DataFrame, review: pd.DataFrame
) -> pd.DataFrame:
    """One row per image (train rows, then test rows); ``human``, ``model`` and
    ``review`` are human_labels.csv, labels.csv and review.csv."""
    n = len(data.x_train)
    label = np.full(n, -1, dtype=np.int64)
    source = np.full(n, "", dtype=object)
    confidence = np.full(n, np.nan)
    who = np.full(n, "", dtype=object)
    if data.files_train:  # a folder dataset: its class sub-folders are labels people gave
        label[data.y_train >= 0] = data.y_train[data.y_train >= 0]
        source[data.y_train >= 0] = "folder"
    rows = model["image_index"].to_numpy(dtype=int)
    label[rows] = model["predicted_class"].to_numpy(dtype=int)
    source[rows] = "model"
    confidence[rows] = model["confidence"].to_numpy(dtype=float)
    reason = np.full(n, "", dtype=object)
    reasons = review["reason"] if "reason" in review else pd.Series("uncertain", review.index)
    listed = review["image_index"].to_numpy(dtype=int)
    reason[listed] = reasons.to_numpy()
    if len(human):
        people = human["image_index"].to_numpy(dtype=int)
        label[people] = human["label"].to_numpy(dtype=int)
        ties = people[label[people] < 0]  # tied votes: the model's pick among them
        if len(ties):
            pick = dict(zip(listed, review["predicted_class"].astype(int), strict=True))
            unsettled = [i for i in ties if i not in pick]
            if unsettled:
                raise InputError(
                    f"final labels: image {unsettled[0]} has tied votes but no row in "
                    "review.csv; re-run label_pool_from_people"
                )
            label[ties] = [pick[i] for i in ties]
        source[people] = "person"
        confidence[people] = np.nan
        named = human["annotator"].fillna("").astype(str) if "annotator" in human else None
        sessions = human["session"].astype(str)
        who[people] = (sessions if named is None else named.where(named != "", sessions)).to_numpy()
    missing = np.flatnonzero(source == "")
    if len(missing):
        raise InputError(
            f"final labels: {len(missing)} training images have no label from a person, the "
            f"folder or the model (first: row {missing[0]}); re-run label_pool_from_people"
        )
    needs_review = reason != ""
    names = np.array(data.class_names)
    train = pd.DataFrame(
        {
            "split": "train",
            "image_index": np.arange(n),
            "file": list(data.files_train) if data.files_train else "",
            "label": label,
            "class_name": names[label],
            "source": source,
            "confidence": np.round(confidence, 6),
            "who": who,
            "needs_review": needs_review,
            "review_reason": reason,
        }
    )
    m = len(data.x_test)
    test = pd.DataFrame(
        {
            "split": "test",
            "image_index": np.arange(m),
            "file": list(data.files_test) if data.files_test else "",
            "label": data.y_test,
            "class_name": names[data.y_test],
            "source": "folder" if data.files_train else "dataset",
            "confidence": np.nan,
            "who": "",
            "needs_review": False,
            "review_reason": "",
        }
    )
    return pd.concat([train, test], ignore_index=True)[list(COLUMNS)]
