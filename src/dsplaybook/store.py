"""What people enter, kept forever: an append-only SQLite table per dataset.

Every click is a new row (label, skip or undo); nothing is ever updated or deleted, so
a crash, a restart or two tabs at once lose nothing. Undo is a row that names the row
it cancels. WAL mode lets the page read while another tab writes; each write is one
short transaction, so a killed process leaves either the whole row or none. The page
keeps a ``StandingView`` that folds in only the rows added since its last read, so a
request costs the same at 200,000 rows as at 200. A new store file is created 0600
(its -wal and -shm files take the same mode): only its owner reads what people entered.
Reads fall back to a read-only connection where the store cannot be written (a
read-only folder or disk), so a page keeps showing what was entered.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import cast

from dsplaybook.errors import InputError

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    image INTEGER NOT NULL,          -- row of x_train in the dataset's HDF5
    label INTEGER,                   -- class index (action 'label' only)
    action TEXT NOT NULL CHECK (action IN ('label', 'skip', 'undo')),
    undoes INTEGER REFERENCES events(id),
    session TEXT NOT NULL,
    time TEXT NOT NULL
)
"""
ANNOTATORS = """
CREATE TABLE IF NOT EXISTS annotators (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session TEXT NOT NULL,           -- a tab
    name TEXT NOT NULL,              -- the person it says it is (?who= in the page)
    time TEXT NOT NULL
)
"""
INDEXES = """
CREATE INDEX IF NOT EXISTS events_undoes ON events(undoes);
CREATE INDEX IF NOT EXISTS events_session ON events(session, id)
"""  # undo finds a session's latest uncancelled row without reading the table
CLASSES = """
CREATE TABLE IF NOT EXISTS classes (
    position INTEGER PRIMARY KEY,    -- the class index the events' labels use
    name TEXT NOT NULL UNIQUE
)
"""  # the class list the labels were given against: a rebuilt dataset never shifts them
BUSY_MS = 15000  # how long a write waits for other writers before giving up


@contextmanager
def read_only(path: str | Path) -> Iterator[sqlite3.Connection]:
    """Read a store without writing a byte: ``immutable`` when no writer has a WAL open
    (nothing is created, not even -wal/-shm files), else ``mode=ro`` through the
    writer's WAL (its -wal/-shm files exist already), so the newest rows are seen."""
    path = Path(path)
    wal = path.with_name(path.name + "-wal")
    mode = "mode=ro" if wal.exists() else "immutable=1"
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True, timeout=BUSY_MS / 1000)
    try:
        yield conn
    finally:
        conn.close()


class StoreBusy(InputError):
    """Another program holds the store's write lock: try again in a moment."""


def store_error(path: Path, err: sqlite3.Error, busy_ms: int | None = None) -> InputError:
    """What went wrong with a store, as one line with the fix."""
    text = str(err)
    if "locked" in text or "busy" in text:
        waited = (busy_ms or BUSY_MS) / 1000
        return StoreBusy(
            f"{path}: locked by another program for {waited:g} s; close it (or wait) and try again"
        )
    if "not a database" in text or "malformed" in text:
        return InputError(
            f"{path}: not a readable SQLite database ({text}); move it aside "
            "(it may hold labels: keep a copy) and restart"
        )
    return InputError(f"{path}: {text}")


@dataclass(frozen=True)
class Event:
    id: int
    image: int
    label: int | None
    action: str
    undoes: int | None
    session: str
    time: str
    review: int = 0  # 1: given in the review list (a store from before lacks the column)


