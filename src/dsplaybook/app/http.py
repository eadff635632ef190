"""What both pages' request handlers share: bounded JSON bodies, one-line errors, indices
checked against their range, 28×28 images as PNG."""

from __future__ import annotations

import io
import json

import numpy as np
from PIL import Image
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from dsplaybook.errors import InputError
from dsplaybook.store import StoreBusy

MAX_BODY = 4096  # bytes a label request may send: a label is a few dozen
STORE_BUSY_MS = 2000  # a page's write waits this long for a lock, then answers 503


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
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return JSONResponse({"error": "request too large"}, status_code=413)
    try:
        parsed = json.loads(body or b"{}", parse_constant=_not_json)
    except ValueError:
        return JSONResponse({"error": "body is not JSON"}, status_code=400)
    return parsed if isinstance(parsed, dict) else JSONResponse({"error": "not an object"}, 400)


def _not_json(name: str) -> None:
    raise ValueError(f"{name} is not JSON")  # Python's json reads NaN and Infinity; JSON does not
