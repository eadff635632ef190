"""A person labelling through the label page: the queue, each tab's lease on the image
it shows, double-labelling (overlap), review of the model's least-confident labels, and
the live model re-ranking what is left. Writes only to the label store; thread-safe
(the page's requests run in a thread pool)."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dsplaybook.data.datasets import MnistStyle
from dsplaybook.errors import InputError
from dsplaybook.labelling.disputes import Verdict, resolved_labels, verdicts
from dsplaybook.labelling.live import LiveRanking
from dsplaybook.store import LabelStore, StandingView, StoreBusy

SHORTCUTS = "1234567890"  # the k-th class in natural order (0 = the tenth)
LEASE_S = 120.0  # an image shown in one tab is not shown in another for this long


def natural_key(name: str) -> list:
    """'class 2' before 'class 10': digit runs compare as numbers, the rest by case-folded
    text."""
    parts = re.split(r"(\d+)", name.casefold())
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p]


def class_order(class_names: tuple[str, ...]) -> list[int]:
    """The class indices in the order the page lists them: natural order of the names."""
    return sorted(range(len(class_names)), key=lambda k: natural_key(class_names[k]))


def shortcut_keys(class_names: tuple[str, ...]) -> list[str]:
    """The key of each class index: its own name when every class is named by one digit
    (folders 0-9: key 1 labels '1'), else 1, 2, ... 9, 0 in natural order; "" beyond ten."""
    if len(set(class_names)) == len(class_names) and all(
        len(n) == 1 and n.isdigit() for n in class_names
    ):
        return list(class_names)
    keys = [""] * len(class_names)
    for position, k in enumerate(class_order(class_names)[: len(SHORTCUTS)]):
        keys[k] = SHORTCUTS[position]
    return keys


class NoLiveModel(InputError):
    """The page has no model to pick a next batch with."""

    http_status = 409


@dataclass
class LabelSession:
    """What the page works on: one dataset, its queue and its store.

    The standing labels live in a ``StandingView`` that reads only new rows; each tab
    (``session``) holds a short lease on the image it shows, so two tabs are handed
    different images; thread-safe (requests run in a thread pool)."""

    name: str
    data: MnistStyle
    queue: list[int]  # training rows, in the order a person should label them
    store: LabelStore
    folder: Path | None = None  # a folder dataset's root: originals are shown from it
    live: LiveRanking | None = None  # the model in the loop (labelling.live), if any
    review_size: int = 100  # review mode: this many least-confident model labels
    overlap: float = 0.0  # share of images (seeded) sent to two people (labelling.overlap)
    seed: int = 0
    _view: StandingView = field(default_factory=StandingView, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _leases: dict = field(default_factory=dict, init=False, repr=False)  # image -> (tab, until)
    _held: dict = field(default_factory=dict, init=False, repr=False)  # tab -> image

    def __post_init__(self) -> None:
        self._queued = set(self.queue)
        rng = np.random.default_rng([self.seed, 23])  # which images two people label
        self._overlap = rng.random(len(self.data.x_train)) < self.overlap
        self._names: dict[str, str] = {}  # tab -> annotator name already stored
        self._ranking = 0  # the live ranking the queue follows
        self._folder_labels = {}  # a folder's class sub-folders: labels people gave too
        if self.data.files_train:
            known = np.flatnonzero(self.data.y_train >= 0)
            self._folder_labels = dict(
                zip(known.tolist(), self.data.y_train[known].tolist(), strict=True)
            )
        if self.live is not None:
            self.live.labels, self.live.confirmed = self.given_labels, self.confirmed
            self.live.people = self.labellers
        self._review: tuple[int, list[tuple[int, str]]] | None = None  # (model, list)

    def verdicts(self) -> dict[int, Verdict]:
        """People's labels, image by image: one vote per person, the majority, ties open."""
        names = self.store.annotators()
        with self._lock:
            return verdicts(self._view, names)

    def given_labels(self) -> dict[int, int]:
        """Every label so far: the folder's, then the majority of people's on top (an image
        whose people tie is left out: neither side trains the model)."""
        found = self.verdicts()
        ties = {i for i, v in found.items() if v.label is None}
        folder = {i: k for i, k in self._folder_labels.items() if i not in ties}
        return {**folder, **resolved_labels(found)}

    def labellers(self) -> dict[int, str]:
        """image -> who gave its standing label (the latest one's person: name or tab)."""
        return {i: v.annotator or v.session for i, v in self.verdicts().items()}

    def confirmed(self) -> set[int]:
        """Images whose latest label was given in the review list."""
        with self._lock:
            return {i for i in self._view.labelled_images() if self._view.confirmed(i)}

    def state(self, session: str, mode: str = "label", lease: bool = True) -> dict:
        """What the page shows; ``mode`` review walks ``review_list`` instead of the queue.
        ``lease`` False (a GET: no side effect) shows the image the tab would get without
        holding it; the page itself asks with a POST, which leases."""
        if mode == "review":
            return self._review_state(session)
        stale = self.refresh()
        with self._lock:
            self._follow_ranking()
            image = self._next_for(session, lease)
            labelled, queued = self._view.labelled_count(self._queued), len(self.queue)
        return self._page(image, labelled, queued, stale)

    def _page(
        self,
        image: int | None,
        labelled: int,
        queued: int,
        stale: str | None,
        mode: str | None = None,
    ) -> dict:
        """The page's state: the image to show, progress, and the live model's standing
        and guess for that image when there is a model."""
        answer: dict[str, Any] = {
            "dataset": self.name,
            **({"mode": mode} if mode else {}),
            "classes": list(self.data.class_names),
            "order": class_order(self.data.class_names),
            "shortcuts": shortcut_keys(self.data.class_names),
            "labelled": labelled,
            "queued": queued,
            "next": image,
            "file": self._file(image) if image is not None else "",
        }
        if self.live is not None:
            live = self.live
            answer["model"] = {
                "labels": live.trained_on,
                "ranking": live.version,
                "training": live.training,
                "estimate": live.estimate,
            }
            answer["suggestion"] = (
                None if image is None else live.suggestion(image, self.data.class_names)
            )
        return {**answer, "store_busy": stale} if stale else answer

    def review_list(self) -> list[int]:
        """What the review mode walks (see ``review_items``), as images."""
        return [image for image, _ in self.review_items()]

    def review_items(self) -> list[tuple[int, str]]:
        """(image, why) for the current model: images whose people's votes tie
        (``dispute``), labels the model finds likely wrong (``likely_wrong``; the folder's
        too), then the model's least confident labels of images nobody labelled
        (``uncertain``). Made once per model, so the list a person walks holds still."""
        version = self.live.version if self.live else 0
        kept = self._review
        if kept is not None and kept[0] == version:
            return kept[1]
        found = self.verdicts()
        items = [(i, "dispute") for i, v in found.items() if v.label is None]
        listed = {i for i, _ in items}
        if self.live is not None:
            flagged = self.live.flagged()
            confirmed = self.confirmed()
            items += [(i, "likely_wrong") for i in flagged if i not in listed | confirmed]
            listed |= set(flagged)
            with self._lock:
                given = self._folder_labels.keys() | self._view.labelled_images()
            items += [(i, "uncertain") for i in self.live.least_confident(given, self.review_size)]
        self._review = (version, items)
        return items

    def _still_open(self, session: str, image: int, why: str, found: dict) -> bool:
        """Whether ``image`` still waits in ``session``'s review list."""
        view = self._view
        if image in view.reviewed_by(session) or view.skipped(session, image):
            return False
        if why == "dispute":
            return image in found and found[image].label is None
        if why == "likely_wrong":
            return not view.confirmed(image)
        return not view.is_labelled(image)

    def _review_state(self, session: str) -> dict:
        """The next image of the review list; progress counts the images this tab
        reviewed (it never falls back when a new model makes a new list)."""
        stale = self.refresh()
        items = self.review_items()
        found = self.verdicts()
        with self._lock:
            waiting = [(i, why) for i, why in items if self._still_open(session, i, why, found)]
            done = len(self._view.reviewed_by(session))
        image, why = waiting[0] if waiting else (None, "")
        page = self._page(image, done, done + len(waiting), stale, mode="review")
        if image is not None:
            page["review"] = self._why(image, why, found)
        return page

    def _why(self, image: int, why: str, found: dict) -> dict:
        """What the review page says about an image: every label given and by how many
        people, or the label the model doubts and its own guess."""
        names = self.data.class_names
        reason: dict[str, Any] = {"reason": why}
        verdict = found.get(image)
        if verdict is not None:
            reason["votes"] = [{"name": names[k], "people": n} for k, n in verdict.votes.items()]
        elif image in self._folder_labels:
            reason["votes"] = [{"name": names[self._folder_labels[image]], "people": 0}]
        flagged = self.live.flagged().get(image) if self.live else None
        if flagged is not None:
            k = int(flagged["suggested_label"])
            reason["model"] = {"name": names[k], "p": round(float(flagged["suggested_p"]), 3)}
        return reason

    def _follow_ranking(self) -> None:
        """Take the live model's newest ranking: the labelled part of the queue stays (the
        progress counts on), the rest is the ranking's first images nobody labelled."""
        live = self.live
        if live is None or live.version == self._ranking or live.ranking is None:
            return
        done = [i for i in self.queue if self._view.is_labelled(i)]
        fresh = [i for i in live.ranking if not self._view.is_labelled(i)]
        kept = [i for i in self.queue if i not in done and i not in set(fresh)]
        self.queue = (done + fresh + kept)[: len(self.queue)]  # the ranking, then the rest
        self._queued, self._ranking = set(self.queue), live.version

    def learn(self) -> None:
        """Retrain the live model if enough labels came (in the background)."""
        if self.live is not None:
            with self._lock:
                count = len(self._folder_labels) + self._view.label_events
            self.live.maybe_retrain(count)

    def label(self, image: int, label: int, session: str, mode: str = "label") -> dict:
        self.refresh()
        with self._lock:
            prior = self._view.label_of(image)
        event = self.store.label(image, label, session, review=mode == "review")
        self.store.checkpoint()
        self._release(session, image)
        self.refresh()
        self.learn()
        answer = {"event": event, **self.state(session, mode)}
        conflict = self._conflict(image, label, session, prior)
        return {**answer, "conflict": conflict} if conflict else answer

    def _conflict(self, image: int, label: int, session: str, prior) -> dict | None:
        """What to tell a tab whose label follows another tab's on the same image: nothing
        when the image is one two people label on purpose (the overlap) and they agree;
        a disagreement when they do not; a conflict when it was not meant to be shared."""
        if prior is None or prior.session == session:
            return None
        intended = bool(self._overlap[image])
        if intended and prior.label == label:
            return None
        names = self.data.class_names
        theirs = prior.label if prior.label is not None else -1
        other = names[theirs] if 0 <= theirs < len(names) else "?"
        if intended:
            message = (
                f"another person labelled this image {other!r}; yours ({names[label]!r}) is "
                "kept beside it for review"
            )
        else:  # what the votes now say (one a person), not "the later label counts"
            verdict = self.verdicts().get(image)
            outcome = (
                "the votes tie, so it goes to review"
                if verdict is None or verdict.label is None
                else f"its label is now {names[verdict.label]!r}"
            )
            message = (
                f"another tab had labelled this image {other!r}; yours ({names[label]!r}) "
                f"is stored beside it and {outcome}"
            )
        kind = "disagreement" if intended else "conflict"
        return {"image": image, "other": other, "yours": names[label], "kind": kind,
                "message": message}  # fmt: skip

    def skip(self, image: int, session: str, mode: str = "label") -> dict:
        event = self.store.skip(image, session, review=mode == "review")
        self.store.checkpoint()
        self._release(session, image)
        return {"event": event, **self.state(session, mode)}

    def next_batch(self, session: str) -> dict:
        """The queue done, the next batch now: the live model's strategy on every label
        so far (what `make app` would queue), appended after the labelled images."""
        if self.live is None:
            raise NoLiveModel(
                f"no model in the loop (labelling.retrain_every: 0); stop the page and run "
                f"make app DATASET={self.name} for the next batch"
            )
        from dsplaybook.labelling.queue import select_images

        picks, _ = select_images(self.live.x, self.given_labels(), self.live.settings)
        with self._lock:
            done = [i for i in self.queue if self._view.is_labelled(i)]
            self.queue = done + [int(i) for i in picks if int(i) not in set(done)]
            self._queued = set(self.queue)
        return self.state(session)

    def undo(self, session: str, mode: str = "label") -> dict:
        event = self.store.undo(session)
        self.store.checkpoint()
        undone = None
        if event is not None:
            names = self.data.class_names
            known = event.label is not None and 0 <= event.label < len(names)
            name = names[event.label] if known and event.label is not None else None
            undone = {"image": event.image, "action": event.action, "class": name}
        return {"undone": undone, **self.state(session, mode)}

    def refresh(self) -> str | None:
        """Fold in rows added since the last read; if another program holds the store,
        answer from what was read before and say so."""
        with self._lock:
            try:
                self._view.refresh(self.store)
            except StoreBusy as err:
                return str(err)
        return None

    def _next_for(self, session: str, lease: bool = True) -> int | None:
        """The first queued image this tab has neither labelled nor skipped and no other
        tab holds; if others hold all that are left, the first of those (a label on it
        is then reported as a conflict). Leases it to this tab if ``lease``."""
        now, fallback = time.monotonic(), None
        image: int | None = None
        for image in self.queue:
            if self._done_for(session, image) or self._view.skipped(session, image):
                continue
            holder, until = self._leases.get(image, (session, 0.0))
            if holder == session or until < now:
                break
            fallback = image if fallback is None else fallback
        else:
            image = fallback
        if image is not None and lease:
            previous = self._held.pop(session, None)
            if previous is not None and self._leases.get(previous, ("",))[0] == session:
                del self._leases[previous]
            self._leases[image] = (session, now + LEASE_S)
            self._held[session] = image
            if len(self._held) > 4 * len(self.queue) + 100:  # bounded, whatever tabs do:
                self._expire(now)  # tabs whose lease ran out are forgotten
        return image

    def _expire(self, now: float) -> None:
        self._leases = {i: v for i, v in self._leases.items() if v[1] >= now}
        self._held = {
            tab: i for tab, i in self._held.items() if self._leases.get(i, ("",))[0] == tab
        }
        if len(self._names) > 1000:
            self._names = {}  # a cache of what is stored: it refills

    def _done_for(self, session: str, image: int) -> bool:
        """Labelled as far as this tab is concerned: by this tab, or by another unless the
        image is one of the overlap that two people label."""
        sessions = self._view.sessions_of(image)
        if not sessions or session in sessions:
            return bool(sessions)
        return not (self._overlap[image] and len(sessions) < 2)

    def set_annotator(self, session: str, name: str) -> None:
        """Record once which person a tab says it is (``?who=`` in the page)."""
        if self._names.get(session) != name:
            self.store.name_session(session, name)
            self._names[session] = name

    def _release(self, session: str, image: int) -> None:
        with self._lock:
            if self._leases.get(image, ("",))[0] == session:
                del self._leases[image]

    def _file(self, image: int) -> str:
        return self.data.files_train[image] if self.data.files_train else ""


def load_queue(path: str | Path, n_images: int) -> list[int]:
    queue = pd.read_csv(path)
    if "image_index" not in queue.columns:
        raise InputError(f"{path}: column 'image_index' is missing; re-run select_images_to_label")
    rows = queue.sort_values("rank")["image_index"].astype(int).tolist()
    if any(not 0 <= i < n_images for i in rows):
        raise InputError(f"{path}: an image_index is outside the dataset; re-run the queue rule")
    return rows
