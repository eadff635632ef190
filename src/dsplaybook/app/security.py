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
- **Basic auth** beyond loopback, the scheme matched case-insensitively, with a short
  back-off per client after a wrong password.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hmac
import ipaddress
import secrets
import time

from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import JSONResponse, Response

TOKEN_HEADER = "x-dsplaybook-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
HEADERS = [
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]
BACKOFF_S, BACKOFF_MAX_S = 0.25, 4.0  # doubles with each wrong password, per client


def new_token() -> str:
    return secrets.token_urlsafe(32)


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
    """No framing, no content sniffing, no caching, no referrer: on every response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in HEADERS if n not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)


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
    Each wrong password from a client doubles the wait before its next answer (capped),
    so guessing is slow; a right one clears it."""

    def __init__(self, app, password: str):
        self.app, self.password = app, password.encode()
        self.failures: dict[str, tuple[int, float]] = {}  # client -> (count, last time)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("?", 0))[0]
        if self._allowed(Headers(scope=scope).get("authorization", "")):
            self.failures.pop(client, None)
            await self.app(scope, receive, send)
            return
        count, _ = self.failures.get(client, (0, 0.0))
        if count:
            await asyncio.sleep(min(BACKOFF_S * 2 ** (count - 1), BACKOFF_MAX_S))
        if Headers(scope=scope).get("authorization"):  # a wrong password, not a first visit
            self.failures[client] = (count + 1, time.monotonic())
            self._forget_old()
        response = Response(
            "password required", 401, {"WWW-Authenticate": 'Basic realm="dsplaybook"'}
        )
        await response(scope, receive, send)

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
        """Bounded memory: clients idle for ten minutes start afresh."""
        if len(self.failures) > most:
            cutoff = time.monotonic() - keep_s
            self.failures = {c: v for c, v in self.failures.items() if v[1] > cutoff}
