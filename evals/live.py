"""Servers on loopback in a thread, for tests and benchmarks: the real app, or any ASGI app."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn

from app import build_app
from assistant.feedback import FeedbackStore
from assistant.pipeline import Assistant
from assistant.settings import Settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ThreadedServer:
    """Any ASGI app served by uvicorn on a free loopback port, in a thread."""

    def __init__(self, app: Any) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
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
        super().__init__(build_app(assistant, settings, self.store))

    def stop(self) -> None:
        super().stop()
        self.store.close()
