"""Retrieval stage: hybrid dense (Chroma) + BM25 (jieba) ranking fused by reciprocal rank.

Sentences are the evidence units; an item-level hit lends its rank to the sentences of that
item, so context and exact wording both count.  A question that names a section
(``第二部分第三条``, ``二（三）``) of one document is answered from that section directly.

The scope is every document unless the caller narrows it (or the question names a document by title,
short title or 文号); both rankings only ever look at the top ``depth`` of each list, so a query costs the
same whether the corpus holds one notice or ten thousand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import chromadb
import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.corpus.chunking import ITEM, SENTENCE, Chunk
from assistant.corpus.numbering import section_candidates
from assistant.corpus.records import Corpus, Notice
from assistant.index.bm25 import BM25Index
from assistant.index.dense import DenseSearch
from assistant.index.evidence import Evidence
from assistant.index.fusion import Fusion, Ranking, fuse
from assistant.language.lexicon import Lexicon

# a section named in several documents is shown from at most this many of them
MAX_LOOKUP_DOCUMENTS = 5
# the answer stage also reads the other sentences of this many best ranked sections, after the ranked ones
SECTION_MATES = 2
# a scope of at most this many chunks is searched on its own (exact dense, its own BM25 statistics), and so is a
# whole corpus this small (exact dense); a larger one is Chroma's approximate search, filtered to a scope
SMALL_SCOPE = 5000


def named_sections(question: str, notice: Notice) -> list[str]:
    """Section ids of ``notice`` the question names explicitly, in order of mention."""
    return [s for s in section_candidates(question) if s in notice.sections]


@dataclass(frozen=True)
class _Layout:
    """Where each chunk sits in ``chunks``: worked out once, used by every query."""

    position: dict[str, int]
    kinds: dict[str, np.ndarray]  # kind → mask over chunks
    item_of: dict[tuple[str, str], int]  # (doc, section id) → index of its item chunk
    sentences_of: dict[int, list[int]]  # item chunk index → its sentence chunk indexes
    spans: dict[str, range]  # doc → its chunks (contiguous)

    @classmethod
    def of(cls, chunks: list[Chunk]) -> _Layout:
        kinds = np.array([c.kind for c in chunks])
        item_of = {(c.doc, c.section_id): i for i, c in enumerate(chunks) if c.kind == ITEM}
        sentences_of: dict[int, list[int]] = {}
        bounds: dict[str, list[int]] = {}
        for i, c in enumerate(chunks):
            if c.kind == SENTENCE:
                sentences_of.setdefault(item_of[c.doc, c.section_id], []).append(i)
            bounds.setdefault(c.doc, [i, i])[1] = i + 1
        return cls(
            position={c.id: i for i, c in enumerate(chunks)},
            kinds={kind: kinds == kind for kind in (SENTENCE, ITEM)},
            item_of=item_of,
            sentences_of=sentences_of,
            spans={doc: range(first, end) for doc, (first, end) in bounds.items()},
        )

    def allowed(self, scope: Sequence[str] | None) -> np.ndarray | None:
        if not scope:
            return None
        mask = np.zeros(len(self.position), dtype=bool)
        for doc in scope:
            if span := self.spans.get(doc):
                mask[span.start : span.stop] = True
        return mask

    def top(self, scores: np.ndarray, kind: str, allowed: np.ndarray | None, n: int) -> dict[int, float]:
        """The ``n`` best positive scores among chunks of ``kind`` in scope, in chunk order."""
        mask = self.kinds[kind] & (scores > 0)
        if allowed is not None:
            mask &= allowed
        found = np.flatnonzero(mask)
        if len(found) > n:
            found = np.sort(found[np.argpartition(-scores[found], n - 1)[:n]])
        return {int(i): float(scores[i]) for i in found}


class HybridRetriever(BaseRetriever):
    """``search(query, scope)`` returns typed :class:`Evidence`; as a LangChain retriever, ``invoke(query,
    scope=[doc ids])`` returns the same sentences as ``Document``s (document, section, offsets and scores in
    metadata).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    corpus: Corpus
    chunks: list[Chunk]
    store: chromadb.Collection
    embeddings: Embeddings
    bm25: BM25Index
    dense: DenseSearch
    lexicon: Lexicon
    layout: _Layout
    k: int = 8
    depth: int = 30
    fusion: Fusion = Fusion()

    @classmethod
    def build(
        cls,
        corpus: Corpus,
        chunks: list[Chunk],
        store: chromadb.Collection,
        embeddings: Embeddings,
        lexicon: Lexicon,
        bm25: BM25Index | None = None,
        k: int = 8,
        fusion: Fusion | None = None,
    ) -> HybridRetriever:
        layout = _Layout.of(chunks)
        return cls(
            corpus=corpus,
            chunks=chunks,
            store=store,
            embeddings=embeddings,
            bm25=bm25 or BM25Index.build(chunks, lexicon),
            dense=DenseSearch(store, layout.position),
            lexicon=lexicon,
            layout=layout,
            k=k,
            fusion=fusion or Fusion(),
        )

    def scope_for(self, query: str, scope: Sequence[str] | None = None) -> list[str] | None:
        """The documents to search: those asked for, else those the question names, else all (None)."""
        return list(scope) if scope else self.corpus.named_in(query) or None

    def _get_relevant_documents(
        self,
        query: str,
        *,
        run_manager: CallbackManagerForRetrieverRun | None = None,
        scope: Sequence[str] | None = None,
    ) -> list[Document]:
        return [evidence.to_document() for evidence in self.search(query, scope)]

    def search(self, query: str, scope: Sequence[str] | None = None) -> list[Evidence]:
        """The evidence for ``query``: the sentences of the sections it names, else the best ``k`` ranked, then the
        other sentences of the best ranked sections (a date line or a figure the ranking left out still answers)."""
        documents = self.scope_for(query, scope)
        if (candidates := section_candidates(query)) and (lookup := self._lookup(candidates, documents)):
            return lookup
        ranked = self.rank(self.lexicon.search_text(query), limit=self.k, scope=documents)
        return ranked + self._section_mates(ranked)

    def _section_mates(self, ranked: list[Evidence]) -> list[Evidence]:
        best = list(dict.fromkeys((e.doc, e.section_id) for e in ranked))[:SECTION_MATES]
        have = {e.chunk.id for e in ranked}
        return [
            self._evidence(i, "search")
            for doc, section in best
            for i in self.layout.sentences_of.get(self.layout.item_of[doc, section], [])
            if self.chunks[i].id not in have
        ]

    def _lookup(self, candidates: list[str], documents: list[str] | None) -> list[Evidence]:
        """The sentences of the named sections (a part: its items), from each document in scope that has them."""
        found: list[Evidence] = []
        shown = 0
        for notice in self.corpus.scoped(documents):
            named = [
                child
                for section in candidates
                if section in notice.sections
                for child in (notice.sections[section].children or [section])
            ]
            if not named:
                continue
            found += [
                self._evidence(i, "lookup")
                for i in self.layout.spans.get(notice.id, range(0))
                if self.chunks[i].kind == SENTENCE and self.chunks[i].section_id in named
            ]
            shown += 1
            if shown == MAX_LOOKUP_DOCUMENTS:
                break
        return found

    def rank(self, query: str, limit: int | None = None, scope: Sequence[str] | None = None) -> list[Evidence]:
        """Evidence sentences ranked by fused dense + BM25 score (the best ``limit``, or all candidates)."""
        layout = self.layout
        vector = self.embeddings.embed_query(query)
        allowed = layout.allowed(scope)
        small = allowed is not None and int(allowed.sum()) <= SMALL_SCOPE
        if small and allowed is not None and scope:
            lexical = self.bm25.scores_within(query, tuple(scope), np.flatnonzero(allowed))
        else:
            lexical = self.bm25.scores(query)
        # a corpus this small is compared exactly, document by document: the same hits whatever order its index was
        # built in (Chroma's HNSW graph is approximate and depends on it), for a fraction of a millisecond
        whole = not scope and len(self.chunks) <= SMALL_SCOPE
        searched = list(self.corpus.documents) if whole else scope
        dense = self.dense.search(vector, self.depth, searched, exact=small or whole)
        lists: dict[tuple[str, str], Ranking] = {}
        for kind in (SENTENCE, ITEM):
            of_kind = {i: score for i, score in dense.items() if layout.kinds[kind][i]}
            lists[kind, "dense"] = Ranking.from_scores(of_kind, keep=self.depth)
            lists[kind, "bm25"] = Ranking.from_scores(layout.top(lexical, kind, allowed, self.depth), keep=self.depth)
        candidates = set(lists[SENTENCE, "dense"].ranks) | set(lists[SENTENCE, "bm25"].ranks)
        for source in ("dense", "bm25"):
            for item in lists[ITEM, source].ranks:
                candidates.update(layout.sentences_of.get(item, []))
        parent_of = {i: layout.item_of[self.chunks[i].doc, self.chunks[i].section_id] for i in sorted(candidates)}
        fused = fuse(
            (lists[SENTENCE, "dense"], lists[SENTENCE, "bm25"]),
            (lists[ITEM, "dense"], lists[ITEM, "bm25"]),
            parent_of,
            self.fusion,
        )
        ordered = sorted(fused, key=lambda i: -fused[i])
        chosen = ordered[:limit]
        # the best lexical match keeps a seat, last, whatever the fusion made of it: the one sentence with a rare
        # word of the question (…的主线是啥，一句话讲清楚) is lost among sentences close in meaning to the rest
        lexical_best = min(lists[SENTENCE, "bm25"].ranks, key=lists[SENTENCE, "bm25"].ranks.__getitem__, default=None)
        if limit is not None and lexical_best is not None and lexical[lexical_best] > 0 and lexical_best not in chosen:
            chosen.append(lexical_best)
        return [
            self._evidence(
                i,
                "search",
                fused=fused[i],
                dense=dense.get(i, 0.0),
                bm25=float(lexical[i]),
                item_dense=dense.get(parent_of[i], 0.0),
            )
            for i in chosen
        ]

    def _evidence(self, index: int, found_by: Literal["search", "lookup"], **scores: float) -> Evidence:
        chunk = self.chunks[index]
        notice = self.corpus.documents[chunk.doc]
        return Evidence(chunk, notice.sections[chunk.section_id].citation(), notice.reference(), found_by, **scores)
