"""What a question asks: the thing it is about (its topic words), the details it wants stated (a figure, a date,
a place …), and how it is put (a greeting, "does the notice mention X", "which measures concern me").

Question forms come from ``rules.toml``; topic words are whatever is left, so nothing here knows a notice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from ..lexicon import Lexicon
from .rules import Rules

_YEAR = re.compile(r"(?:19|20)\d\d")
_LATIN = re.compile(r"[a-z]")
_NOT_TEXT = re.compile(r"[\W_\d]+")
_CLAUSES = re.compile(r"[，,。；;！!？?]+")
# Parts of speech that name things (jieba's tags): nouns, verbal and adjectival nouns, English, abbreviations,
# set phrases, and the documents' own terms (untagged: x). Verbs, pronouns, adverbs, numbers … say how a question
# is put, not what it is about.
_NAMING = ("n", "vn", "an", "eng", "j", "l", "i", "x")


@cache
def _cue(cue: str) -> re.Pattern[str]:
    """A cue as a pattern: an English one matches whole words only."""
    return re.compile(rf"(?<![a-z]){re.escape(cue)}(?![a-z])" if _LATIN.search(cue) else re.escape(cue))


def has(cue: str, text: str) -> bool:
    """Whether ``cue`` occurs in lower-cased ``text``; an English cue as whole words."""
    return cue in text and (not _LATIN.search(cue) or _cue(cue).search(text) is not None)


def strip(cues: Iterable[str], text: str) -> str:
    """``text`` with every occurrence of ``cues`` blanked, overlapping ones too (资助多少 and 多少钱 in 资助多少钱)."""
    blank = [False] * len(text)
    for cue in cues:
        if cue in text:
            for found in _cue(cue).finditer(text):
                blank[found.start() : found.end()] = [True] * (found.end() - found.start())
    return "".join(" " if gone else ch for ch, gone in zip(text, blank, strict=True))


@dataclass(frozen=True)
class Asked:
    text: str  # the question searched with, lower-cased
    terms: tuple[str, ...]  # what it is about, in order: content words without question forms or frame words
    # the terms that decide whether the thing is in the documents: those naming things in the clause that asks
    # (我家老人多，…有跟养老沾边的内容没？ asks about 养老); the other clauses' terms may only help (see policy)
    core: tuple[str, ...] = ()
    context: tuple[str, ...] = ()  # the other clauses' terms naming things
    glossary: dict[str, tuple[str, ...]] = field(default_factory=dict)  # glossary term → the documents' words
    details: tuple[str, ...] = ()  # kinds of detail it wants stated (figure, time, place …), in the rules' order
    unit: str = ""  # money | share | count, for a figure
    classifier: str = ""  # 家, 名 …, for a count
    intent: str = "fact"  # list | who | fact: which sentence to quote first
    english: bool = False
    greeting: bool = False
    mention: bool = False  # "文件提到X了吗"
    relevance: bool = False  # "哪些措施和我有关"


def read(question: str, lexicon: Lexicon, rules: Rules, frame: Iterable[str] = ()) -> Asked:
    """What ``question`` asks. ``frame`` are words every question about these documents may use without being
    about them: their area and year (嘉定区, 2025)."""
    text = question.lower()
    cues = rules.cues
    greeting = any(has(c, text) for c in cues["greeting"]) and not _NOT_TEXT.sub(
        "", strip([*cues["greeting"], *cues["address"]], text)
    )
    counted = strip(cues["which"], text)  # 哪几个 asks which ones, not how many
    mention = any(has(c, text) for c in cues["mention"])
    details = tuple(
        a.kind
        for a in rules.asks
        if any(has(c, counted if a.kind == "figure" else text) for c in a.cues) and not (mention and a.kind == "place")
    )
    unit, classifier = "", ""
    if "figure" in details:
        unit = next((u.kind for u in rules.units if any(has(c, counted) for c in u.asked)), "")
        if unit == "count":
            classifier = next(c[-1] for c in rules.unit("count").asked if c in counted)
    intent = next((name for name in ("list", "who") if any(has(c, text) for c in cues[f"intent:{name}"])), "fact")
    question_forms = [
        *(c for a in rules.asks for c in a.cues),
        *(c for u in rules.units for c in u.asked),
        *cues["which"],
        *cues["mention"],
        *cues["relevance"],
        *cues["greeting"],
        *cues["intent:list"],
        *cues["intent:who"],
    ]
    frame_words = {w.lower() for w in frame}
    words, glossary, tags = _terms(strip(question_forms, text), lexicon, frame_words)
    asking = next((c for c in reversed(_CLAUSES.split(text)) if c.strip()), text)
    asking_words = _terms(strip(question_forms, asking), lexicon, frame_words)[0]

    def naming(word: str) -> bool:
        return mention or word in glossary or tags.get(word, "x").startswith(_NAMING)

    core = tuple(w for w in asking_words if w in words and naming(w))
    return Asked(
        text=text,
        terms=words,
        core=core,
        context=tuple(w for w in words if w not in core and naming(w)),
        glossary=glossary,
        details=details,
        unit=unit,
        classifier=classifier,
        intent=intent,
        english=lexicon.is_english(question),
        greeting=greeting,
        mention=mention,
        relevance=any(has(c, text) for c in cues["relevance"]) and not details,
    )


def _terms(
    text: str, lexicon: Lexicon, frame: set[str]
) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]], dict[str, str]]:
    """Content words of ``text`` in order (glossary phrases whole), the glossary phrases with the documents'
    words for them, and each word's part of speech."""
    found, rest = lexicon.glossed(text)
    tags = {w: flag for w, flag in lexicon.tagged(rest) if w not in frame and not _YEAR.fullmatch(w)}
    ordered = sorted([*(phrase for phrase, _ in found), *tags], key=lambda t: _position(t, text))
    return tuple(dict.fromkeys(ordered)), {p: tuple(e) for p, e in found}, tags


def _position(term: str, text: str) -> int:
    at = text.find(term)
    return at if at >= 0 else len(text)
