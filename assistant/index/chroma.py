"""Chroma clients: embedded (a folder) or a server, and what to do when an embedded store is damaged."""

from __future__ import annotations

import shutil
import sqlite3
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
        if self.folder.exists() and not self.folder.is_dir():
            raise NotADirectoryError(f"INDEX_DIR {self.folder} is a file, not a folder: move it or set another")
        self.folder.mkdir(parents=True, exist_ok=True)
        settings = chromadb.config.Settings(anonymized_telemetry=False)
        if self.host:
            return chromadb.HttpClient(host=self.host, port=self.port, settings=settings)
        return chromadb.PersistentClient(path=str(self.folder), settings=settings)

    def __str__(self) -> str:
        return f"chroma server {self.host}:{self.port}" if self.host else str(self.folder)


def collections(client: chromadb.ClientAPI) -> list[str]:
    return [c.name for c in client.list_collections()]


def open_client(location: Location, databases: tuple[str, ...] = ()) -> tuple[chromadb.ClientAPI, str]:
    """A client, and what was wrong with a damaged embedded index ("" if nothing).

    The SQLite files of an embedded index (Chroma's, and ``databases`` beside it) must pass SQLite's integrity
    check and Chroma must list its collections. A damaged one (a truncated or overwritten file) is moved aside,
    kept for diagnosis, and rebuilt; a server that cannot be reached is an error to report, not something to
    repair here.
    """
    if not location.host and not (location.folder / "chroma.sqlite3").exists():
        forget(location.folder)  # deleted under a running process: a cached client would write nowhere
    try:
        if not location.host:
            for name in ("chroma.sqlite3", *databases):
                check_sqlite(location.folder / name)
        client = location.client()
        collections(client)  # a damaged store fails here
        return client, ""
    except NotADirectoryError:
        raise
    except Exception as error:  # chromadb raises its own, sqlite's and Rust-binding errors for a broken store
        if location.host:
            raise
        damage = move_aside(location, error)
    return location.client(), damage


def move_aside(location: Location, error: BaseException) -> str:
    """Move a damaged embedded index aside (kept for diagnosis) and say so: the reason to rebuild."""
    aside = _move_aside(location.folder)
    forget(location.folder)
    return f"index damaged ({error.__class__.__name__}: {str(error)[:80]}), moved to {aside}"


def check_sqlite(path: Path) -> None:
    """Raise ``sqlite3.DatabaseError`` unless ``path`` (if it exists) passes SQLite's integrity check."""
    if not path.exists():
        return
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as error:
        raise sqlite3.DatabaseError(f"{path.name}: {error}") from error
    finally:
        connection.close()
    if not result or result[0] != "ok":
        raise sqlite3.DatabaseError(f"{path.name} failed its integrity check: {result[0] if result else '?'}")


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
