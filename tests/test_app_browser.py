"""The label page in a real browser: Debian's Chromium driven by Selenium.

`make test` installs chromium + chromium-driver when run as root (CI); elsewhere these
tests skip, saying so.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from app_fixtures import tiny_session
from browser_fixtures import browser as _browser
from browser_fixtures import browser_or_skip as _browser_or_skip
from browser_fixtures import serving as _serving

from dsplaybook.app.server import create_app

pytestmark = pytest.mark.browser


@pytest.fixture
def served(tmp_path):
    """The label page over a tiny dataset."""
    _browser_or_skip()
    session = tiny_session(tmp_path)
    with _serving(create_app(session)) as url:
        yield session, url


def _wait_for_progress(driver, text: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10).until(
        expected_conditions.text_to_be_present_in_element((By.ID, "progress"), text)
    )


def _shown(driver) -> int:
    from selenium.webdriver.common.by import By

    return int(driver.find_element(By.ID, "image").get_attribute("data-index"))


def _click_class(driver, k: int) -> None:
    """Click class ``k`` and wait for the page's answer (a click while one is in flight
    is ignored, so a double click never labels two images)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.find_element(By.CSS_SELECTOR, f'.class-button[data-label="{k}"]').click()
    WebDriverWait(driver, 10).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-busy") == "0"
    )


def test_click_ten_labels_undo_one_and_use_a_key(served, tmp_path):
    from selenium.webdriver.common.by import By

    session, url = served
    driver = _browser(tmp_path / "profile")
    try:
        driver.get(url)
        _wait_for_progress(driver, "0 of 15 labelled")
        buttons = driver.find_elements(By.CSS_SELECTOR, ".class-button")
        names = [driver.execute_script("return arguments[0].firstChild.data", b) for b in buttons]
        assert names == list(session.data.class_names)
        keys = [b.find_elements(By.TAG_NAME, "kbd") for b in buttons]
        assert [k[0].text for k in keys[:10]] == list("1234567890") and keys[10] == []
        expected = {}
        for k in range(10):
            shown = _shown(driver)
            assert shown == session.queue[k]  # the queue's order
            _click_class(driver, k % 11)
            expected[shown] = k % 11
            _wait_for_progress(driver, f"{k + 1} of 15 labelled")
        from selenium.webdriver.common.keys import Keys

        driver.switch_to.active_element.send_keys(Keys.ENTER)  # the last clicked button
        __import__("time").sleep(1.0)  # has focus; with no suggestion Enter does nothing
        assert "10 of 15 labelled" in driver.find_element(By.ID, "progress").text
        assert len(session.store.events()) == 10
        driver.find_element(By.ID, "undo").click()
        _wait_for_progress(driver, "9 of 15 labelled")
        assert _shown(driver) == session.queue[9]  # the undone image comes back
        said = driver.find_element(By.ID, "message").text
        assert said == f'Undid the label "class 9" of image {session.queue[9]}.'  # feedback
        driver.find_element(By.TAG_NAME, "body").send_keys("3")  # key 3 = third class
        _wait_for_progress(driver, "10 of 15 labelled")
        expected[session.queue[9]] = 2
        shot = tmp_path / "label_page.png"  # docs/label_page.png shows real Fashion-MNIST
        driver.save_screenshot(str(shot))
        assert shot.stat().st_size > 10_000
        for _ in range(10, 15):
            _click_class(driver, 0)
        _wait_for_progress(driver, "15 of 15 labelled")
        done = driver.find_element(By.ID, "file").text
        assert done.endswith("run: make app DATASET=tiny")  # names the command
        expected.update({i: 0 for i in session.queue[10:]})
    finally:
        driver.quit()
    events = session.store.events()
    assert [e.action for e in events] == ["label"] * 10 + ["undo"] + ["label"] * 6
    assert {i: e.label for i, e in session.store.current_labels().items()} == expected


def test_two_browser_sessions_at_once_lose_nothing(served, tmp_path):
    session, url = served
    drivers = [_browser(tmp_path / f"profile{k}") for k in range(2)]
    try:
        for driver in drivers:
            driver.get(url)
            _wait_for_progress(driver, "of 15 labelled")
        clicks = 0
        for _ in range(5):
            for k, driver in enumerate(drivers):
                _click_class(driver, k)
                clicks += 1
                for other in drivers:  # both pages stay usable
                    assert other.find_element("id", "message").text == ""
        _wait_for_progress(drivers[1], "of 15 labelled")
    finally:
        for driver in drivers:
            driver.quit()
    events = session.store.events()
    assert len(events) == clicks == 10
    assert len({e.session for e in events}) == 2  # one session id per tab


