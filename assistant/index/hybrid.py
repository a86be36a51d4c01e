"""Both halves of the index at one location: the Chroma store (dense vectors, synced with the chunks) and BM25 (its
matrix and token cache beside the manifest). One ``open`` reads the location once, for the retriever."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import chromadb

from assistant.corpus.chunking import Chunk
from assistant.index.bm25 import BM25Index
from assistant.index.chroma import Location
from assistant.index.embeddings import NamedEmbeddings
from assistant.index.store import IndexReport, ensure
from assistant.language.lexicon import Lexicon

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HybridIndex:
    location: Location
    store: chromadb.Collection
    bm25: BM25Index
    report: IndexReport  # what syncing the store did (added, updated, skipped, deleted)

    @classmethod
    def open(
        cls,
        location: Location,
        corpus_hash: str,
        chunks: list[Chunk],
        embeddings: NamedEmbeddings,
        lexicon: Lexicon,
        *,
        rebuild: bool = False,
        progress: bool = False,
    ) -> HybridIndex:
        """The index of ``chunks`` at ``location``, synced: only what changed is embedded or tokenised."""
        chroma_store, report = ensure(location, corpus_hash, chunks, embeddings, rebuild=rebuild, progress=progress)
        # BM25 stays in the local folder with a Chroma server too: it is a cache, rebuilt from the chunks if lost
        bm25 = BM25Index.open(location.folder, chunks, lexicon)
        if not bm25.report.loaded:
            log.info("bm25: %d chunks tokenised, %d reused", bm25.report.tokenized, bm25.report.reused)
        return cls(location, chroma_store, bm25, report)
