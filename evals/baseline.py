"""The naive LangChain RAG we claim to beat, over the same notice and the same embedding model.

``RecursiveCharacterTextSplitter`` (400 characters, 50 overlap) over the raw file, Chroma top-k,
answer = the top chunk. No section tree, no BM25, no refusals, no follow-up handling.
"""

from __future__ import annotations

import tempfile
import time
from typing import Any

from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.corpus.records import Notice

from .dataset import Item

CHUNK_SIZE = 400
CHUNK_OVERLAP = 50
TOP_K = 4


class NaiveBaseline:
    name = "naive LangChain RAG"

    def __init__(self, notice: Notice, embeddings: Embeddings) -> None:
        self.notice = notice
        splitter = RecursiveCharacterTextSplitter(
            chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, add_start_index=True
        )
        documents = splitter.create_documents([notice.original])
        self._folder = tempfile.TemporaryDirectory()
        self.store = Chroma.from_documents(
            documents, embeddings, collection_name="baseline", persist_directory=self._folder.name
        )

    def _section_of(self, start: int, end: int) -> str:
        """The section holding most of the span's characters (a 400-character chunk may straddle two)."""
        overlap = {
            section.id: sum(max(0, min(end, s.end) - max(start, s.start)) for s in section.sentences)
            for section in self.notice.sections.values()
        }
        return max(overlap, key=lambda section_id: overlap[section_id])

    def run(self, item: Item) -> tuple[dict[str, Any], list[str]]:
        started = time.perf_counter()
        hits = self.store.similarity_search(item.question, k=TOP_K)
        latency = (time.perf_counter() - started) * 1000
        spans = [(int(d.metadata["start_index"]), int(d.metadata["start_index"]) + len(d.page_content)) for d in hits]
        sections = [self._section_of(*span) for span in spans]
        top = hits[0]
        start = spans[0][0]
        answer = {
            "question": item.question,
            "answer": top.page_content,
            "answered": True,
            "citations": [
                {
                    "section": sections[0],
                    "label": sections[0],
                    "quote": top.page_content,
                    "start": start,
                    "end": start + len(top.page_content),
                }
            ],
            "latency_ms": latency,
        }
        return answer, list(dict.fromkeys(sections))