@pytest.fixture
def served_drawing(tmp_path):
    """The drawing page (synthetic doodles, round_size 2)."""
    from app_fixtures import drawing_rounds

    from dsplaybook.sessions.drawing import DrawingSession

    _browser_or_skip()
    rounds = drawing_rounds(tmp_path, round_size=2)
    with _serving(create_app(None, drawing=DrawingSession("doodles", rounds, 21.0))) as url:
        yield rounds, url + "draw"


def _draw(driver, strokes, move_ms: int = 250) -> None:
    """Mouse strokes on the pad; points in pad pixels (0..280), as a person would draw;
    each move takes ``move_ms`` (Selenium's default 250: real drawings have many points)."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    pad = driver.find_element(By.ID, "pad")
    for stroke in strokes:
        actions = ActionChains(driver, duration=move_ms)
        x, y = stroke[0]
        actions.move_to_element_with_offset(pad, x - 140, y - 140).click_and_hold()
        for (x0, y0), (x1, y1) in zip(stroke, stroke[1:], strict=False):
            actions.move_by_offset(x1 - x0, y1 - y0)
        actions.release().perform()


def _guess(driver) -> list[int]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.find_element(By.ID, "guess").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#top li"))
    return [
        int(li.get_attribute("data-class"))
        for li in driver.find_elements(By.CSS_SELECTOR, "#top li")
    ]


def _answer(driver, k: int) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.find_element(By.CSS_SELECTOR, f'#classes .class-button[data-label="{k}"]').click()
    WebDriverWait(driver, 10).until(
        lambda d: (
            d.find_element(By.TAG_NAME, "body").get_attribute("data-busy") == "0"
            and not d.find_elements(By.CSS_SELECTOR, "#top li")
        )
    )


def test_drawing_is_stored_in_the_datasets_format_and_rounds_advance(served_drawing, tmp_path):
    import numpy as np
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    rounds, url = served_drawing
    driver = _browser(tmp_path / "profile")
    try:
        driver.get(url)
        WebDriverWait(driver, 10).until(lambda d: "round 0" in d.find_element(By.ID, "status").text)
        driver.find_element(By.ID, "guess").click()  # empty canvas: a message, no row
        WebDriverWait(driver, 10).until(
            lambda d: "canvas is empty" in d.find_element(By.ID, "message").text
        )
        assert rounds.store.drawings().empty
        _draw(driver, [[(40, 40), (40, 240)], [(40, 240), (240, 240)]])  # an L
        top = _guess(driver)
        assert len(top) == 3
        assert driver.find_element(By.ID, "small").get_attribute("src").startswith("data:image/png")
        _answer(driver, top[0])  # the model was right: not fooled
        stored = rounds.store.drawings()
        assert len(stored) == 1 and stored["fooled"].iloc[0] == 0
        bitmap = np.frombuffer(stored["bitmap"].iloc[0], np.uint8).reshape(28, 28)
        assert bitmap[:, :10].sum() > 0 and bitmap[-10:, :].sum() > 0  # left and bottom ink
        assert bitmap[:12, 16:].sum() == 0  # none top-right, where nothing was drawn
        circle = [(140 + 100 * np.cos(a), 140 + 100 * np.sin(a)) for a in np.linspace(0, 6.3, 30)]
        zigzag = [(40, 200), (90, 60), (140, 200), (190, 60), (240, 200)]
        shot = tmp_path / "drawing_page.png"
        for stroke in (circle, zigzag):
            _draw(driver, [stroke])
            top = _guess(driver)
            if stroke is zigzag:  # the gallery holds the first fooling drawing by now
                WebDriverWait(driver, 10).until(
                    lambda d: d.find_elements(By.CSS_SELECTOR, "#gallery img")
                )
                driver.save_screenshot(str(shot))
            _answer(driver, top[-1])  # not the model's guess: it is fooled
        WebDriverWait(driver, 60).until(
            lambda d: d.find_element(By.ID, "status").get_attribute("data-round") == "1"
        )
        _draw(driver, [[(40, 40), (240, 240)]])
        _guess(driver)
        assert driver.find_element(By.ID, "top").get_attribute("data-round") == "1"
        assert shot.stat().st_size > 10_000
    finally:
        driver.quit()
    stored = rounds.store.drawings()
    assert list(stored["fooled"]) == [0, 1, 1] and list(stored["round"]) == [0, 0, 0]
    assert list(rounds.store.rounds()["round"]) == [0, 1]


@pytest.fixture
def served_peer(tmp_path):
    """The drawing page with peer validation (round_size 1)."""
    from app_fixtures import drawing_rounds

    from dsplaybook.sessions.drawing import DrawingSession

    _browser_or_skip()
    rounds = drawing_rounds(tmp_path, round_size=1, validation="peer")
    with _serving(create_app(None, drawing=DrawingSession("doodles", rounds, 21.0))) as url:
        yield rounds, url + "draw"


def _verdict(driver, verdict: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#pending .check"))
    driver.find_element(By.CSS_SELECTOR, f"#pending .check button.{verdict}").click()
    WebDriverWait(driver, 10).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-busy") == "0"
    )


def test_a_fool_waits_for_another_session_and_a_rejected_one_does_not_count(served_peer, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    rounds, url = served_peer
    drawer, checker = (_browser(tmp_path / f"profile{k}") for k in range(2))
    try:
        for driver in (drawer, checker):
            driver.get(url)
            WebDriverWait(driver, 10).until(
                lambda d: "round 0" in d.find_element(By.ID, "status").text
            )
        prompt = drawer.find_element(By.ID, "prompt").text
        assert prompt.startswith("Draw a circle")  # classes and a prompt before drawing
        assert "square" in drawer.find_element(By.ID, "classlist").text
        zigzag = [(40, 200), (90, 60), (140, 200), (190, 60), (240, 200)]
        for verdict in ("reject", "confirm"):
            _draw(drawer, [zigzag])
            top = _guess(drawer)
            _answer(drawer, top[-1])  # not the model's guess: a claimed fool
            assert "once another player agrees" in drawer.find_element(By.ID, "message").text
            WebDriverWait(drawer, 10).until(
                lambda d: "waiting for a check" in d.find_element(By.ID, "status").text
            )
            assert drawer.find_element(By.ID, "validate").get_attribute("hidden")  # not mine
            assert rounds.round == 0
            if verdict == "reject":
                _second_tab_cannot_validate(
                    drawer, url, int(rounds.store.drawings()["id"].iloc[-1])
                )
            _verdict(checker, verdict)
        WebDriverWait(drawer, 60).until(
            lambda d: d.find_element(By.ID, "status").get_attribute("data-round") == "1"
        )  # the round advanced on the confirmed fool, not on the rejected one
        rows = drawer.find_elements(By.CSS_SELECTOR, "#dashboard tbody tr")
        cells = [td.text for td in rows[0].find_elements(By.TAG_NAME, "td")]
        assert cells[:5] == ["0", "2", "100%", "50%", "50%"]  # drawings, fool rate, vMER, rejected
        assert drawer.find_element(By.ID, "mine").text == "Your validated fools: 1"
        shot = tmp_path / "drawing_page.png"
        _draw(drawer, [zigzag])
        _guess(drawer)  # the screenshot shows a guess, the checks and the rounds
        drawer.set_window_size(1000, 1250)
        drawer.save_screenshot(str(shot))
        if os.environ.get("DSPLAYBOOK_DOCS_SCREENSHOT"):  # refresh docs/drawing_page.png
            shutil.copy(shot, Path(__file__).resolve().parents[1] / "docs" / shot.name)
    finally:
        drawer.quit()
        checker.quit()
    verdicts = rounds.store.verdicts()
    assert list(verdicts["verdict"]) == ["reject", "confirm"]
    trained = rounds.training_drawings(10**6, 10**6)
    assert list(trained["id"]) == [int(verdicts["drawing"].iloc[1])]


def _second_tab_cannot_validate(driver, url: str, drawing: int) -> None:
    """A new tab of the drawer's browser (a fresh session id, the same profile) is not
    offered the drawer's fool, and a verdict sent from it is refused."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    first = driver.current_window_handle
    driver.switch_to.new_window("tab")
    try:
        driver.get(url)
        WebDriverWait(driver, 10).until(lambda d: "round 0" in d.find_element(By.ID, "status").text)
        assert driver.find_element(By.ID, "validate").get_attribute("hidden")
        answer = driver.execute_async_script(
            """const done = arguments[arguments.length - 1];
            fetch("api/draw/validate", {method: "POST", body: JSON.stringify(
              {session: "another-tab", drawing: arguments[0], verdict: "confirm"}),
              headers: {"Content-Type": "application/json", "X-Dsplaybook-Token": TOKEN}})
            .then(async (r) => done([r.status, (await r.json()).error]));""",
            drawing,
        )
        assert answer[0] == 400 and "drawn in this browser" in answer[1], answer
    finally:
        driver.close()
        driver.switch_to.window(first)


