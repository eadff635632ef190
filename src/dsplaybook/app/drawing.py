"""The drawing page's routes: draw, see the current round's guess, say what it was."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import numpy as np
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from dsplaybook.app.bodies import NONE_OF_THESE, DrawingSubmission, Verdict, parse_body
from dsplaybook.app.http import bitmap_png, index_in, off_loop, small_json
from dsplaybook.app.security import client_of
from dsplaybook.dadc.drawings import page_bitmap
from dsplaybook.errors import InputError
from dsplaybook.sessions.drawing import DrawingSession

PAGE = Path(__file__).with_name("drawing_page.html")
MAX_BODY = 256 * 1024  # bytes: 5,000 points of a detailed drawing fit, far more is not one


def drawing_routes(
    drawing: DrawingSession, html: Callable[[Path, Request], HTMLResponse]
) -> list[Route]:
    """``html(path, request)`` serves a page with its write token and client cookie (see
    ``server.create_app``). A verdict needs the cookie: it is how the page knows a second
    tab of the drawer's browser is the drawer."""
    rounds = drawing.rounds
    classes = list(rounds.data.class_names)

    async def page(request: Request) -> Response:
        return html(PAGE, request)

    async def state(request: Request) -> Response:
        who, client = request.query_params.get("session", "")[:64], client_of(request)
        return await off_loop(
            lambda: {"dataset": drawing.name, "classes": classes, **rounds.state(who, client)}
        )

    async def guess(request: Request) -> Response:
        body = await small_json(request, MAX_BODY)
        if isinstance(body, Response):
            return body
        parsed = _bitmap_of(body, drawing.extent)
        if isinstance(parsed, Response):
            return parsed
        round_, probabilities = await run_in_threadpool(rounds.judge, parsed[1])
        return JSONResponse(_guess_answer(round_, probabilities, classes, parsed[1]))

    async def submit(request: Request) -> Response:
        body = await small_json(request, MAX_BODY)
        if isinstance(body, Response):
            return body
        sent = parse_body(DrawingSubmission, body)
        if isinstance(sent, Response):
            return sent
        true_class = _class_number(sent.true_class, len(classes))
        if isinstance(true_class, Response):
            return true_class
        parsed = _bitmap_of(body, drawing.extent)
        if isinstance(parsed, Response):
            return parsed
        strokes, bitmap = parsed
        client = client_of(request)

        def store() -> dict:
            done = rounds.submit(strokes, bitmap, true_class, sent.session, sent.round, client)
            return {**done, "state": rounds.state(sent.session, client)}  # fields stay its own

        return await off_loop(store)  # a closed round: 409, before the store is touched

    async def validate(request: Request) -> Response:
        body = await small_json(request)
        if isinstance(body, Response):
            return body
        sent = parse_body(Verdict, body)
        if isinstance(sent, Response):
            return sent
        client = client_of(request)
        if not client:
            message = "no client cookie: load /draw in this browser first (it names the player)"
            return JSONResponse({"error": message}, status_code=400)

        def judge() -> dict:
            done = rounds.validate(sent.drawing, sent.session, sent.verdict, client)
            return {**done, "state": rounds.state(sent.session, client)}

        return await off_loop(judge)

    async def drawing_png(request: Request) -> Response:
        drawing_id = index_in(request.path_params["id"], 2**62)
        bitmap = None
        if drawing_id is not None:
            bitmap = await run_in_threadpool(rounds.store.bitmap, drawing_id)
        if bitmap is None:
            return JSONResponse({"error": "no such drawing"}, status_code=404)
        return Response(bitmap_png(bitmap, 3), media_type="image/png")

    return [
        Route("/draw", page),
        Route("/api/draw/state", state),
        Route("/api/draw/guess", guess, methods=["POST"]),
        Route("/api/draw/submit", submit, methods=["POST"]),
        Route("/api/draw/validate", validate, methods=["POST"]),
        Route("/drawing/{id}.png", drawing_png),
    ]


def _guess_answer(
    round_: int, probabilities: np.ndarray, classes: list[str], bitmap: np.ndarray
) -> dict:
    """The round's three best guesses and the bitmap it judged."""
    top = np.argsort(-probabilities, kind="stable")[:3]
    return {
        "round": round_,
        "top": [{"class": int(k), "name": classes[k], "p": float(probabilities[k])} for k in top],
        "bitmap": base64.b64encode(bitmap_png(bitmap, 4)).decode(),
    }


def _bitmap_of(body: dict, extent: float | None) -> tuple[list, np.ndarray] | Response:
    """The body's strokes and the bitmap they render to, or a 400 naming the bad point."""
    try:
        return page_bitmap(body.get("strokes"), extent)  # replays take it too (dadc.replay)
    except InputError as err:
        return JSONResponse({"error": str(err)}, status_code=400)


def _class_number(true_class: int | str, n_classes: int) -> int | Response:
    """-1 for "none of these", else the class number if the dataset has it."""
    if true_class == NONE_OF_THESE:
        return -1
    if index_in(true_class, n_classes) is None:
        numbers = f"a class number from 0 to {n_classes - 1}"
        message = f"true_class must be {numbers} or {NONE_OF_THESE!r}"
        return JSONResponse({"error": message}, status_code=400)
    return int(true_class)
