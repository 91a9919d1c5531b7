"""What stands between the internet and the handlers: body size, rate, fill time, client address,
refused methods and the security headers. Each guard is small and has no knowledge of activities.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import re
import time
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOO_FAST = "Formularen blev sendt meget hurtigt. Tjek oplysningerne, og tryk så på knappen igen."
TOO_MANY = "Du har sendt mange indsendelser på kort tid. Vent lidt, og prøv igen."


def client_key(value: str) -> str:
    """Idempotency keys from the client are namespaced, so they never collide with content hashes."""
    value = value.strip()
    try:
        return "klient:" + str(uuid.UUID(value))
    except ValueError:
        return ""


def refusal(message: str, status: int, headers: dict[str, str] | None = None) -> JSONResponse:
    """Every refusal the service sends has the same Danish shape as a form error (FieldErrors)."""
    return JSONResponse({"message": message, "errors": {}}, status_code=status, headers=headers)


class BodyLimit:
    """Refuse request bodies over the limit before reading them into memory."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            if not declared.isdigit() or int(declared) > self.max_bytes:
                await _too_large(scope, receive, send)
                return
            await self.app(scope, receive, send)  # the server never passes more than declared
            return
        # Chunked, length unknown: read it here, up to the limit, and hand the app what was read.
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False)
            if size > self.max_bytes:
                await _too_large(scope, receive, send)
                return
        pending = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]

        async def replay() -> dict:
            return pending.pop() if pending else await receive()  # then: the client's disconnect

        await self.app(scope, replay, send)


async def _too_large(scope: Scope, receive: Receive, send: Send) -> None:
    response = refusal("Indsendelsen er for stor.", 413, {"Connection": "close"})
    await response(scope, receive, send)


class RateLimiter:
    """At most `limit` hits per address per window, in memory (one process serves the form).

    Bounded: addresses whose window has passed are forgotten, and when more than `max_addresses`
    are remembered at once the least recently seen go first, so memory does not grow with every
    new client (or every address an attacker can send from).
    """

    def __init__(self, limit: int, window: float, max_addresses: int = 10_000, clock=time.monotonic):
        self.limit = limit
        self.window = window
        self.max_addresses = max_addresses
        self.clock = clock
        self.hits: OrderedDict[str, deque[float]] = OrderedDict()

    def allow(self, address: str) -> bool:
        now = self.clock()
        self._forget(now)
        hits = self.hits.pop(address, None) or deque()
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        self.hits[address] = hits  # now the most recently seen
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        return True

    def _forget(self, now: float) -> None:
        while self.hits:
            hits = next(iter(self.hits.values()))
            if len(self.hits) < self.max_addresses and hits and hits[-1] > now - self.window:
                break  # the least recently seen is still counting: so are all the others
            self.hits.popitem(last=False)


class Tokens:
    """Signed timestamps: a submission must come some seconds after its form was opened."""

    def __init__(self, secret: bytes, min_seconds: float):
        self.secret = secret
        self.min_seconds = min_seconds

    def issue(self) -> str:
        stamp = f"{time.time():.3f}"
        return f"{stamp}.{self._sign(stamp)}"

    def _sign(self, stamp: str) -> str:
        return hmac.new(self.secret, stamp.encode(), hashlib.sha256).hexdigest()[:32]

    def age(self, token: str) -> float | None:
        """Seconds since the token was issued, or None if it is not one of ours (or too old)."""
        stamp, _, signature = token.rpartition(".")
        if not stamp or not hmac.compare_digest(signature, self._sign(stamp)):
            return None
        try:
            age = time.time() - float(stamp)
        except ValueError:
            return None
        return age if 0 <= age < 24 * 3600 else None

    def ripe(self, token: str) -> bool:
        age = self.age(token)
        return age is not None and age >= self.min_seconds


def client_address(request: Request, trust_proxy: bool) -> str:
    """The address a rate limit counts.

    Behind our own proxy (nginx sets `X-Forwarded-For $remote_addr`, or appends with
    `$proxy_add_x_forwarded_for`), only the right-most entry was written by the proxy: anything to
    its left came from the client and is ignored. Without the setting, the socket's peer counts.
    """
    peer = request.client.host if request.client else "ukendt"
    if trust_proxy and (forwarded := request.headers.get("x-forwarded-for")):
        last = forwarded.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(last))
        except ValueError:
            return peer
    return peer


# --- Responses -------------------------------------------------------------------------------

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cache-Control": "no-store",  # the service's answers are personal (a receipt, a form with errors)
}
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)


def page_policy(html: bytes) -> str:
    """A strict Content-Security-Policy for one of the service's pages: its inline scripts by hash."""
    hashes = sorted(
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(html)
    )
    return "; ".join([
        "default-src 'self'",
        " ".join(["script-src 'self'", *hashes]),
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])  # fmt: skip


class SecurityHeaders:
    """Security headers on every answer; the service's own HTML pages also get a CSP.

    Files of a site served alongside (local use) keep their own caching; the policy is only set
    where the service wrote the page, so the static site's `_headers` stay the one source there.
    """

    def __init__(self, app: ASGIApp, own_page: Callable[[str], bool]):
        self.app = app
        self.own_page = own_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        own = self.own_page(scope["path"])

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = (
                    SECURITY_HEADERS
                    if own
                    else {name: value for name, value in SECURITY_HEADERS.items() if name != "Cache-Control"}
                )
                message["headers"] = [
                    *message.get("headers", []),
                    *[(name.encode(), value.encode()) for name, value in extra.items()
                      if name.lower().encode() not in present],
                ]  # fmt: skip
            await send(message)

        await self.app(scope, receive, with_headers)


def html_page(content: str, status: int = 200) -> HTMLResponse:
    """One of the service's HTML pages, with its own Content-Security-Policy."""
    response = HTMLResponse(content, status_code=status)
    response.headers["Content-Security-Policy"] = page_policy(response.body)
    return response


def method_not_allowed(allowed: set[str]) -> Response:
    return refusal(
        "Denne adresse tager kun imod indsendelser fra formularen.",
        405,
        {"Allow": ", ".join(sorted(allowed))},
    )
