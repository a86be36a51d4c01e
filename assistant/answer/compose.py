"""Composition: the words of a full answer, a partial one, a refusal or a greeting, around verbatim quotes.

Every figure a user reads is inside a quoted sentence of a document, or copied from one, so numbers cannot drift.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.answer.records import Answer, Citation, render
from assistant.index.evidence import Evidence

_CLAUSE_END = "；;"


def cite(item: Evidence) -> Citation:
    chunk = item.chunk
    return Citation(chunk.section_id, item.label, chunk.text, chunk.start, chunk.end, chunk.doc, item.reference)


def direct_line(sentence: str, focus: list[str], pattern: re.Pattern[str] | None) -> str:
    """The clauses of ``sentence`` (split at ；) that carry the asked-for words (and what the intent looks for)."""
    clauses = [c for c in re.split(f"(?<=[{_CLAUSE_END}])", sentence.rstrip("。")) if c.strip()]
    keep = [c for c in clauses if any(w in c.lower() for w in focus) and (not pattern or pattern.search(c))]
    if not keep:
        keep = [c for c in clauses if any(w in c.lower() for w in focus)] or clauses
    return "".join(keep).rstrip(_CLAUSE_END + "，,") + "。"


@dataclass(frozen=True)
class Composer:
    """Turns decisions into :class:`Answer` records; ``messages`` are the rules' wording for this corpus."""

    messages: dict[str, str]
    documents: str  # how a greeting names the documents: 《2025年静安区科技创新工作要点》

    def full(self, question: str, query: str, first_line: str, citations: list[Citation], english: bool) -> Answer:
        shown = self.messages["english_prefix"] + first_line if english else first_line
        return replace(self._answer(question, query, shown, citations, "basis", "full"), lead=first_line)

    def joined(self, question: str, query: str, answers: list[Answer], english: bool) -> Answer:
        """Questions asked one after another (高企目标多少？技术合同成交额目标又是多少？), each answered in full: their
        lines in the order asked, their quotes together."""
        lead = "\n".join(dict.fromkeys(a.lead for a in answers))
        citations = list(dict.fromkeys(c for a in answers for c in a.citations))
        return self.full(question, query, lead, citations, english)

    def partial(
        self,
        question: str,
        query: str,
        thing: str,
        missing: list[str],
        citations: list[Citation],
        *,
        english: bool,
        procedure: bool,
    ) -> Answer:
        """What the documents say of the thing, and plainly what they do not give."""
        line = self.messages["partial"].format(thing=f"“{thing}”", missing="、".join(missing))
        if procedure:
            line += self.messages["partial_procedure"]
        if english:
            line = self.messages["english_partial"] + line
        return self._answer(question, query, line, citations, "basis", "partial")

    def refusal(self, question: str, query: str, message: str, nearest: list[Citation], *, english: bool) -> Answer:
        """Not in the documents: said plainly, with the nearest sections as citations to read on."""
        if english:
            message = self.messages["english_not_covered"] + message
        return self._answer(question, query, message, nearest, "nearest", "refused")

    def _answer(
        self, question: str, query: str, line: str, citations: list[Citation], heading: str, outcome: str
    ) -> Answer:
        return Answer(
            question=question,
            answer=render(line, citations, self.messages[heading]),
            answered=outcome == "full",
            citations=citations,
            resolved_question=query,
            outcome=outcome,
        )

    def greeting(self, question: str, query: str, examples: list[str], closing: bool = False) -> Answer:
        """The introduction with example questions; to thanks or a goodbye, a short "you're welcome" with them."""
        text = self.messages["closing" if closing else "greeting"].format(documents=self.documents)
        text += "".join(f"\n- {example}" for example in examples)
        return Answer(question=question, answer=text, answered=False, resolved_question=query, outcome="greeting")
