"""Index stage: chunks → a persistent Chroma collection with a manifest.

The manifest records what the index was built from (corpus hash, model, dimension,
chunker version) and which collection holds it.  A missing or stale index is detected and rebuilt; chunks are
synchronised by id and content hash, so indexing twice changes nothing.

A changed corpus is synced in place: only changed chunks are embedded, and a running server keeps answering from
its own chunks meanwhile.  Anything else (no index, another model, damage, ``--rebuild``) builds a new collection
generation beside the live one and switches the manifest to it only when it is complete; the generation before
stays until the next build, so a process still reading it is not cut off.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import chromadb
import numpy as np

from assistant.corpus.chunking import CHUNKER_VERSION, Chunk
from assistant.index.chroma import Location, collections, move_aside, open_client, stored_count
from assistant.index.embeddings import NamedEmbeddings

if TYPE_CHECKING:  # LangChain's store, record manager and indexing API build the index; opening it needs none
    from langchain_chroma import Chroma
    from langchain_classic.indexes import SQLRecordManager

log = logging.getLogger(__name__)

COLLECTION = "notice"  # generations are notice-1, notice-2, …; the manifest names the live one
MANIFEST = "manifest.json"
RECORDS = "records.sqlite3"
SOURCE = "notice"
CORPUS_CHANGED = "corpus changed"
CHUNKER_CHANGED = "chunker changed"
# sentence-transformers sorts a call's texts by length, so larger calls pad less: 32 → 512 doubles throughput.
BATCH = 512


@dataclass(frozen=True)
class Manifest:
    corpus_hash: str
    model_id: str
    dimension: int
    chunker_version: str
    chunks: int
    collection: str = COLLECTION


@dataclass(frozen=True)
class IndexReport:
    added: int = 0
    updated: int = 0
    deleted: int = 0
    skipped: int = 0  # already indexed with the same content
    reason: str = ""

    @property
    def wrote(self) -> bool:
        """Whether opening the index changed it."""
        return bool(self.added or self.updated or self.deleted)

    def summary(self) -> str:
        counts = f"added {self.added}, updated {self.updated}, skipped {self.skipped}, deleted {self.deleted}"
        return counts + (f" ({self.reason})" if self.reason else "")


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
        return CORPUS_CHANGED
    if replace(current, collection=expected.collection) != expected:
        return CHUNKER_CHANGED
    return ""


def _located(where: Path | Location) -> Location:
    return where if isinstance(where, Location) else Location(where)


def _records(location: Location, collection: str) -> SQLRecordManager:
    """LangChain's record manager: which content hashes a collection holds, in SQLite beside the manifest."""
    from langchain_classic.indexes import SQLRecordManager

    manager = SQLRecordManager(f"chroma/{collection}", db_url=f"sqlite:///{location.folder / RECORDS}")
    manager.create_schema()
    return manager


def _store(client: chromadb.ClientAPI, embeddings: NamedEmbeddings, collection: str) -> Chroma:
    from langchain_chroma import Chroma

    return Chroma(
        collection_name=collection,
        embedding_function=embeddings,
        client=client,
        collection_configuration={"hnsw": {"space": "cosine"}},
    )


