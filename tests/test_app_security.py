"""The pages against other websites, foreign Host names, slow clients and a busy store:
raw HTTP to a real uvicorn server, and Chromium loading an attacker's page from a second
loopback origin. Each attack is paired with the same request made the right way, which
must succeed, so a guard that refused everything would fail here too."""

from __future__ import annotations

import base64
import http.client
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from app_fixtures import drawing_rounds, page_client, page_state, tiny_session
from browser_fixtures import browser, browser_or_skip, free_port, serving

from dsplaybook.app import serving as serving_module
from dsplaybook.app.http import STORE_BUSY_MS
from dsplaybook.app.security import TOKEN_HEADER, allowed_hosts
from dsplaybook.app.server import create_app
from dsplaybook.sessions.drawing import DrawingSession

REPO = Path(__file__).resolve().parents[1]
EVIL = "https://evil.example"
LABEL = {"session": "evil", "image": 1, "label": 1}
STROKES = [[[10, 10], [200, 200]]]


class Recorder:
    """Outermost ASGI layer: every request's method, path and answer status."""

    def __init__(self, app):
        self.app, self.seen = app, []
        self.state = app.state

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def noting(message):
            if message["type"] == "http.response.start":
                self.seen.append((scope["method"], scope["path"], message["status"]))
            await send(message)

        await self.app(scope, receive, noting)


@pytest.fixture
def pages(tmp_path):
    """Label and drawing pages over tiny data, served for real; the label store keeps
    the page's short busy timeout."""
    session = tiny_session(tmp_path)
    session.store.busy_ms = STORE_BUSY_MS
    rounds = drawing_rounds(tmp_path / "drawing", round_size=1000)
    app = Recorder(create_app(session, drawing=DrawingSession("doodles", rounds, 21.0)))
    with serving(app) as url:
        yield session, rounds, app, url


def _call(url, method, path, body=b"", headers=None, timeout=20):
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def _page_headers(url, token):
    return {"Content-Type": "application/json", TOKEN_HEADER: token, "Origin": url.rstrip("/")}


CROSS_SITE = {
    "text/plain from another site": lambda url, token: {
        "Content-Type": "text/plain", "Origin": EVIL},
    "text/plain, no origin": lambda url, token: {"Content-Type": "text/plain"},
    "a form from another site": lambda url, token: {
        "Content-Type": "application/x-www-form-urlencoded", "Origin": EVIL},
    "no content type": lambda url, token: {},
    "JSON without the token": lambda url, token: {"Content-Type": "application/json"},
    "JSON with a wrong token": lambda url, token: {
        "Content-Type": "application/json", TOKEN_HEADER: "guessed"},
    "the token from a foreign origin": lambda url, token: {
        **_page_headers(url, token), "Origin": EVIL},
    "the token from another port": lambda url, token: {
        **_page_headers(url, token), "Origin": "http://127.0.0.1:1"},
    "Sec-Fetch-Site cross-site": lambda url, token: {
        **_page_headers(url, token), "Sec-Fetch-Site": "cross-site"},
    "Sec-Fetch-Site same-site": lambda url, token: {
        **_page_headers(url, token), "Sec-Fetch-Site": "same-site"},
}  # fmt: skip
WRITES = {
    "/api/label": LABEL,
    "/api/skip": {"session": "evil", "image": 1},
    "/api/undo": {"session": "evil"},
    "/api/draw/submit": {"session": "evil", "strokes": STROKES, "true_class": 1, "round": 0},
}


def test_every_cross_site_write_is_refused_and_the_page_itself_still_writes(pages):
    session, rounds, app, url = pages
    token = app.state.token
    for route, body in WRITES.items():
        for attack, headers in CROSS_SITE.items():
            status, answer, _ = _call(url, "POST", route, json.dumps(body), headers(url, token))
            assert status == 403, (route, attack)
            assert answer["x-frame-options"] == "DENY"  # refusals carry the headers too
    assert session.store.events() == [] and rounds.store.drawings().empty
    for route, body in WRITES.items():  # the same writes as the page makes them
        status, _, text = _call(url, "POST", route, json.dumps(body), _page_headers(url, token))
        assert status == 200, (route, text)
    assert [e.action for e in session.store.events()] == ["label", "skip", "undo"]
    assert len(rounds.store.drawings()) == 1