def _label_true_classes(driver, truth, n: int, queued: int) -> None:
    """A person who knows the classes labels the next ``n`` images by clicking."""
    for k in range(n):
        _click_class(driver, int(truth[_shown(driver)]))
        _wait_for_progress(driver, f"{k + 1} of {queued} labelled")


def test_suggestions_appear_after_a_retrain_and_enter_accepts(tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
    from test_label_live import live_session

    _browser_or_skip()
    session = live_session(tmp_path, retrain_every=4)
    truth = session.data.y_train
    with _serving(create_app(session)) as url:
        driver = _browser(tmp_path / "profile")
        try:
            driver.get(url)
            _wait_for_progress(driver, "0 of 30 labelled")
            assert driver.find_elements(By.CSS_SELECTOR, ".class-button.suggested") == []
            _label_true_classes(driver, truth, 4, 30)
            session.live.wait()  # the retrain runs in the background; the page polls
            WebDriverWait(driver, 10).until(  # a model after 2 labels, another after 4
                lambda d: d.find_element(By.ID, "model").get_attribute("data-ranking") == "2"
            )
            suggested = driver.find_element(By.CSS_SELECTOR, ".class-button.suggested")
            image = _shown(driver)
            guess = int(suggested.get_attribute("data-label"))
            assert "Enter accepts" in driver.find_element(By.ID, "model").text
            driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ENTER)
            _wait_for_progress(driver, "5 of 30 labelled")
        finally:
            driver.quit()
    assert [e.action for e in session.store.events()] == ["label"] * 5
    last = session.store.events()[-1]
    assert (last.image, last.label, last.action) == (image, guess, "label")
    assert guess == truth[image]  # the suggestion was right, and one key stored it


