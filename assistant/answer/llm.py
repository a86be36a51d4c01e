"""LLM answer stage: a generative answer from any OpenAI-compatible endpoint, checked before anyone sees it.

The guard reads the whole answer: every sentence must cite, every 〔label〕 must name a section retrieved for this
question, and every number, percentage and date must appear verbatim in a section the sentence cites. Sentences
that fail are dropped ("repaired"); when nothing supported is left — or the endpoint fails, times out or
returns garbage — the extractive answer is used instead ("replaced" / "fallback"). Each event is logged
and counted.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import Runnable

from assistant.answer import ExtractiveAnswerer
from assistant.answer.records import LABEL_MARK, Answer, AnswerRequest, Citation, render
from assistant.corpus.records import Corpus, Notice, Section
from assistant.index.evidence import Evidence
from assistant.language.domain import LANGUAGE
from assistant.language.lexicon import Lexicon
from assistant.settings import Settings

log = logging.getLogger(__name__)

_NUMBER = re.compile(r"\d+(?:\.\d+)?%?")
_CLAUSE = re.compile(r"[，；。：,;]")
# a number, or the unit it is counted in: what a figure is, never what it is about
_MEASURE = re.compile(r"[\d.%]|^(亿元|万元|亿|万|元|家次|家|个|项|名|人次|人|次|届|张|条)$")
_SENTENCE_END = re.compile(r"(?<=[。！？!?\n])")
# "……1100 家。〔二、（三）…〕" → the marker belongs to the sentence before the full stop
_MARK_AFTER_STOP = re.compile(r"([。！？!?])((?:\s*〔[^〔〕]*〕)+)")
NOT_COVERED = "本文件未提及"
MAX_SECTIONS = 3
FALLBACK_NOTICE = "（大模型服务暂不可用，以下为原文摘录答案。）"
LEAK_WINDOW = 12  # characters in a row shared with the prompt's instructions that count as a leak


def chat_model(settings: Settings) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key,
        timeout=settings.llm_timeout,
        max_retries=settings.llm_retries,
        temperature=0,
    )


def _sentences(text: str) -> list[str]:
    text = _MARK_AFTER_STOP.sub(r"\2\1", text.strip())
    return [piece for piece in _SENTENCE_END.split(text) if piece.strip()]


def _numbers(text: str) -> list[str]:
    return _NUMBER.findall(LABEL_MARK.sub("", text))


def _contains_number(text: str, number: str) -> bool:
    return re.search(rf"(?<![\d.]){re.escape(number)}(?![\d.])", text) is not None


@dataclass
class GuardReport:
    action: str = "pass"  # pass | repaired | replaced | fallback | skipped
    dropped: list[str] = field(default_factory=list)
    unknown_labels: list[str] = field(default_factory=list)
    unsupported_numbers: list[str] = field(default_factory=list)
    misattached_numbers: list[str] = field(default_factory=list)  # verbatim, but stated of another thing
    leaked: int = 0  # sentences repeating the prompt's instructions
    uncited: int = 0  # sentences citing nothing: the prompt asks for a label on every one
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "dropped_sentences": len(self.dropped),
            "unknown_labels": self.unknown_labels,
            "unsupported_numbers": self.unsupported_numbers,
            "misattached_numbers": self.misattached_numbers,
            "prompt_leaks": self.leaked,
            "uncited_sentences": self.uncited,
            "reason": self.reason,
        }


def _grams(text: str) -> set[str]:
    return {text[i : i + LEAK_WINDOW] for i in range(len(text) - LEAK_WINDOW + 1)}


def _is_year(number: str, sentence: str) -> bool:
    """2025 in 到 2025 年底 dates the sentence; it is no figure of a thing."""
    return re.search(rf"(?<![\d.]){re.escape(number)}\s*年", sentence) is not None and len(number) == 4


def _misattached(sentence: str, number: str, cited: list[Section], lexicon: Lexicon) -> bool:
    """Whether ``number`` stands in ``sentence`` beside what the cited text does not state it of: "高新技术企业目标
    为 280 亿元" cites the 280 亿元 of 技术合同. The words naming what the number is about (see
    ``Lexicon.specific``) in its clause must share one with a clause of the cited text holding that number."""
    def naming(text: str) -> set[str]:
        return {w for w in lexicon.content_words(text) if lexicon.specific(w) and not _MEASURE.search(w)}

    own = next((c for c in _CLAUSE.split(LABEL_MARK.sub("", sentence)) if _contains_number(c, number)), sentence)
    subject = naming(own) or naming(LABEL_MARK.sub("", sentence))  # "目标为 15%" names nothing; its sentence does
    if not subject:
        return False
    stating = [c.lower() for s in cited for c in _CLAUSE.split(s.text) if _contains_number(c, number)]
    return not any(w in c for w in subject for c in stating)


def guard(
    text: str, given: dict[str, Section], instructions: str = "", lexicon: Lexicon | None = None
) -> tuple[list[str], GuardReport]:
    """The sentences of ``text`` that pass, and what was dropped and why.

    ``instructions`` is the prompt's own wording: a sentence repeating it is a leak, never shown. A sentence citing
    nothing is dropped too: it is where an LLM talked into something (by a question, or by a retrieved document
    written as instructions) says it. With a ``lexicon``, a number must also stand beside what the cited text
    states it of, not only appear in it.
    """
    report = GuardReport()
    sentences = _sentences(text)
    secret = _grams(instructions)
    kept = []
    for sentence in sentences:
        markers = LABEL_MARK.findall(sentence)
        unknown = [m for m in markers if m not in given]
        scope = [given[m] for m in markers if m in given]
        unsupported = [n for n in _numbers(sentence) if not any(_contains_number(s.text, n) for s in scope)]
        checked = [n for n in _numbers(sentence) if n not in unsupported and not _is_year(n, sentence)]
        misattached = [n for n in checked if lexicon and _misattached(sentence, n, scope, lexicon)]
        leaked = bool(secret & _grams(LABEL_MARK.sub("", sentence)))
        if unknown or unsupported or misattached or leaked or not markers:
            report.dropped.append(sentence)
            report.unknown_labels += unknown
            report.unsupported_numbers += unsupported
            report.misattached_numbers += misattached
            report.leaked += leaked
            report.uncited += not markers
        else:
            kept.append(sentence)
    if report.dropped:
        report.action = "repaired"
    return kept, report


def _outline(documents: Iterable[Notice]) -> str:
    """The full outline of each document the retrieved sections come from."""
    return "\n\n".join(d.reference() + "".join(f"\n{s.citation()}" for s in d.sections.values()) for d in documents)


class LLMAnswerer:
    """Same inputs and output as :class:`ExtractiveAnswerer`, which it falls back to."""

    def __init__(self, corpus: Corpus, extractive: ExtractiveAnswerer, model: BaseChatModel) -> None:
        self.corpus = corpus
        self.extractive = extractive
        template = (LANGUAGE / "prompt.md").read_text(encoding="utf-8")
        # the fixed wording of the prompt (not the outline or sections, which answers may quote)
        self.instructions = template.split("{outline}")[0]
        prompt = ChatPromptTemplate.from_messages([("system", template), ("human", "{question}")])
        self.chain: Runnable[dict[str, str], str] = prompt | model | StrOutputParser()
        self.events: Counter[str] = Counter()
        self._lock = threading.Lock()

    def _count(self, report: GuardReport, question: str) -> None:
        with self._lock:
            self.events[report.action] += 1
        if report.action != "pass":
            log.warning("llm guard: %s for %r (%s)", report.action, question[:60], report.reason or report.to_json())

    def __call__(self, request: AnswerRequest) -> Answer:
        plan = self.extractive.plan(request)
        if isinstance(plan, Answer):  # a refusal, a partial answer or a greeting: nothing for an LLM to add
            return self._extractive(plan, GuardReport("skipped", reason=f"{plan.outcome}: no full answer"), request)
        owners = self._sections(list(request.evidence))
        given = {label: section for label, (_, section) in owners.items()}
        try:
            text = self.chain.invoke(
                {
                    "question": request.question,
                    "outline": _outline({n.id: n for n, _ in owners.values()}.values()),
                    "sections": "\n\n".join(f"{n.reference()}〔{s.citation()}〕\n{s.text}" for n, s in owners.values()),
                }
            )
        except Exception as error:  # timeouts, refused connections, HTTP errors, unparsable bodies
            report = GuardReport("fallback", reason=f"{error.__class__.__name__}: {str(error)[:120]}")
            return self._extractive(plan(), report, request, notice=FALLBACK_NOTICE)
        if not isinstance(text, str) or not text.strip():
            return self._extractive(plan(), GuardReport("fallback", reason="empty answer"), request)
        if text.strip().startswith(NOT_COVERED):
            return self._extractive(plan(), GuardReport("replaced", reason="llm declined; evidence exists"), request)
        kept, report = guard(text, given, self.instructions, self.extractive.lexicon)
        cited = [owners[m] for m in dict.fromkeys(LABEL_MARK.findall("".join(kept))) if m in owners]
        if not cited:
            report.action, report.reason = "replaced", "no supported, cited sentence left"
            return self._extractive(plan(), report, request)
        self._count(report, request.question)
        answer_text = "".join(kept).strip()
        citations = [c for notice, section in cited for c in self._quotes(notice, section, answer_text)]
        return Answer(
            question=request.question,
            answer=render(answer_text, citations, "依据："),
            answered=True,
            citations=citations,
            resolved_question=request.query,
            answerer="llm",
            guard=report.to_json(),
        )

    def _extractive(self, answer: Answer, report: GuardReport, request: AnswerRequest, notice: str = "") -> Answer:
        self._count(report, request.question)
        answer.guard = report.to_json()
        if notice:
            answer.answer = f"{notice}\n{answer.answer}"
        return answer

    def _sections(self, evidence: list[Evidence]) -> dict[str, tuple[Notice, Section]]:
        """The retrieved sections (best first) by label: what the LLM sees and may cite.

        Labels are what the LLM cites, so two documents' equal labels (第三条) cannot both be given: the better
        ranked one is.
        """
        keys = list(dict.fromkeys((e.doc, e.section_id) for e in evidence))
        owners: dict[str, tuple[Notice, Section]] = {}
        for doc, section_id in keys:
            notice = self.corpus.documents[doc]
            section = notice.sections[section_id]
            owners.setdefault(section.citation(), (notice, section))
        return dict(list(owners.items())[:MAX_SECTIONS])

    @staticmethod
    def _quotes(notice: Notice, section: Section, answer: str) -> list[Citation]:
        """The section's sentences carrying the answer's numbers (or its first sentence): verbatim support."""
        numbers = _numbers(answer)
        carrying = [s for s in section.sentences if any(_contains_number(s.text, n) for n in numbers)]
        chosen = carrying or [next(s for s in section.sentences if s.is_evidence)]
        return [Citation.of(notice, section, s) for s in chosen]
