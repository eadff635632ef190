"""The label page's HTTP API through Starlette's test client (no browser)."""

from __future__ import annotations

import base64

import numpy as np
import pytest
from app_fixtures import page_client, page_state, tiny_session
from PIL import Image

from dsplaybook.app.__main__ import is_loopback
from dsplaybook.app.http import MAX_BODY
from dsplaybook.app.server import create_app


@pytest.fixture
def app(tmp_path):
    session = tiny_session(tmp_path)
    return session, page_client(create_app(session))


def test_label_skip_undo_walk_the_queue_in_order(app):
    session, client = app
    state = page_state(client, "t")
    assert state["next"] == session.queue[0] and state["labelled"] == 0 and state["queued"] == 15
    assert state["shortcuts"] == [*"1234567890", ""]  # ten keys for the first ten classes
    state = client.post(
        "/api/label", json={"session": "t", "image": state["next"], "label": 3}
    ).json()
    assert state["next"] == session.queue[1] and state["labelled"] == 1
    state = client.post("/api/skip", json={"session": "t", "image": state["next"]}).json()
    assert state["next"] == session.queue[2]
    other = page_state(client, "u")
    assert other["next"] == session.queue[1]  # a skip is the skipping tab's own
    state = client.post("/api/undo", json={"session": "t"}).json()
    assert state["undone"] == {"image": session.queue[1], "action": "skip", "class": None}
    assert state["next"] == session.queue[2]  # queue[1] is waiting again, but tab u holds it
    assert page_state(client, "t2")["next"] == session.queue[3]
    assert {i: e.label for i, e in session.store.current_labels().items()} == {session.queue[0]: 3}


def test_bad_requests_are_refused_without_a_row(app):
    session, client = app
    assert (
        client.post("/api/label", json={"session": "t", "image": 10_000, "label": 1}).status_code
        == 400
    )
    assert (
        client.post("/api/label", json={"session": "t", "image": 1, "label": 99}).status_code == 400
    )
    assert client.post("/api/label", json={"image": 1, "label": 1}).status_code == 400
    json_type = {"Content-Type": "application/json"}
    assert client.post("/api/label", content=b"{not json", headers=json_type).status_code == 400
    assert client.post("/api/forget", json={"session": "t", "image": 1}).status_code == 404
    big = {"session": "t", "image": 1, "label": 1, "pad": "x" * MAX_BODY}
    assert client.post("/api/label", json=big).status_code == 413
    assert session.store.events() == []


def test_image_is_the_bitmap_enlarged(app):
    session, client = app
    response = client.get("/image/4.png")
    assert response.headers["content-type"] == "image/png"
    from io import BytesIO

    image = np.asarray(Image.open(BytesIO(response.content)))
    assert image.shape == (280, 280)
    assert np.array_equal(image[::10, ::10], session.data.x_train[4])
    assert client.get("/image/999.png").status_code == 404
    assert client.get("/original/4").status_code == 404  # not a folder dataset


def test_password_protects_every_route(tmp_path):
    client = page_client(create_app(tiny_session(tmp_path), password="s3cret"))
    assert client.get("/").status_code == 401
    assert client.get("/api/state").status_code == 401
    token = base64.b64encode(b"anyone:s3cret").decode()
    assert client.get("/", headers={"Authorization": f"Basic {token}"}).status_code == 200
    wrong = base64.b64encode(b"anyone:guess").decode()
    assert client.get("/", headers={"Authorization": f"Basic {wrong}"}).status_code == 401


def test_loopback_detection():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")


def test_originals_are_served_only_from_inside_the_folder(tmp_path):
    import dataclasses

    session = tiny_session(tmp_path)
    folder = tmp_path / "photos"
    (folder / "unlabelled").mkdir(parents=True)
    Image.fromarray(np.zeros((9, 9), np.uint8)).save(folder / "unlabelled" / "a.png")
    (tmp_path / "secret.txt").write_text("no")
    files = ["unlabelled/a.png", "../secret.txt"] + ["x.png"] * (len(session.data.x_train) - 2)
    data = dataclasses.replace(session.data, files_train=tuple(files))
    client = page_client(create_app(dataclasses.replace(session, data=data, folder=folder)))
    assert client.get("/original/0").status_code == 200
    assert client.get("/original/1").status_code == 404
