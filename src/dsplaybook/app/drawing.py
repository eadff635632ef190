"""The drawing page's routes: draw, see the current round's guess, say what it was."""

from __future__ import annotations

import base64
from pathlib import Path

import numpy as np
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from dsplaybook.app.http import bitmap_png, index_in, json_or_error, small_json
from dsplaybook.dadc.drawings import parse_strokes, strokes_to_bitmap
from dsplaybook.errors import InputError

PAGE = Path(__file__).with_name("drawing_page.html")
MAX_BODY = 256 * 1024  # strokes of a detailed drawing; far more is not a drawing


def drawing_routes(drawing) -> list[Route]:  # noqa: ANN001
    rounds = drawing.rounds
    classes = list(rounds.data.class_names)

    async def page(request: Request) -> Response:
        return HTMLResponse(PAGE.read_text(encoding="utf-8"))

    async def state(request: Request) -> Response:
        return json_or_error(
            lambda: {"dataset": drawing.name, "classes": classes, **rounds.state()}
        )

    async def guess(request: Request) -> Response:
        body = await small_json(request, MAX_BODY)
        if isinstance(body, Response):
            return body
        try:
            bitmap = strokes_to_bitmap(parse_strokes(body.get("strokes")), drawing.extent)
        except InputError as err:
            return JSONResponse({"error": str(err)}, status_code=400)
        round_, probabilities = rounds.judge(bitmap)
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
        who = str(body.get("session", ""))[:64]
        true_class = index_in(body.get("true_class"), len(classes))
        if not who or true_class is None:
            return JSONResponse({"error": "session and a true_class are required"}, 400)
        try:
            strokes = parse_strokes(body.get("strokes"))
        except InputError as err:
            return JSONResponse({"error": str(err)}, status_code=400)
        bitmap = strokes_to_bitmap(strokes, drawing.extent)
        round_ = index_in(body.get("round"), 10**6)
        return json_or_error(
            lambda: {**rounds.submit(strokes, bitmap, true_class, who, round_), **rounds.state()}
        )

    async def drawing_png(request: Request) -> Response:
        drawing_id = index_in(request.path_params["id"], 2**62)
        bitmap = None if drawing_id is None else rounds.store.bitmap(drawing_id)
        if bitmap is None:
            return JSONResponse({"error": "no such drawing"}, status_code=404)
        return Response(bitmap_png(bitmap, 3), media_type="image/png")

    return [
        Route("/draw", page),
        Route("/api/draw/state", state),
        Route("/api/draw/guess", guess, methods=["POST"]),
        Route("/api/draw/submit", submit, methods=["POST"]),
        Route("/drawing/{id}.png", drawing_png),
    ]
