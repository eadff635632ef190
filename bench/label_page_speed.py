"""The label page's own speed: how fast it starts and how many labels a click path can
give per minute (the server and browser round trip, not a person's thinking time).

Needs results/data/<dataset>.h5 and results/label_budget/<dataset>/queue.csv (`make app` or
`snakemake results/label_budget/fashion_mnist/queue.csv`) and Debian's chromium. The labels go
to a temporary store, never to annotations/.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))


def main(dataset: str = "fashion_mnist", clicks: int = 100) -> None:
    import uvicorn
    from browser_fixtures import browser, free_port
    from test_app_browser import _click_class, _wait_for_progress

    from dsplaybook.app.server import create_app
    from dsplaybook.app.serving import server_config
    from dsplaybook.data.datasets import read_mnist_style
    from dsplaybook.sessions.labelling import LabelSession, load_queue
    from dsplaybook.store import LabelStore

    h5 = REPO / "results" / "data" / f"{dataset}.h5"
    queue_file = REPO / "results" / "label_budget" / dataset / "queue.csv"
    if not queue_file.exists():
        print(f"label_page_speed: skipped, run `snakemake --cores 2 {queue_file}` first")
        return
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        data = read_mnist_style(h5)
        queue = load_queue(queue_file, len(data.x_train))
        session = LabelSession(dataset, data, queue, LabelStore(Path(tmp) / "bench.sqlite"))
        port = free_port()
        server = uvicorn.Server(server_config(create_app(session), "127.0.0.1", port))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.01)
        ready = time.perf_counter() - started
        driver = browser(Path(tmp) / "profile")
        try:
            driver.get(f"http://127.0.0.1:{port}/")
            _wait_for_progress(driver, f"0 of {len(queue)} labelled")
            n = min(clicks, len(queue))
            began = time.perf_counter()
            for k in range(n):
                _click_class(driver, k % len(data.class_names))
            _wait_for_progress(driver, f"{n} of {len(queue)} labelled")
            elapsed = time.perf_counter() - began
        finally:
            driver.quit()
            server.should_exit = True
        assert len(session.store.events()) == n
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"{dataset}: {len(data.x_train):,} training images, queue of {len(queue)}")
    print(f"app ready (dataset loaded, server listening): {ready:.2f} s")
    print(
        f"click path: {n} labels in {elapsed:.1f} s = {60 * n / elapsed:.0f} labels/minute "
        f"({1000 * elapsed / n:.0f} ms per label, round trip included)"
    )


if __name__ == "__main__":
    main(*sys.argv[1:2])