def test_foreign_host_names_are_refused_and_named_ones_answer(pages, tmp_path):
    _, _, _, url = pages
    port = urlsplit(url).port
    for path in ("/", "/api/state?session=a", "/original/0", "/image/0.png", "/draw"):
        status, _, _ = _call(url, "GET", path, headers={"Host": f"rebind.attacker.example:{port}"})
        assert status == 400, path
    for name in ("127.0.0.1", "localhost"):
        assert _call(url, "GET", "/image/0.png", headers={"Host": f"{name}:{port}"})[0] == 200
    hosts = allowed_hosts("127.0.0.1", ("labels.example.org",))
    client = page_client(create_app(tiny_session(tmp_path / "b"), hosts=hosts))
    assert client.get("/", headers={"Host": "labels.example.org"}).status_code == 200
    assert client.get("/", headers={"Host": "other.example.org"}).status_code == 400


def test_no_framing_no_sniffing_on_every_answer(pages):
    _, _, _, url = pages
    for path in ("/", "/draw", "/image/0.png", "/api/state?session=a", "/nothing-here"):
        _, headers, _ = _call(url, "GET", path)
        assert headers["x-frame-options"] == "DENY", path
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path
        assert headers["x-content-type-options"] == "nosniff", path


def test_basic_auth_scheme_is_case_insensitive_and_wrong_passwords_back_off(tmp_path):
    client = page_client(create_app(tiny_session(tmp_path), password="s3cret"))

    def auth(scheme, password):
        value = base64.b64encode(f"anyone:{password}".encode()).decode()
        return {"Authorization": f"{scheme} {value}"}

    for scheme in ("Basic", "basic", "BASIC"):
        assert client.get("/", headers=auth(scheme, "s3cret")).status_code == 200, scheme
    waits = []
    for _ in range(4):
        start = time.perf_counter()
        assert client.get("/", headers=auth("Basic", "wrong")).status_code == 401
        waits.append(time.perf_counter() - start)
    assert waits[0] < 0.2 and waits[3] >= 0.9, waits  # 0, 0.25, 0.5, 1 s
    start = time.perf_counter()
    assert client.get("/", headers=auth("basic", "s3cret")).status_code == 200
    assert time.perf_counter() - start >= 1.9  # it waits its turn (2 s): speed would tell
    start = time.perf_counter()
    assert client.get("/", headers=auth("basic", "s3cret")).status_code == 200
    assert time.perf_counter() - start < 0.2  # and clears the count


def test_a_client_that_never_finishes_its_headers_is_dropped(pages, monkeypatch):
    monkeypatch.setattr(serving_module, "HEADER_TIMEOUT_S", 0.5)
    _, _, _, url = pages
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as slow:
        slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never the blank line
        start = time.perf_counter()
        assert slow.recv(100) == b""  # closed by the server (a timeout here raises)
        assert time.perf_counter() - start < 3


