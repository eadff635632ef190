"""Adversarial drawing rounds with a person: the store, the round models, the live loop.

A round's model is trained on a seeded base subset of the dataset's training images plus
every human drawing stored before the round opened (its ``last_drawing``). The model of
round k judges the drawings of round k; once ``round_size`` of them fooled it, round k+1's
model trains in the background and takes over when ready. The same function trains the
models in the app and in the workflow's evaluation, so both agree.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import sqlite3
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import Field

from dsplaybook.atomic import atomic_path
from dsplaybook.dadc.settings import HumanRounds
from dsplaybook.data.datasets import MnistStyle
from dsplaybook.errors import InputError
from dsplaybook.label_budget.methods import make_classifier
from dsplaybook.represent.features import flat_pixels
from dsplaybook.store import LabelStore, now

log = logging.getLogger("dsplaybook")

DRAWINGS = """
CREATE TABLE IF NOT EXISTS drawings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round INTEGER NOT NULL,          -- the round whose model judged it
    session TEXT NOT NULL,
    time TEXT NOT NULL,
    strokes TEXT NOT NULL,           -- JSON, canvas pixels
    bitmap BLOB NOT NULL,            -- 784 bytes, the dataset's 28x28 format
    prediction INTEGER NOT NULL,
    probabilities TEXT NOT NULL,     -- JSON list, one per class
    true_class INTEGER NOT NULL,
    fooled INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS drawings_round ON drawings(round, fooled)
"""  # the page's state reads the open round's rows only
ROUNDS = """
CREATE TABLE IF NOT EXISTS rounds (
    round INTEGER PRIMARY KEY,       -- appended once, when the round's model is ready
    time TEXT NOT NULL,
    last_drawing INTEGER NOT NULL,   -- the model saw drawings with id <= this
    model TEXT NOT NULL,
    sha256 TEXT NOT NULL
)
"""
ROUND_MODELS = """
CREATE TABLE IF NOT EXISTS round_models (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    round INTEGER NOT NULL,          -- a model file rebuilt for this round
    time TEXT NOT NULL,
    model TEXT NOT NULL,
    sha256 TEXT NOT NULL
)
"""  # the model file is a cache of the store: a rebuilt one is recorded here

DRAWING_COLUMNS = ("id", "round", "session", "time", "strokes", "bitmap", "prediction",
                   "probabilities", "true_class", "fooled")  # fmt: skip
COUNTS = ("id", "round", "fooled")  # what the round bookkeeping needs


class HumanRoundSettings(HumanRounds):
    """``dadc.human`` plus the seed and the method's hyperparameters."""

    seed: int
    hyperparameters: Mapping[str, Any] = Field(default_factory=dict)


