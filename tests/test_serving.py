"""The guards between the network and the app (assistant/web/middleware.py), on a real uvicorn server on loopback in
front of a tiny ASGI app: no model, so these run in the fast layer. SECURITY.md names each test."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from assistant.settings import Settings
from assistant.web.loopback import ThreadedServer
from assistant.web.middleware import (
    BodyLimit,
    ClientErrors,
    Hardening,
    Login,
    LoginThrottle,
    RateLimit,
    allowed_hosts,
    connection_cap,
)

LIMIT = 4096


async def echo(scope, receive, send) -> None:
    """Reads the whole body and says how long it was."""
    if scope["type"] != "http":
        return
    size, more = 0, True
    while more:
        message = await receive()
        size += len(message.get("body", b""))
        more = message.get("more_body", False)
    body = json.dumps({"read": size, "client": scope["client"][0]}).encode()
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body})


SETTINGS = Settings(max_connections=16, header_timeout_seconds=1.0, body_timeout_seconds=1.0, _env_file=None)


@pytest.fixture(scope="module")
def guarded() -> Iterator[ThreadedServer]:
    server = ThreadedServer(BodyLimit(echo, limit=LIMIT, timeout=SETTINGS.body_timeout_seconds), SETTINGS)
    yield server
    server.stop()


def _raw(server: ThreadedServer) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=10)


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_a_chunked_body_over_the_limit_gets_413_before_it_is_all_read(guarded):
    def pieces() -> Iterator[bytes]:
        for _ in range(5000):  # 5 MB, far over the 4 KiB limit, with no Content-Length
            yield b"x" * 1000

    response = httpx.post(guarded.url, content=pieces())
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert response.status_code == 413
    assert "bytes" in response.json()["error"]["message"]


def test_a_declared_length_over_the_limit_gets_413_and_bodies_within_it_pass(guarded):
    assert httpx.post(guarded.url, content=b"x" * (LIMIT + 1)).status_code == 413
    assert httpx.post(guarded.url, content=b"x" * LIMIT).json()["read"] == LIMIT

    def small() -> Iterator[bytes]:
        yield b"x" * 100
        yield b"y" * 100

    assert httpx.post(guarded.url, content=small()).json()["read"] == 200


def test_a_body_that_stalls_gets_408(guarded):
    with _raw(guarded) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + b"x" * 10)
        reply = _read_all(sock)
    assert reply.startswith(b"HTTP/1.1 408")


def test_a_connection_that_sends_no_headers_is_closed(guarded):
    with _raw(guarded) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
        started = time.monotonic()
        assert _read_all(sock) == b""  # closed by the server, not by the 10 s client timeout
        assert time.monotonic() - started < 8


def test_connections_over_the_cap_get_503_and_the_server_recovers(guarded):
    held = [_raw(guarded) for _ in range(SETTINGS.max_connections)]
    try:
        with _raw(guarded) as extra:  # answered at once, before it sends anything
            assert _read_all(extra).startswith(b"HTTP/1.1 503")
        # the idle ones are closed after the header deadline; then the server answers again
        deadline = time.monotonic() + 10
        while True:
            try:
                if httpx.get(guarded.url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "still refusing after the held connections timed out"
            time.sleep(0.2)
    finally:
        for sock in held:
            sock.close()


def test_the_connection_cap_stays_below_the_open_file_limit():
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert connection_cap(10**9) < soft


def test_failed_logins_are_throttled_per_client():
    throttle = LoginThrottle(allowed=3, window=60)
    for second in range(3):
        assert throttle.wait("1.2.3.4", now=second) == 0
        throttle.failed("1.2.3.4", now=second)
    assert throttle.wait("1.2.3.4", now=3) == pytest.approx(57)
    assert throttle.wait("5.6.7.8", now=3) == 0  # another client is not held up
    assert throttle.wait("1.2.3.4", now=61) == 0  # the first failure has left the window


@pytest.fixture(scope="module")
def logged_in() -> Iterator[ThreadedServer]:
    app = Login(RateLimit(echo, per_minute=5), "staff", "s3cret", "k3y", "test", LoginThrottle(allowed=5))
    server = ThreadedServer(app, SETTINGS)
    yield server
    server.stop()


def test_guessing_a_password_gets_429_and_the_right_one_waits_too(logged_in):
    codes = [httpx.get(logged_in.url, auth=("staff", f"guess{n}")).status_code for n in range(8)]
    assert codes[:5] == [401] * 5 and codes[5:] == [429] * 3
    blocked = httpx.get(logged_in.url, auth=("staff", "s3cret"))
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0


def test_auth_schemes_are_case_insensitive():
    server = ThreadedServer(Login(echo, "staff", "s3cret", "k3y", "test", LoginThrottle(allowed=5)), SETTINGS)
    try:
        for scheme in ("Bearer", "bearer", "BEARER"):
            response = httpx.get(server.url, headers={"Authorization": f"{scheme} k3y"})
            assert response.status_code == 200, scheme
        assert httpx.get(server.url, headers={"Authorization": "basic c3RhZmY6czNjcmV0"}).status_code == 200
    finally:
        server.stop()


def test_x_forwarded_for_is_not_trusted_by_default():
    server = ThreadedServer(RateLimit(echo, per_minute=5), SETTINGS)
    try:
        codes = [
            httpx.post(server.url, content=b"q", headers={"X-Forwarded-For": f"10.0.0.{n}"}).status_code
            for n in range(7)
        ]
        assert codes == [200] * 5 + [429] * 2
        wait = int(httpx.post(server.url, content=b"q").headers["retry-after"])
        assert 0 < wait <= 60
        assert httpx.get(server.url, headers={"X-Forwarded-For": "10.9.9.9"}).json()["client"] == "127.0.0.1"
    finally:
        server.stop()


def test_a_trusted_proxy_names_the_client():
    trusted = SETTINGS.model_copy(update={"trusted_proxies": "127.0.0.1"})
    server = ThreadedServer(echo, trusted)
    try:
        assert httpx.get(server.url, headers={"X-Forwarded-For": "10.9.9.9"}).json()["client"] == "10.9.9.9"
    finally:
        server.stop()


async def cors_echo(scope, receive, send) -> None:
    """Answers like a framework that grants every origin."""
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/plain"), (b"access-control-allow-origin", b"*")],
        }
    )
    await send({"type": "http.response.body", "body": b"ok"})


@pytest.fixture(scope="module")
def hardened() -> Iterator[ThreadedServer]:
    server = ThreadedServer(Hardening(cors_echo, allowed_hosts(SETTINGS)), SETTINGS)
    yield server
    server.stop()


def test_only_loopback_host_names_are_served_by_default(hardened):
    assert allowed_hosts(SETTINGS) == ["127.0.0.1", "localhost", "::1"]
    assert httpx.get(hardened.url).status_code == 200
    assert httpx.get(hardened.url, headers={"Host": f"localhost:{hardened.port}"}).status_code == 200
    rebinding = httpx.get(hardened.url, headers={"Host": "attacker.example"})
    assert rebinding.status_code == 400 and "host" in rebinding.json()["error"]["message"]
    anywhere = SETTINGS.model_copy(update={"host": "0.0.0.0"})
    assert allowed_hosts(anywhere) == ["*"]
    assert allowed_hosts(anywhere.model_copy(update={"allowed_hosts": "kjw.example.cn"})) == ["kjw.example.cn"]


def test_posts_must_be_json(hardened):
    for kind in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""):
        assert httpx.post(hardened.url, content=b"q=1", headers={"content-type": kind}).status_code == 415, kind
    assert httpx.post(hardened.url, json={"q": 1}).status_code == 200


def test_responses_grant_no_other_origin_and_refuse_frames(hardened):
    response = httpx.get(hardened.url, headers={"Origin": "https://attacker.example"})
    assert "access-control-allow-origin" not in response.headers
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_one_limit_for_every_way_in(tmp_path):
    """Web chat and API both answer through LiveAssistant.ask: never more than the limit at once, in arrival order."""
    import threading
    from types import SimpleNamespace

    from assistant.pipeline import LiveAssistant

    running, most, order = 0, 0, []
    lock = threading.Lock()

    def ask(question, history=None, scope=(), profile=""):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1
            order.append(question)
        return question

    fake = SimpleNamespace(settings=SimpleNamespace(corpus_dir=tmp_path), ask=ask)
    live = LiveAssistant(fake, concurrency=2)  # type: ignore[arg-type]
    threads = [threading.Thread(target=live.ask, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
        time.sleep(0.005)
    for thread in threads:
        thread.join()
    assert most == 2 and sorted(order) == list(range(12))


async def fragile(scope, receive, send) -> None:
    """A route that trips over what it was sent, the ways Gradio's do."""
    if scope["path"] == "/raises":
        raise KeyError(9999)  # an unknown fn_index
    if scope["path"] == "/422":
        await send({"type": "http.response.start", "status": 422, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": b'{"detail": []}'})
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"data: 1\n\n", "more_body": True})
    raise RuntimeError("session not found")  # mid-stream


def test_what_a_client_sent_never_gets_a_500_or_a_torn_response():
    server = ThreadedServer(ClientErrors(fragile), SETTINGS)
    try:
        for path in ("/raises", "/422"):
            response = httpx.get(server.url + path)
            assert response.status_code == 400 and response.json()["error"]["message"], path
        streamed = httpx.get(server.url + "/stream")
        assert streamed.status_code == 200 and streamed.text == "data: 1\n\n"  # ended cleanly, not cut
    finally:
        server.stop()
