"""The answer stage's records: an :class:`AnswerRequest` in (the question and its evidence), an :class:`Answer` out,
with its verbatim :class:`Citation` quotes (section label, original offsets), and their rendering."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.corpus.records import Notice, Section, Sentence
from assistant.index.evidence import Evidence

LABEL_MARK = re.compile(r"〔(?!\d+〕)([^〔〕]+)〕")  # 〔2025〕 in 沪科〔2025〕4号 is a year, not a label


@dataclass(frozen=True)
class AnswerRequest:
    """What an answerer is given: the question as typed, as searched with (follow-ups resolved, typos fixed), the
    documents it may answer from (none: all), the evidence retrieved for it, and who asks when the user said so."""

    question: str
    query: str = ""  # "" → the question
    scope: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    # who asks, as chosen in 我的企业 (a profile's name): "which measures concern me" that names no one is about them
    profile: str = ""

    @property
    def searched(self) -> str:
        return self.query or self.question


@dataclass(frozen=True)
class Citation:
    section: str  # e.g. 二（三）
    label: str  # e.g. 二、（三）以服务加快创新主体培育
    quote: str  # verbatim from the notice
    start: int  # offsets into the original file
    end: int
    doc: str = ""  # document id (the file name without its suffix)
    document: str = ""  # how the document is named: 《short title》（文号，date）

    @classmethod
    def of(cls, notice: Notice, section: Section, sentence: Sentence) -> Citation:
        return cls(
            section.id, section.citation(), sentence.text, sentence.start, sentence.end, notice.id, notice.reference()
        )

    def marker(self) -> str:
        return f"〔{self.label}〕"


@dataclass
class Answer:
    question: str
    answer: str
    answered: bool  # true only for a full answer: the documents state what was asked
    citations: list[Citation] = field(default_factory=list)  # on a refusal: the nearest sections
    latency_ms: float = 0.0
    resolved_question: str = ""
    error: str | None = None  # set for input the assistant could not take (empty, too long, unreadable)
    answerer: str = "extractive"  # or "llm"
    guard: dict[str, Any] | None = None  # what the LLM guard checked and did (llm answerer only)
    # full | partial (the thing is named, the detail asked is not given) | refused | greeting | error (bad input)
    outcome: str = "full"
    lead: str = ""  # the direct first line as written, before the quotes (not part of the JSON: it is in ``answer``)

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "answered": self.answered,
            "outcome": self.outcome,
            "citations": [asdict(c) for c in self.citations],
            "latency_ms": round(self.latency_ms, 2),
            "resolved_question": self.resolved_question,
            "error": self.error,
            "answerer": self.answerer,
            "guard": self.guard,
        }


def cited_labels(text: str) -> list[str]:
    """Labels cited in a rendered answer, in order (used to resolve "这一条" in follow-ups)."""
    return LABEL_MARK.findall(text)


def render(first_line: str, citations: list[Citation], heading: str) -> str:
    """A direct first line, then each supporting quote with its citation label, under its document's name."""
    if not citations:
        return first_line
    lines = []
    for n, citation in enumerate(citations, 1):
        if citation.document and (n == 1 or citation.document != citations[n - 2].document):
            lines.append(citation.document)
        lines.append(f"{n}. {citation.marker()}“{citation.quote}”")
    return f"{first_line}\n\n{heading}\n" + "\n".join(lines)