def test_review_mode_corrects_a_model_label_and_the_final_table_says_person(tmp_path):
    import numpy as np
    import pandas as pd
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    from test_label_live import live_session

    from dsplaybook.labelling.disputes import people_labels_table
    from dsplaybook.labelling.final_table import final_labels

    _browser_or_skip()
    session = live_session(tmp_path, retrain_every=4)
    truth = session.data.y_train
    with _serving(create_app(session)) as url:
        driver = _browser(tmp_path / "profile")
        try:
            driver.get(url)
            _wait_for_progress(driver, "0 of 30 labelled")
            _label_true_classes(driver, truth, 4, 30)
            session.live.wait()
            driver.find_element(By.TAG_NAME, "body").send_keys("r")
            _wait_for_progress(driver, "Review: 0 of")
            WebDriverWait(driver, 10).until(
                lambda d: d.find_elements(By.CSS_SELECTOR, ".class-button.suggested")
            )
            image = _shown(driver)
            assert image == session.review_list()[0]  # the least confident model label
            guess = int(driver.find_element(By.CSS_SELECTOR, ".class-button.suggested")
                        .get_attribute("data-label"))  # fmt: skip
            _click_class(driver, 1 - guess)  # the person overrules the model
            _wait_for_progress(driver, "Review: 1 of")
        finally:
            driver.quit()
    human = people_labels_table(session.store, session.data.class_names, ())
    people = set(human["image_index"])
    model = pd.DataFrame({"image_index": [i for i in range(300) if i not in people]})
    model["predicted_class"] = [session.live.suggestion(i, ("l", "r"))["label"]
                                for i in model["image_index"]]  # fmt: skip
    model["confidence"] = 0.5
    table = final_labels(session.data, human, model, model.head(0)).set_index("image_index")
    assert table.loc[image, "source"] == "person" and table.loc[image, "label"] == 1 - guess
    assert np.isin(table["source"], ["person", "model"]).all() and len(table) == 300


