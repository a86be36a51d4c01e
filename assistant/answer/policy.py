"""Answerability: is the asked thing in the documents, and may they be asked at all? Pure functions of the
question, the documents in view and the rules, so they are tested without a model.

Whether the thing is there is decided by coverage: the share of the question's topic words the documents use,
each word weighted by how rare it is in general Chinese (jieba's IDF). A rare word the documents never use
(专精特新, 公寓, GDP) weighs more than colloquial filler (厂, 老百姓), so it pushes a question out of scope,
whatever its other words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from assistant.answer.asked import Asked, has, strip
from assistant.answer.rules import Rules
from assistant.corpus.records import Notice, Section
from assistant.language.lexicon import Lexicon
from assistant.language.spelling import sounds

_YEAR = re.compile(r"(?:19|20)\d\d")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_HAN_RUNS = re.compile(r"[\u4e00-\u9fff]+")
# what a question asks for, in the clause: the thing after it is the one asked (有啥科普活动, 有哪些商场)
_WHICH = re.compile(r"什么|啥|哪")
_TITLE = re.compile(r"《([^》]{2,60})》")
# a title asked for is one the documents cite when this share of its character pairs stands in one of theirs
# (《生物医药若干政策》 for 《…支持生物医药产业全链条创新发展的若干政策》), set by hand on dev
SAME_TITLE = 0.6


@dataclass(frozen=True)
class View:
    """The documents an answer may draw on: the scope asked for, else those the evidence comes from."""

    documents: list[Notice]
    generic_share: float

    @cached_property
    def text(self) -> str:
        """Titles and text, lower-cased: "do the documents use this word?" (科技类校外培训机构 is only a title)."""
        return "".join(d.words for d in self.documents)

    @cached_property
    def items(self) -> list[Section]:
        return [s for d in self.documents for s in d.sections.values() if s.sentences]

    @cached_property
    def _generic(self) -> dict[str, bool]:
        return {}

    def generic(self, word: str) -> bool:
        """A word in so many sections (企业, 科技, 推动) that it says nothing of what a question is about."""
        if word not in self._generic:
            share = sum(word in (s.title + s.text).lower() for s in self.items) / max(len(self.items), 1)
            self._generic[word] = share >= self.generic_share
        return self._generic[word]

    @cached_property
    def frame(self) -> tuple[str, ...]:
        """Words any question about these documents may use without being about anything: area, year."""
        areas = {d.area for d in self.documents if d.area}
        names = {a[:-1] for a in areas if len(a) > 2}  # 静安区 → 静安, and as an English question spells it
        spelled = {"".join(sounds(n)) for n in names}
        levels = {a[-1] + "级" for a in areas}  # 区级: the documents' own level
        return tuple({*areas, *names, *spelled, *levels, *self.wholes, *(d.year for d in self.documents if d.year)})

    @cached_property
    def titles(self) -> tuple[str, ...]:
        """The documents' own titles and the titles they cite (《…管理办法》), lower-cased, without spaces."""
        cited = (t for d in self.documents for t in _TITLE.findall(d.words))
        return tuple({re.sub(r"\s", "", t) for t in (*cited, *(d.title.lower() for d in self.documents))})

    @cached_property
    def wholes(self) -> tuple[str, ...]:
        """Words for the whole of the documents' own area (全区): no topic, but a figure asked of the whole is none
        given for a part of it (see ``select.stating``)."""
        return tuple({"全" + d.area[-1] for d in self.documents if d.area})


@dataclass(frozen=True)
class Coverage:
    """Which topic words of a question the documents use, and as which of their words."""

    found: dict[str, tuple[str, ...]] = field(default_factory=dict)  # topic word → the documents' words for it
    missing: tuple[str, ...] = ()
    share: float = 0.0  # IDF-weighted share of topic words found
    weights: dict[str, float] = field(default_factory=dict)
    partly: dict[str, tuple[str, ...]] = field(default_factory=dict)  # missing word → the parts the documents use
    deciding: tuple[str, ...] = ()  # the terms the share is taken over

    def words(self, term: str) -> tuple[str, ...]:
        return self.found.get(term, ())


