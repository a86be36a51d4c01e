"""The assembled assistant: input checks, follow-up resolution, then ``retriever | answerer`` (LCEL)."""

from __future__ import annotations

import logging
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda, RunnablePassthrough

from . import chunking, corpus, index, models
from .answer import ExtractiveAnswerer, Rules
from .citations import Answer
from .conversation import History, resolve
from .lexicon import Lexicon
from .retrieval import HybridRetriever
from .settings import Settings

log = logging.getLogger(__name__)


def build_chain(retriever: Runnable[str, Any], answerer: Callable[[dict[str, Any]], Any]) -> Runnable:
    """``{"question", "query"} → retriever → answerer``: swap either part without touching the other."""
    return RunnablePassthrough.assign(evidence=RunnableLambda(lambda x: x["query"]) | retriever) | RunnableLambda(
        answerer
    )


def clean_question(raw: str | bytes, rules: Rules, limit: int) -> tuple[str, str | None]:
    """Normalised question, or an error message for input that cannot be a question."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    text = unicodedata.normalize("NFC", raw)
    printable = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    garbage = text.count("\ufffd") + (len(text) - len(printable))
    question = " ".join(printable.replace("\ufffd", " ").split())
    if not question:
        return "", rules.messages["empty" if garbage == 0 else "unreadable"]
    if garbage > max(3, len(text) // 4):
        return "", rules.messages["unreadable"]
    if len(question) > limit:
        return "", rules.messages["too_long"].format(length=len(question), limit=limit)
    return question, None


@dataclass
class Assistant:
    settings: Settings
    notice: corpus.Notice
    retriever: HybridRetriever
    answerer: ExtractiveAnswerer
    lexicon: Lexicon
    index_report: index.IndexReport

    @classmethod
    def load(cls, settings: Settings, *, rebuild: bool = False, progress: bool = False) -> Assistant:
        notice = corpus.load(settings.corpus_dir)
        chunks = chunking.chunk(notice)
        embeddings = models.load_embeddings(settings.embedding_model, settings.models_dir)
        store, report = index.ensure(
            settings.index_dir, notice.content_hash, chunks, embeddings, rebuild=rebuild, progress=progress
        )
        lexicon = Lexicon()
        retriever = HybridRetriever.build(notice, chunks, store, embeddings, lexicon, k=settings.top_k)
        return cls(settings, notice, retriever, ExtractiveAnswerer(notice, lexicon), lexicon, report)

    @cached_property
    def chain(self) -> Runnable:
        return build_chain(self.retriever, self.answerer)

    def ask(self, question: str | bytes, history: History | None = None) -> Answer:
        started = time.perf_counter()
        text, error = clean_question(question, self.answerer.rules, self.settings.max_question_chars)
        if error:
            answer = Answer(question=text or str(question)[:200], answer=error, answered=False, error=error)
        else:
            query = resolve(text, list(history or []), self.notice, self.lexicon)
            answer = self.chain.invoke({"question": text, "query": query})
        answer.latency_ms = (time.perf_counter() - started) * 1000
        return answer
