"""Evidence selection: which retrieved sentences are about the asked thing, and which of their clauses state the
asked detail (a figure in the same clause as the asked quantity, a date or place attached to it)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..corpus import Corpus
from ..retrieval import Evidence
from .asked import Asked
from .policy import Coverage, View
from .rules import Rules

_CLAUSE = re.compile(r"(?<=[，；。：;,])")
_YEAR = re.compile(r"(?:19|20)\d\d")
_TITLE = re.compile(r"《[^》]*》")
# a sentence that is only a date or only a body's name: a document's date line or issuer line, which speaks for
# whatever its section (the 文头) is about
_LINE = re.compile(r"[\d\s年月日]+|[\u4e00-\u9fff]{2,24}")


@dataclass(frozen=True)
class Scored:
    evidence: Evidence
    about: float  # IDF-weighted share of the question's topic words in the sentence, its heading and sub-topic
    score: float  # about + what the intent looks for + retrieval rank


def clauses(sentence: str) -> list[str]:
    return [c for c in _CLAUSE.split(sentence) if c.strip()]


def about(text: str, covered: Coverage, view: View, *, count_missing: bool) -> float:
    """Share of the question's topic (its specific words, by weight) that ``text`` carries. With
    ``count_missing`` the words the documents never use count against it: a figure for 专精特新企业 is no figure
    for 企业."""
    terms = [t for t in covered.found if not all(view.generic(w) for w in covered.words(t))]
    terms = terms or list(covered.found)
    # only the asking clause's missing words count against (…芯片封测的小公司…高企想认定多少家？ asks of 高企)
    missing = [t for t in covered.missing if t in covered.deciding] if count_missing else []
    weight = {t: covered.weights.get(t, 1.0) for t in [*terms, *missing]}
    total = sum(weight.values())
    if not total:
        return 0.0
    lowered = text.lower()
    return sum(weight[t] for t in terms if any(w.lower() in lowered for w in covered.words(t))) / total


def rank(
    asked: Asked, covered: Coverage, evidence: list[Evidence], view: View, corpus: Corpus, rules: Rules
) -> list[Scored]:
    """The evidence sentences, most about the asked thing first (a sub-topic opener last: it answers nothing)."""
    pattern = rules.evidence.get(asked.intent)
    scored = []
    for position, item in enumerate(evidence):
        context = _context(item, corpus)
        share = about(context, covered, view, count_missing=False)
        bonus = 1.0 if pattern and pattern.search(item.text) else 0.0
        heading = 0.0 if item.is_evidence else -1.0
        scored.append(Scored(item, share, share + bonus + heading + 0.5 / (1 + position)))
    return sorted(scored, key=lambda s: -s.score)


def _context(item: Evidence, corpus: Corpus) -> str:
    """A sentence is about its item's title and sub-topic too ("建立统筹推进制度" under 做优张江嘉定园建设)."""
    section = corpus.section(item.doc, item.section_id)
    return f"{section.title} {item.chunk.topic} {item.text}"


@dataclass(frozen=True)
class Stated:
    scored: Scored
    clause: str  # the clause stating the detail, verbatim


def stating(
    asked: Asked, covered: Coverage, ranked: list[Scored], view: View, corpus: Corpus, rules: Rules, kind: str
) -> Stated | None:
    """The best clause that states detail ``kind`` about the asked thing, or None.

    A figure or ordinal must stand in a clause that names the thing, in the unit asked for; a name must itself
    name the thing (《…生物医药…政策》); a place must be another place than the thing; a year the question names
    itself answers no "when". Any detail must stand in a sentence about the thing (with its heading), or, for a
    sentence that is only a date (a document's date line), in a section about it.
    """
    states = rules.ask(kind).states
    unit = rules.unit(asked.unit) if kind == "figure" and asked.unit else None
    words = [w.lower() for t in covered.found for w in covered.words(t)]
    own_years = set(_YEAR.findall(asked.text))
    # every clause that states it, with how much of the thing it (a figure) or its sentence names; the best wins,
    # the better ranked sentence on a tie: 20 家次 of 科技小巨人 over 1100 家 of a clause naming only 认定
    found: list[tuple[float, int, Stated]] = []
    for rank_at, scored in enumerate(ranked):
        item = scored.evidence
        if not item.is_evidence:
            continue
        context = _context(item, corpus)
        line = bool(_LINE.fullmatch(item.text.rstrip("。")) and states.search(item.text))
        if line:  # a date or issuer line
            section = corpus.section(item.doc, item.section_id)
            context = f"{section.title} {section.text}"
        share = about(context, covered, view, count_missing=True)
        if share < rules.policy.figure_coverage:
            continue
        parts = clauses(item.text)
        naming = [c for c in parts if about(c, covered, view, count_missing=False)]
        for clause in parts:
            text = _when(clause, own_years) if kind in ("time", "date") else clause
            matches = [m.group() for m in states.finditer(text)]
            if not matches or (unit and not _in_unit(clause, unit.stated, asked, rules)):
                continue
            # a figure stands in a clause naming the thing (any clause, when only its heading names it)
            if kind in ("figure", "ordinal") and naming and clause not in naming:
                continue
            # a time stands in a clause naming the thing, or leads into one (到 2025 年底，力争认定…)
            if kind in ("time", "date") and not line and not ({clause, _next(parts, clause)} & set(naming)):
                continue
            # a body names the thing's owner in the clause naming the thing or one carrying it on (实施…计划，加大与
            # …中心合作力度), not in one before it (…已经区科委…研究通过，现印发给你们)
            if kind == "who" and naming and parts.index(clause) < parts.index(naming[0]):
                continue
            if kind == "name" and not any(w in m.lower() for m in matches for w in words):
                continue
            if kind in ("place", "who") and all(m.lower() in words for m in matches):
                continue
            exact = about(clause, covered, view, count_missing=False) if kind in ("figure", "ordinal") else share
            found.append((exact, -rank_at, Stated(scored, clause)))
    return max(found, key=lambda f: (f[0], f[1]))[2] if found else None


def _next(parts: list[str], clause: str) -> str:
    at = parts.index(clause)
    return parts[at + 1] if at + 1 < len(parts) else ""


def _when(clause: str, own_years: set[str]) -> str:
    """``clause`` as a statement of time: titles (《2025年…要点》) and the years the question names itself taken out."""
    clause = _TITLE.sub(" ", clause)
    return _YEAR.sub(lambda m: " " if m.group() in own_years else m.group(), clause)


def _in_unit(clause: str, stated: re.Pattern[str], asked: Asked, rules: Rules) -> bool:
    if asked.unit != "count":
        return stated.search(clause) is not None
    family = rules.classifiers.get(asked.classifier, asked.classifier)
    return any(m.group("classifier") in family for m in stated.finditer(clause))
