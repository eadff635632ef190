"""Serving the pages: the port checked before anything is built, uvicorn with bounded
connections (a client that never finishes its headers is dropped)."""

from __future__ import annotations

import socket

import psutil
from uvicorn.protocols.http.h11_impl import H11Protocol

from dsplaybook.errors import InputError

HEADER_TIMEOUT_S = 10.0  # a request's headers must arrive within this of its connection
BODY_TIMEOUT_S = 10.0  # and its body within this of the headers' last byte
KEEP_ALIVE_S = 5  # an idle kept-alive connection is closed after this
MAX_CONNECTIONS = 100  # beyond this uvicorn answers 503


class BoundedH11(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's headers and one for its
    body: its keep-alive timer covers idle connections between requests, not a request
    whose headers or body trickle in a byte at a time to hold a connection slot."""

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._arm_header_deadline()

    def handle_events(self) -> None:
        before = self.cycle
        super().handle_events()
        if self.cycle is not None and self.cycle is not before and self.cycle.more_body:
            self._arm_body_deadline(self.cycle)

    def _arm_body_deadline(self, cycle) -> None:
        def expire() -> None:
            if self.cycle is cycle and cycle.more_body and not self.transport.is_closing():
                self.transport.close()  # the body did not arrive in time: the app sees a
                # disconnect, the connection slot is free again

        self.loop.call_later(BODY_TIMEOUT_S, expire)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm_header_deadline()

    def _arm_header_deadline(self) -> None:
        waiting_for = self.cycle  # None, or the request just answered

        def expire() -> None:
            if self.cycle is waiting_for and not self.transport.is_closing():
                self.transport.close()  # no new request began within the deadline

        self.loop.call_later(HEADER_TIMEOUT_S, expire)


def port_in_use(host: str, port: int) -> str | None:
    """None if ``host:port`` can be bound; else a sentence naming who holds it."""
    bind_host = "" if host in ("0.0.0.0", "::") else host
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((bind_host, port))
            return None
        except OSError as err:
            reason = err.strerror or str(err)
    return f"port {port} on {host} is in use ({reason}){_holder(port)}"


def _holder(port: int) -> str:
    try:
        for conn in psutil.net_connections(kind="tcp"):
            if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port:
                if conn.pid is None:
                    return " by a process of another user"
                process = psutil.Process(conn.pid)
                command = " ".join(process.cmdline())[:160]
                return f" by process {conn.pid} ({command})"
    except (psutil.Error, OSError):
        pass
    return ""


def check_port(host: str, port: int) -> None:
    problem = port_in_use(host, port)
    if problem:
        raise InputError(
            f"app: {problem}; stop it (is the page already open?) or pass --port / set app.port"
        )


def server_config(app, host: str, port: int):
    """uvicorn's settings for the pages (the tests serve with the same)."""
    import uvicorn

    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        http=BoundedH11,
        timeout_keep_alive=KEEP_ALIVE_S,
        limit_concurrency=MAX_CONNECTIONS,
        server_header=False,
    )


def serve(app, host: str, port: int) -> None:
    import uvicorn

    uvicorn.Server(server_config(app, host, port)).run()