def coverage(asked: Asked, view: View, lexicon: Lexicon) -> Coverage:
    """Each topic word is found as itself, through the glossary (高企 → 高新技术企业, incubator → 孵化器), or, for
    a longer word, as its parts when the documents use every one and one is no generic word (科普活动 → 科普,
    活动); else it is missing. A missing word whose parts are partly used (优惠政策: 政策, not 优惠; 汽车电池: 汽车)
    is a more specific thing than the documents name: its used parts are kept apart, for a listing to say so."""
    found: dict[str, tuple[str, ...]] = {}
    missing: list[str] = []
    partly: dict[str, tuple[str, ...]] = {}
    numbers = [t for t in asked.terms if _NUMBER.fullmatch(t) and t not in view.text]  # the value asked: no topic
    for term in asked.terms:
        if term in numbers:
            continue
        # the glossary's words of two characters or more (年 月 日 for "date" would be found anywhere)
        glossed = tuple(w for w in asked.glossary.get(term, ()) if len(w) >= 2 and w.lower() in view.text)
        parts = [w for w in lexicon.tokens(term) if 2 <= len(w) < len(term)] if _HAN.match(term) else []
        used = tuple(w for w in parts if w in view.text)
        whole = {i for w in parts for at in _places(w, term) for i in range(at, at + len(w))} == set(range(len(term)))
        if term in view.text:
            found[term] = tuple(dict.fromkeys((term, *glossed)))
        elif glossed:
            found[term] = glossed
        elif parts and whole and len(used) == len(parts) and not all(view.generic(w) for w in used):
            found[term] = used
        else:
            missing.append(term)
            if used:
                partly[term] = used
    # a glossary phrase weighs as the documents' words for it (target as 目标, 高企 as 高新技术企业)
    weights = {
        t: min((lexicon.idf(w) for w in asked.glossary[t] if len(w) >= 2), default=lexicon.idf(t))
        if t in asked.glossary
        else lexicon.idf(t)
        for t in asked.terms
        if t not in numbers
    }
    # the asking clause's terms decide; another clause's term counts only when found (it may say who asks)
    if asked.refers and asked.context and not any(t in found for t in asked.core):
        # …电池片的，想问问区里对这个方向感不感兴趣？ asks of what 这个方向 points to, when the asking clause names
        # nothing the documents use: its words say how it asks (问问, 感不感兴趣); an earlier clause that asks names
        # it itself (微系统所那个实验室群今年要推吗？叫啥名字？), whatever the clauses saying who asks name
        deciding = [t for t in asked.context if t in found and t in asked.asking] or list(asked.context)
    elif asked.core:
        deciding = [*asked.core, *(t for t in asked.context if t in found)]
    else:
        # the asking clause names nothing (…那块有个硬杠杠，我没记住，到底是多少个亿？): the thing is named before it
        # by words the documents use that name something specific; the other words say who asks and why
        named = [t for t in asked.context if t in found and lexicon.specific(t)]
        deciding = named or list(asked.context or asked.terms)
    deciding = [t for t in deciding if t not in numbers]
    # a place the question asks the surroundings of (新城附近有什么好吃的餐厅) is where, not what
    if asked.around:
        # the place: the longest end of what stands before 附近 that the documents write (安亭镇壹号湾科技园), with
        # the words they use written right before it (南翔 of 南翔小美科技园, which they write 南翔镇小美科技园)
        ends = [next((b[i:] for i in range(len(b) - 1) if b[i:] in view.text), "") for b in asked.around]
        places = [_grown(end, b, found) for end, b in zip(ends, asked.around, strict=True)]
        there = [t for t in asked.terms if any(t in p for p in places if p)]
        rest = [t for t in deciding if t not in there]
        deciding = rest or [t for t in asked.terms if t not in (*there, *numbers)] or deciding
    total = sum(weights[t] for t in deciding)
    share = sum(weights[t] for t in deciding if t in found) / total if total else 0.0
    return Coverage(found, tuple(missing), share, weights, partly, tuple(deciding))


def _grown(end: str, before: str, found: dict[str, tuple[str, ...]]) -> str:
    """``end`` of ``before``, grown leftwards over the found words written right before it."""
    if not end:
        return ""
    start = len(before) - len(end)
    while grown := next((t for t in found if t and before[:start].endswith(t)), ""):
        start -= len(grown)
    return before[start:]


def _places(part: str, word: str) -> list[int]:
    return [at for at in range(len(word) - len(part) + 1) if word.startswith(part, at)]


