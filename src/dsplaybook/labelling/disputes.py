"""Where people disagree: one vote per person (their latest standing label on an image;
a person is the ``?who=`` name a tab gave, else the tab), the majority label, and a tie
left open for review. No dispute is settled by who labelled last. A label given in the
review list by someone who had not labelled the image before is an adjudication: they
were shown the other labels (or the model's doubt), and their label stands. A disputant
changing theirs in the review list is a vote like any other."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dsplaybook.errors import InputError
from dsplaybook.store import LabelStore, StandingView

UNRESOLVED = -1  # human_labels.csv's label where the votes tie


@dataclass(frozen=True)
class Verdict:
    """An image's people's labels: ``label`` the majority (None on a tie)."""

    label: int | None
    votes: dict[int, int]  # class -> people who gave it (most first, then class order)
    session: str  # the tab of the latest label, who named it and when
    annotator: str
    time: str
    confirmed: bool  # the latest label was given in the review list
    adjudicated: bool = False  # ``label`` is a reviewer's who had not labelled it before

    @property
    def disputed(self) -> bool:
        return len(self.votes) > 1


def verdicts(view: StandingView, names: Mapping[str, str]) -> dict[int, Verdict]:
    """Every labelled image's verdict, in the order of its latest label."""
    found = {}
    for image, rows in view.label_rows().items():
        by_person: dict[str, int] = {}
        adjudication: int | None = None
        for event in rows:  # id order: a person's later label replaces their earlier one
            person = names.get(event.session) or event.session
            if event.review and person not in by_person:  # a newcomer, shown the doubt
                adjudication = int(event.label or 0)
            by_person[person] = int(event.label or 0)
        counts = Counter(by_person.values())
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        tie = len(ranked) > 1 and ranked[0][1] == ranked[1][1]
        latest = rows[-1]
        majority = None if tie else ranked[0][0]
        found[image] = Verdict(
            label=majority if adjudication is None else adjudication,
            votes=dict(ranked),
            session=latest.session,
            annotator=names.get(latest.session, ""),
            time=latest.time,
            confirmed=bool(latest.review),
            adjudicated=adjudication is not None,
        )
    return dict(sorted(found.items(), key=lambda kv: kv[1].time))


def resolved_labels(found: Mapping[int, Verdict]) -> dict[int, int]:
    """image -> the majority label, leaving out ties (no model trains on either side)."""
    return {i: v.label for i, v in found.items() if v.label is not None}


def votes_text(votes: Mapping[int, int], class_names: tuple[str, ...]) -> str:
    """'{"shirt": 2, "t-shirt": 1}': every label given and how many people gave it."""
    return json.dumps({class_names[k]: n for k, n in votes.items()}, ensure_ascii=False)


COLUMNS = (
    "image_index",
    "label",
    "class_name",
    "file",
    "session",
    "annotator",
    "time",
    "votes",
    "disputed",
    "confirmed",
)


def people_labels_table(
    store: LabelStore, class_names: tuple[str, ...], files: tuple[str, ...]
) -> pd.DataFrame:
    """human_labels.csv: one row per image people labelled, its majority label
    (``UNRESOLVED`` and an empty class_name on a tie), the votes, whether people disagree
    and whether its latest label was given in review."""
    view = StandingView()
    view.refresh(store)
    found = verdicts(view, store.annotators())
    for image, v in found.items():
        bad = [k for k in v.votes if not 0 <= k < len(class_names)]
        if bad:
            raise InputError(
                f"{store.path}: image {image} is labelled class {bad[0]}, but the dataset has "
                f"{len(class_names)} classes; was it built anew?"
            )
    rows = [
        {
            "image_index": image,
            "label": UNRESOLVED if v.label is None else v.label,
            "class_name": "" if v.label is None else class_names[v.label],
            "file": files[image] if files else "",
            "session": v.session,
            "annotator": v.annotator,
            "time": v.time,
            "votes": votes_text(v.votes, class_names),
            "disputed": v.disputed,
            "confirmed": v.confirmed,
        }
        for image, v in found.items()
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def tied_classes(votes: str, class_names: tuple[str, ...]) -> list[int]:
    """The classes with the most votes in a ``votes`` cell of human_labels.csv."""
    given = json.loads(votes) if isinstance(votes, str) and votes else {}
    counts = {class_names.index(name): int(n) for name, n in given.items() if name in class_names}
    top = max(counts.values(), default=0)
    return sorted(k for k, n in counts.items() if n == top)


def best_of(proba_row: np.ndarray, allowed: list[int]) -> int:
    """The class of ``allowed`` the model gives the highest probability."""
    return int(max(allowed, key=lambda k: proba_row[k]))
