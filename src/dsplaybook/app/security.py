"""What keeps the pages safe on a hostile web, as ASGI middleware around the routes.

- **Host allow-list** (Starlette's ``TrustedHostMiddleware``): a DNS-rebinding page
  reaches the server under its own name, which is refused.
- **Cross-site writes**: a state-changing request must be ``application/json`` and
  carry the page's token in ``X-Dsplaybook-Token`` — a custom header no form, no
  ``no-cors`` fetch and no other origin's script can send without a CORS preflight
  (which is never granted) — and must not come from another origin (``Origin``,
  ``Sec-Fetch-Site``). The password alone is not enough: a browser sends saved
  credentials with a cross-site form.
- **Framing and sniffing**: ``frame-ancestors 'none'``, ``X-Frame-Options: DENY``,
  ``nosniff`` on every answer, errors included.
- **Basic auth** beyond loopback, the scheme matched case-insensitively. After a wrong
  password a client's attempts are answered one at a time, each after a wait that doubles
  with its failures (capped): parallel guesses queue instead of sharing one wait, so a
  client gets at most one answer per capped interval. All clients together get at most
  ``GLOBAL_GUESSES_PER_S`` answers to wrong guesses, so many addresses do not multiply it.
- **Errors**: an unexpected exception is logged and answered 500 with the same headers.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hmac
import ipaddress
import logging
import secrets
import time
from typing import TypeVar

from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import JSONResponse, Response

TOKEN_HEADER = "x-dsplaybook-token"
CLIENT_COOKIE = "dsplaybook_client"  # names a browser profile (all its tabs): one player
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
HEADERS = [
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]
BACKOFF_S, BACKOFF_MAX_S = 0.25, 4.0  # doubles with each wrong password, per client
GLOBAL_GUESSES_PER_S = 4.0  # answers to wrong passwords, all clients together
log = logging.getLogger("dsplaybook")
R = TypeVar("R", bound=Response)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def client_of(request) -> str:
    """The browser the request came from (its client cookie), or "" if it has none; a
    value that is not one we issue is treated as none."""
    value = request.cookies.get(CLIENT_COOKIE, "")
    return (
        value
        if 20 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum()
        else ""
    )


def with_client(response: R, client: str) -> R:
    """``response`` naming the browser with a client cookie if it has none: HttpOnly (no
    script reads it), SameSite=Strict (no other site's request carries it)."""
    if not client:
        response.set_cookie(
            CLIENT_COOKIE, new_token(), max_age=400 * 24 * 3600, httponly=True, samesite="strict"
        )
    return response


def allowed_hosts(host: str, extra: tuple[str, ...] = ()) -> list[str]:
    """The names the server answers to: the bound host, the loopback names, ``extra``.
    A wildcard bind (0.0.0.0, ::) is not a name anyone should reach it by."""
    names = {"localhost", "127.0.0.1", "::1", "[::1]", *extra}
    if host not in ("0.0.0.0", "::", ""):
        names.add(host)
        if _is_ipv6(host):
            names.add(f"[{host}]")
    return sorted(names)


def _is_ipv6(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).version == 6
    except ValueError:
        return False


def protections(token: str, hosts: list[str], password: str | None) -> list[Middleware]:
    """Middleware, outermost first: headers on every answer, then Host, password, origin."""
    layers = [
        Middleware(SecurityHeaders),
        Middleware(TrustedHostMiddleware, allowed_hosts=hosts, www_redirect=False),
    ]
    if password:
        layers.append(Middleware(BasicAuth, password=password))
    layers.append(Middleware(SameOriginWrites, token=token))
    return layers


class SecurityHeaders:
    """No framing, no content sniffing, no caching, no referrer: on every response,
    including the 500 of a handler that failed (logged here, with its traceback, rather
    than by Starlette's outermost error handler, which would answer without them)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in HEADERS if n not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, receive, with_headers)
        except Exception:
            log.exception("%s %s failed", scope.get("method"), scope.get("path"))
            if started:
                raise  # half an answer is out: nothing better than closing the connection
            answer = JSONResponse({"error": "internal error (see the server's log)"}, 500)
            await answer(scope, receive, with_headers)


def cross_site_reason(method: str, headers: Headers, token: str) -> str | None:
    """Why a request may not change state, or None if it may."""
    if method in SAFE_METHODS:
        return None
    if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return "cross-site request refused"
    origin = headers.get("origin")
    if (
        origin is not None
        and origin != f"http://{headers.get('host', '')}"
        and (origin != f"https://{headers.get('host', '')}")
    ):
        return f"origin {origin[:100]} may not write here"
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        return "send the body as application/json"
    if not hmac.compare_digest(headers.get(TOKEN_HEADER, "").encode(), token.encode()):
        return "the page's token is missing or stale: reload the page"
    return None


class SameOriginWrites:
    """A POST is accepted only from the page itself (see the module docstring)."""

    def __init__(self, app, token: str):
        self.app, self.token = app, token

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            reason = cross_site_reason(scope["method"], Headers(scope=scope), self.token)
            if reason:
                await JSONResponse({"error": reason}, status_code=403)(scope, receive, send)
                return
        await self.app(scope, receive, send)


class BasicAuth:
    """HTTP basic auth (any user name, this password) for a page served beyond loopback.

    A client with wrong passwords behind it is answered one attempt at a time (a lock per
    client), each after ``backoff(failures)``; a failure is counted before the next
    attempt is looked at, so parallel guesses queue rather than share one wait. Answers
    to wrong passwords are also spaced globally (``GLOBAL_GUESSES_PER_S``). A right
    password clears the client's count (it too waits its turn: its speed would tell)."""

    def __init__(self, app, password: str):
        self.app, self.password = app, password.encode()
        self.failures: dict[str, tuple[int, float]] = {}  # client -> (count, last time)
        self.turns: dict[str, asyncio.Lock] = {}  # client -> one attempt at a time
        self.global_turn = asyncio.Lock()
        self.global_next = 0.0

    def backoff(self, count: int) -> float:
        """The wait before answering a client with ``count`` wrong passwords; the exponent
        is capped, so no count overflows."""
        return 0.0 if count <= 0 else min(BACKOFF_S * 2.0 ** min(count - 1, 30), BACKOFF_MAX_S)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("?", 0))[0]
        given = Headers(scope=scope).get("authorization", "")
        allowed = False
        if given:  # every attempt of a client in turn (a first burst too), after its wait
            turn = self.turns.setdefault(client, asyncio.Lock())
            async with turn:
                await asyncio.sleep(self.backoff(self.failures.get(client, (0, 0.0))[0]))
                allowed = await self._attempt(client, given)
        if allowed:
            await self.app(scope, receive, send)
            return
        response = Response(
            "password required", 401, {"WWW-Authenticate": 'Basic realm="dsplaybook"'}
        )
        await response(scope, receive, send)

    async def _attempt(self, client: str, given: str) -> bool:
        """Check the credentials ``given`` (a request without any is a first visit and
        never gets here); count a wrong one and space wrong answers globally."""
        if self._allowed(given):
            if self.failures.pop(client, None) is not None:
                self.turns.pop(client, None)
            self._forget_old()
            return True
        count = self.failures.get(client, (0, 0.0))[0]
        self.failures[client] = (count + 1, time.monotonic())
        self._forget_old()
        async with self.global_turn:
            wait = self.global_next - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self.global_next = time.monotonic() + 1.0 / GLOBAL_GUESSES_PER_S
        return False

    def _allowed(self, value: str) -> bool:
        scheme, _, credentials = value.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            decoded = base64.b64decode(credentials.strip(), validate=True)
        except (binascii.Error, ValueError):
            return False
        _, _, given = decoded.partition(b":")
        return hmac.compare_digest(given, self.password)

    def _forget_old(self, keep_s: float = 600.0, most: int = 10_000) -> None:
        """Bounded memory: beyond ``most`` clients, those idle for ten minutes start afresh
        (their lock too, unless an attempt holds it)."""
        if len(self.failures) > most or len(self.turns) > most:
            cutoff = time.monotonic() - keep_s
            self.failures = {c: v for c, v in self.failures.items() if v[1] > cutoff}
            self.turns = {c: t for c, t in self.turns.items() if c in self.failures or t.locked()}
