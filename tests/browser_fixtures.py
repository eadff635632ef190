"""A page served by real uvicorn on a free loopback port, and Debian's Chromium driven by
Selenium (`make test` installs chromium + chromium-driver when run as root, as in CI;
elsewhere browser tests skip, saying so)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from dsplaybook.app.serving import server_config

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


def browser_or_skip() -> None:
    if CHROMIUM and CHROMEDRIVER:
        return
    if os.geteuid() == 0:
        pytest.fail(
            "chromium/chromedriver missing: run scripts/install-browser.sh (make test does)"
        )
    pytest.skip("needs Debian's chromium and chromium-driver (installed by make test as root)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(app):
    """``app`` on a free loopback port in a background thread; yields its base URL."""
    server = uvicorn.Server(server_config(app, "127.0.0.1", free_port()))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{server.config.port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def browser(profile: Path):
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
