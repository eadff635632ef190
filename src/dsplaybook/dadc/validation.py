"""Which drawings count: a fooling drawing is only a claim (the drawer says what it is)
until another session confirms it (Dynabench's validated examples). Statuses:

- ``agreed``: the model was right; the drawing counts (its class is not in doubt);
- ``pending``: it fooled the model, nobody else has judged it yet;
- ``validated`` / ``rejected``: the first verdict of another session (``unsure`` decides
  nothing); with ``validation: none`` every fooling drawing is validated;
- ``unclassed``: the drawer answered "none of these" (true_class -1); it never counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

VERDICTS = ("confirm", "reject", "unsure")
STATUSES = ("agreed", "pending", "validated", "rejected", "unclassed")


def statuses(drawings: pd.DataFrame, verdicts: pd.DataFrame, mode: str) -> pd.Series:
    """One status per drawing (index aligned with ``drawings``)."""
    status = pd.Series("agreed", index=drawings.index, dtype=object)
    fooled = drawings["fooled"].astype(int) == 1
    status[fooled] = "validated" if mode == "none" else "pending"
    status[drawings["true_class"].astype(int) < 0] = "unclassed"
    if mode == "none" or verdicts.empty or not fooled.any():
        return status
    author = dict(zip(drawings["id"].astype(int), drawings["session"], strict=True))
    decided: dict[int, str] = {}
    for row in verdicts.sort_values("id").itertuples():
        drawing = int(row.drawing)
        if drawing in decided or row.verdict == "unsure" or author.get(drawing) == row.session:
            continue  # the first verdict of someone else decides
        decided[drawing] = "validated" if row.verdict == "confirm" else "rejected"
    ids = drawings["id"].astype(int)
    pending = status == "pending"
    mapped = ids[pending].map(decided)
    status[pending & mapped.notna().reindex(status.index, fill_value=False)] = mapped.dropna()
    return status


def counted(drawings: pd.DataFrame, status: pd.Series) -> pd.DataFrame:
    """The drawings a round's model trains on: agreed and validated ones."""
    return drawings[status.isin(("agreed", "validated"))]


def training_drawings(
    drawings: pd.DataFrame,
    verdicts: pd.DataFrame,
    last_drawing: int,
    last_validation: int,
    mode: str,
) -> pd.DataFrame:
    """What a round's model trains on: the drawings up to ``last_drawing`` that count,
    judged by the verdicts up to ``last_validation`` — the app and the workflow's
    evaluation both call this, so a retrain is exact."""
    seen = drawings[drawings["id"] <= last_drawing]
    judged = verdicts[verdicts["id"] <= last_validation]
    return counted(seen, statuses(seen, judged, mode))


def round_figures(drawings: pd.DataFrame, status: pd.Series) -> dict:
    """Fool rate, validated model error rate (vMER) and rejection rate of a set of drawings
    (one round's), with their counts."""
    classed = status != "unclassed"
    n = int(classed.sum())
    fooled = int((drawings["fooled"].astype(int)[classed] == 1).sum())
    validated, rejected = int((status == "validated").sum()), int((status == "rejected").sum())
    judged = validated + rejected
    return {
        "drawings": n,
        "fooling": fooled,
        "validated": validated,
        "rejected": rejected,
        "pending": int((status == "pending").sum()),
        "fool_rate": fooled / n if n else np.nan,
        "vmer": validated / n if n else np.nan,
        "rejection_rate": rejected / judged if judged else np.nan,
    }
