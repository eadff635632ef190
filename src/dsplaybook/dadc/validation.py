"""Which drawings count: a fooling drawing is only a claim (the drawer says what it is)
until other players confirm it (Dynabench's validated examples). Statuses:

- ``agreed``: the model was right; the drawing counts (its class is not in doubt);
- ``pending``: it fooled the model and is not decided yet;
- ``validated`` / ``rejected``: confirmations exceed rejections by ``k`` (validated) or
  rejections exceed confirmations by ``k`` (rejected), counting one verdict per *client*
  (browser profile) other than the drawer's — a second tab of the drawer's browser is
  the drawer; ``unsure`` counts for neither. ``k`` is the ``confirmations`` setting, or
  with ``auto`` 1 while at most two clients take part in the drawing's round (two people
  playing: the other one decides) and 2 once more do. With ``validation: none`` every
  fooling drawing is validated;
- ``unclassed``: the drawer answered "none of these" (true_class -1); it never counts.

Everything is a function of the rows given, so a round's model, retrained from the
drawings and verdicts up to its cut-offs, sees exactly the statuses it saw.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

VERDICTS = ("confirm", "reject", "unsure")
STATUSES = ("agreed", "pending", "validated", "rejected", "unclassed")
AUTO_PLAYERS = 2  # with ``auto``, one confirmation suffices up to this many players


def _client(table: pd.DataFrame) -> pd.Series:
    """Who a row came from: its client, or its session where none was recorded."""
    if "client" not in table.columns:
        return table["session"].astype(str)
    client = table["client"].fillna("").astype(str)
    return client.where(client != "", table["session"].astype(str))


def counted_verdicts(drawings: pd.DataFrame, verdicts: pd.DataFrame) -> pd.DataFrame:
    """The verdicts that count: on a drawing of the table, not from its drawer's client
    or session, the first of each client per drawing, ``unsure`` left out."""
    if verdicts.empty or drawings.empty:
        return verdicts.iloc[0:0].assign(client=pd.Series(dtype=object))
    author = pd.DataFrame(
        {
            "drawing": drawings["id"].astype(int).to_numpy(),
            "author_client": _client(drawings).to_numpy(),
            "author_session": drawings["session"].astype(str).to_numpy(),
        }
    )
    given = verdicts.assign(client=_client(verdicts), drawing=verdicts["drawing"].astype(int))
    given = given.sort_values("id").merge(author, on="drawing", how="inner")
    others = (given["client"] != given["author_client"]) & (
        given["session"].astype(str) != given["author_session"]
    )
    given = given[others].drop_duplicates(["drawing", "client"], keep="first")
    return given[given["verdict"] != "unsure"].drop(columns=["author_client", "author_session"])


def needed(drawings: pd.DataFrame, verdicts: pd.DataFrame, confirmations) -> pd.Series:
    """``k`` per round present in ``drawings`` (see the module docstring)."""
    rounds = drawings["round"].astype(int)
    if confirmations != "auto":
        return pd.Series(int(confirmations), index=sorted(rounds.unique()), dtype=int)
    round_of = dict(zip(drawings["id"].astype(int), rounds, strict=True))
    judged = verdicts[verdicts["drawing"].astype(int).isin(round_of)]
    players = pd.concat(
        [
            pd.DataFrame({"round": rounds.to_numpy(), "client": _client(drawings).to_numpy()}),
            pd.DataFrame(
                {
                    "round": judged["drawing"].astype(int).map(round_of).to_numpy(),
                    "client": _client(judged).to_numpy(),
                }
            ),
        ]
    )
    count = players.drop_duplicates().groupby("round")["client"].size()
    return count.map(lambda n: 1 if n <= AUTO_PLAYERS else 2).astype(int)


def statuses(
    drawings: pd.DataFrame, verdicts: pd.DataFrame, mode: str, confirmations="auto"
) -> pd.Series:
    """One status per drawing (index aligned with ``drawings``)."""
    status = pd.Series("agreed", index=drawings.index, dtype=object)
    fooled = drawings["fooled"].astype(int) == 1
    status[fooled] = "validated" if mode == "none" else "pending"
    status[drawings["true_class"].astype(int) < 0] = "unclassed"
    if mode == "none" or verdicts.empty or not fooled.any():
        return status
    votes = counted_verdicts(drawings, verdicts)
    if votes.empty:
        return status
    tally = votes.assign(sign=np.where(votes["verdict"] == "confirm", 1, -1))
    net = tally.groupby("drawing")["sign"].sum()
    k = needed(drawings, verdicts, confirmations)
    ids = drawings["id"].astype(int)
    margin = ids.map(net).fillna(0).astype(int)
    need = drawings["round"].astype(int).map(k).fillna(1).astype(int)
    pending = status == "pending"
    status[pending & (margin >= need)] = "validated"
    status[pending & (-margin >= need)] = "rejected"
    return status


def validators(drawings: pd.DataFrame, verdicts: pd.DataFrame) -> pd.DataFrame:
    """Per drawing id: how many other clients confirmed and rejected it (counted verdicts)."""
    votes = counted_verdicts(drawings, verdicts)
    table = pd.crosstab(votes["drawing"], votes["verdict"])
    return pd.DataFrame(
        {
            "confirmed_by": table.get("confirm", pd.Series(0, index=table.index)),
            "rejected_by": table.get("reject", pd.Series(0, index=table.index)),
        }
    ).astype(int)


def counted(drawings: pd.DataFrame, status: pd.Series) -> pd.DataFrame:
    """The drawings a round's model trains on: agreed and validated ones."""
    return drawings[status.isin(("agreed", "validated"))]


def training_drawings(
    drawings: pd.DataFrame,
    verdicts: pd.DataFrame,
    last_drawing: int,
    last_validation: int,
    mode: str,
    confirmations="auto",
) -> pd.DataFrame:
    """What a round's model trains on: the drawings up to ``last_drawing`` that count,
    judged by the verdicts up to ``last_validation`` — the app and the workflow's
    evaluation both call this, so a retrain is exact."""
    seen = drawings[drawings["id"] <= last_drawing]
    judged = verdicts[verdicts["id"] <= last_validation]
    return counted(seen, statuses(seen, judged, mode, confirmations))


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
