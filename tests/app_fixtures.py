"""A tiny dataset, queue and store for the label page's tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dsplaybook.app.security import TOKEN_HEADER
from dsplaybook.data.datasets import MnistStyle
from dsplaybook.sessions.labelling import LabelSession
from dsplaybook.store import LabelStore

CLASSES = tuple(f"class {k}" for k in range(10)) + ("eleventh",)


def page_client(app, **kwargs):
    """A test client that talks as the page does: from the loopback name, with its
    write token (what ``app.security`` asks of a state-changing request)."""
    from starlette.testclient import TestClient

    return TestClient(
        app, base_url="http://127.0.0.1", headers={TOKEN_HEADER: app.state.token}, **kwargs
    )


def page_state(client, session: str, mode: str | None = None) -> dict:
    """What the page asks for: its state, leasing the image shown (a POST; a GET of
    ``/api/state`` only looks)."""
    body = {"session": session, **({"mode": mode} if mode else {})}
    return client.post("/api/state", json=body).json()


def tiny_session(tmp_path: Path, n: int = 40, queue: int = 15) -> LabelSession:
    rng = np.random.default_rng(0)
    data = MnistStyle(
        x_train=rng.integers(0, 255, (n, 28, 28), dtype=np.uint8),
        y_train=np.arange(n) % len(CLASSES),
        x_test=np.zeros((0, 28, 28), np.uint8),
        y_test=np.zeros(0, np.int64),
        class_names=CLASSES,
    )
    order = [int(i) for i in rng.permutation(n)[:queue]]
    return LabelSession("tiny", data, order, LabelStore(tmp_path / "annotations" / "tiny.sqlite"))


def doodle_data(per_class: int = 150) -> MnistStyle:
    """The synthetic QuickDraw stand-ins: circle, square, triangle, zigzag."""
    from dsplaybook.data.doodles import draw_category

    names = ("circle", "square", "triangle", "zigzag")
    x = np.concatenate([draw_category(c, per_class, 0) for c in names]).reshape(-1, 28, 28)
    y = np.repeat(np.arange(4), per_class)
    return MnistStyle(x, y, x[::10], y[::10], names)


def drawing_rounds(tmp_path: Path, round_size: int = 2, data: MnistStyle | None = None,
                   **settings):  # fmt: skip
    """Drawing rounds over the stand-ins; ``validation: none`` unless asked (most tests
    are about one person), a small base subset for speed."""
    from dsplaybook.dadc.drawing_store import DrawingStore
    from dsplaybook.dadc.round_model import HumanRoundSettings
    from dsplaybook.sessions.drawing import DrawingRounds

    settings = HumanRoundSettings(
        **{"dataset": "quickdraw", "round_size": round_size, "base_per_class": 100,
           "drawings": "", "seed": 1, "validation": "none", **settings}
    )  # fmt: skip
    store = DrawingStore(tmp_path / "annotations" / "doodles.sqlite")
    data = data if data is not None else doodle_data()
    return DrawingRounds(data, store, tmp_path / "annotations" / "doodles.models", settings)


CIRCLE = [[(200 + 150 * np.cos(a), 200 + 150 * np.sin(a)) for a in np.linspace(0, 6.3, 60)]]
SQUARE = [[(0, 0), (300, 0), (300, 300), (0, 300), (0, 0)]]
ZIGZAG = [[(0, 0), (60, 200), (120, 0), (180, 200), (240, 0), (300, 200)]]