def test_two_named_annotators_on_the_overlap_give_an_agreement_figure(tmp_path):
    from sklearn.metrics import cohen_kappa_score
    from test_label_live import halves

    from dsplaybook.labelling.agreement import agreement
    from dsplaybook.sessions.labelling import LabelSession
    from dsplaybook.store import LabelStore, StandingView

    _browser_or_skip()
    data = halves(40)
    store = LabelStore(tmp_path / "annotations" / "halves.sqlite")
    session = LabelSession("halves", data, list(range(40)), store, overlap=1.0, seed=0)
    truth = data.y_train
    with _serving(create_app(session)) as url:
        for k, (who, slips) in enumerate((("Ann", set()), ("Bob", {1}))):
            driver = _browser(tmp_path / f"profile{k}")
            try:
                driver.get(f"{url}?who={who}")
                _wait_for_progress(driver, "of 40 labelled")
                for n in range(3):
                    image = _shown(driver)
                    label = int(truth[image]) if n not in slips else 1 - int(truth[image])
                    _click_class(driver, label)
            finally:
                driver.quit()
    assert sorted(store.annotators().values()) == ["Ann", "Bob"]
    view = StandingView()
    view.refresh(store)
    table = agreement(view.votes(), store.annotators(), data.class_names)
    votes = {i: v for i, v in view.votes().items() if len(v) == 2}
    assert len(votes) == 3 == table.iloc[0]["images"]  # Bob was sent Ann's three images
    names = store.annotators()
    pairs = [sorted(v.items(), key=lambda kv: names[kv[0]]) for v in votes.values()]
    a, b = [p[0][1] for p in pairs], [p[1][1] for p in pairs]
    assert table.iloc[0]["kappa"] == cohen_kappa_score(a, b)
    assert table.iloc[0]["agreement"] == 2 / 3  # Bob's one slip


def test_queue_done_offers_the_next_batch_in_the_page(tmp_path):
    from selenium.webdriver.common.by import By
    from test_label_live import halves

    from dsplaybook.label_budget.selection import SelectionSettings
    from dsplaybook.labelling.live import LiveRanking
    from dsplaybook.labelling.queue import QueueSettings
    from dsplaybook.represent.features import flat_pixels
    from dsplaybook.sessions.labelling import LabelSession
    from dsplaybook.store import LabelStore

    _browser_or_skip()
    data = halves()
    settings = QueueSettings(strategy="auto", size=5, features="raw", method="logreg",
                             selection=SelectionSettings(kmeans_sample=300), seed=0)  # fmt: skip
    live = LiveRanking(flat_pixels(data.x_train), 2, settings, 50, dict)
    store = LabelStore(tmp_path / "annotations" / "h.sqlite")
    session = LabelSession("halves", data, list(range(6)), store, live=live)
    with _serving(create_app(session)) as url:
        driver = _browser(tmp_path / "profile")
        try:
            driver.get(url)
            for _ in range(6):
                _click_class(driver, int(data.y_train[_shown(driver)]))
            _wait_for_progress(driver, "6 of 6 labelled")
            assert driver.find_element(By.ID, "file").text == "Queue done."
            driver.find_element(By.ID, "next-batch").click()
            _wait_for_progress(driver, "6 of 11 labelled")  # five more, chosen now
            assert _shown(driver) not in range(6)
        finally:
            driver.quit()


