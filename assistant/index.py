"""Index stage: chunks → a persistent Chroma collection with a manifest.

The manifest records what the index was built from (corpus hash, model, dimension,
chunker version).  A missing or stale index is detected and rebuilt; chunks are
synchronised by id and content hash, so indexing twice changes nothing.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import chromadb
import numpy as np
from langchain_chroma import Chroma
from tqdm import tqdm

from .chunking import CHUNKER_VERSION, Chunk
from .models import NamedEmbeddings

log = logging.getLogger(__name__)

COLLECTION = "notice"
MANIFEST = "manifest.json"
BATCH = 32


@dataclass(frozen=True)
class Manifest:
    corpus_hash: str
    model_id: str
    dimension: int
    chunker_version: str
    chunks: int


@dataclass(frozen=True)
class IndexReport:
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    reason: str = ""

    def summary(self) -> str:
        return f"added {self.added}, updated {self.updated}, deleted {self.deleted}, unchanged {self.unchanged}" + (
            f" ({self.reason})" if self.reason else ""
        )


def expected_manifest(corpus_hash: str, chunks: list[Chunk], embeddings: NamedEmbeddings) -> Manifest:
    return Manifest(corpus_hash, embeddings.model_id, embeddings.dimension, CHUNKER_VERSION, len(chunks))


def read_manifest(index_dir: Path) -> Manifest | None:
    try:
        return Manifest(**json.loads((index_dir / MANIFEST).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def stale_reason(current: Manifest | None, expected: Manifest) -> str:
    """Why the index must be (re)built, or "" when it is up to date."""
    if current is None:
        return "no index yet"
    if current.model_id != expected.model_id or current.dimension != expected.dimension:
        return f"embedding model changed ({current.model_id} → {expected.model_id})"
    if current.corpus_hash != expected.corpus_hash:
        return "corpus changed"
    if current != expected:
        return "chunker changed"
    return ""


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


def _located(where: Path | Location) -> Location:
    return where if isinstance(where, Location) else Location(where)


def sync(
    where: Path | Location,
    chunks: list[Chunk],
    embeddings: NamedEmbeddings,
    manifest: Manifest,
    *,
    reset: bool = False,
    progress: bool = False,
) -> IndexReport:
    """Bring the collection in line with ``chunks``; embed only what changed."""
    location = _located(where)
    client = location.client()
    if reset and COLLECTION in [c.name for c in client.list_collections()]:
        client.delete_collection(COLLECTION)
    collection = client.get_or_create_collection(COLLECTION, configuration={"hnsw": {"space": "cosine"}})
    stored = collection.get(include=["metadatas"])
    stored_hash = {
        id_: str((metadata or {}).get("content_hash", ""))
        for id_, metadata in zip(stored["ids"], stored["metadatas"] or [], strict=True)
    }
    wanted = {c.id for c in chunks}
    changed = [c for c in chunks if stored_hash.get(c.id) != c.content_hash]
    removed = [id_ for id_ in stored_hash if id_ not in wanted]
    with tqdm(total=len(changed), desc="embedding chunks", unit="chunk", disable=not progress) as bar:
        for begin in range(0, len(changed), BATCH):
            batch = changed[begin : begin + BATCH]
            collection.upsert(
                ids=[c.id for c in batch],
                embeddings=np.asarray(embeddings.embed_documents([c.embedding_text for c in batch]), dtype=np.float32),
                documents=[c.text for c in batch],
                metadatas=[c.metadata() for c in batch],
            )
            bar.update(len(batch))
    if removed:
        collection.delete(ids=removed)
    _write_manifest(location.folder, manifest)
    updated = sum(1 for c in changed if c.id in stored_hash)
    return IndexReport(
        added=len(changed) - updated,
        updated=updated,
        deleted=len(removed),
        unchanged=len(chunks) - len(changed),
    )


def _write_manifest(index_dir: Path, manifest: Manifest) -> None:
    temporary = index_dir / (MANIFEST + ".tmp")
    temporary.write_text(json.dumps(asdict(manifest), ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(temporary, index_dir / MANIFEST)


def ensure(
    where: Path | Location,
    corpus_hash: str,
    chunks: list[Chunk],
    embeddings: NamedEmbeddings,
    *,
    rebuild: bool = False,
    progress: bool = False,
) -> tuple[Chroma, IndexReport]:
    """Open the index, building or refreshing it first when it is missing or stale."""
    location = _located(where)
    expected = expected_manifest(corpus_hash, chunks, embeddings)
    current = read_manifest(location.folder)
    client = location.client()
    reason = "rebuild requested" if rebuild else stale_reason(current, expected)
    if not reason and _stored_count(client) != expected.chunks:
        reason = "index content does not match its manifest"
    report = IndexReport(unchanged=len(chunks))
    if reason:
        log.warning("index %s: %s; building it now", location, reason)
        model_changed = current is not None and current.model_id != expected.model_id
        report = sync(location, chunks, embeddings, expected, reset=rebuild or model_changed, progress=progress)
        report = IndexReport(**{**asdict(report), "reason": reason})
    store = Chroma(collection_name=COLLECTION, embedding_function=embeddings, client=client)
    return store, report


def _stored_count(client: chromadb.ClientAPI) -> int:
    if COLLECTION not in [c.name for c in client.list_collections()]:
        return 0
    return client.get_collection(COLLECTION).count()
