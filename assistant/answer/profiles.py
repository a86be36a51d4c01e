"""Which measures concern X: the sections naming an industry or status, each with its key quote.

One finder for the chat ("我们是集成电路企业，哪些措施和我有关？") and for 我的企业, so both list the same sections.
A profile is only a name and the words the notice uses for it (the domain pack's ``profiles.toml``); which
sections concern it is read from the notice's text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answer.records import Citation
from assistant.corpus.records import Notice
from assistant.language.domain import Profile


@dataclass(frozen=True)
class Concern:
    citation: Citation  # the key quote: the section's sentence naming the most terms
    mentions: int  # sentences of the section naming a term (a heading that names one counts once)
    quotes: tuple[Citation, ...] = ()  # every sentence naming a term, the most terms first


def matching(profiles: Sequence[Profile], word: str) -> Profile | None:
    """The profile a word names: by its name, or one of its terms (芯片 → 集成电路)."""
    lowered = word.lower()
    return next(
        (p for p in profiles if lowered == p.name.lower() or lowered in (t.lower() for t in p.terms)), None
    )


def concerns(notice: Notice, terms: tuple[str, ...]) -> list[Concern]:
    """Sections naming any of ``terms``, most mentions first (document order breaks ties)."""
    mentions = notice.mentions(terms)
    for section in notice.sections.values():  # "科技类校外培训机构" names its audience in the heading
        if section.id not in mentions and section.sentences and any(t in section.title for t in terms):
            mentions[section.id] = [next(s for s in section.sentences if s.is_evidence)]
    found = []
    for order, (section_id, sentences) in enumerate(mentions.items()):
        section = notice.sections[section_id]
        ordered = sorted(sentences, key=lambda s: -sum(t.lower() in s.text.lower() for t in terms))
        titled = any(t in section.title for t in terms)
        if titled:  # a section its heading names the thing in is wholly about it: its other sentences follow
            ordered += [s for s in section.sentences if s.is_evidence and s not in ordered]
        quotes = tuple(Citation.of(notice, section, s) for s in ordered)
        found.append((Concern(quotes[0], len(sentences) + titled, quotes), order))
    return [concern for concern, _ in sorted(found, key=lambda pair: (-pair[0].mentions, pair[1]))]
