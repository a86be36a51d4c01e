"""Chunking stage: sections → item-level parents and sentence-level evidence units.

A chunk never crosses an item boundary.  Ids are stable (document id + section id + position) and
each chunk carries a content hash, so indexing the same corpus twice changes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from assistant.corpus.records import Corpus, Notice

# Bump when chunk text or metadata change shape: the index manifest then marks the index stale.
CHUNKER_VERSION = "3"

ITEM = "item"
SENTENCE = "sentence"


@dataclass(frozen=True)
class Chunk:
    id: str
    kind: str
    doc: str
    section_id: str
    text: str  # verbatim evidence
    embedding_text: str  # heading path + text
    start: int
    end: int
    topic: str = ""

    @property
    def content_hash(self) -> str:
        payload = f"{CHUNKER_VERSION}\x00{self.doc}\x00{self.kind}\x00{self.embedding_text}\x00{self.start}:{self.end}"
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]

    def metadata(self) -> dict[str, str | int]:
        return {
            "kind": self.kind,
            "doc": self.doc,
            "section_id": self.section_id,
            "start": self.start,
            "end": self.end,
            "topic": self.topic,
            "content_hash": self.content_hash,
        }


def chunk_all(corpus: Corpus) -> list[Chunk]:
    """Every document's chunks, one document after another (retrieval relies on that contiguity)."""
    return [c for document in corpus.documents.values() for c in chunk(document)]


def chunk(document: Notice) -> list[Chunk]:
    chunks: list[Chunk] = []
    for section in document.sections.values():
        if not section.sentences:
            continue  # part headings carry no text of their own; their items do
        first, last = section.sentences[0], section.sentences[-1]
        chunks.append(
            Chunk(
                id=f"{document.id}/{section.id}#item",
                kind=ITEM,
                doc=document.id,
                section_id=section.id,
                text=section.text,
                embedding_text=section.embedding_text(document),
                start=first.start,
                end=last.end,
            )
        )
        for position, sentence in enumerate(section.sentences):
            chunks.append(
                Chunk(
                    id=f"{document.id}/{section.id}#s{position}",
                    kind=SENTENCE,
                    doc=document.id,
                    section_id=section.id,
                    text=sentence.text,
                    embedding_text=f"{section.heading_path(document, sentence.topic)}\n{sentence.text}",
                    start=sentence.start,
                    end=sentence.end,
                    topic=sentence.topic,
                )
            )
    return chunks
