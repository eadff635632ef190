"""How far two people agree on the images both labelled (``labelling.overlap``): the share
of equal labels and Cohen's kappa (agreement beyond chance), over all classes and per
class (that class against the rest)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

COLUMNS = ("class_name", "images", "agreement", "kappa")


def _kappa(a: np.ndarray, b: np.ndarray) -> float:
    from sklearn.metrics import cohen_kappa_score

    if len(a) == 0 or len(set(a) | set(b)) < 2:
        return np.nan  # no shared image, or one class only: kappa is undefined
    return float(cohen_kappa_score(a, b))


def agreement(
    votes: Mapping[int, Mapping[str, int]],
    names: Mapping[str, str],
    class_names: tuple[str, ...],
) -> pd.DataFrame:
    """``votes``: image -> session -> label (``StandingView.votes``); ``names``: session ->
    annotator. An image counts once two different annotators labelled it (the first two by
    name); one row for all classes, then one a class."""
    pairs = []
    for _, by_session in sorted(votes.items()):
        by_person: dict[str, int] = {}
        for session, label in by_session.items():
            by_person.setdefault(names.get(session, session), label)
        if len(by_person) >= 2:
            first, second = sorted(by_person)[:2]
            pairs.append((by_person[first], by_person[second]))
    a = np.array([p[0] for p in pairs], dtype=int)
    b = np.array([p[1] for p in pairs], dtype=int)
    rows = [
        {
            "class_name": "(all)",
            "images": len(pairs),
            "agreement": float((a == b).mean()) if len(a) else np.nan,
            "kappa": _kappa(a, b),
        }
    ]
    for k, name in enumerate(class_names):
        involved = (a == k) | (b == k)
        rows.append(
            {
                "class_name": name,
                "images": int(involved.sum()),
                "agreement": float((a[involved] == b[involved]).mean())
                if involved.any()
                else np.nan,
                "kappa": _kappa(a == k, b == k) if involved.any() else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS))