@dataclass(frozen=True)
class Refusal:
    """Why the documents cannot answer: a message key of ``rules.toml`` and what it names."""

    message: str  # not_covered | chitchat | not_covered_place | not_covered_scope | not_covered_year
    fields: dict[str, str] = field(default_factory=dict)
    nearest: bool = True  # list the nearest sections (not for requests that are no question about the documents)


def out_of_bounds(asked: Asked, view: View, rules: Rules) -> Refusal | None:
    """Questions the documents cannot answer whatever they say: instructions to the assistant, other tasks, other
    places, a wider area's figures, other years."""
    text, refuse = asked.text, rules.refuse
    if any(has(cue, text) for cue in refuse["chitchat"]):
        return Refusal("chitchat", nearest=False)
    # a document named by its title that the documents neither are nor cite (《…认定管理办法》全文能给我看看吗)
    for title in _TITLE.findall(text):
        if not any(_same_title(re.sub(r"\s", "", title), own) for own in view.titles):
            return Refusal("not_covered", {"topic": f"《{title}》"})
    for place in [*refuse["places"], *asked.places]:  # the list, and any word tagged a place name
        if has(place, text) and place not in view.text and place not in view.frame:
            return Refusal("not_covered_place", {"place": place})
    own = [a for a in view.frame if not _YEAR.fullmatch(a)]
    # (not one written inside a name the documents use: the 全国 of 全国重点实验室)
    names = [t for t in asked.terms if t in view.text and any(w in t and w != t for w in refuse["scopes"])]
    scope = next((w for w in refuse["scopes"] if has(w, strip(names, text))), "")
    # a wider area the documents never name (全市), or its figure or own document (上海市科普工作要点)
    about_documents = any(has(w, text) for w in refuse["documents"])
    wider = scope and (scope not in view.text or "figure" in asked.details or about_documents)
    if wider and not any(a in text for a in own):
        return Refusal("not_covered_scope", {"scope": scope})
    # another year, in the clause that asks (去年刚进了名单，想知道今年… asks of this year)
    years = [y for y in _YEAR.findall(asked.asking) if y not in view.text]
    relative = [w for w in refuse["relative_years"] if has(w, asked.asking)]
    if years or relative:
        return Refusal("not_covered_year", {"year": (years or relative)[0]})
    return None


def _same_title(asked: str, own: str) -> bool:
    """Whether a title as a question writes it is one of the documents' (whole, part, or most of its pairs)."""
    if asked in own or own in asked:
        return True
    pairs = [asked[i : i + 2] for i in range(len(asked) - 1)]
    return bool(pairs) and sum(p in own for p in pairs) / len(pairs) >= SAME_TITLE


def in_scope(asked: Asked, covered: Coverage, rules: Rules, view: View) -> bool:
    """Whether the asked thing is in the documents: enough of the question's topic, weighted by rarity.
    "文件提到X了吗" asks about X as a whole: every character of it must belong to a word the documents use
    (区级科学技术奖 is not 区级 + 科学技术).

    (A rule that also required the asking clause's last naming word, when rare, was dropped: on the fourth blind
    dev batch it refused more colloquial questions (问问, 玩法, 路数) than it kept out; docs/eval/README.md.)"""
    if not covered.found or covered.share < rules.policy.min_coverage:
        return False
    if asked.mention and asked.mentioned:
        # as the documents write it; a glossary word (高企) only when it is the whole of X (国际学校 is no 校园), or
        # all of it but words said of nearly anything (氢能方面的项目: 项目)
        whole = sum(not view.generic(w) for w in asked.mentioned) <= 1
        return all(w in view.text or (whole and w in covered.found) for w in asked.mentioned)
    return True


# A thing asked of a name (联影医疗的股价) is one the documents never say of anything when it is a common noun at least
# this rare in general Chinese (jieba's IDF; 股票 4.8, 股价 5.7, 待遇 7.6): set on dev, where 3.5 and 4.5 score
# alike, 5.5 misses 股票 (3 items) and 7 loses 8 more (docs/eval)
UNSAID_IDF = 4.5
# jieba's tags of a common noun (not a verb, nor a proper name, which would be a second name)
_THING_TAGS = ("n", "nz", "ng")


