"""What both pages' request handlers share: bounded JSON bodies (size, nesting, number
length, all checked before parsing), one-line errors, indices checked against their
range, 28×28 images as PNG."""

from __future__ import annotations

import io
import json
import re

import numpy as np
from PIL import Image
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response

from dsplaybook.errors import InputError
from dsplaybook.store import StoreBusy

MAX_BODY = 4096  # bytes a label request may send: a label is a few dozen
STORE_BUSY_MS = 2000  # a page's write waits this long for a lock, then answers 503
MAX_DEPTH = 8  # nesting a body may have: strokes are [[[x, y], ...], ...], three deep
MAX_DIGITS = 24  # digits a number may have: a canvas coordinate needs a few
STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
LONG_NUMBER = re.compile(rb"\d{%d,}" % (MAX_DIGITS + 1))


def bitmap_png(image: np.ndarray, scale: int = 10) -> bytes:
    """A 28×28 image as a PNG, enlarged without smoothing so each pixel stays visible."""
    big = Image.fromarray(image).resize((28 * scale, 28 * scale), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    big.save(buffer, format="PNG")
    return buffer.getvalue()


def index_in(value: object, size: int) -> int | None:
    try:
        index = int(str(value))
    except ValueError:
        return None
    return index if 0 <= index < size else None


async def off_loop(compute) -> Response:
    """Run ``compute`` in Starlette's thread pool, so a store that waits for a lock never
    holds up the event loop (other pages keep answering); a store problem (locked,
    corrupt) is one line for the page, 503."""
    try:
        return JSONResponse(await run_in_threadpool(compute))
    except StoreBusy as err:
        return JSONResponse(
            {"error": f"{err}", "busy": True}, status_code=503, headers={"Retry-After": "1"}
        )
    except InputError as err:  # a refusal with its own status (409 for a closed round)
        return JSONResponse({"error": str(err)}, status_code=getattr(err, "http_status", 503))


async def small_json(request: Request, limit: int = MAX_BODY) -> dict | Response:
    declared = int(request.headers.get("content-length") or 0)
    if declared > limit:
        return JSONResponse({"error": "request too large"}, status_code=413)
    body = b""
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                return JSONResponse({"error": "request too large"}, status_code=413)
    except ClientDisconnect:  # gone (or cut off by the body deadline): nobody reads this
        return JSONResponse({"error": "the body did not arrive"}, status_code=400)
    problem = json_shape_problem(body)
    if problem:
        return JSONResponse({"error": problem}, status_code=400)
    try:
        parsed = json.loads(body or b"{}", parse_constant=_not_json)
    except ValueError:
        return JSONResponse({"error": "body is not JSON"}, status_code=400)
    return parsed if isinstance(parsed, dict) else JSONResponse({"error": "not an object"}, 400)


def _not_json(name: str) -> None:
    raise ValueError(f"{name} is not JSON")  # Python's json reads NaN and Infinity; JSON does not


def json_shape_problem(body: bytes) -> str | None:
    """Why ``body`` is refused before it is parsed — nested deeper than ``MAX_DEPTH`` (a
    deep one exhausts the parser's recursion) or a number longer than ``MAX_DIGITS``
    digits (it overflows a float) — naming the top-level field; None if neither."""
    blanked = STRING.sub(lambda m: b'"' + b"s" * (len(m.group()) - 2) + b'"', body)
    opens = np.frombuffer(blanked, np.uint8)
    step = np.isin(opens, (ord("["), ord("{"))).astype(np.int32)
    step -= np.isin(opens, (ord("]"), ord("}"))).astype(np.int32)
    depth = np.cumsum(step)
    deep = np.flatnonzero(depth > MAX_DEPTH)
    if deep.size:
        return f"{_field_at(body, blanked, int(deep[0]))}: nested deeper than {MAX_DEPTH} levels"
    long = LONG_NUMBER.search(blanked)
    if long:
        field = _field_at(body, blanked, long.start())
        return f"{field}: a number longer than {MAX_DIGITS} digits"
    return None


def _field_at(body: bytes, blanked: bytes, position: int) -> str:
    """The top-level key whose value holds ``position`` (the last key opened at depth 1)."""
    depth, key = 0, "body"
    for match in re.finditer(rb'"s*"\s*:|[\[\]{}]', blanked[:position]):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
        elif token in (b"]", b"}"):
            depth -= 1
        elif depth == 1:
            name = body[
                match.start() + 1 : match.start() + 1 + len(token.split(b":")[0].strip()) - 2
            ]
            key = name.decode("utf-8", "replace")[:40]
    return key
