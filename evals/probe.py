"""The hostile-client probes of SECURITY.md, re-run against the app in its own process: ``python -m evals.probe``
(``make probe``). Figures are printed, not asserted; the regression tests are in tests/test_serving.py.

1. A 200 MB chunked body, then the server's memory.
2. 300 idle connections held open with the open-file limit at 256, while a client keeps asking.
3. 2,000 wrong passwords, and POSTs with a changing X-Forwarded-For.
4. Malformed bodies on every POST route.
"""

from __future__ import annotations

import socket
import sys
import time
from collections import Counter
from collections.abc import Iterator

import httpx

from assistant.web.loopback import app_process, rss_mib

JSON = {"content-type": "application/json"}
QUESTION = {"messages": [{"role": "user", "content": "高新技术企业的认定目标是多少？"}]}


def chunked_body() -> None:
    def pieces() -> Iterator[bytes]:
        for _ in range(200):
            yield b"x" * 1_000_000

    with app_process() as (url, pid):
        before = rss_mib(pid)
        try:
            response = httpx.post(f"{url}/v1/chat/completions", content=pieces(), headers=JSON, timeout=60)
            status = str(response.status_code)
        except httpx.HTTPError as error:  # the server may close the connection once it has answered 413
            status = f"closed ({error.__class__.__name__})"
        print(f"200 MB chunked body: {status}; server memory {before:.0f} → {rss_mib(pid):.0f} MiB")


def held_connections() -> None:
    with app_process(open_files=256) as (url, _):
        port = int(url.rsplit(":", 1)[1])
        held = []
        for _ in range(300):
            try:
                held.append(socket.create_connection(("127.0.0.1", port), timeout=5))
            except OSError:
                break
        started, codes = time.monotonic(), Counter()
        while time.monotonic() - started < 20:
            try:
                codes[httpx.post(f"{url}/v1/chat/completions", json=QUESTION, timeout=10).status_code] += 1
            except httpx.HTTPError as error:
                codes[error.__class__.__name__] += 1
            time.sleep(0.5)
        closed = 0
        for sock in held:
            sock.settimeout(0.1)
            try:
                sock.recv(1)  # b"" (closed) or a 503: the server let go of it
                closed += 1
            except TimeoutError:  # still open
                pass
            except OSError:  # reset: closed
                closed += 1
            sock.close()
        print(
            f"300 idle connections held (open-file limit 256): {len(held)} opened; requests over 20 s: "
            f"{dict(codes)}; held connections the server had closed or refused: {closed}"
        )


def logins_and_forwarding() -> None:
    with app_process(APP_AUTH="admin:s3cret", RATE_LIMIT_PER_MINUTE="600") as (url, _):
        with httpx.Client(timeout=10) as client:
            codes = Counter(client.get(f"{url}/", auth=("admin", f"guess{n}")).status_code for n in range(2000))
            right = client.get(f"{url}/", auth=("admin", "s3cret")).status_code
        print(f"2,000 wrong passwords: {dict(codes)}; then the right one: {right}")
    with app_process(RATE_LIMIT_PER_MINUTE="600") as (url, _):
        with httpx.Client(timeout=30) as client:
            forwarded = [{"X-Forwarded-For": f"10.{n // 256}.{n % 256}.1"} for n in range(650)]
            codes = Counter(
                client.post(f"{url}/v1/chat/completions", json=QUESTION, headers=headers).status_code
                for headers in forwarded
            )
        print(f"650 POSTs, each with another X-Forwarded-For (limit 600 a minute): {dict(codes)}")


BAD_BODIES = [
    b"{not json",
    b"\xff\xfe\x00",
    b"[" * 30000 + b"]" * 30000,
    b'{"messages": [{"role": "user", "content": "\\ud800"}]}',
    b'{"data": [], "fn_index": 9999, "session_hash": "x"}',
    b'{"data": 5}',
    b"null",
    b'"a string"',
    b"{}",
]
POST_ROUTES = ["/v1/chat/completions", "/gradio_api/queue/join", "/gradio_api/run/predict", "/gradio_api/upload"]


def bad_bodies() -> None:
    with app_process() as (url, _):
        codes: Counter[int] = Counter()
        for route in POST_ROUTES:
            for body in BAD_BODIES:
                for kind in ("application/json", "text/plain"):
                    codes[httpx.post(f"{url}{route}", content=body, headers={"content-type": kind}).status_code] += 1
        unknown = httpx.get(f"{url}/gradio_api/no-such-route").status_code
        tried = sum(codes.values())
        print(f"{tried} malformed POSTs on {len(POST_ROUTES)} routes: {dict(codes)}; an unknown route: {unknown}")


def main() -> int:
    chunked_body()
    held_connections()
    logins_and_forwarding()
    bad_bodies()
    return 0


if __name__ == "__main__":
    sys.exit(main())
