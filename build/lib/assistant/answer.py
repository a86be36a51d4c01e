"""Answer stage: an extractive, verbatim answer from the evidence, or an honest refusal.

Every figure in an answer is copied from a quoted sentence of the notice, so numbers can
never drift.  The rules (intent cues, what makes a question out of scope, messages) are
package data in ``data/rules.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from langchain_core.documents import Document

from .citations import Answer, Citation, render
from .corpus import Corpus, Notice, Section, is_topic_opener
from .lexicon import DATA, Lexicon

_YEAR = re.compile(r"(20\d\d)\s*年?")
_QUESTION_TAIL = re.compile(
    r"(请问|我想知道|想了解|是什么|是多少|有哪些|有什么|是哪些|是否|多少|什么|哪些|怎么样|如何|吗|呢|[?？!！。，,\s])+"
)
_SECTION_REFERENCE = re.compile(r"第\s*\S\s*(部分|大项|章|条|项|点)|[一二三四]\s*[、.]?\s*[（(][一二三四][)）]")
_CLAUSE_END = "；;"


def _is_evidence(document: Document) -> bool:
    return not is_topic_opener(document.page_content, str(document.metadata.get("topic", "")))


@dataclass(frozen=True)
class Rules:
    intents: dict[str, list[str]]
    evidence: dict[str, re.Pattern[str]]
    refuse: dict[str, Any]
    detail_evidence: dict[str, re.Pattern[str]]  # detail cue → wording that states that detail
    compose: dict[str, Any]
    messages: dict[str, str]
    messages_many_documents: dict[str, str]

    @classmethod
    def load(cls) -> Rules:
        data = tomllib.loads((DATA / "rules.toml").read_text(encoding="utf-8"))
        return cls(
            intents=data["intent"],
            evidence={name: re.compile(pattern) for name, pattern in data["evidence"].items()},
            refuse=data["refuse"],
            detail_evidence={
                cue: re.compile(data["detail_evidence"][kind])
                for kind, cues in data["detail_cues"].items()
                for cue in cues
            },
            compose=data["compose"],
            messages=data["messages"],
            messages_many_documents=data["messages_many_documents"],
        )

    def intent(self, question: str) -> str:
        lowered = question.lower()
        for name in ("relevance", "figure", "who", "when", "list"):
            if any(cue in lowered for cue in self.intents[name]):
                return name
        return "fact"


@dataclass(frozen=True)
class _View:
    """The documents an answer may draw on: the scope asked for, else those the evidence comes from."""

    documents: list[Notice]
    text: str  # their titles and text, lower-cased: "does the notice use this word?"
    items: list[Section]


@dataclass(frozen=True)
class _Scored:
    document: Document
    score: float


class ExtractiveAnswerer:
    """Turns ``{"question", "query", "evidence"}`` into an :class:`Answer`; an LCEL step."""

    def __init__(self, corpus: Corpus, lexicon: Lexicon, rules: Rules | None = None) -> None:
        self.corpus = corpus
        self.lexicon = lexicon
        self.rules = rules or Rules.load()
        many = self.rules.messages_many_documents if len(corpus.documents) > 1 else {}
        self.refusals = {**self.rules.messages, **many}
        self._views = lru_cache(maxsize=256)(self._make_view)

    def _make_view(self, doc_ids: tuple[str, ...]) -> _View:
        documents = self.corpus.scoped(doc_ids)
        # Titles count as the notice's words: "科技类校外培训机构" is only in a heading.
        text = "".join(d.words for d in documents)
        items = [s for d in documents for s in d.sections.values() if s.sentences]
        return _View(documents, text, items)

    def view(self, scope: list[str] | None, evidence: list[Document]) -> _View:
        found = [str(d.metadata["doc"]) for d in evidence]
        return self._views(tuple(dict.fromkeys(scope or found or self.corpus.documents)))

    def __call__(self, inputs: dict[str, Any]) -> Answer:
        question: str = inputs["question"]
        query: str = inputs.get("query") or question
        evidence: list[Document] = inputs["evidence"]
        view = self.view(inputs.get("scope"), evidence)
        english = self.lexicon.is_english(question)
        refusal = self._refusal(query, evidence, view)
        if refusal:
            return self._refuse(question, query, refusal, evidence, english)
        if evidence and all("lookup" in d.metadata for d in evidence) and not self._focus(query, view):
            return self._overview(question, query, evidence)
        intent = self.rules.intent(query)
        if intent == "relevance" and (listing := self._listing(question, query, view)):
            return listing
        return self._extract(question, query, evidence, intent, english, view)

    # -- scope -------------------------------------------------------------------------------

    def _refusal(self, query: str, evidence: list[Document], view: _View) -> str:
        """The reason the notice cannot answer ``query`` (a user-facing message), or ""."""
        lowered = query.lower()
        messages, refuse = self.refusals, self.rules.refuse
        if any(cue in lowered for cue in refuse["chitchat"]):
            return messages["chitchat"].format(topic=self._topic(query))
        for place in refuse["places"]:
            if place in lowered and place not in view.text:
                return messages["not_covered_place"].format(place=place)
        scope = next((w for w in refuse["scopes"] if w in lowered), "")
        if scope and "嘉定" not in lowered and self.rules.intent(query) == "figure":
            return messages["not_covered_scope"].format(scope=scope)
        years = [y for y in _YEAR.findall(query) if y not in view.text]
        relative = [w for w in refuse["relative_years"] if w in lowered]
        if years or relative:
            return messages["not_covered_year"].format(year=(years or relative)[0])
        if any(cue in lowered and not self._states(cue, view) for cue in refuse["details"]):
            return messages["not_covered"].format(topic=self._topic(query))
        if not evidence or all("lookup" in d.metadata for d in evidence):
            return "" if evidence else messages["not_covered"].format(topic=self._topic(query))
        grounding = self._grounding(query, view)
        best_dense = max(float(d.metadata.get("dense", 0.0)) for d in evidence)
        if grounding < refuse["hard_grounding"] or (
            grounding < refuse["min_grounding"] and best_dense < refuse["dense_floor"]
        ):
            return messages["not_covered"].format(topic=self._topic(query))
        return ""

    def _states(self, detail: str, view: _View) -> bool:
        """Whether the documents in view state ``detail``: the word itself, or wording that gives it."""
        pattern = self.rules.detail_evidence.get(detail)
        return detail in view.text or bool(pattern and pattern.search(view.text))

    def _grounding(self, query: str, view: _View) -> float:
        """Share of the question's content words the notice uses (directly or via a known synonym)."""
        known = [phrase for phrase, _ in self.lexicon.synonyms if phrase in query.lower()]
        words = self.lexicon.content_words(query)
        if not words:
            return 0.0
        grounded = [w for w in words if w in view.text or any(w in phrase for phrase in known)]
        return len(grounded) / len(words)

    def _topic(self, query: str) -> str:
        topic = _QUESTION_TAIL.sub(" ", query).strip()
        return f"“{topic[:40]}”" if topic else "该问题"

    def _refuse(self, question: str, query: str, reason: str, evidence: list[Document], english: bool) -> Answer:
        nearest = list(dict.fromkeys(str(d.metadata["label"]) for d in evidence))[:3]
        text = reason
        if nearest:
            text += "\n" + self.rules.messages["nearest"] + "".join(f"\n- 〔{label}〕" for label in nearest)
        if english:
            text = self.rules.messages["english_not_covered"] + text
        return Answer(question=question, answer=text, answered=False, resolved_question=query)

    # -- answers -----------------------------------------------------------------------------

    def _focus(self, query: str, view: _View) -> list[str]:
        """Content words of the (expanded) query that the notice uses and that are not generic."""
        stripped = _SECTION_REFERENCE.sub(" ", self.lexicon.search_text(query))
        # The notice's own year frames every question; it is not what one is about.
        words = [w for w in self.lexicon.content_words(stripped) if w in view.text and not _YEAR.fullmatch(w)]
        limit = self.rules.compose["generic_share"] * len(view.items)
        return [w for w in words if sum(w in s.text.lower() for s in view.items) <= limit]

    def _answered(self, question: str, query: str, first_line: str, citations: list[Citation]) -> Answer:
        return Answer(
            question=question,
            answer=render(first_line, citations, self.rules.messages["basis"]),
            answered=True,
            citations=citations,
            resolved_question=query,
        )

    def _citation(self, document: Document) -> Citation:
        meta = document.metadata
        return Citation(
            section=str(meta["section_id"]),
            label=str(meta["label"]),
            quote=document.page_content,
            start=int(meta["start"]),
            end=int(meta["end"]),
            doc=str(meta["doc"]),
            document=str(meta.get("reference", "")),
        )

    def _section(self, document: Document) -> Section:
        return self.corpus.section(str(document.metadata["doc"]), str(document.metadata["section_id"]))

    def _score(self, evidence: list[Document], focus: list[str], intent: str) -> list[_Scored]:
        tokens = {t for w in focus for t in self.lexicon.tokens(w)} | set(focus)
        pattern = self.rules.evidence.get(intent)
        scored = []
        for position, document in enumerate(evidence):
            text = document.page_content.lower()
            # A sentence is about its item's title too ("建立统筹推进制度" under 做优张江嘉定园建设).
            context = self._section(document).title.lower() + text
            overlap = sum(len(t) for t in tokens if t in context) / max(sum(len(t) for t in tokens), 1)
            bonus = 1.0 if pattern and pattern.search(text) else 0.0
            heading = 0.0 if _is_evidence(document) else -1.0
            scored.append(_Scored(document, overlap + bonus + heading + 0.5 / (1 + position)))
        return sorted(scored, key=lambda s: -s.score)

    def _extract(
        self, question: str, query: str, evidence: list[Document], intent: str, english: bool, view: _View
    ) -> Answer:
        focus = self._focus(query, view)
        scored = self._score(evidence, focus, intent)
        best = scored[0]
        chosen = [best] + [
            s
            for s in scored[1:]
            if s.score >= 0.75 * best.score and s.document.page_content != best.document.page_content
        ]
        chosen = chosen[: self.rules.compose["max_quotes"]]
        first_line = self._direct_line(best.document.page_content, focus, intent)
        if english:
            first_line = self.rules.messages["english_prefix"] + first_line
        citations = [self._citation(s.document) for s in chosen]
        return self._answered(question, query, first_line, citations)

    def _direct_line(self, sentence: str, focus: list[str], intent: str) -> str:
        """The clauses of the best sentence that carry the asked-for terms (and figure)."""
        clauses = [c for c in re.split(f"(?<=[{_CLAUSE_END}])", sentence.rstrip("。")) if c.strip()]
        pattern = self.rules.evidence.get(intent)
        keep = [c for c in clauses if any(w in c.lower() for w in focus) and (not pattern or pattern.search(c))]
        if not keep:
            keep = [c for c in clauses if any(w in c.lower() for w in focus)] or clauses
        return "".join(keep).rstrip(_CLAUSE_END + "，,") + "。"

    def _overview(self, question: str, query: str, evidence: list[Document]) -> Answer:
        documents = list(dict.fromkeys(str(d.metadata["doc"]) for d in evidence))
        if len(documents) > 1:  # "第三条" of which document? Show where it is, and how to choose
            first_line = self.rules.messages["ambiguous_section"]
            per_document = [
                next(d for d in evidence if d.metadata["doc"] == doc and _is_evidence(d)) for doc in documents
            ]
            return self._answered(question, query, first_line, [self._citation(d) for d in per_document])
        keys = list(dict.fromkeys((str(d.metadata["doc"]), str(d.metadata["section_id"])) for d in evidence))
        notice = self.corpus.documents[documents[0]]
        named = [notice.sections[s] for _, s in keys]
        parts = {s.part for s in named}
        if len(parts) == 1 and (whole := notice.sections[next(iter(parts))]).children and len(named) > 1:
            first_line = self.rules.messages["part_overview"].format(label=f"〔{whole.citation()}〕")
            first_line += "".join(f"\n- {notice.sections[c].citation()}" for c in whole.children)
            per_section = [
                next(d for d in evidence if d.metadata["section_id"] == s and _is_evidence(d)) for _, s in keys
            ]
            citations = [self._citation(d) for d in per_section]
        else:
            first_line = self.rules.messages["section_overview"].format(label=f"〔{named[0].citation()}〕")
            citations = [self._citation(d) for d in evidence if _is_evidence(d)]
        return self._answered(question, query, first_line, citations)

    def _listing(self, question: str, query: str, view: _View) -> Answer | None:
        """For "哪些…和我有关" questions: every item that mentions the asked-about term."""
        for term in sorted(self._focus(query, view), key=len, reverse=True):
            citations = [
                Citation.of(notice, notice.sections[s], hits[0])
                for notice in view.documents
                for s, hits in notice.mentions([term]).items()
            ]
            if len(citations) >= 2:
                citations = citations[: self.rules.compose["max_sections_listed"]]
                first_line = self.rules.messages["listing"].format(term=term)
                first_line += "".join(f"\n- {c.label}" for c in citations)
                return self._answered(question, query, first_line, citations)
        return None