def sync(
    where: Path | Location,
    chunks: list[Chunk],
    embeddings: NamedEmbeddings,
    manifest: Manifest,
    *,
    reset: bool = False,
    progress: bool = False,
) -> IndexReport:
    """Bring the collection in line with ``chunks`` through LangChain's indexing API: only changes are embedded.

    The embedded text (heading path + sentence) is the stored content; the verbatim text and the stable chunk
    id travel in metadata.
    """
    from langchain_core.documents import Document
    from langchain_core.indexing import index as langchain_index
    from tqdm import tqdm

    location = _located(where)
    client = location.client()
    records = _records(location, manifest.collection)
    if reset:
        _drop(client, location, manifest.collection)
    documents = [
        Document(
            page_content=c.embedding_text,
            metadata={**c.metadata(), "chunk_id": c.id, "text": c.text, "source": SOURCE},
        )
        for c in chunks
    ]
    with tqdm(documents, desc="indexing chunks", unit="chunk", disable=not progress) as stream:
        result = langchain_index(
            stream,
            records,
            _store(client, embeddings, manifest.collection),
            cleanup="full",
            source_id_key="source",
            batch_size=BATCH,
            key_encoder="sha256",
        )
    _write_manifest(location.folder, manifest)
    return IndexReport(
        added=result["num_added"],
        updated=result["num_updated"],
        deleted=result["num_deleted"],
        skipped=result["num_skipped"],
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
) -> tuple[chromadb.Collection, IndexReport]:
    """Open the index, building or refreshing it first when it is missing, stale or damaged: its live collection,
    queried directly (LangChain's Chroma store is needed only to sync it).

    An embedded index that fails anywhere in opening, checking or syncing (Chroma's logs or segments overwritten,
    the record manager's database truncated) is moved aside and built again once: a damaged index never stops
    the assistant from starting.
    """
    location = _located(where)
    try:
        return _ensure(location, corpus_hash, chunks, embeddings, rebuild=rebuild, progress=progress)
    except NotADirectoryError:
        raise
    except Exception as error:  # chromadb, sqlite, sqlalchemy and the Rust bindings each raise their own
        if location.host:
            raise
        damage = move_aside(location, error)
        log.warning("index %s: %s; building it again", location, damage)
        store, report = _ensure(location, corpus_hash, chunks, embeddings, rebuild=False, progress=progress)
        return store, replace(report, reason=damage)


def _ensure(
    location: Location,
    corpus_hash: str,
    chunks: list[Chunk],
    embeddings: NamedEmbeddings,
    *,
    rebuild: bool,
    progress: bool,
) -> tuple[chromadb.Collection, IndexReport]:
    client, damage = open_client(location, (RECORDS,))
    current = None if damage else read_manifest(location.folder)
    live = current.collection if current else COLLECTION
    expected = replace(expected_manifest(corpus_hash, chunks, embeddings), collection=live)
    reason = damage or ("rebuild requested" if rebuild else stale_reason(current, expected))
    if not reason and stored_count(client, live) != expected.chunks:
        reason = "index content does not match its manifest"
    if not reason:
        _probe(client, live)
        return client.get_collection(live), IndexReport(skipped=len(chunks))
    log.warning("index %s: %s; building it now", location, reason)
    # Only a changed corpus or chunker can be synced in place; anything else is built as a new generation.
    if reason not in (CORPUS_CHANGED, CHUNKER_CHANGED):
        expected = replace(expected, collection=_next_generation(live))
    report = sync(location, chunks, embeddings, expected, reset=expected.collection != live, progress=progress)
    _retire(client, location, keep={expected.collection, live})
    _probe(client, expected.collection)
    return client.get_collection(expected.collection), IndexReport(**{**asdict(report), "reason": reason})


def _probe(client: chromadb.ClientAPI, collection: str) -> None:
    """One stored vector read back and searched with: damage a listing and a count do not touch fails here."""
    stored = client.get_collection(collection)
    vectors = stored.get(limit=1, include=["embeddings"])["embeddings"]
    if vectors is not None and len(vectors):
        stored.query(query_embeddings=np.asarray(vectors[:1], dtype=np.float32), n_results=1)


def _next_generation(collection: str) -> str:
    _, _, number = collection.rpartition("-")
    return f"{COLLECTION}-{int(number) + 1 if number.isdigit() else 1}"


def _drop(client: chromadb.ClientAPI, location: Location, collection: str) -> None:
    if collection in collections(client):
        client.delete_collection(collection)
    records = _records(location, collection)
    records.delete_keys(records.list_keys())


def _retire(client: chromadb.ClientAPI, location: Location, keep: set[str]) -> None:
    """Drop generations older than the live one and the one before it."""
    for name in collections(client):
        if name.split("-")[0] == COLLECTION and name not in keep:
            _drop(client, location, name)
            log.info("index %s: dropped the old generation %s", location, name)
