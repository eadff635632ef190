"""Adversarial drawing rounds with a person: the live loop behind the drawing page (the
store is :mod:`dsplaybook.dadc.drawing_store`).

A round's model (``round_model``) is trained on a seeded base subset of the dataset's
training images plus the drawings stored before the round opened (its ``last_drawing``)
that count: those the model got right, and fooling ones other players validated (up
to the round's ``last_validation``; see ``validation``). A player is a *client*: the
browser profile the page's cookie names (a second tab is the same player), so nobody
validates their own drawing. The model of round k judges the
drawings of round k; once ``round_size`` of them are validated fools, round k+1's model
trains in the background and takes over when ready.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dsplaybook.atomic import atomic_path
from dsplaybook.dadc.drawing_store import COUNTS, DrawingStore
from dsplaybook.dadc.round_model import HumanRoundSettings, RoundModel, train_round_model
from dsplaybook.dadc.validation import VERDICTS, round_figures, statuses, training_drawings
from dsplaybook.data.datasets import MnistStyle
from dsplaybook.errors import InputError

log = logging.getLogger("dsplaybook")
FORGETTING = 0.005  # a round whose test error exceeds round 0's by more is flagged


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

    def submit(
        self,
        strokes,
        bitmap: np.ndarray,
        true_class: int,
        session: str,
        round_: int,
        client: str = "",
    ) -> dict:
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
            client=client,
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
        return {
            "drawing": drawing,
            "round": current,
            "prediction": prediction,
            "fooled": fooled,
            "pending": pending,
        }

    def validate(self, drawing: int, session: str, verdict: str, client: str = "") -> dict:
        """Another player's verdict on a fooling drawing's claimed class: refused from
        the drawer's session or client (browser profile), and a client's second verdict
        on the same drawing; ``client`` "" stands for the session."""
        if verdict not in VERDICTS:
            raise VerdictRefused(f"verdict: one of {', '.join(VERDICTS)}")
        client = client or session
        table = self.store.drawings(COUNTS)
        row = table[table["id"] == drawing]
        if row.empty or int(row["fooled"].iloc[0]) != 1:
            raise VerdictRefused(f"drawing {drawing}: no fooling drawing waits for a verdict")
        if row["session"].iloc[0] == session or row["client"].iloc[0] == client:
            raise VerdictRefused(
                f"drawing {drawing}: drawn in this browser; another person validates it "
                "(from their own browser)"
            )
        given = self.store.verdicts()
        mine = given[(given["drawing"].astype(int) == drawing) & (given["client"] == client)]
        if len(mine):
            raise VerdictRefused(f"drawing {drawing}: this browser has judged it already")
        verdict_id = self.store.add_verdict(drawing, session, verdict, client)
        self.store.checkpoint()
        self._maybe_close_round()
        return {"verdict": verdict_id, "drawing": drawing}

    def _statuses(self, table: pd.DataFrame, verdicts: pd.DataFrame | None = None) -> pd.Series:
        verdicts = self.store.verdicts() if verdicts is None else verdicts
        return statuses(table, verdicts, self.settings.validation, self.settings.confirmations)

    def state(self, session: str = "", client: str = "") -> dict:
        client = client or session
        table = self.store.drawings(COUNTS)
        verdicts = self.store.verdicts()
        status = self._statuses(table, verdicts)
        mine = table["round"] == self.round
        figures = round_figures(table[mine], status[mine])
        by_me = (verdicts["session"] == session) | (verdicts["client"] == client)
        judged = set(verdicts.loc[by_me, "drawing"].astype(int))
        drawn_here = (table["session"] == session) | (table["client"] == client)
        waiting = table[(status == "pending") & ~drawn_here]
        waiting = waiting[~waiting["id"].astype(int).isin(judged)]
        # the open round's drawings first: its counter is the one a check moves
        waiting = waiting.assign(open=waiting["round"] == self.round).sort_values(
            ["open", "round", "id"], ascending=[False, False, True], kind="stable"
        )
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
            ],
            "my_validated": int((drawn_here & (status == "validated")).sum()),
            "dashboard": self.dashboard(table, status, verdicts),
        }

    def dashboard(
        self, table: pd.DataFrame, status: pd.Series, verdicts: pd.DataFrame | None = None
    ) -> list[dict]:
        """Per round: fool rate, vMER, rejection rate, the model's test error, flagged if
        that error exceeds round 0's by more than FORGETTING. A closed round's figures
        are those at its close: verdicts given after it do not move them."""
        facts = self.store.round_facts().set_index("round")
        verdicts = self.store.verdicts() if verdicts is None else verdicts
        first = facts["test_error"].get(0) if len(facts) else None
        rows = []
        for k in sorted(set(facts.index.astype(int)) | {self.round}):
            mine = table["round"] == k
            error = facts["test_error"].get(k) if k in facts.index else None
            error = None if error is None or pd.isna(error) else float(error)
            flagged = error is not None and first is not None and error > first + FORGETTING
            at_close = status
            if k + 1 in facts.index and k < self.round:  # closed: its verdicts until then
                cutoff = int(np.atleast_1d(facts["last_validation"].loc[k + 1])[0])
                at_close = self._statuses(table, verdicts[verdicts["id"].astype(int) <= cutoff])
            figures = round_figures(table[mine], at_close[mine])
            rows.append(
                {
                    "round": k,
                    "test_error": error,
                    "flagged": bool(flagged),
                    **{n: _plain(v) for n, v in figures.items()},
                }
            )
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
            log.info(
                "drawing page: round %d closed (validated fools: %d); training round %d",
                self.round,
                int(validated.sum()),
                self.round + 1,
            )
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
        return training_drawings(
            self.store.drawings(),
            self.store.verdicts(),
            last_drawing,
            last_validation,
            self.settings.validation,
            self.settings.confirmations,
        )

    def _train(
        self, round_: int, last_drawing: int, last_validation: int
    ) -> tuple[RoundModel, Path]:
        drawings = self.training_drawings(last_drawing, last_validation)
        model = train_round_model(self.data, drawings, self.settings)
        path, n = self.models_dir / f"round_{round_}.pkl", 0
        while path.exists() and not path.is_file():  # a folder (or else) took its name:
            n += 1  # left alone, the model goes beside it (the store records where)
            path = self.models_dir / f"round_{round_}.rebuilt-{n}.pkl"
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
        log.info(
            "drawing page: round %d open, its model trained in %.1f s (drawings up to %d, "
            "verdicts up to %d), test error %s",
            round_,
            time.perf_counter() - started,
            last_drawing,
            last_validation,
            "n/a" if error is None else f"{error:.4f}",
        )

    def _load_model(self, row: pd.Series) -> RoundModel:
        round_, last_drawing = int(row["round"]), int(row["last_drawing"])
        facts = self.store.round_facts()
        known = facts[facts["round"] == round_]
        last_validation = int(known["last_validation"].iloc[0]) if len(known) else 0
        recorded = self.store.model_file(round_)
        path, sha = (Path(recorded[0]), recorded[1]) if recorded else (None, "")
        problem = _model_problem(path, sha)
        if problem is None and path is not None:
            try:
                with open(path, "rb") as fh:
                    return pickle.load(fh)
            except Exception as err:  # any unpickling failure: the cache is unusable
                problem = f"unreadable ({type(err).__name__})"
        log.warning(
            "round %d: model file %s is %s; rebuilding it from the store's drawings (id <= %d)",
            round_,
            path,
            problem,
            last_drawing,
        )
        model, rebuilt = self._train(round_, last_drawing, last_validation)
        self.store.add_round_model(round_, str(rebuilt), _sha256(rebuilt))
        return model


def _plain(value: object) -> object:
    """JSON-ready: NaN as None, numpy numbers as Python ones."""
    if isinstance(value, float | np.floating):
        return None if np.isnan(value) else float(value)
    return value


def _model_problem(path: Path | None, sha256: str) -> str | None:
    if path is None or not path.exists():
        return "missing"
    if not path.is_file():
        return "not a file"
    if _sha256(path) != sha256:
        return "altered (its hash differs from the store's)"
    return None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class DrawingSession:
    """What the drawing page works on: a dataset and its live adversarial rounds."""

    name: str
    rounds: DrawingRounds
    extent: float | None  # how drawings are rendered for the dataset (dadc.drawings)