def unsaid(asked: Asked, covered: Coverage, sentence: str, lexicon: Lexicon) -> str:
    """What a question asks of a name the documents use that the sentence naming it says nothing of: 舍弗勒 in
    舍弗勒招不招实习生, whose sentence names 舍弗勒 and no other word of the question. The things asked are the
    common nouns of the asking clause after the name that the documents use neither whole nor in part (实习生,
    股价), as the question writes them. A detail, a mention, a relevance question or one pointing back is read
    elsewhere; "" when none."""
    if asked.details or asked.mention or asked.relevance or asked.refers:
        return ""
    text, sentence = asked.text, sentence.lower()
    # named in the asking clause, or in an earlier one that asks too (联影最近招不招人？待遇咋样？)
    names = [t for t in (*asked.core, *asked.context) if t in asked.asking]
    word = next((t for t in names if t in covered.found and lexicon.specific(t) and t in sentence), "")
    if not word:
        return ""
    name = _phrase(word, text, sentence)  # 联影医疗, as the sentence writes it too
    in_sentence = [t for t in covered.found if any(w.lower() in sentence for w in covered.words(t))]
    # with the rare words written onto it that the sentence names too (南翔小美科技园: 南翔镇小美科技园)
    onto = [t for t in in_sentence if lexicon.specific(t) and not _NUMBER.fullmatch(t)]
    while grown := next((t for t in onto if text.startswith(t, text.find(name) + len(name))), ""):
        name += grown
    before = asked.asking[: asked.asking.find(name)]
    if (which := list(_WHICH.finditer(before))) and not any(t in before[which[-1].end() :] for t in asked.core):
        return ""  # 有啥大型科普活动…: the name is what is asked for
    end = text.find(name) + len(name)
    things = [
        t
        for t in asked.core
        if text.find(t) >= end
        and t in covered.missing
        and t not in covered.partly
        and asked.tags.get(t, "") in _THING_TAGS
        and lexicon.idf(t) >= UNSAID_IDF
        and not (len(t) == 2 and t[0] == t[1])  # 玩玩: a verb said twice, whatever its tag
        and not _heard(t, sentence)  # 机智 for the sentence's 机制: a typo that is a word
    ]
    said = [t for t in in_sentence if t not in name]
    return _named(things, text, asked.typed) if things and not said else ""


def _heard(word: str, sentence: str) -> bool:
    """Whether ``sentence`` holds a stretch that sounds like ``word`` (see ``sounds``)."""
    heard, size = sounds(word), len(word)
    runs = [sounds(run) for run in _HAN_RUNS.findall(sentence)]
    return any(r[i : i + size] == heard for r in runs for i in range(len(r) - size + 1))


def _phrase(word: str, text: str, sentence: str) -> str:
    """The longest stretch of ``text`` around ``word`` that ``sentence`` also holds."""
    start = text.find(word)
    end = start + len(word)
    while start > 0 and text[start - 1 : end] in sentence:
        start -= 1
    while end < len(text) and text[start : end + 1] in sentence:
        end += 1
    return text[start:end]


def span(terms: list[str], text: str, limit: int = 20) -> str:
    """The stretch of ``text`` from the first to the last of ``terms`` (all found in it), if short; else ""."""
    places = [(text.find(t), t) for t in terms if t and t in text]
    if not places:
        return ""
    start = min(p for p, _ in places)
    end = max(p + len(t) for p, t in places)
    return text[start:end] if end - start <= limit else ""


def topic(asked: Asked, covered: Coverage) -> str:
    """What a refusal says is not mentioned: the missing words as the question puts them (人才公寓), else its topic."""
    missing = [t for t in covered.missing if t in asked.core] or list(covered.missing)
    if missing:
        # a found word written right beside a missing one belongs to the same thing (人才 + 公寓)
        attached = [t for t in covered.found if any(t + m in asked.text or m + t in asked.text for m in missing)]
        return _named([*missing, *attached], asked.text, asked.typed)
    return _named(list(asked.terms), asked.text, asked.typed)


def _named(terms: list[str], text: str, typed: str) -> str:
    """``terms`` as the question writes them when they stand together (人才公寓, GDP), else listed (园区、优惠政策)."""
    together = span(terms, text)
    rest = together
    for term in sorted(terms, key=len, reverse=True):
        rest = rest.replace(term, "")
    if not together or rest.replace("的", "").strip():
        return "、".join(sorted(terms, key=lambda t: text.find(t))[:3])
    at = text.find(together)
    return typed[at : at + len(together)] if len(typed) == len(text) else together  # as typed: GDP, not gdp