class DrawingStore(LabelStore):
    """Drawings and rounds in the dataset's store (same file, WAL, append-only)."""

    tables = (*LabelStore.tables, DRAWINGS, ROUNDS, ROUND_MODELS)

    @classmethod
    def round_numbers(cls, path: str | Path) -> list[int]:
        """Rounds that hold drawings, read without writing anything (the workflow asks
        at every parse): one column, no strokes or bitmaps."""
        path = Path(path)
        if not path.exists():
            return []
        with cls(path).reading() as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if "drawings" not in tables:
                return []
            rows = conn.execute("SELECT DISTINCT round FROM drawings ORDER BY round")
            return [int(r[0]) for r in rows]

    def add_drawing(self, **row: Any) -> int:
        with self._connect() as conn:
            cursor = conn.execute(
                "INSERT INTO drawings (round, session, time, strokes, bitmap, prediction, "
                "probabilities, true_class, fooled) VALUES (:round, :session, :time, "
                ":strokes, :bitmap, :prediction, :probabilities, :true_class, :fooled)",
                {**row, "time": now()},
            )
            return int(cursor.lastrowid)

    def add_round(self, round_: int, last_drawing: int, model: str, sha256: str) -> None:
        with self._connect() as conn:
            try:
                conn.execute(
                    "INSERT INTO rounds (round, time, last_drawing, model, sha256) "
                    "VALUES (?,?,?,?,?)",
                    (round_, now(), last_drawing, model, sha256),
                )
            except sqlite3.IntegrityError as err:
                raise InputError(
                    f"{self.path}: round {round_} is already recorded (is a second app "
                    "serving this store? stop it)"
                ) from err

    def add_round_model(self, round_: int, model: str, sha256: str) -> None:
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO round_models (round, time, model, sha256) VALUES (?,?,?,?)",
                (round_, now(), model, sha256),
            )

    def model_file(self, round_: int) -> tuple[str, str] | None:
        """The round's model file and its hash: the latest rebuild, else the original."""
        with self._connect() as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            rebuilt = (
                "round_models" in tables
                and conn.execute(
                    "SELECT model, sha256 FROM round_models WHERE round = ? ORDER BY id DESC",
                    (round_,),
                ).fetchone()
            )
            first = conn.execute(
                "SELECT model, sha256 FROM rounds WHERE round = ?", (round_,)
            ).fetchone()
        return tuple(rebuilt or first) if (rebuilt or first) else None

    def drawings(
        self, columns: tuple[str, ...] = DRAWING_COLUMNS, round_: int | None = None
    ) -> pd.DataFrame:
        """The drawings table (or one round's rows), oldest first; ``columns`` spares
        reading strokes and bitmaps where only counts are needed (the page polls the
        state every 2 s)."""
        unknown = set(columns) - set(DRAWING_COLUMNS)
        if unknown:
            raise ValueError(f"no drawings column {sorted(unknown)[0]!r}")
        if not self.path.exists():
            return pd.DataFrame(columns=list(columns))
        where, args = ("WHERE round = ?", (round_,)) if round_ is not None else ("", ())
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT {', '.join(columns)} FROM drawings {where} ORDER BY id", args
            )
            return pd.DataFrame(rows.fetchall(), columns=list(columns))

    def last_drawing(self) -> int:
        with self._connect() as conn:
            return int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM drawings").fetchone()[0])

    def bitmap(self, drawing: int) -> np.ndarray | None:
        """One drawing's 28×28 bitmap, or None if there is no such drawing."""
        if not self.path.exists():
            return None
        with self._connect() as conn:
            row = conn.execute("SELECT bitmap FROM drawings WHERE id = ?", (drawing,)).fetchone()
        return None if row is None else np.frombuffer(row[0], np.uint8).reshape(28, 28)

    def rounds(self) -> pd.DataFrame:
        columns = ["round", "time", "last_drawing", "model", "sha256"]
        if not self.path.exists():
            return pd.DataFrame(columns=columns)
        with self._connect() as conn:
            rows = conn.execute(f"SELECT {', '.join(columns)} FROM rounds ORDER BY round")
            return pd.DataFrame(rows.fetchall(), columns=columns)


def bitmaps(table: pd.DataFrame) -> np.ndarray:
    """The stored 784-byte bitmaps as N×28×28 uint8."""
    if table.empty:
        return np.zeros((0, 28, 28), np.uint8)
    return np.stack([np.frombuffer(b, np.uint8).reshape(28, 28) for b in table["bitmap"]])


def base_indices(y: np.ndarray, per_class: int, seed: int) -> np.ndarray:
    """A seeded subset of up to ``per_class`` training images of every class."""
    rng = np.random.default_rng(seed)
    chosen = [
        rng.choice(np.flatnonzero(y == k), min(per_class, int((y == k).sum())), replace=False)
        for k in np.unique(y[y >= 0])
    ]
    return np.sort(np.concatenate(chosen))


def train_round_model(data: MnistStyle, drawings: pd.DataFrame, s: HumanRoundSettings):  # noqa: ANN201
    """Round model: ``s.method`` on raw pixels of the base subset plus ``drawings``."""
    base = base_indices(data.y_train, s.base_per_class, s.seed)
    x = flat_pixels(np.concatenate([data.x_train[base], bitmaps(drawings)]))
    y = np.concatenate([data.y_train[base], drawings["true_class"].to_numpy(dtype=np.int64)])
    return make_classifier(s.method, s.seed, 1, s.hyperparameters).fit(x, y)


def class_probabilities(model, bitmap: np.ndarray, n_classes: int) -> np.ndarray:  # noqa: ANN001
    """One probability per class of the dataset (zero for classes the model never saw)."""
    from dsplaybook.label_budget import scores

    full = np.zeros(n_classes)
    full[np.asarray(model.classes_, dtype=int)] = scores.class_probabilities(
        model, flat_pixels(bitmap[None])
    )[0]
    return full


class RoundClosed(InputError):
    """A drawing guessed by a round that is no longer the open one."""

    http_status = 409


