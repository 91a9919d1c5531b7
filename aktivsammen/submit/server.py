"""Running the service under uvicorn so that slow or many clients cannot take it down.

uvicorn (h11) closes idle keep-alive connections, but has no deadline for a request that
trickles in and no cap on open sockets: a thousand clients sending one header byte a minute
use up the process's file descriptors. The protocol here adds both; in production nginx in front
(docs/nginx) does the same again at the edge.
"""

from __future__ import annotations

import asyncio

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from .settings import Settings


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a connection cap and a deadline for receiving each request."""

    max_connections = 200
    request_timeout = 10.0  # seconds to send a request's headers and body, from connect or last answer

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            self.connections.discard(self)
            transport.abort()  # at once, before it costs anything more than the accept
            return
        self._arm_deadline()

    def _arm_deadline(self) -> None:
        self._deadline = self.loop.call_later(self.request_timeout, self._too_slow)

    def _too_slow(self) -> None:
        """Close the connection if the request it started (or is to start) is still not all here."""
        if not self.transport.is_closing() and self.conn.their_state in (h11.IDLE, h11.SEND_BODY):
            self.transport.close()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._deadline.cancel()
            self._deadline = self.loop.call_later(
                self.timeout_keep_alive + self.request_timeout, self._too_slow
            )

    def connection_lost(self, exc: Exception | None) -> None:
        deadline = getattr(self, "_deadline", None)
        if deadline is not None:
            deadline.cancel()
        super().connection_lost(exc)


def server_config(app, host: str, port: int, settings: Settings, **options) -> uvicorn.Config:
    """The uvicorn configuration `aktivsammen serve` uses (and the tests, to try it for real)."""
    protocol = type(
        "Protocol",
        (GuardedH11Protocol,),
        {"max_connections": settings.max_connections, "request_timeout": settings.request_timeout_seconds},
    )
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=protocol,
        log_level="warning",
        # Requests in progress beyond this get 503 at once, rather than queueing without end.
        limit_concurrency=settings.max_connections,
        timeout_keep_alive=5,
        backlog=256,
        h11_max_incomplete_event_size=16 * 1024,  # headers larger than this are refused
        proxy_headers=False,  # the client's address is read by the service itself (guards.client_address)
        server_header=False,
        **options,
    )
