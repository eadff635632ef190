"""The label page in a real browser: Debian's Chromium driven by Selenium.

`make test` installs chromium + chromium-driver when run as root (CI); elsewhere these
tests skip, saying so.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from app_fixtures import tiny_session

from dsplaybook.app.server import create_app

pytestmark = pytest.mark.browser

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


def _browser_or_skip() -> None:
    if CHROMIUM and CHROMEDRIVER:
        return
    if os.geteuid() == 0:
        pytest.fail(
            "chromium/chromedriver missing: run scripts/install-browser.sh (make test does)"
        )
    pytest.skip("needs Debian's chromium and chromium-driver (installed by make test as root)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    """The app on a free loopback port, in a background thread."""
    _browser_or_skip()
    session = tiny_session(tmp_path)
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(session), host="127.0.0.1", port=_free_port(), log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield session, f"http://127.0.0.1:{server.config.port}/"
    server.should_exit = True
    thread.join(timeout=10)


def _browser(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1000,900",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


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
        driver.find_element(By.ID, "undo").click()
        _wait_for_progress(driver, "9 of 15 labelled")
        assert _shown(driver) == session.queue[9]  # the undone image comes back
        driver.find_element(By.TAG_NAME, "body").send_keys("3")  # key 3 = third class
        _wait_for_progress(driver, "10 of 15 labelled")
        expected[session.queue[9]] = 2
        shot = tmp_path / "label_page.png"
        driver.save_screenshot(str(shot))
        assert shot.stat().st_size > 10_000
        if os.environ.get("DSPLAYBOOK_DOCS_SCREENSHOT"):
            shutil.copy(shot, Path(__file__).resolve().parents[1] / "docs" / "label_page.png")
    finally:
        driver.quit()
    events = session.store.events()
    assert [e.action for e in events] == ["label"] * 10 + ["undo", "label"]
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
