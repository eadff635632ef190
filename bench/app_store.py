"""What a request of the label page costs as the store grows, and how the pages answer
while another program holds the store's write lock.

1. Page state (the next image, progress) at 200 and 200,000 stored events: the first
   request (it folds in every row once), then the steady cost of a request after each
   new label, against a full re-read of the table (what every request did before).
2. ``GET /`` and ``GET /api/state`` latency on a real uvicorn server while a label write
   waits for a lock held by another connection, and how long that write takes to answer.

Everything runs on a temporary store; nothing touches annotations/.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

N_IMAGES, QUEUE = 60_000, 2_000


def _filled_store(path: Path, n_events: int, rng: np.random.Generator):
    from dsplaybook.app.http import STORE_BUSY_MS
    from dsplaybook.store import LabelStore, now

    store = LabelStore(path, busy_ms=STORE_BUSY_MS)
    store.checkpoint()  # creates the table and its indexes
    rows, stamp = [], now()
    for k in range(1, n_events + 1):
        kind = rng.random()
        image = int(rng.integers(0, N_IMAGES))
        if kind < 0.05 and k > 1:  # an undo of an earlier row
            rows.append((k, image, None, "undo", int(rng.integers(1, k)), "s1", stamp))
        elif kind < 0.10:
            rows.append((k, image, None, "skip", None, f"s{k % 7}", stamp))
        else:
            rows.append((k, image, int(rng.integers(0, 10)), "label", None, f"s{k % 7}", stamp))
    with sqlite3.connect(path) as conn:
        conn.executemany("INSERT INTO events VALUES (?,?,?,?,?,?,?)", rows)
    return store


def state_cost(n_events: int, tmp: Path) -> dict:
    from dsplaybook.data.datasets import MnistStyle
    from dsplaybook.sessions.labelling import LabelSession

    rng = np.random.default_rng(0)
    store = _filled_store(tmp / f"s{n_events}.sqlite", n_events, rng)
    data = MnistStyle(
        np.zeros((N_IMAGES, 28, 28), np.uint8), np.full(N_IMAGES, -1), np.zeros((0, 28, 28),
        np.uint8), np.zeros(0, np.int64), tuple(f"c{k}" for k in range(10)),
    )  # fmt: skip
    queue = [int(i) for i in rng.permutation(N_IMAGES)[:QUEUE]]
    session = LabelSession("bench", data, queue, store)
    start = time.perf_counter()
    session.state("bench")
    first = time.perf_counter() - start
    states, labels = [], []
    for k in range(50):
        start = time.perf_counter()
        answer = session.label(session.state("bench")["next"], k % 10, "bench")
        labels.append(time.perf_counter() - start)
        start = time.perf_counter()
        session.state("bench")
        states.append(time.perf_counter() - start)
    assert answer["labelled"] >= 1
    start = time.perf_counter()
    store.standing()
    reread = time.perf_counter() - start
    return {"first": first, "state": statistics.median(states),
            "label": statistics.median(labels), "reread": reread}  # fmt: skip


def locked_latency(tmp: Path) -> dict:
    import uvicorn
    from browser_fixtures import free_port

    from dsplaybook.app.security import TOKEN_HEADER
    from dsplaybook.app.server import create_app
    from dsplaybook.app.serving import server_config
    from dsplaybook.data.datasets import MnistStyle
    from dsplaybook.sessions.labelling import LabelSession

    rng = np.random.default_rng(1)
    store = _filled_store(tmp / "locked.sqlite", 200_000, rng)
    data = MnistStyle(
        np.zeros((N_IMAGES, 28, 28), np.uint8), np.full(N_IMAGES, -1), np.zeros((0, 28, 28),
        np.uint8), np.zeros(0, np.int64), tuple(f"c{k}" for k in range(10)),
    )  # fmt: skip
    session = LabelSession("bench", data, list(range(QUEUE)), store)
    app = create_app(session)
    port = free_port()
    server = uvicorn.Server(server_config(app, "127.0.0.1", port))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.01)

    def call(method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start = time.perf_counter()
        conn.request(method, path, body=body, headers=headers or {})
        status = conn.getresponse().status
        conn.close()
        return status, time.perf_counter() - start

    call("GET", "/api/state?session=warm")
    locker = sqlite3.connect(store.path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    write = {}
    headers = {"Content-Type": "application/json", TOKEN_HEADER: app.state.token}
    body = json.dumps({"session": "w", "image": 1, "label": 1})
    thread = threading.Thread(
        target=lambda: write.update(
            zip(("status", "s"), call("POST", "/api/label", body, headers), strict=True)
        )
    )
    thread.start()
    time.sleep(0.2)
    pages, states = [], []
    while thread.is_alive():
        pages.append(call("GET", "/")[1])
        states.append(call("GET", "/api/state?session=r")[1])
    thread.join()
    locker.execute("ROLLBACK")
    server.should_exit = True
    return {"write_status": write["status"], "write_s": write["s"], "n": len(pages),
            "page": statistics.median(pages), "page_max": max(pages),
            "state": statistics.median(states), "state_max": max(states)}  # fmt: skip


def main() -> None:
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load {os.getloadavg()[0]:.2f}")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        for n in (200, 200_000):
            c = state_cost(n, Path(tmp))
            print(
                f"{n:>7,} events: first state {1000 * c['first']:.1f} ms, then per request "
                f"state {1000 * c['state']:.2f} ms, label (write + state) "
                f"{1000 * c['label']:.1f} ms; a full re-read of the table "
                f"{1000 * c['reread']:.0f} ms"
            )
        lock = locked_latency(Path(tmp))
        print(
            f"locked store (200,000 events): the write answered {lock['write_status']} after "
            f"{lock['write_s']:.2f} s; meanwhile {lock['n']} GET / took median "
            f"{1000 * lock['page']:.1f} ms (max {1000 * lock['page_max']:.1f}) and GET "
            f"/api/state median {1000 * lock['state']:.1f} ms (max {1000 * lock['state_max']:.1f})"
        )


if __name__ == "__main__":
    main()
