"""What retrieval hands the answer stage: one sentence, where it stands, and why and how well it was found. A light
record: the answer stage imports it without the search machinery."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Literal

from assistant.corpus.chunking import Chunk
from assistant.corpus.records import is_topic_opener

if TYPE_CHECKING:
    from langchain_core.documents import Document


@dataclass(frozen=True)
class Evidence:
    """One retrieved sentence, where it stands and why it was found: what the answer stage reads."""

    chunk: Chunk
    label: str  # its section as the document numbers itself: 二、（三）以服务加快创新主体培育
    reference: str  # its document as a citation names it: 《…》（文号，date）
    found_by: Literal["search", "lookup"]  # ranked by the hybrid search, or named by the question (第二部分第三条)
    fused: float = 0.0  # reciprocal-rank fusion of the four rankings
    dense: float = 0.0  # cosine similarity of the sentence with the question
    bm25: float = 0.0
    item_dense: float = 0.0  # cosine similarity of its whole item

    @property
    def text(self) -> str:
        return self.chunk.text

    @property
    def doc(self) -> str:
        return self.chunk.doc

    @property
    def section_id(self) -> str:
        return self.chunk.section_id

    @property
    def is_evidence(self) -> bool:
        """False for a sub-topic opener ("生物医药产业方面。"): it heads sentences, it answers nothing."""
        return not is_topic_opener(self.chunk.text, self.chunk.topic)

    def to_document(self) -> Document:
        """As a LangChain ``Document``, for callers of the retriever interface."""
        from langchain_core.documents import Document

        scores = {k: v for k, v in asdict(self).items() if isinstance(v, float)}
        metadata = {**self.chunk.metadata(), "label": self.label, "reference": self.reference, **scores}
        return Document(id=self.chunk.id, page_content=self.text, metadata={**metadata, "found_by": self.found_by})
