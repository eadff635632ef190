"""The label page: shows the next queued image, one button per class, skip and undo,
keyboard shortcuts, progress; writes only to the label store.

Starlette (the ASGI toolkit FastAPI and Gradio are built on) rather than Gradio: the page
is one small HTML file with a JSON API behind it, which scripts and tests call directly,
its DOM is stable for browser tests, and it adds two small dependencies instead of
Gradio's hundred.
"""

from __future__ import annotations

import base64
import hmac
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from dsplaybook.app.drawing import drawing_routes
from dsplaybook.app.http import bitmap_png, index_in, json_or_error, small_json
from dsplaybook.data.datasets import MnistStyle
from dsplaybook.errors import InputError
from dsplaybook.store import LabelStore, latest_labels, skips_of

PAGE = Path(__file__).with_name("label_page.html")
SHORTCUTS = "1234567890"  # key k labels class k-1 (0 = the tenth class)
ACTIONS = ("label", "skip", "undo")


@dataclass
class LabelSession:
    """What the page works on: one dataset, its queue and its store."""

    name: str
    data: MnistStyle
    queue: list[int]  # training rows, in the order a person should label them
    store: LabelStore
    folder: Path | None = None  # a folder dataset's root: originals are shown from it

    def state(self, session: str) -> dict:
        standing = self.store.standing()  # read once, for both labels and skips
        labels, skipped = latest_labels(standing), skips_of(standing, session)
        done = [i for i in self.queue if i in labels]
        waiting = [i for i in self.queue if i not in labels and i not in skipped]
        return {
            "dataset": self.name,
            "classes": list(self.data.class_names),
            "shortcuts": list(SHORTCUTS[: len(self.data.class_names)]),
            "labelled": len(done),
            "queued": len(self.queue),
            "next": waiting[0] if waiting else None,
            "file": self._file(waiting[0]) if waiting else "",
        }

    def _file(self, image: int) -> str:
        return self.data.files_train[image] if self.data.files_train else ""


def load_queue(path: str | Path, n_images: int) -> list[int]:
    queue = pd.read_csv(path)
    if "image_index" not in queue.columns:
        raise InputError(f"{path}: column 'image_index' is missing; re-run select_images_to_label")
    rows = queue.sort_values("rank")["image_index"].astype(int).tolist()
    if any(not 0 <= i < n_images for i in rows):
        raise InputError(f"{path}: an image_index is outside the dataset; re-run the queue rule")
    return rows


@dataclass
class DrawingSession:
    """What the drawing page works on: a dataset and its live adversarial rounds."""

    name: str
    rounds: object  # dsplaybook.dadc.human.DrawingRounds
    extent: float  # ink extent of the dataset's images (see dadc.drawings)


def create_app(
    session: LabelSession | None,
    password: str | None = None,
    drawing: DrawingSession | None = None,
) -> Starlette:
    async def page(request: Request) -> Response:
        if session is None:
            return HTMLResponse("<p>No label queue: run make app DATASET=&lt;name&gt;.</p>", 404)
        return HTMLResponse(PAGE.read_text(encoding="utf-8"))

    async def state(request: Request) -> Response:
        return json_or_error(lambda: session.state(request.query_params.get("session", "")))

    async def image(request: Request) -> Response:
        index = index_in(request.path_params["index"], len(session.data.x_train))
        if index is None:
            return JSONResponse({"error": "no such image"}, status_code=404)
        return Response(bitmap_png(session.data.x_train[index]), media_type="image/png")

    async def original(request: Request) -> Response:
        index = index_in(request.path_params["index"], len(session.data.x_train))
        if index is None or session.folder is None or not session.data.files_train:
            return JSONResponse({"error": "no original for this image"}, status_code=404)
        root = session.folder.resolve()
        path = (root / session.data.files_train[index]).resolve()
        if not path.is_relative_to(root) or not path.is_file():  # never outside the folder
            return JSONResponse({"error": "not in the dataset folder"}, status_code=404)
        return FileResponse(path)

    async def act(request: Request) -> Response:
        body = await small_json(request)
        if isinstance(body, Response):
            return body
        who = str(body.get("session", ""))[:64]
        action = request.path_params["action"]
        if action not in ACTIONS:
            return JSONResponse({"error": f"no action {action!r}"}, status_code=404)
        if not who:
            return JSONResponse({"error": "session is required"}, status_code=400)
        if action == "undo":
            return json_or_error(lambda: _undone(session, who))
        index = index_in(body.get("image"), len(session.data.x_train))
        if index is None:
            return JSONResponse({"error": "image is not a row of the dataset"}, status_code=400)
        if action == "skip":
            return json_or_error(lambda: _after(session, who, session.store.skip(index, who)))
        label = index_in(body.get("label"), len(session.data.class_names))
        if label is None:
            return JSONResponse({"error": "label is not a class of the dataset"}, status_code=400)
        return json_or_error(lambda: _after(session, who, session.store.label(index, label, who)))

    label_routes = [
        Route("/api/state", state),
        Route("/image/{index}.png", image),
        Route("/original/{index}", original),
        Route("/api/{action:str}", act, methods=["POST"]),
    ]
    routes = [
        *(drawing_routes(drawing) if drawing else []),
        Route("/", page),
        *(label_routes if session else []),  # a drawing-only app has no label API
    ]
    middleware = [Middleware(BasicAuth, password=password)] if password else []
    return Starlette(routes=routes, middleware=middleware)


def _after(session: LabelSession, who: str, event_id: int) -> dict:
    session.store.checkpoint()
    return {"event": event_id, **session.state(who)}


def _undone(session: LabelSession, who: str) -> dict:
    event = session.store.undo(who)
    session.store.checkpoint()
    undone = None if event is None else {"image": event.image, "action": event.action}
    return {"undone": undone, **session.state(who)}


class BasicAuth:
    """HTTP basic auth (any user name, this password) for a page served beyond loopback."""

    def __init__(self, app, password: str):  # noqa: ANN001
        self.app, self.password = app, password.encode()

    async def __call__(self, scope, receive, send):  # noqa: ANN001
        if scope["type"] == "http" and not self._allowed(dict(scope["headers"])):
            response = Response(
                "password required", 401, {"WWW-Authenticate": 'Basic realm="dsplaybook"'}
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _allowed(self, headers: dict) -> bool:
        value = headers.get(b"authorization", b"")
        if not value.startswith(b"Basic "):
            return False
        try:
            _, _, given = base64.b64decode(value[6:]).partition(b":")
        except ValueError:
            return False
        return hmac.compare_digest(given, self.password)
