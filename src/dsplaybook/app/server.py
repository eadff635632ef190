"""The label page: shows the next queued image, one button per class, skip and undo,
keyboard shortcuts, progress; writes only to the label store.

Starlette (the ASGI toolkit FastAPI and Gradio are built on) rather than Gradio: the page
is one small HTML file with a JSON API behind it, which scripts and tests call directly,
its DOM is stable for browser tests, and it adds two small dependencies instead of
Gradio's hundred.
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from dsplaybook.app.bodies import LabelAction, parse_body
from dsplaybook.app.drawing import drawing_routes
from dsplaybook.app.http import bitmap_png, index_in, off_loop, small_json
from dsplaybook.app.security import allowed_hosts, client_of, new_token, protections, with_client
from dsplaybook.sessions.drawing import DrawingSession
from dsplaybook.sessions.labelling import LabelSession

PAGE = Path(__file__).with_name("label_page.html")
TOKEN_SLOT = "__DSPLAYBOOK_TOKEN__"  # where a page's HTML receives the write token
ACTIONS = ("state", "label", "skip", "undo", "next-batch")


def create_app(
    session: LabelSession | None,
    password: str | None = None,
    drawing: DrawingSession | None = None,
    hosts: list[str] | None = None,
    token: str | None = None,
) -> Starlette:
    """The label and drawing pages, behind the protections of ``app.security``; ``hosts``
    defaults to the loopback names, ``token`` (what a page must send to write) to a new
    random one (``app.state.token``)."""
    token = token or new_token()

    def html(path: Path, request: Request) -> HTMLResponse:
        """A page with its write token, naming the browser with a client cookie."""
        page = HTMLResponse(path.read_text(encoding="utf-8").replace(TOKEN_SLOT, token))
        return with_client(page, client_of(request))

    async def page(request: Request) -> Response:
        if session is None:
            return HTMLResponse("<p>No label queue: run make app DATASET=&lt;name&gt;.</p>", 404)
        return html(PAGE, request)

    routes = [
        *(drawing_routes(drawing, html) if drawing else []),
        Route("/", page),
        *(label_routes(session) if session else []),  # a drawing-only app has no label API
    ]
    hosts = hosts if hosts is not None else allowed_hosts("127.0.0.1")
    app = Starlette(routes=routes, middleware=protections(token, hosts, password))
    app.state.token = token
    return app


def label_routes(session: LabelSession) -> list[Route]:
    """The label page's API: its state, the images, and the actions that write."""

    async def state(request: Request) -> Response:
        """A look without side effects: any page may load it (an ``<img>`` on another
        site does), so it leases nothing; the page's POST /api/state leases."""
        who = request.query_params.get("session", "")[:64]
        mode = "review" if request.query_params.get("mode") == "review" else "label"
        return await off_loop(lambda: session.state(who, mode, lease=False))

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
        action = request.path_params["action"]
        if action not in ACTIONS:
            return JSONResponse({"error": f"no action {action!r}"}, status_code=404)
        body = await small_json(request)
        if isinstance(body, Response):
            return body
        sent = parse_body(LabelAction, body)
        if isinstance(sent, Response):
            return sent
        return await _act(session, action, sent)

    return [
        Route("/api/state", state),
        Route("/image/{index}.png", image),
        Route("/original/{index}", original),
        Route("/api/{action:str}", act, methods=["POST"]),
    ]


async def _act(session: LabelSession, action: str, sent: LabelAction) -> Response:
    who, mode = sent.session, sent.page_mode
    if sent.who:
        name = sent.who

        def named_tab() -> dict:
            session.set_annotator(who, name)
            return {}

        named = await off_loop(named_tab)
        if named.status_code != 200:
            return named
    if action == "state":
        return await off_loop(lambda: session.state(who, mode))
    if action == "undo":
        return await off_loop(lambda: session.undo(who, mode))
    if action == "next-batch":
        return await off_loop(lambda: session.next_batch(who))
    index = index_in(sent.image, len(session.data.x_train))
    if index is None:
        return JSONResponse({"error": "image is not a row of the dataset"}, status_code=400)
    if action == "skip":
        return await off_loop(lambda: session.skip(index, who, mode))
    label = index_in(sent.label, len(session.data.class_names))
    if label is None:
        return JSONResponse({"error": "label is not a class of the dataset"}, status_code=400)
    return await off_loop(lambda: session.label(index, label, who, mode))
