"""Suggested follow-ups: what to read next, drawn from the documents' own sections, never invented.

After an answer the reader is offered the rest of the section it quoted (when it quoted only part of it), then the
items beside it; after a refusal, the nearest sections it lists. Each is asked by the section's own number
(二（四）讲了什么？), which the answer stage answers with that section's sentences: a follow-up is always answered and
cited. With several documents the question names the document too, so it is never ambiguous.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answer.records import Answer
from assistant.corpus.numbering import PART_HEADING
from assistant.corpus.records import Corpus, Notice, Section

# three buttons fit one line of a phone-sized chat; more would push the box off the first screen
LIMIT = 3


@dataclass(frozen=True)
class FollowUp:
    label: str  # what the button says: the section as the document numbers it
    question: str  # what is asked when it is clicked


def follow_ups(answer: Answer, corpus: Corpus, messages: dict[str, str], limit: int = LIMIT) -> list[FollowUp]:
    """Up to ``limit`` sections to read after ``answer``, as questions the answer stage answers in full; ``messages``
    word the buttons (``follow_*`` in the rules)."""
    if answer.outcome not in ("full", "partial", "refused") or not answer.citations:
        return []
    many = len(corpus.documents) > 1
    cited = list(dict.fromkeys((c.doc, c.section) for c in answer.citations if c.doc in corpus.documents))
    if not cited:
        return []
    wanted: list[tuple[str, str, str]] = []  # (doc, section id, how the button words it)
    if answer.outcome == "refused":
        wanted = [(doc, section, "follow_related") for doc, section in cited]
    else:
        doc, first = cited[0]
        notice = corpus.documents[doc]
        quoted = {c.start for c in answer.citations if (c.doc, c.section) == (doc, first)}
        evidence = [s for s in notice.sections[first].sentences if s.is_evidence]
        if len(evidence) > len(quoted):
            wanted.append((doc, first, "follow_rest"))
        wanted += [(doc, s.id, kind) for s, kind in _beside(notice, first) if (doc, s.id) not in cited]
    out: list[FollowUp] = []
    for doc, section_id, kind in wanted:
        notice = corpus.documents[doc]
        section = notice.sections.get(section_id)
        if section is None or not _askable(section):
            continue
        out.append(FollowUp(messages[kind].format(label=section.citation()), _question(notice, section, many)))
        if len(out) == limit:
            break
    return out


def _readable(notice: Notice) -> list[Section]:
    """The parts and items that hold sentences, in document order."""
    return [s for s in notice.sections.values() if _askable(s)]


def _beside(notice: Notice, section_id: str) -> list[tuple[Section, str]]:
    """The items after and before a section (the first ones, for a section outside the numbering)."""
    items = _readable(notice)
    at = next((i for i, s in enumerate(items) if s.id == section_id), None)
    if at is None:
        return [(s, "follow_next") for s in items[:2]]
    after = [(items[at + 1], "follow_next")] if at + 1 < len(items) else []
    return after + ([(items[at - 1], "follow_previous")] if at else [])


def _askable(section: Section) -> bool:
    return section.level >= 1 and any(x.is_evidence for x in section.sentences)


def _question(notice: Notice, section: Section, many: bool) -> str:
    """二（四）讲了什么？; a part by its place (第三部分), as section questions name it; 第十三条 as it is."""
    number = f"第{section.id}部分" if section.level == 1 and PART_HEADING.match(f"{section.id}、x") else section.id
    named = f"《{notice.title}》" if many else ""
    return f"{named}{number}讲了什么？"
