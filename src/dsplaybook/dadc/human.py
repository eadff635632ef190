"""Adversarial drawing rounds with a person: the store, the round models, the live loop.

A round's model (``round_model``) is trained on a seeded base subset of the dataset's
training images plus the drawings stored before the round opened (its ``last_drawing``)
that count: those the model got right, and fooling ones another session validated (up
to the round's ``last_validation``; see ``validation``). The model of round k judges the
drawings of round k; once ``round_size`` of them are validated fools, round k+1's model
trains in the background and takes over when ready.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dsplaybook.atomic import atomic_path
from dsplaybook.dadc.round_model import (
    HumanRoundSettings,
    RoundModel,
    train_round_model,
)
from dsplaybook.dadc.validation import VERDICTS, round_figures, statuses, training_drawings
from dsplaybook.data.datasets import MnistStyle
from dsplaybook.errors import InputError
from dsplaybook.store import LabelStore, now, table_names

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
VALIDATIONS = """
CREATE TABLE IF NOT EXISTS validations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    drawing INTEGER NOT NULL,        -- a fooling drawing another session judged
    session TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('confirm', 'reject', 'unsure')),
    time TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS validations_drawing ON validations(drawing)
"""
ROUND_FACTS = """
CREATE TABLE IF NOT EXISTS round_facts (
    round INTEGER PRIMARY KEY,       -- written with the round, once
    last_validation INTEGER NOT NULL,  -- the model saw verdicts with id <= this
    test_error REAL                  -- on the dataset's test set (NULL: it has none)
)
"""

DRAWING_COLUMNS = ("id", "round", "session", "time", "strokes", "bitmap", "prediction",
                   "probabilities", "true_class", "fooled")  # fmt: skip
COUNTS = ("id", "round", "session", "true_class", "fooled")  # what the bookkeeping needs
FORGETTING = 0.005  # a round whose test error exceeds round 0's by more is flagged


class DrawingStore(LabelStore):
    """Drawings and rounds in the dataset's store (same file, WAL, append-only)."""

    tables = (*LabelStore.tables, DRAWINGS, ROUNDS, ROUND_MODELS, VALIDATIONS, ROUND_FACTS)

    @classmethod
    def round_numbers(cls, path: str | Path) -> list[int]:
        """Rounds that hold drawings, read without writing anything (the workflow asks
        at every parse): one column, no strokes or bitmaps."""
        path = Path(path)
        if not path.exists():
            return []
        with cls(path).reading() as conn:
            if "drawings" not in table_names(conn):
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

    def add_round(self, round_: int, last_drawing: int, model: str, sha256: str,
                  last_validation: int = 0, test_error: float | None = None) -> None:  # fmt: skip
        """The round and its facts, in one transaction."""
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(
                    "INSERT INTO rounds (round, time, last_drawing, model, sha256) "
                    "VALUES (?,?,?,?,?)",
                    (round_, now(), last_drawing, model, sha256),
                )
                conn.execute(
                    "INSERT INTO round_facts (round, last_validation, test_error) VALUES (?,?,?)",
                    (round_, last_validation, test_error),
                )
                conn.execute("COMMIT")
            except sqlite3.IntegrityError as err:
                conn.execute("ROLLBACK")
                raise InputError(
                    f"{self.path}: round {round_} is already recorded (is a second app "
                    "serving this store? stop it)"
                ) from err
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def add_verdict(self, drawing: int, session: str, verdict: str) -> int:
        with self._connect() as conn:
            cursor = conn.execute(
                "INSERT INTO validations (drawing, session, verdict, time) VALUES (?,?,?,?)",
                (drawing, session, verdict, now()),
            )
            return int(cursor.lastrowid)

    def verdicts(self) -> pd.DataFrame:
        return self._table("validations", ["id", "drawing", "session", "verdict", "time"])

    def round_facts(self) -> pd.DataFrame:
        return self._table("round_facts", ["round", "last_validation", "test_error"])

    def add_round_model(self, round_: int, model: str, sha256: str) -> None:
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO round_models (round, time, model, sha256) VALUES (?,?,?,?)",
                (round_, now(), model, sha256),
            )

    def model_file(self, round_: int) -> tuple[str, str] | None:
        """The round's model file and its hash: the latest rebuild, else the original."""
        with self._connect() as conn:
            rebuilt = (
                "round_models" in table_names(conn)
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


class VerdictRefused(InputError):
    """A verdict that cannot be given: on one's own drawing, or on no fooling drawing."""

    http_status = 400


class RoundClosed(InputError):
    """A drawing guessed by a round that is no longer the open one."""

    http_status = 409


class DrawingRounds:
    """The live loop behind the drawing page (thread-safe).

    Only the open round's model is held. Its file is a cache of the store: missing,
    altered or unreadable, it is retrained from what the store says it saw
    (``last_drawing``, ``last_validation``) and the rebuild recorded; round numbers come
    from the store, so a restart never reuses one."""

    def __init__(self, data: MnistStyle, store: DrawingStore, models: Path, s: HumanRoundSettings):
        self.data, self.store, self.models_dir, self.settings = data, store, Path(models), s
        self._lock = threading.Lock()
        self._training: threading.Thread | None = None
        self._models: dict[int, RoundModel] = {}
        rounds = store.rounds()
        if rounds.empty:
            self._finish_round(0, last_drawing=0, last_validation=0)
        else:  # a restart continues at the last round
            self._models[int(rounds.iloc[-1]["round"])] = self._load_model(rounds.iloc[-1])

    @property
    def round(self) -> int:
        return max(self._models)

    @property
    def training(self) -> bool:
        return self._training is not None and self._training.is_alive()

    @property
    def classes(self) -> tuple[str, ...]:
        return self.data.class_names

    def judge(self, bitmap: np.ndarray) -> tuple[int, np.ndarray]:
        """The open round and its model's probabilities for ``bitmap``."""
        round_ = self.round
        return round_, self._models[round_].probabilities(bitmap[None], len(self.classes))[0]

    def submit(self, strokes, bitmap: np.ndarray, true_class: int, session: str,  # noqa: ANN001
               round_: int) -> dict:  # fmt: skip
        """Store a drawing judged by ``round_``'s model, the round it was guessed in; a
        round closed since is refused (``RoundClosed``), so every row's round is the
        model that judged it. ``true_class`` -1: "none of these" (kept, never counted)."""
        current, probabilities = self.judge(bitmap)
        if round_ != current:
            raise RoundClosed(
                f"round {round_} closed; guess again (round {current} is open)"
                if round_ < current
                else f"round {round_} is not open (round {current} is); guess again"
            )
        prediction = int(np.argmax(probabilities))
        fooled = true_class >= 0 and prediction != true_class
        drawing = self.store.add_drawing(
            round=current,
            session=session,
            strokes=json.dumps(strokes),
            bitmap=bitmap.astype(np.uint8).tobytes(),
            prediction=prediction,
            probabilities=json.dumps([round(float(p), 6) for p in probabilities]),
            true_class=int(true_class),
            fooled=int(fooled),
        )
        self.store.checkpoint()
        self._maybe_close_round()
        pending = fooled and self.settings.validation == "peer"
        return {"drawing": drawing, "round": current, "prediction": prediction,
                "fooled": fooled, "pending": pending}  # fmt: skip

    def validate(self, drawing: int, session: str, verdict: str) -> dict:
        """Another session's verdict on a fooling drawing's claimed class."""
        if verdict not in VERDICTS:
            raise VerdictRefused(f"verdict: one of {', '.join(VERDICTS)}")
        table = self.store.drawings(COUNTS)
        row = table[table["id"] == drawing]
        if row.empty or int(row["fooled"].iloc[0]) != 1:
            raise VerdictRefused(f"drawing {drawing}: no fooling drawing waits for a verdict")
        if row["session"].iloc[0] == session:
            raise VerdictRefused(f"drawing {drawing}: you drew it; another person validates it")
        verdict_id = self.store.add_verdict(drawing, session, verdict)
        self.store.checkpoint()
        self._maybe_close_round()
        return {"verdict": verdict_id, "drawing": drawing}

    def _statuses(self, table: pd.DataFrame, verdicts: pd.DataFrame | None = None) -> pd.Series:
        verdicts = self.store.verdicts() if verdicts is None else verdicts
        return statuses(table, verdicts, self.settings.validation)

    def state(self, session: str = "") -> dict:
        table = self.store.drawings(COUNTS)
        verdicts = self.store.verdicts()
        status = self._statuses(table, verdicts)
        mine = table["round"] == self.round
        figures = round_figures(table[mine], status[mine])
        judged = set(verdicts.loc[verdicts["session"] == session, "drawing"].astype(int))
        waiting = table[(status == "pending") & (table["session"] != session)]
        waiting = waiting[~waiting["id"].astype(int).isin(judged)]
        return {
            "round": self.round,
            "training": self.training,
            "validation": self.settings.validation,
            "needed": max(self.settings.round_size - figures["validated"], 0),
            **{k: _plain(v) for k, v in figures.items()},
            "gallery": [int(i) for i in table.loc[mine & (status == "validated"), "id"]],
            "to_validate": [
                {
                    "drawing": int(r.id),
                    "class": int(r.true_class),
                    "name": self.classes[int(r.true_class)],
                }
                for r in waiting.head(3).itertuples()
            ],  # fmt: skip
            "my_validated": int(((table["session"] == session) & (status == "validated")).sum()),
            "dashboard": self.dashboard(table, status),
        }

    def dashboard(self, table: pd.DataFrame, status: pd.Series) -> list[dict]:
        """Per round: fool rate, vMER, rejection rate, the model's test error, flagged if
        that error exceeds round 0's by more than FORGETTING."""
        facts = self.store.round_facts().set_index("round")
        first = facts["test_error"].get(0) if len(facts) else None
        rows = []
        for k in sorted(set(facts.index.astype(int)) | {self.round}):
            mine = table["round"] == k
            error = facts["test_error"].get(k) if k in facts.index else None
            error = None if error is None or pd.isna(error) else float(error)
            flagged = error is not None and first is not None and error > first + FORGETTING
            figures = round_figures(table[mine], status[mine])
            rows.append({"round": k, "test_error": error, "flagged": bool(flagged),
                         **{n: _plain(v) for n, v in figures.items()}})  # fmt: skip
        return rows

    def _maybe_close_round(self) -> None:
        with self._lock:
            if self.training:
                return
            table = self.store.drawings(COUNTS)
            status = self._statuses(table)
            validated = (table["round"] == self.round) & (status == "validated")
            if int(validated.sum()) < self.settings.round_size:
                return
            last_drawing = self.store.last_drawing()
            verdicts = self.store.verdicts()
            last_validation = int(verdicts["id"].max()) if len(verdicts) else 0
            self._training = threading.Thread(
                target=self._finish_round_logged,
                args=(self.round + 1, last_drawing, last_validation),
                daemon=True,
            )
            self._training.start()  # the page keeps working on the current round

    def _finish_round_logged(self, round_: int, last_drawing: int, last_validation: int) -> None:
        try:
            self._finish_round(round_, last_drawing, last_validation)
        except Exception:  # a background thread has nobody to raise to: log it
            log.exception("round %d: training failed; round %d stays open", round_, self.round)

    def training_drawings(self, last_drawing: int, last_validation: int) -> pd.DataFrame:
        """What a round's model trains on: drawings up to ``last_drawing`` that count,
        judged by the verdicts up to ``last_validation`` (so a retrain is exact)."""
        return training_drawings(self.store.drawings(), self.store.verdicts(), last_drawing,
                                 last_validation, self.settings.validation)  # fmt: skip

    def _train(
        self, round_: int, last_drawing: int, last_validation: int
    ) -> tuple[RoundModel, Path]:
        drawings = self.training_drawings(last_drawing, last_validation)
        model = train_round_model(self.data, drawings, self.settings)
        path = self.models_dir / f"round_{round_}.pkl"
        with atomic_path(path) as tmp, open(tmp, "wb") as fh:
            pickle.dump(model, fh, protocol=5)
        return model, path

    def _finish_round(self, round_: int, last_drawing: int, last_validation: int) -> None:
        started = time.perf_counter()
        model, path = self._train(round_, last_drawing, last_validation)
        error = None
        if len(self.data.y_test):
            error = float((model.predict(self.data.x_test) != self.data.y_test).mean())
        self.store.add_round(round_, last_drawing, str(path), _sha256(path), last_validation, error)
        self._models = {round_: model}  # one swap: a judge sees the old or the new round
        log.info("round %d: model trained in %.1f s (drawings up to %d, verdicts up to %d), "
                 "test error %s", round_, time.perf_counter() - started, last_drawing,
                 last_validation, "n/a" if error is None else f"{error:.4f}")  # fmt: skip

    def _load_model(self, row: pd.Series) -> RoundModel:
        round_, last_drawing = int(row["round"]), int(row["last_drawing"])
        facts = self.store.round_facts()
        known = facts[facts["round"] == round_]
        last_validation = int(known["last_validation"].iloc[0]) if len(known) else 0
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
        model, rebuilt = self._train(round_, last_drawing, last_validation)
        self.store.add_round_model(round_, str(rebuilt), _sha256(rebuilt))
        return model


def _plain(value: object) -> object:
    """JSON-ready: NaN as None, numpy numbers as Python ones."""
    if isinstance(value, float | np.floating):
        return None if np.isnan(value) else float(value)
    return value


def _model_problem(path: Path | None, sha256: str) -> str | None:
    if path is None or not path.is_file():
        return "missing"
    if _sha256(path) != sha256:
        return "altered (its hash differs from the store's)"
    return None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