class DrawingRounds:
    """The live loop behind the drawing page (thread-safe).

    Only the open round's model is held. Its file is a cache of the store: missing,
    altered or unreadable, it is retrained from the drawings the store says it saw
    (``last_drawing``) and the rebuild recorded; round numbers come from the store, so
    a restart never reuses one."""

    def __init__(self, data: MnistStyle, store: DrawingStore, models: Path, s: HumanRoundSettings):
        self.data, self.store, self.models_dir, self.settings = data, store, Path(models), s
        self._lock = threading.Lock()
        self._training: threading.Thread | None = None
        self._models: dict[int, object] = {}
        rounds = store.rounds()
        if rounds.empty:
            self._finish_round(0, last_drawing=0)
        else:  # a restart continues at the last round
            latest = rounds.iloc[-1]
            self._models[int(latest["round"])] = self._load_model(
                int(latest["round"]), int(latest["last_drawing"])
            )

    @property
    def round(self) -> int:
        return max(self._models)

    @property
    def training(self) -> bool:
        return self._training is not None and self._training.is_alive()

    def judge(self, bitmap: np.ndarray) -> tuple[int, np.ndarray]:
        """The open round and its model's probabilities for ``bitmap``."""
        round_ = self.round
        return round_, class_probabilities(self._models[round_], bitmap, len(self.data.class_names))

    def submit(self, strokes, bitmap: np.ndarray, true_class: int, session: str,  # noqa: ANN001
               round_: int) -> dict:  # fmt: skip
        """Store a drawing judged by ``round_``'s model, the round it was guessed in; a
        round closed since is refused (``RoundClosed``), so every row's round is the
        model that judged it."""
        current, probabilities = self.judge(bitmap)
        if round_ != current:
            raise RoundClosed(
                f"round {round_} closed; guess again (round {current} is open)"
                if round_ < current
                else f"round {round_} is not open (round {current} is); guess again"
            )
        prediction = int(np.argmax(probabilities))
        drawing = self.store.add_drawing(
            round=current,
            session=session,
            strokes=json.dumps(strokes),
            bitmap=bitmap.astype(np.uint8).tobytes(),
            prediction=prediction,
            probabilities=json.dumps([round(float(p), 6) for p in probabilities]),
            true_class=int(true_class),
            fooled=int(prediction != true_class),
        )
        self.store.checkpoint()
        self._maybe_close_round()
        return {"drawing": drawing, "round": current, "prediction": prediction,
                "fooled": prediction != true_class}  # fmt: skip

    def state(self) -> dict:
        current = self.store.drawings(COUNTS, round_=self.round)
        fooling = current[current["fooled"] == 1]
        return {
            "round": self.round,
            "training": self.training,
            "needed": max(self.settings.round_size - len(fooling), 0),
            "drawings": len(current),
            "fool_rate": float(current["fooled"].mean()) if len(current) else None,
            "gallery": [int(i) for i in fooling["id"]],
        }

    def _maybe_close_round(self) -> None:
        with self._lock:
            if self.training:
                return
            current = self.store.drawings(COUNTS, round_=self.round)
            if int(current["fooled"].sum()) < self.settings.round_size:
                return
            last = self.store.last_drawing()
            self._training = threading.Thread(
                target=self._finish_round_logged, args=(self.round + 1, last), daemon=True
            )
            self._training.start()  # the page keeps working on the current round

    def _finish_round_logged(self, round_: int, last_drawing: int) -> None:
        try:
            self._finish_round(round_, last_drawing)
        except Exception:  # a background thread has nobody to raise to: log it
            log.exception("round %d: training failed; round %d stays open", round_, self.round)

    def _train(self, last_drawing: int, round_: int) -> tuple[object, Path]:
        table = self.store.drawings()
        model = train_round_model(self.data, table[table["id"] <= last_drawing], self.settings)
        path = self.models_dir / f"round_{round_}.pkl"
        with atomic_path(path) as tmp, open(tmp, "wb") as fh:
            pickle.dump(model, fh, protocol=5)
        return model, path

    def _finish_round(self, round_: int, last_drawing: int) -> None:
        model, path = self._train(last_drawing, round_)
        self.store.add_round(round_, last_drawing, str(path), _sha256(path))
        self._models = {round_: model}  # one swap: a judge sees the old or the new round
        log.info("round %d: model trained on %d human drawings", round_, last_drawing)

    def _load_model(self, round_: int, last_drawing: int) -> object:
        recorded = self.store.model_file(round_)
        path, sha = (Path(recorded[0]), recorded[1]) if recorded else (None, "")
        problem = _model_problem(path, sha)
        if problem is None:
            try:
                with open(path, "rb") as fh:
                    return pickle.load(fh)
            except Exception as err:  # any unpickling failure: the cache is unusable
                problem = f"unreadable ({type(err).__name__})"
        log.warning(
            "round %d: model file %s is %s; rebuilding it from the store's drawings "
            "(id <= %d)", round_, path, problem, last_drawing,
        )  # fmt: skip
        model, rebuilt = self._train(last_drawing, round_)
        self.store.add_round_model(round_, str(rebuilt), _sha256(rebuilt))
        return model


def _model_problem(path: Path | None, sha256: str) -> str | None:
    if path is None or not path.is_file():
        return "missing"
    if _sha256(path) != sha256:
        return "altered (its hash differs from the store's)"
    return None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