def test_the_people_who_disagree_see_the_dispute_with_both_labels(tmp_path):
    """Issue 37, point 1: a dispute is in the review list of the people who disagree, the
    page names both labels, and one person changing theirs there settles it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    from test_label_live import live_session

    _browser_or_skip()
    session = live_session(tmp_path, retrain_every=4)
    truth = session.data.y_train
    for image in range(1, 7):
        session.label(image, int(truth[image]), "helper")
    session.live.wait()
    session.label(0, 0, "other-person")  # someone says left
    with _serving(create_app(session)) as url:
        driver = _browser(tmp_path / "profile")
        try:
            driver.get(url)
            _wait_for_progress(driver, "labelled")
            tab = driver.execute_script("return sessionStorage.getItem('dsplaybook-session')")
            session.label(0, 1, tab)  # this tab says right (as if it had clicked)
            driver.find_element(By.TAG_NAME, "body").send_keys("r")
            _wait_for_progress(driver, "Review: 0 of")
            assert _shown(driver) == 0  # the dispute first, for one of the two
            note = driver.find_element(By.ID, "review-note").text
            assert note.startswith("People disagree") and '"left"' in note and '"right"' in note
            _click_class(driver, 0)  # on reflection: left
            _wait_for_progress(driver, "Review: 1 of")
            WebDriverWait(driver, 10).until(lambda d: _shown(d) != 0)
        finally:
            driver.quit()
    verdict = session.verdicts()[0]
    assert verdict.label == 0 and not verdict.disputed  # settled by a vote, not by order


def test_the_drawing_page_answers_keys_and_counts_in_words(served_drawing, tmp_path):
    """Issue 37, point 8: Enter guesses, a digit answers, Escape clears; "1 more ...
    drawing", not "drawings"."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    rounds, url = served_drawing
    driver = _browser(tmp_path / "profile")
    try:
        driver.get(url)
        WebDriverWait(driver, 10).until(lambda d: "round 0" in d.find_element(By.ID, "status").text)
        assert "2 more fooling drawings needed" in driver.find_element(By.ID, "status").text
        body = driver.find_element(By.TAG_NAME, "body")
        _draw(driver, [[(40, 40), (40, 240)], [(40, 240), (240, 240)]])
        body.send_keys(Keys.ENTER)
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#top li"))
        top = [int(li.get_attribute("data-class"))
               for li in driver.find_elements(By.CSS_SELECTOR, "#top li")]  # fmt: skip
        wrong = next(k for k in range(4) if k != top[0])
        body.send_keys(str(wrong + 1))  # key k answers the k-th class
        WebDriverWait(driver, 10).until(
            lambda d: "1 more fooling drawing needed" in d.find_element(By.ID, "status").text
        )
        assert driver.find_element(By.ID, "message").text == "You fooled it!"
        _draw(driver, [[(40, 40), (240, 240)]])
        body.send_keys(Keys.ESCAPE)
        body.send_keys(Keys.ENTER)  # a cleared pad: nothing to guess
        WebDriverWait(driver, 10).until(
            lambda d: "canvas is empty" in d.find_element(By.ID, "message").text
        )
    finally:
        driver.quit()
    stored = rounds.store.drawings()
    assert list(stored["true_class"]) == [wrong] and list(stored["fooled"]) == [1]


def test_real_drawings_replayed_by_mouse_get_the_models_guess(tmp_path):
    """Real people's drawings (shared QuickDraw strokes, none in the model's fit) drawn by
    mouse in Chromium: the page shows the open round's guess for the drawing it received,
    and recognises most of them."""
    import json

    import numpy as np
    from app_fixtures import drawing_rounds
    from conftest import SHARED_DATA

    from dsplaybook.dadc.drawings import page_bitmap
    from dsplaybook.dadc.replay import as_sent_by_the_page, held_out_drawings
    from dsplaybook.data.quickdraw import SOURCES, combine_categories
    from dsplaybook.data.strokes import read_category, render_all
    from dsplaybook.sessions.drawing import DrawingSession

    strokes = SHARED_DATA / "quickdraw_strokes"
    if not (strokes / "snowman.ndjson").exists():
        pytest.skip("shared QuickDraw strokes are on CI and dev machines only")
    _browser_or_skip()
    categories = ["snowman", "cake", "power_outlet", "smiley_face"]
    data = combine_categories(
        [render_all(read_category(strokes / f"{c}.ndjson", 300)) for c in categories],
        categories,
        test_fraction=0.2,
        seed=1,
        source=SOURCES["strokes"],
    )
    rounds = drawing_rounds(tmp_path, round_size=50, data=data, base_per_class=240)
    real = [held_out_drawings(strokes / f"{c}.ndjson", 300, 2) for c in categories]
    with _serving(create_app(None, drawing=DrawingSession("qd", rounds, None))) as url:
        driver = _browser(tmp_path / "profile")
        try:
            driver.get(url + "draw")
            shown = []
            for k, drawings in enumerate(real):
                for drawing in drawings:
                    _draw(driver, as_sent_by_the_page(drawing), move_ms=10)
                    shown.append(_guess(driver)[0])
                    _answer(driver, k)
        finally:
            driver.quit()
    stored = rounds.store.drawings()
    assert len(stored) == 8 and stored["prediction"].tolist() == shown
    for row in stored.itertuples():  # the guess is the model's for what the page received
        _, bitmap = page_bitmap(json.loads(row.strokes), None)
        assert np.array_equal(bitmap, np.frombuffer(row.bitmap, np.uint8).reshape(28, 28))
        assert int(np.argmax(rounds.judge(bitmap)[1])) == row.prediction
    assert (stored["prediction"] == stored["true_class"]).sum() >= 6
