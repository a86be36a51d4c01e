"""Servers on loopback, for tests, benchmarks and the eval: the real app in a thread or in its own process, or any
ASGI app in a thread. Nothing here listens beyond 127.0.0.1."""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from assistant.pipeline import Assistant, LiveAssistant
from assistant.settings import Settings
from assistant.web.feedback import FeedbackStore
from assistant.web.middleware import server_config
from assistant.web.server import build_app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ThreadedServer:
    """Any ASGI app served by uvicorn on a free loopback port, in a thread."""

    def __init__(self, app: Any, settings: Settings | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = server_config(app, settings or Settings(), host="127.0.0.1", port=self.port)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start within 60 s")
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


class LiveServer(ThreadedServer):
    """The real app (web chat + API) with its feedback store."""

    def __init__(self, assistant: Assistant, settings: Settings, store_path: Path) -> None:
        self.store = FeedbackStore(store_path)
        self.live = LiveAssistant(assistant, settings.concurrency_limit)
        super().__init__(build_app(self.live, settings, self.store), settings)

    def stop(self) -> None:
        super().stop()
        self.store.close()


@contextmanager
def app_process(open_files: int | None = None, **env: str) -> Iterator[tuple[str, int]]:
    """``python app.py`` in its own process on a free loopback port, as in production: (url, pid); with
    ``open_files``, under that open-file limit (soft and hard, as ``ulimit -n`` sets them)."""
    root = Path(__file__).resolve().parents[2]  # the repository: app.py beside assistant/
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data:
        variables = {
            **os.environ,
            "PORT": str(port),
            "HOST": "127.0.0.1",
            "DATA_DIR": data,
            "APP_AUTH": "",
            "RATE_LIMIT_PER_MINUTE": "0",
            **env,
        }
        server = subprocess.Popen(
            [sys.executable, str(root / "app.py")],
            cwd=root,
            env=variables,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=(lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files)))
            if open_files
            else None,
        )
        try:
            _wait_until_up(url, server)
            yield url, server.pid
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


def _wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the app exited before serving")
        try:
            if httpx.get(f"{url}/v1/models", timeout=2).status_code in (200, 401):  # 401: up, behind APP_AUTH
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the app did not start within 120 s")


def rss_mib(pid: int) -> float:
    """Resident memory of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0
