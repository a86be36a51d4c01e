"""Chroma clients: embedded (a folder) or a server, and what to do when an embedded store is damaged."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import chromadb
from chromadb.api.shared_system_client import SharedSystemClient


@dataclass(frozen=True)
class Location:
    """Where the index lives: embedded Chroma in ``folder``, or a Chroma server (``host``:``port``).

    The manifest always stays in ``folder``: it records what the collection was built from.
    """

    folder: Path
    host: str | None = None
    port: int = 8000

    def client(self) -> chromadb.ClientAPI:
        self.folder.mkdir(parents=True, exist_ok=True)
        settings = chromadb.config.Settings(anonymized_telemetry=False)
        if self.host:
            return chromadb.HttpClient(host=self.host, port=self.port, settings=settings)
        return chromadb.PersistentClient(path=str(self.folder), settings=settings)

    def __str__(self) -> str:
        return f"chroma server {self.host}:{self.port}" if self.host else str(self.folder)


def collections(client: chromadb.ClientAPI) -> list[str]:
    return [c.name for c in client.list_collections()]


def open_client(location: Location) -> tuple[chromadb.ClientAPI, str]:
    """A client, and what was wrong with a damaged embedded index ("" if nothing).

    A damaged embedded index (say, a truncated SQLite file) is moved aside, kept for diagnosis, and
    rebuilt; a server that cannot be reached is an error to report, not something to repair here.
    """
    if not location.host and not (location.folder / "chroma.sqlite3").exists():
        forget(location.folder)  # deleted under a running process: a cached client would write nowhere
    try:
        client = location.client()
        collections(client)  # a damaged store fails here
        return client, ""
    except Exception as error:  # chromadb raises its own, sqlite's and Rust-binding errors for a broken store
        if location.host:
            raise
        aside = _move_aside(location.folder)
        damage = f"index damaged ({error.__class__.__name__}: {str(error)[:80]}), moved to {aside}"
    forget(location.folder)
    return location.client(), damage


def forget(folder: Path) -> None:
    """Drop chromadb's process-wide cached client for ``folder`` (only that one: others stay live).

    chromadb keys embedded clients by path and offers no public way to drop one; this mirrors its own
    release logic.
    """
    settings = chromadb.config.Settings(is_persistent=True, persist_directory=str(folder))
    identifier = SharedSystemClient._get_identifier_from_settings(settings)
    SharedSystemClient._identifier_to_system.pop(identifier, None)
    SharedSystemClient._identifier_to_refcount.pop(identifier, None)


def _move_aside(folder: Path) -> Path:
    aside = folder.with_name(f"{folder.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    aside.mkdir(parents=True, exist_ok=True)
    for child in folder.iterdir():
        if child.name != ".gitkeep":
            shutil.move(str(child), aside / child.name)
    return aside


def stored_count(client: chromadb.ClientAPI, collection: str) -> int:
    if collection not in collections(client):
        return 0
    return client.get_collection(collection).count()
