"""Dense search: Chroma's approximate top-k over every document, or an exact search within a few documents.

Chroma evaluates a metadata filter in SQL before its vector search, which costs far more than the search
itself on a large collection (tens of milliseconds at 24,000 chunks). So the search over every document is
unfiltered, and a search within a few documents compares the query with their stored vectors directly,
fetched once per document and kept. The caller decides which: a scope too large to keep in memory is searched
with a filtered query.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import chromadb
import numpy as np

CACHED_DOCUMENTS = 256
# an unfiltered query mixes sentences and items; asking for this many per list wanted leaves enough of each
WIDEN = 3


class DenseSearch:
    """Similarity (1 − cosine distance) of the best chunks for a query vector, by chunk position."""

    def __init__(self, store: chromadb.Collection, position: dict[str, int]) -> None:
        self.store = store
        self.position = position  # chunk id → position in the retriever's chunk list
        self._vectors: OrderedDict[str, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._by_record: dict[str, int] = {}  # stored record id → chunk position
        self._lock = threading.Lock()

    def search(
        self, vector: list[float], depth: int, scope: Sequence[str] | None, *, exact: bool = False
    ) -> dict[int, float]:
        """The best chunks over every document (no scope), or within ``scope``: compared directly when ``exact``."""
        if scope and exact:
            return self._exact(np.asarray(vector, dtype=np.float32), scope, depth * WIDEN)
        query = np.asarray([vector], dtype=np.float32)
        if scope:
            where: dict[str, Any] = {"doc": {"$in": list(scope)}}
            hits = self.store.query(
                query_embeddings=query, n_results=depth * WIDEN, where=where, include=["distances", "metadatas"]
            )
            metadatas, found_distances = (hits["metadatas"] or [[]])[0], (hits["distances"] or [[]])[0]
            return {
                self.position[str(m["chunk_id"])]: 1.0 - d
                for m, d in zip(metadatas, found_distances, strict=True)
                if m and m.get("chunk_id") in self.position
            }
        # ids and distances only: the chunks are in memory, and fetching their stored text and metadata costs more
        # than the search (2.5 ms against 1.0 ms for 24 hits)
        found = self.store.query(query_embeddings=query, n_results=depth * WIDEN, include=["distances"])
        ids, distances = found["ids"][0], (found["distances"] or [[]])[0]
        positions = self._positions(ids)
        return {positions[i]: 1.0 - d for i, d in zip(ids, distances, strict=True) if i in positions}

    def _positions(self, ids: list[str]) -> dict[str, int]:
        """Chunk positions of stored record ids (the indexing API's content hashes), looked up once each."""
        unknown = [i for i in ids if i not in self._by_record]
        if unknown:
            records = self.store.get(ids=unknown, include=["metadatas"])
            with self._lock:
                for record, metadata in zip(records["ids"], records["metadatas"] or [], strict=True):
                    chunk = (metadata or {}).get("chunk_id")
                    if chunk in self.position:
                        self._by_record[record] = self.position[str(chunk)]
        return {i: self._by_record[i] for i in ids if i in self._by_record}

    def _exact(self, query: np.ndarray, scope: Sequence[str], keep: int) -> dict[int, float]:
        parts = [self._stored(doc) for doc in scope]
        if not parts:
            return {}
        positions = np.concatenate([p for p, _ in parts])
        similarity = np.concatenate([m for _, m in parts]) @ (query / (np.linalg.norm(query) or 1.0))
        best = np.argsort(-similarity, kind="stable")[:keep]
        return {int(positions[i]): float(similarity[i]) for i in best}

    def _stored(self, doc: str) -> tuple[np.ndarray, np.ndarray]:
        """Positions and unit-length stored vectors of one document's chunks."""
        with self._lock:
            if doc in self._vectors:
                self._vectors.move_to_end(doc)
                return self._vectors[doc]
        found = self.store.get(where={"doc": doc}, include=["embeddings", "metadatas"])
        stored = found["embeddings"] if found["embeddings"] is not None else []
        pairs = [
            (self.position[str(m["chunk_id"])], e)
            for m, e in zip(found["metadatas"] or [], stored, strict=True)
            if m.get("chunk_id") in self.position
        ]
        positions = np.array([p for p, _ in pairs], dtype=np.int64)
        matrix = np.array([e for _, e in pairs], dtype=np.float32).reshape(len(pairs), -1)
        matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
        with self._lock:
            self._vectors[doc] = (positions, matrix)
            while len(self._vectors) > CACHED_DOCUMENTS:
                self._vectors.popitem(last=False)
        return positions, matrix