def test_a_locked_store_answers_503_on_writes_while_pages_keep_answering(pages):
    session, _, app, url = pages
    session.store.checkpoint()  # the store exists, empty, in WAL mode
    assert _call(url, "GET", "/api/state?session=a")[0] == 200
    locker = sqlite3.connect(session.store.path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
    try:
        write = {}

        def label():
            start = time.perf_counter()
            status, headers, body = _call(
                url, "POST", "/api/label", json.dumps(LABEL), _page_headers(url, app.state.token)
            )
            write.update(status=status, headers=headers, body=body, s=time.perf_counter() - start)

        thread = threading.Thread(target=label)
        thread.start()
        time.sleep(0.3)  # the write is waiting for the lock now
        for path in ("/", "/api/state?session=a", "/image/0.png", "/api/draw/state"):
            start = time.perf_counter()
            assert _call(url, "GET", path)[0] == 200, path
            assert time.perf_counter() - start < 1.0, path
        assert thread.is_alive()  # they answered while the write waited
        thread.join()
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert write["status"] == 503 and write["headers"]["retry-after"] == "1"
    assert "locked by another program" in json.loads(write["body"])["error"]
    assert STORE_BUSY_MS / 1000 - 0.5 < write["s"] < STORE_BUSY_MS / 1000 + 3
    assert session.store.events() == []
    status, _, _ = _call(url, "POST", "/api/label", json.dumps(LABEL),
                         _page_headers(url, app.state.token))  # fmt: skip
    assert status == 200 and len(session.store.events()) == 1


def test_two_tabs_get_different_images_and_a_late_label_is_a_reported_conflict(tmp_path):
    session = tiny_session(tmp_path)
    client = page_client(create_app(session))
    first = page_state(client, "a")["next"]
    second = page_state(client, "b")["next"]
    assert first == session.queue[0] and second == session.queue[1]
    again = page_state(client, "a")["next"]
    assert again == first  # a tab keeps its image while it looks at it
    done = client.post("/api/label", json={"session": "b", "image": first, "label": 2}).json()
    assert "conflict" not in done
    late = client.post("/api/label", json={"session": "a", "image": first, "label": 4}).json()
    assert late["conflict"]["other"] == session.data.class_names[2]
    assert "another tab" in late["conflict"]["message"]
    assert "the votes tie, so it goes to review" in late["conflict"]["message"]  # two tabs,
    assert session.verdicts()[first].label is None  # two people: no later label wins
    assert [(e.session, e.label) for e in session.store.events()] == [("b", 2), ("a", 4)]
    assert session.store.current_labels()[first].label == 4  # stored, latest counts


def test_make_app_checks_the_port_before_touching_anything(tmp_path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "dsplaybook.app", "--dataset", "fashion_mnist",
             "--check-port", "--port", str(port), "--config", str(REPO / "config.yaml")],
            capture_output=True, text=True, cwd=tmp_path, timeout=60,
        )  # fmt: skip
    assert result.returncode != 0
    message = result.stderr.strip().splitlines()[-1]
    assert f"port {port}" in message and f"process {os.getpid()}" in message, message
    assert list(tmp_path.iterdir()) == []  # nothing written
    free = subprocess.run(
        [sys.executable, "-m", "dsplaybook.app", "--dataset", "fashion_mnist",
         "--check-port", "--port", str(free_port()), "--config", str(REPO / "config.yaml")],
        capture_output=True, text=True, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    assert free.returncode == 0, free.stderr
    recipe = (REPO / "Makefile").read_text().split("\napp:")[1].splitlines()
    assert "--check-port" in recipe[1]  # the first step of `make app`


# -- in a real browser: an attacker's page on a second loopback origin ----------------

ATTACK = """<!doctype html><html><body>
<iframe name="sink1"></iframe><iframe name="sink2"></iframe>
<iframe id="framed" src="{target}/"></iframe>
<form id="plain" method="POST" action="{target}/api/label" enctype="text/plain"
      target="sink1"><input name='{{"session":"evil","image":1,"label":1,"x":"' value='"}}'>
</form>
<form id="urlencoded" method="POST" action="{target}/api/label" target="sink2">
<input name="session" value="evil"><input name="image" value="1"><input name="label" value="1">
</form>
<script>
const body = JSON.stringify({{session: "evil", image: 1, label: 1}});
fetch("{target}/api/label", {{method: "POST", mode: "no-cors", body}}).catch(() => null);
fetch("{target}/api/label", {{method: "POST", mode: "no-cors", credentials: "include",
  headers: {{"Content-Type": "text/plain"}}, body}}).catch(() => null);
fetch("{target}/api/label", {{method: "POST", body,
  headers: {{"Content-Type": "application/json", "X-Dsplaybook-Token": "guess"}}}})
  .catch(() => null);
fetch("{target}/api/draw/submit", {{method: "POST", mode: "no-cors",
  body: JSON.stringify({{session: "evil", strokes: [[[1, 1], [90, 90]]], true_class: 1,
  round: 0}})}}).catch(() => null);
fetch("{target}/").then((r) => r.text()).then((t) => {{ document.title = "read " + t.length; }})
  .catch(() => {{ document.title = "read blocked"; }});
document.getElementById("plain").submit();
document.getElementById("urlencoded").submit();
</script></body></html>"""

TOP_LEVEL = """<!doctype html><html><body>
<form id="f" method="POST" action="{target}/api/label" enctype="text/plain">
<input name='{{"session":"evil","image":1,"label":1,"x":"' value='"}}'></form>
<script>document.getElementById("f").submit();</script></body></html>"""


def _attacker_site(file_server, host: str, html: str) -> str:
    """``html`` served by conftest's file server at http://<host>:<its port>/: another
    origin than the pages."""
    file_server.files["/"] = html.encode()
    file_server.types["/"] = "text/html"
    return f"http://{host}:{urlsplit(file_server.base_url).port}/"


def _wait_for(condition, timeout=15.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.browser
@pytest.mark.parametrize("attacker_host", ["localhost", "127.0.0.1"])  # cross-site, same-site
def test_a_page_from_another_origin_cannot_write_read_or_frame(
    pages, tmp_path, attacker_host, file_server
):
    browser_or_skip()
    from selenium.webdriver.common.by import By

    session, rounds, app, url = pages
    target = url.rstrip("/")
    evil = _attacker_site(file_server, attacker_host, ATTACK.format(target=target))
    driver = browser(tmp_path / "profile")
    try:
        driver.get(evil)
        posts = lambda: [s for m, p, s in app.seen if m == "POST"]  # noqa: E731
        assert _wait_for(lambda: len(posts()) >= 5), app.seen  # the attacks arrived
        assert _wait_for(lambda: driver.title.startswith("read"))
        assert driver.title == "read blocked"  # the token cannot be read either
        driver.switch_to.frame(driver.find_element(By.ID, "framed"))
        assert driver.find_elements(By.ID, "progress") == []  # the page is not framed
        driver.switch_to.default_content()
        time.sleep(1)  # anything in flight lands
    finally:
        driver.quit()
    assert posts() and set(posts()) == {403}, app.seen
    assert not [s for m, _, s in app.seen if m == "OPTIONS" and s < 300]  # no preflight grant
    assert session.store.events() == [] and rounds.store.drawings().empty
    assert any(p == "/" and s == 200 for m, p, s in app.seen)  # the framed page was fetched


@pytest.mark.browser
def test_a_cross_site_form_behind_the_password_is_refused(tmp_path, file_server):
    browser_or_skip()
    session = tiny_session(tmp_path)
    app = Recorder(create_app(session, password="s3cret"))
    with serving(app) as url:
        evil = _attacker_site(file_server, "localhost", TOP_LEVEL.format(target=url.rstrip("/")))
        driver = browser(tmp_path / "profile")
        try:
            parts = urlsplit(url)
            driver.get(f"http://user:s3cret@{parts.hostname}:{parts.port}/")  # logged in
            assert _wait_for(lambda: any(s == 200 for _, p, s in app.seen if p == "/"))
            driver.get(evil)
            assert _wait_for(lambda: any(m == "POST" for m, _, _ in app.seen)), app.seen
        finally:
            driver.quit()
    posts = [s for m, _, s in app.seen if m == "POST"]
    assert posts == [403], app.seen  # the saved password came along; the origin did not pass
    assert session.store.events() == []


def test_make_app_builds_only_what_the_page_needs():
    """The queue and the features its model chooses among; the drawing page alone needs
    its dataset, no queue (issue 37: a QuickDraw queue took 4 min to serve /draw)."""

    def queue_path(*page):
        return subprocess.run(
            [sys.executable, "-m", "dsplaybook.app", *page, "--queue-path",
             "--config", str(REPO / "config.yaml")],
            capture_output=True, text=True, timeout=60, check=True,
        ).stdout.split()  # fmt: skip

    features = ["hog2_features.npz", "pca_features.npz"]  # the queue's, then the candidates'
    assert queue_path("--dataset", "fashion_mnist") == [
        "results/label_budget/fashion_mnist/queue.csv",
        *(f"results/represent/fashion_mnist/{f}" for f in features),
    ]
    assert queue_path("--dataset", "quickdraw")[0] == (
        "results/label_budget/quickdraw_synthetic/queue.csv"
    )
    assert queue_path("--draw-only") == ["results/data/quickdraw_synthetic.h5"]


def test_make_app_takes_a_port_and_keeps_snakemake_quiet():
    dry = subprocess.run(
        ["make", "-n", "app", "DATASET=shoes", "PORT=7999"],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    runs = [line for line in dry.splitlines() if "dsplaybook.app" in line]
    assert runs and all("--port 7999" in line for line in runs)
    snakemake = [line for line in dry.splitlines() if "bin/snakemake" in line]
    assert snakemake and "--quiet rules host reason" in snakemake[0]
    draw = subprocess.run(
        ["make", "-n", "draw"], cwd=REPO, capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert "--draw-only --queue-path" in draw and "--dataset" not in draw
