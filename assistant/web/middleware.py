"""What stands between the network and the app: connection caps and timeouts, body limits, login and its
throttle, the request rate limit. ASGI middleware and a uvicorn protocol, built from :class:`Settings` by
:func:`server_config`, so the app, the tests and the benchmarks serve the same way (SECURITY.md).
"""

from __future__ import annotations

import asyncio
import base64
import hmac
import logging
import resource
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import anyio.to_thread
import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from assistant.settings import Settings
from assistant.web.api import error_response

log = logging.getLogger(__name__)

# file descriptors kept free of connections: the index, the feedback store, the corpus watcher, logs
RESERVED_FDS = 64


class _TooLarge(Exception):
    pass


class _TooSlow(Exception):
    pass


class BodyLimit:
    """Request bodies over ``limit`` bytes get 413, counted as they are read, whatever the framing (a declared
    Content-Length, chunked, or none); a body that stalls for ``timeout`` seconds between pieces gets 408."""

    def __init__(self, app: ASGIApp, limit: int, timeout: float) -> None:
        self.app, self.limit, self.timeout = app, limit, timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.limit:
            await self._refuse(413, scope, receive, send)
            return
        read, done, started = 0, False, False

        async def counted() -> Message:
            nonlocal read, done
            if done:  # the body is in: what follows is waiting for a disconnect, as long as a stream lasts
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), self.timeout)
            except TimeoutError:
                raise _TooSlow from None
            if message["type"] == "http.request":
                read += len(message.get("body", b""))
                done = not message.get("more_body", False)
                if read > self.limit:
                    raise _TooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except (_TooLarge, _TooSlow) as error:
            if not started:  # else the response is under way: the connection is dropped by the server
                await self._refuse(413 if isinstance(error, _TooLarge) else 408, scope, receive, send)

    async def _refuse(self, status: int, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"request body over {self.limit} bytes" if status == 413 else "request body too slow"
        response = error_response(status, message)
        response.headers["Connection"] = "close"
        await response(scope, receive, send)


class LoginThrottle:
    """Failed logins per client address: after ``allowed`` failures within ``window`` seconds the client gets 429
    until the oldest of them is older than the window."""

    def __init__(self, allowed: int, window: float = 600.0) -> None:
        self.allowed, self.window = allowed, window
        self.failures: dict[str, deque[float]] = defaultdict(deque)

    def wait(self, client: str, now: float | None = None) -> float:
        """Seconds ``client`` must wait before trying again (0: may try now)."""
        now = time.monotonic() if now is None else now
        times = self.failures.get(client)
        if not times:
            return 0.0
        while times and now - times[0] > self.window:
            times.popleft()
        if not times:
            del self.failures[client]
            return 0.0
        return self.window - (now - times[0]) if len(times) >= self.allowed else 0.0

    def failed(self, client: str, now: float | None = None) -> None:
        self.failures[client].append(time.monotonic() if now is None else now)


class Login:
    """With APP_AUTH set, every request needs it: HTTP Basic (browsers ask for it) or ``Bearer <key>`` (API
    clients). Anything else gets 401 before it reaches the chat or the API, and a client that keeps failing gets
    429 (``throttle``) without its credentials being checked."""

    def __init__(self, app: ASGIApp, user: str, password: str, key: str, realm: str, throttle: LoginThrottle) -> None:
        self.app, self.realm, self.throttle = app, realm, throttle
        self.basic = base64.b64encode(f"{user}:{password}".encode()).decode()
        self.key = key

    def _accepts(self, given: bytes) -> bool:
        scheme, _, credentials = given.decode("latin-1").strip().partition(" ")
        expected = {"basic": self.basic, "bearer": self.key}.get(scheme.lower())  # schemes are case-insensitive
        return expected is not None and hmac.compare_digest(credentials.strip().encode(), expected.encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        client = client_address(scope)
        if wait := self.throttle.wait(client):
            await self._deny(scope, receive, send, 429, f"too many failed logins; try again in {wait:.0f} s", wait)
            return
        if not self._accepts(dict(scope["headers"]).get(b"authorization", b"")):
            self.throttle.failed(client)
            await self._deny(scope, receive, send, 401, "login required (APP_AUTH)")
            return
        await self.app(scope, receive, send)

    async def _deny(
        self, scope: Scope, receive: Receive, send: Send, status: int, message: str, wait: float = 0.0
    ) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        response = error_response(status, message, "authentication_error" if status == 401 else "rate_limit_error")
        if status == 401:
            response.headers["WWW-Authenticate"] = f'Basic realm="{self.realm}", charset="UTF-8"'
        else:
            response.headers["Retry-After"] = str(max(1, round(wait)))
        await response(scope, receive, send)


class RateLimit:
    """At most ``per_minute`` POST requests (questions, feedback) per client address; more get 429."""

    def __init__(self, app: ASGIApp, per_minute: int) -> None:
        self.app, self.per_minute = app, per_minute
        self.recent: dict[str, deque[float]] = defaultdict(deque)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and self.per_minute:
            now, times = time.monotonic(), self.recent[client_address(scope)]
            while times and now - times[0] > 60:
                times.popleft()
            if len(times) >= self.per_minute:
                response = error_response(429, f"over {self.per_minute} requests a minute; wait a moment")
                # when the oldest request counted leaves the minute (the web page says so under the box)
                response.headers["Retry-After"] = str(max(1, round(60 - (now - times[0]))))
                await response(scope, receive, send)
                return
            times.append(now)
        await self.app(scope, receive, send)


def client_address(scope: Scope) -> str:
    """The client's address as the server saw it; rewritten from X-Forwarded-For only for a proxy named in
    TRUSTED_PROXIES (uvicorn's proxy-headers handling, off by default)."""
    return str((scope.get("client") or ("?", 0))[0])


def _guarded_protocol(max_connections: int, header_timeout: float) -> type[H11Protocol]:
    """uvicorn's h11 protocol with a cap on open connections (more are answered 503 and closed) and a deadline
    for a connection's first request line and headers (a client that connects and sends nothing, or sends its
    headers a byte at a time, is closed). Idle keep-alive connections are closed by uvicorn's keep-alive timeout."""

    class GuardedH11Protocol(H11Protocol):
        _deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            if len(self.connections) > max_connections:
                transport.write(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                transport.close()
                return
            self._deadline = self.loop.call_later(header_timeout, self._too_slow)

        def _too_slow(self) -> None:
            if self.cycle is None and not self.transport.is_closing():
                self.transport.close()

        def handle_events(self) -> None:
            super().handle_events()
            if self.cycle is not None and self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def connection_lost(self, exc: Exception | None) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
            super().connection_lost(exc)

    return GuardedH11Protocol


def connection_cap(wanted: int) -> int:
    """At most ``wanted`` connections, and fewer than the open-file limit allows (raised to its hard limit first,
    where the system lets a process do so), so held connections never starve the index or the logs of files."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):
            pass
    if soft == resource.RLIM_INFINITY:
        return wanted
    cap = min(wanted, max(8, soft - RESERVED_FDS))
    if cap < wanted:
        log.warning("open-file limit %d: serving at most %d connections (MAX_CONNECTIONS %d)", soft, cap, wanted)
    return cap


def worker_threads(tokens: int) -> Callable[[Any], AbstractAsyncContextManager[None]]:
    """An app lifespan giving blocking work ``tokens`` threads (anyio's default is 40). A question waits for its turn
    (``CONCURRENCY_LIMIT``) in a thread; with 40, fifty waiting users took every thread, and a streamed answer's
    next piece or Gradio's next update waited behind them for seconds (docs/eval: 50 users, web p95 4.1 s)."""

    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = tokens
        yield

    return lifespan


def server_config(app: Any, settings: Settings, *, host: str | None = None, port: int | None = None) -> uvicorn.Config:
    """How the app is served: on ``settings.host``/``port`` unless given, with the connection guards above."""
    trusted = [address.strip() for address in settings.trusted_proxies.split(",") if address.strip()]
    return uvicorn.Config(
        app,
        host=host or settings.host,
        port=port or settings.port,
        log_level="warning",
        http=_guarded_protocol(connection_cap(settings.max_connections), settings.header_timeout_seconds),
        timeout_keep_alive=5,
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted or None,
        ws_max_size=settings.max_request_bytes,
    )


# A policy the Gradio page works under (checked in a real browser, tests/test_browser.py): its own scripts and
# styles, inline ones included (the page carries its config inline); nothing from other origins; never framed.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' data: blob:; connect-src 'self'; "
    "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]
_JSON = {b"application/json"}
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class Hardening:
    """Browser-facing defaults: a request must name an allowed host (a DNS-rebinding page names its own); a POST
    must carry JSON (an HTML form on another site can only send form or text bodies, so it cannot post a question
    or a 👎 in a logged-in user's name); no cross-origin grants (CORS headers the framework adds are dropped, so
    only the page's own origin may read answers); every response says not to be framed."""

    def __init__(self, app: ASGIApp, allowed_hosts: list[str]) -> None:
        self.app = app
        self.allowed = {h.lower() for h in allowed_hosts}

    def _host_allowed(self, scope: Scope) -> bool:
        if "*" in self.allowed:
            return True
        host = dict(scope["headers"]).get(b"host", b"").decode("latin-1").lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name.strip("[]") in self.allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if not self._host_allowed(scope):
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            await error_response(400, "host not allowed (ALLOWED_HOSTS)")(scope, receive, send)
            return
        if scope["type"] == "http" and scope["method"] == "POST":
            kind = dict(scope["headers"]).get(b"content-type", b"").split(b";")[0].strip().lower()
            if kind not in _JSON:
                message = "send the request body as JSON (Content-Type: application/json)"
                await error_response(415, message)(scope, receive, send)
                return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if not k.lower().startswith(b"access-control-")]
                message = {**message, "headers": [*kept, *HEADERS]}
            await send(message)

        await self.app(scope, receive, with_headers)


def allowed_hosts(settings: Settings) -> list[str]:
    """ALLOWED_HOSTS, else the loopback names when the server binds loopback, else any host."""
    if settings.allowed_hosts.strip():
        return [h.strip() for h in settings.allowed_hosts.split(",") if h.strip()]
    return list(LOOPBACK) if settings.host in LOOPBACK else ["*"]


class ClientErrors:
    """No request gets a 500 or a torn response for what it sent: the framework's 422 (a body that does not
    validate) becomes a 400 with an OpenAI-style JSON error; so does an exception before the response starts (a
    Gradio route given an unknown function raises, and Gradio answers 500), logged in one line; one after the
    response started ends it cleanly."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, replaced = False, False

        async def checked(message: Message) -> None:
            nonlocal started, replaced
            if message["type"] == "http.response.start":
                started = True
                if message["status"] in (422, 500):
                    replaced = True
                    await self._bad_request(send, "request not understood: it does not match what this route takes")
                    return
            if not replaced:
                await send(message)

        try:
            await self.app(scope, receive, checked)
        except Exception as error:  # whatever a route raises on a request it did not expect
            log.warning("%s %s: %s: %s", scope["method"], scope["path"], error.__class__.__name__, str(error)[:120])
            if not started:
                await self._bad_request(send, "request not understood")
            elif not replaced:
                await send({"type": "http.response.body", "body": b"", "more_body": False})

    @staticmethod
    async def _bad_request(send: Send, message: str) -> None:
        response = error_response(400, message)
        await send({"type": "http.response.start", "status": 400, "headers": response.raw_headers})
        await send({"type": "http.response.body", "body": response.body, "more_body": False})