class LabelStore:
    """The store of one dataset; every method opens and closes its own connection, so
    one store object serves any number of threads."""

    tables: tuple[str, ...] = (SCHEMA, ANNOTATORS, INDEXES, CLASSES)
    added_columns: tuple[tuple[str, str, str], ...] = (
        ("events", "review", "INTEGER NOT NULL DEFAULT 0"),  # 1: given in the review list
    )  # (table, column, declaration): added in a later version, an older store gets
    # them on opening

    def __init__(
        self,
        path: str | Path,
        busy_ms: int | None = None,
        readonly: bool = False,
        classes: tuple[str, ...] | None = None,
    ):
        self.path = Path(path)
        self.busy_ms = busy_ms  # None: BUSY_MS (the page passes a short one)
        self.readonly = readonly  # the workflow's view: not a byte written, no schema added
        self.classes = classes  # the dataset's class names: labels are read and written
        # in its order, whatever order the store's own class list has
        self._prepared = False  # WAL mode and the table, set up once per store object
        self._prepare_lock = threading.Lock()
        self._to_dataset: dict[int, int] | None = None  # stored index -> dataset index
        self._to_stored: dict[int, int] | None = None
        self._lost: list[str] = []  # stored classes the dataset no longer has

    @contextmanager
    def _connect(self, write: bool = True) -> Iterator[sqlite3.Connection]:
        """A connection; ``write`` False (a read) falls back to a read-only one where the
        store cannot be opened for writing."""
        if self.readonly:
            with self.reading() as conn:
                yield conn
            return
        try:
            conn = self._open()
        except InputError:
            if write or not self.path.exists():
                raise
            with self.reading() as conn:  # a read-only folder or disk: reads still work
                yield conn
            return
        try:
            yield conn
        except sqlite3.Error as err:
            raise self._error(err) from err
        finally:
            conn.close()

    def _open(self) -> sqlite3.Connection:
        """A writable connection, the schema prepared once per store object."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():  # created private: people's entries are theirs
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))  # a umask
                # can only narrow this
            conn = sqlite3.connect(self.path, timeout=self._busy_s, isolation_level=None)
        except OSError as err:
            raise InputError(f"{self.path}: {err.strerror or err}") from err
        except sqlite3.Error as err:
            raise self._error(err) from err
        try:
            conn.execute("PRAGMA synchronous=FULL")  # a row that was answered OK is on disk
            with self._prepare_lock:
                if not self._prepared:  # schema changes take the write lock: only once
                    conn.execute("PRAGMA journal_mode=WAL")
                    for table in self.tables:
                        conn.executescript(table)
                    for table, column, declaration in self.added_columns:
                        if column not in table_columns(conn, table):
                            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
                    self._prepared = True
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens the WAL
        except sqlite3.Error as err:
            conn.close()
            raise self._error(err) from err
        return conn

    @property
    def _busy_s(self) -> float:
        return (self.busy_ms or BUSY_MS) / 1000

    def _error(self, err: sqlite3.Error) -> InputError:
        return store_error(self.path, err, self.busy_ms)

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A read-only connection that changes nothing on disk (see ``read_only``)."""
        try:
            with read_only(self.path) as conn:
                yield conn
        except sqlite3.Error as err:
            raise self._error(err) from err

    def _class_maps(self, conn: sqlite3.Connection) -> None:
        """Read (and on a first write, record) the store's class list and map its indices
        to the dataset's by name; a class the store has not seen is appended to it."""
        if self.classes is None or self._to_stored is not None:
            return
        stored: dict[str, int] = {}
        if "classes" in table_names(conn):
            stored = dict(conn.execute("SELECT name, position FROM classes").fetchall())
        if not self.readonly and any(name not in stored for name in self.classes):
            conn.execute("BEGIN IMMEDIATE")
            stored = dict(conn.execute("SELECT name, position FROM classes").fetchall())
            if not stored and conn.execute("SELECT 1 FROM events LIMIT 1").fetchone():
                # a store from before class lists: its labels are in the dataset's order
                stored = {name: k for k, name in enumerate(self.classes)}
                conn.executemany("INSERT INTO classes VALUES (?, ?)",
                                 [(k, n) for n, k in stored.items()])  # fmt: skip
            for name in self.classes:
                if name not in stored:
                    stored[name] = max(stored.values(), default=-1) + 1
                    conn.execute("INSERT INTO classes VALUES (?, ?)", (stored[name], name))
            conn.execute("COMMIT")
        if not stored:  # read-only and never written: the dataset's order
            stored = {name: k for k, name in enumerate(self.classes)}
        self._to_stored = {k: stored[n] for k, n in enumerate(self.classes) if n in stored}
        self._to_dataset = {v: k for k, v in self._to_stored.items()}
        self._lost = sorted(set(stored) - set(self.classes))

    def _dataset_label(self, stored: int | None, event_id: int) -> int | None:
        if stored is None or self._to_dataset is None:
            return stored
        if stored not in self._to_dataset:
            raise InputError(
                f"{self.path}: row {event_id} labels a class ({stored}) the dataset no longer "
                f"has (the store also knows {', '.join(map(repr, self._lost)) or 'none'}); "
                "put that class folder back or use a new store"
            )
        return self._to_dataset[stored]

    def _append(self, conn: sqlite3.Connection, event: dict) -> int:
        cursor = conn.execute(
            "INSERT INTO events (image, label, action, undoes, session, time, review) "
            "VALUES (:image, :label, :action, :undoes, :session, :time, :review)",
            {"label": None, "undoes": None, "review": 0, **event, "time": now()},
        )
        return int(cursor.lastrowid or 0)

    def label(self, image: int, label: int, session: str, review: bool = False) -> int:
        """Append a label (``label``: a class index of the dataset); ``review``: given in
        the review list, by someone who was shown why the image is there."""
        with self._connect() as conn:
            self._class_maps(conn)
            stored = self._to_stored[label] if self._to_stored is not None else label
            event = {"image": image, "label": stored, "action": "label", "session": session}
            return self._append(conn, {**event, "review": int(review)})

    def skip(self, image: int, session: str, review: bool = False) -> int:
        with self._connect() as conn:
            event = {"image": image, "action": "skip", "session": session}
            return self._append(conn, {**event, "review": int(review)})

    def undo(self, session: str) -> Event | None:
        """Cancel this session's latest label or skip not cancelled yet; return it."""
        with self._connect() as conn:
            self._class_maps(conn)
            conn.execute("BEGIN IMMEDIATE")  # find and cancel in one step
            try:
                row = conn.execute(
                    "SELECT * FROM events e WHERE session = ? AND action != 'undo' "
                    "AND NOT EXISTS (SELECT 1 FROM events u WHERE u.undoes = e.id) "
                    "ORDER BY id DESC LIMIT 1",
                    (session,),
                ).fetchone()
                if row is not None:
                    target = Event(*row)
                    self._append(
                        conn,
                        {
                            "image": target.image,
                            "action": "undo",
                            "undoes": target.id,
                            "session": session,
                        },
                    )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        if row is None:
            return None
        return replace(target, label=self._dataset_label(target.label, target.id))

    def events(self, after: int = 0) -> list[Event]:
        """Rows with an id above ``after``, oldest first (the primary key: no scan)."""
        if not self.path.exists():
            return []
        with self._connect(write=False) as conn:
            self._class_maps(conn)
            rows = conn.execute("SELECT * FROM events WHERE id > ? ORDER BY id", (after,))
            events = [Event(*row) for row in rows]
        if self._to_dataset is None:
            return events
        return [replace(e, label=self._dataset_label(e.label, e.id)) for e in events]

    def standing(self) -> list[Event]:
        """Labels and skips that no undo cancelled, oldest first (one read of the table)."""
        events = self.events()
        cancelled = {e.undoes for e in events if e.action == "undo"}
        return [e for e in events if e.action != "undo" and e.id not in cancelled]

    def current_labels(self) -> dict[int, Event]:
        return latest_labels(self.standing())

    def skipped_by(self, session: str) -> set[int]:
        return skips_of(self.standing(), session)

    def name_session(self, session: str, name: str) -> None:
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO annotators (session, name, time) VALUES (?, ?, ?)",
                (session, name, now()),
            )

    def annotators(self) -> dict[str, str]:
        """session -> its latest name (sessions never named are absent)."""
        table = self._table("annotators", ["id", "session", "name"])
        return dict(zip(table["session"], table["name"], strict=True))

    def _table(self, name: str, columns: list[str]):
        """A table added in a later version, in id order: empty where the store (an older
        one, opened read-only) lacks it."""
        import pandas as pd

        if not self.path.exists():
            return pd.DataFrame(columns=columns)
        with self._connect(write=False) as conn:
            if name not in table_names(conn):
                return pd.DataFrame(columns=columns)
            rows = conn.execute(f"SELECT {', '.join(columns)} FROM {name} ORDER BY 1")
            return pd.DataFrame(rows.fetchall(), columns=columns)

    def checkpoint(self) -> None:
        """Fold the WAL into the database file, so its time stamp tells the workflow that
        labels changed (the export rule reads the store)."""
        with self._connect() as conn:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")


