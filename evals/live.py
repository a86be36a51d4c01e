"""The real app (web chat + API) served by uvicorn on loopback in a thread: for tests and benchmarks."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import uvicorn

from app import build_app
from assistant.feedback import FeedbackStore
from assistant.pipeline import Assistant
from assistant.settings import Settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LiveServer:
    def __init__(self, assistant: Assistant, settings: Settings, store_path: Path) -> None:
        self.store = FeedbackStore(store_path)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        app = build_app(assistant, settings, self.store)
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
        self.store.close()
