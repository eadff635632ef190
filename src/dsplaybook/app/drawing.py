"""The drawing page's routes: draw, see the current round's guess, say what it was."""

from __future__ import annotations

import base64
from pathlib import Path

import numpy as np
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from dsplaybook.app.http import bitmap_png, index_in, off_loop, small_json
from dsplaybook.dadc.drawings import parse_strokes, strokes_to_bitmap
from dsplaybook.dadc.validation import VERDICTS
from dsplaybook.errors import InputError

PAGE = Path(__file__).with_name("drawing_page.html")
NONE_OF_THESE = "none"  # the drawer's answer when none of the classes fits
MAX_BODY = 256 * 1024  # bytes: 5,000 points of a detailed drawing fit, far more is not one


def drawing_routes(drawing, html) -> list[Route]:  # noqa: ANN001
    """``html(path)`` serves a page with its write token (see ``server.create_app``)."""
    rounds = drawing.rounds
    classes = list(rounds.data.class_names)

    async def page(request: Request) -> Response:
        return html(PAGE)

    async def state(request: Request) -> Response:
        who = request.query_params.get("session", "")[:64]
        return await off_loop(
            lambda: {"dataset": drawing.name, "classes": classes, **rounds.state(who)}
        )

    def bitmap_of(body: dict) -> tuple[list, np.ndarray] | Response:
        try:
            strokes = parse_strokes(body.get("strokes"))
        except InputError as err:
            return JSONResponse({"error": str(err)}, status_code=400)
        return strokes, strokes_to_bitmap(strokes, drawing.extent)

    async def guess(request: Request) -> Response:
        body = await small_json(request, MAX_BODY)
        if isinstance(body, Response):
            return body
        parsed = bitmap_of(body)
        if isinstance(parsed, Response):
            return parsed
        _, bitmap = parsed
        round_, probabilities = await run_in_threadpool(rounds.judge, bitmap)
        top = np.argsort(-probabilities, kind="stable")[:3]
        return JSONResponse(
            {
                "round": round_,
                "top": [
                    {"class": int(k), "name": classes[k], "p": float(probabilities[k])} for k in top
                ],  # fmt: skip
                "bitmap": base64.b64encode(bitmap_png(bitmap, 4)).decode(),
            }
        )

    async def submit(request: Request) -> Response:
        body = await small_json(request, MAX_BODY)
        if isinstance(body, Response):
            return body
        who, true_class = body.get("session"), body.get("true_class")
        if not isinstance(who, str) or not who:
            return JSONResponse({"error": "session is required (a string)"}, 400)
        if true_class == NONE_OF_THESE:
            true_class = -1
        elif isinstance(true_class, bool) or index_in(true_class, len(classes)) is None:
            return JSONResponse(
                {"error": f"true_class must be a class number from 0 to {len(classes) - 1} "
                 f"or {NONE_OF_THESE!r}"}, 400,
            )  # fmt: skip
        round_ = body.get("round")
        if isinstance(round_, bool) or not isinstance(round_, int):
            return JSONResponse({"error": "round: the round the guess came from (a number)"}, 400)
        parsed = bitmap_of(body)
        if isinstance(parsed, Response):
            return parsed
        strokes, bitmap = parsed

        def store() -> dict:
            done = rounds.submit(strokes, bitmap, int(true_class), who[:64], round_)
            return {**done, **rounds.state(who[:64])}

        return await off_loop(store)  # a closed round: 409, before the store is touched

    async def validate(request: Request) -> Response:
        body = await small_json(request)
        if isinstance(body, Response):
            return body
        who, verdict = body.get("session"), body.get("verdict")
        if not isinstance(who, str) or not who:
            return JSONResponse({"error": "session is required (a string)"}, 400)
        if verdict not in VERDICTS:
            return JSONResponse({"error": f"verdict: one of {', '.join(VERDICTS)}"}, 400)
        drawing_id = body.get("drawing")
        if isinstance(drawing_id, bool) or not isinstance(drawing_id, int):
            return JSONResponse({"error": "drawing: the id of the drawing judged"}, 400)
        return await off_loop(
            lambda: {**rounds.validate(drawing_id, who[:64], verdict), **rounds.state(who[:64])}
        )

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