class StandingView:
    """The standing labels and skips, folded in row by row (rows are only ever added, so
    reading those above the last id seen keeps it exact). Not thread-safe: its owner
    locks."""

    def __init__(self) -> None:
        self.last_id = 0
        self.label_events = 0  # label rows read (undone ones too): a count of changes
        self._labels: dict[int, dict[int, Event]] = {}  # image -> its standing label rows
        self._skips: dict[str, dict[int, set[int]]] = {}  # session -> image -> skip rows
        self._cancellable: dict[int, Event] = {}  # label/skip rows by id, for undo
        self._reviews: dict[str, dict[int, set[int]]] = {}  # session -> image -> review rows

    def refresh(self, store: LabelStore) -> None:
        for event in store.events(after=self.last_id):
            self.add(event)

    def add(self, e: Event) -> None:
        self.last_id = max(self.last_id, e.id)
        if e.action == "label":
            self.label_events += 1
            self._labels.setdefault(e.image, {})[e.id] = e
        elif e.action == "skip":
            self._skips.setdefault(e.session, {}).setdefault(e.image, set()).add(e.id)
        if e.action != "undo":
            self._cancellable[e.id] = e
            if e.review:
                self._reviews.setdefault(e.session, {}).setdefault(e.image, set()).add(e.id)
            return
        target = self._cancellable.pop(e.undoes, None) if e.undoes is not None else None
        if target is None:
            return
        if target.review:
            reviewed = self._reviews[target.session]
            reviewed[target.image].discard(target.id)
            if not reviewed[target.image]:
                del reviewed[target.image]
        if target.action == "label":
            rows = self._labels[target.image]
            rows.pop(target.id, None)
            if not rows:
                del self._labels[target.image]
        else:
            skips = self._skips[target.session]
            skips[target.image].discard(target.id)
            if not skips[target.image]:
                del skips[target.image]

    def label_of(self, image: int) -> Event | None:
        """The image's latest standing label (a relabel replaces the earlier one)."""
        rows = self._labels.get(image)
        return next(reversed(rows.values())) if rows else None

    def labelled_images(self):
        """The images with a standing label (a view: no copy on every label)."""
        return self._labels.keys()

    def is_labelled(self, image: int) -> bool:
        return image in self._labels

    def label_rows(self) -> dict[int, list[Event]]:
        """image -> its standing label rows, oldest first."""
        return {image: list(rows.values()) for image, rows in self._labels.items()}

    def sessions_of(self, image: int) -> set[str]:
        return {e.session for e in self._labels.get(image, {}).values()}

    def votes(self) -> dict[int, dict[str, int]]:
        """image -> session -> that session's latest standing label."""
        return {
            image: {e.session: cast(int, e.label) for e in rows.values()}
            for image, rows in self._labels.items()
        }

    def labelled_by(self, session: str, image: int) -> bool:
        return any(e.session == session for e in self._labels.get(image, {}).values())

    def reviewed_by(self, session: str):
        """The images ``session`` labelled or skipped in the review list (a view)."""
        return self._reviews.get(session, {}).keys()

    def confirmed(self, image: int) -> bool:
        """Whether the image's latest standing label was given in the review list, by
        someone shown why it was there."""
        latest = self.label_of(image)
        return latest is not None and bool(latest.review)

    def labelled_count(self, images: set[int]) -> int:
        return len(images & self.labelled_images())

    def skipped(self, session: str, image: int) -> bool:
        return image in self._skips.get(session, {})


def table_columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def table_names(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}


def latest_labels(standing: list[Event]) -> dict[int, Event]:
    """image -> its latest standing label (a relabel replaces the earlier one)."""
    return {e.image: e for e in standing if e.action == "label"}


def skips_of(standing: list[Event], session: str) -> set[int]:
    """Images ``session`` skipped (skips are per tab)."""
    return {e.image for e in standing if e.action == "skip" and e.session == session}


def now() -> str:
    seconds, nanos = divmod(time.time_ns(), 10**9)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{nanos:09d}Z"
