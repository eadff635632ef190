"""What people drew in the adversarial rounds, in SQLite beside the label store: the
drawings, the rounds (each round's model file and what it trained on), the rebuilt round
models and the peer verdicts; append-only rows, like every people's store."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from dsplaybook.errors import InputError
from dsplaybook.store import LabelStore, now, table_columns, table_names

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

DRAWING_COLUMNS = (
    "id",
    "round",
    "session",
    "client",
    "time",
    "strokes",
    "bitmap",
    "prediction",
    "probabilities",
    "true_class",
    "fooled",
)
COUNTS = ("id", "round", "session", "client", "true_class", "fooled")  # the bookkeeping's
CLIENT = "TEXT NOT NULL DEFAULT ''"  # the browser profile (page cookie) a row came from


class DrawingStore(LabelStore):
    """Drawings and rounds in the dataset's store (same file, WAL, append-only)."""

    tables = (*LabelStore.tables, DRAWINGS, ROUNDS, ROUND_MODELS, VALIDATIONS, ROUND_FACTS)
    added_columns = (
        *LabelStore.added_columns,
        ("drawings", "client", CLIENT),
        ("validations", "client", CLIENT),
    )

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
                "INSERT INTO drawings (round, session, client, time, strokes, bitmap, "
                "prediction, probabilities, true_class, fooled) VALUES (:round, :session, "
                ":client, :time, :strokes, :bitmap, :prediction, :probabilities, "
                ":true_class, :fooled)",
                {"client": "", **row, "time": now()},
            )
            return int(cursor.lastrowid or 0)

    def add_round(
        self,
        round_: int,
        last_drawing: int,
        model: str,
        sha256: str,
        last_validation: int = 0,
        test_error: float | None = None,
    ) -> None:
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

    def add_verdict(self, drawing: int, session: str, verdict: str, client: str = "") -> int:
        with self._connect() as conn:
            cursor = conn.execute(
                "INSERT INTO validations (drawing, session, client, verdict, time) "
                "VALUES (?,?,?,?,?)",
                (drawing, session, client, verdict, now()),
            )
            return int(cursor.lastrowid or 0)

    def verdicts(self) -> pd.DataFrame:
        """Every verdict, oldest first; ``client`` is the session where the store
        predates clients (or the request had none)."""
        columns = ["id", "drawing", "session", "client", "verdict", "time"]
        if not self.path.exists():
            return pd.DataFrame(columns=columns)
        with self._connect(write=False) as conn:
            if "validations" not in table_names(conn):
                return pd.DataFrame(columns=columns)
            select = _with_client(conn, "validations", columns)
            rows = conn.execute(f"SELECT {select} FROM validations ORDER BY id")
            return pd.DataFrame(rows.fetchall(), columns=columns)

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
        with self._connect(write=False) as conn:
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
        with self._connect(write=False) as conn:
            if "drawings" not in table_names(conn):
                return pd.DataFrame(columns=list(columns))
            select = _with_client(conn, "drawings", list(columns))
            rows = conn.execute(f"SELECT {select} FROM drawings {where} ORDER BY id", args)
            return pd.DataFrame(rows.fetchall(), columns=list(columns))

    def last_drawing(self) -> int:
        with self._connect(write=False) as conn:
            return int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM drawings").fetchone()[0])

    def bitmap(self, drawing: int) -> np.ndarray | None:
        """One drawing's 28×28 bitmap, or None if there is no such drawing."""
        if not self.path.exists():
            return None
        with self._connect(write=False) as conn:
            row = conn.execute("SELECT bitmap FROM drawings WHERE id = ?", (drawing,)).fetchone()
        return None if row is None else np.frombuffer(row[0], np.uint8).reshape(28, 28)

    def rounds(self) -> pd.DataFrame:
        columns = ["round", "time", "last_drawing", "model", "sha256"]
        if not self.path.exists():
            return pd.DataFrame(columns=columns)
        with self._connect(write=False) as conn:
            rows = conn.execute(f"SELECT {', '.join(columns)} FROM rounds ORDER BY round")
            return pd.DataFrame(rows.fetchall(), columns=columns)


def _with_client(conn: sqlite3.Connection, table: str, columns: list[str]) -> str:
    """The SELECT list for ``columns``: ``client`` falls back to the session, for rows
    (or a store opened read-only) from before clients were recorded."""
    present = table_columns(conn, table)
    client = "COALESCE(NULLIF(client, ''), session)" if "client" in present else "session"
    return ", ".join(client if c == "client" else c for c in columns)
