"""What a question asks: the thing it is about (its topic words), the details it wants stated (a figure, a date,
a place …), and how it is put (a greeting, "does the notice mention X", "which measures concern me").

Question forms come from ``rules.toml``; topic words are whatever is left, so nothing here knows a notice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise

from assistant.answer.rules import Rules
from assistant.answer.targets import QUOTED
from assistant.language.lexicon import Lexicon

_YEAR = re.compile(r"(?:19|20)\d\d")
_LATIN = re.compile(r"[a-z]")
_CLAUSES = re.compile(r"(?<=[，,。；;！!？?])")
_MARK = re.compile(r"[？?]")
_ASKS = re.compile(
    r"吗|呢|么|什么|啥|多少|几|哪|谁|怎|如何|是否|有没有|是不是|能不能|会不会|"
    r"(?<![a-z])(what|which|who|when|where|how|does|do|is|are|can|will)(?![a-z])"
)
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_HAN_ONE = re.compile(r"[\u4e00-\u9fff]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_YES_NO = re.compile(r"吗|是不是|是否|有没有|对不对|没有")
_PLACE_ENDS = "市省县区州"
# a figure the question states itself (1100 家, 15%, 280亿): a year is none
_FIGURE = re.compile(r"(?<![\d.])(?!(?:19|20)\d\d\s*年)\d+(?:\.\d+)?\s*(?:%|亿|万|元|家|个|项|名|人|份|件|届|条|次)")
_FIGURE_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])|[两二三四五六七八九十百千]+(?=\s*(?:届|个|家|条|张|大))")
# 个 before a unit of measure is no classifier: 多少个亿 is 多少亿, 几个百分点 is 几百分点, 几个点 几百分点
_MEASURED = re.compile(r"(多少|几)个(?=亿|万|千万|百万|百分点)")
_POINTS = re.compile(r"(多少|几)个点(?!钟)")
_ACRONYM = re.compile(r"(?<![A-Za-z])[A-Z]{2,}(?![A-Za-z])")
# A name asked in its own shape, 几 standing for its numerals (几轴几镇几谷几区, 几个100, 有几个谷): what answers it is
# the name written with numerals in those places. Two slots or more, or one 个 before a number or before a single
# word that is no classifier (几个家 asks a count, which the figure rules answer).
_DIGITS_IN_WORDS = "零〇一二两三四五六七八九十百千万"
_NUMERAL = rf"(?:\d+|[{_DIGITS_IN_WORDS}]+)"
_HAN = r"[\u4e00-\u9fff]"
# a number in words of three characters or more, as a name (十四五, 十五五): no count asked
_PERIOD = re.compile(rf"[{_DIGITS_IN_WORDS}]{{3,}}")
_SHAPE = re.compile(rf"(?:几个?(?!几){_HAN}){{2,}}|几个(?:\d+|[{_DIGITS_IN_WORDS}几]+)|几个(?!几){_HAN}(?!{_HAN})")
_SHAPE_PART = re.compile(rf"几个?|{_NUMERAL}|.")
# Parts of speech that name things (jieba's tags): nouns, verbal and adjectival nouns, English, abbreviations,
# set phrases, and the documents' own terms (untagged: x). Verbs, pronouns, adverbs, numbers … say how a question
# is put, not what it is about.
NAMING = ("n", "vn", "an", "eng", "j", "l", "i", "x")


# a cue's "…" stands for a few words of the same clause between its parts (有没有…减免: 有没有房租减免)
GAP = "…"
_GAP = r"(?P<gap>[^，,。；;？?！!]{0,8}?)"


@cache
def _cue(cue: str) -> re.Pattern[str]:
    """A cue as a pattern: an English one matches whole words only; "…" joins two parts within a clause."""
    if GAP in cue:
        return re.compile(_GAP.join(re.escape(part) for part in cue.split(GAP, 1)))
    return re.compile(rf"(?<![a-z]){re.escape(cue)}(?:s|es)?(?![a-z])" if _LATIN.search(cue) else re.escape(cue))


def worded(text: str) -> bool:
    """Whether ``text`` asks by a question word (什么, 多少, 吗 …), not by its mark alone (包括市级还是区级？)."""
    return _ASKS.search(text.lower()) is not None


def has(cue: str, text: str) -> bool:
    """Whether ``cue`` occurs in lower-cased ``text``; an English cue as whole words."""
    if GAP in cue:
        return _cue(cue).search(text) is not None
    return cue in text and (not _LATIN.search(cue) or _cue(cue).search(text) is not None)


def strip(cues: Iterable[str], text: str) -> str:
    """``text`` with every occurrence of ``cues`` blanked, overlapping ones too (资助多少 and 多少钱 in 资助多少钱);
    not the words a cue's "…" stands for (有没有房租减免 keeps 房租)."""
    blank = [False] * len(text)
    for cue in cues:
        if GAP in cue or cue in text:
            for found in _cue(cue).finditer(text):
                kept = found.span("gap") if GAP in cue else (found.end(), found.end())
                for at in (*range(found.start(), kept[0]), *range(kept[1], found.end())):
                    blank[at] = True
    return "".join(" " if gone else ch for ch, gone in zip(text, blank, strict=True))


@dataclass(frozen=True)
class Asked:
    text: str  # the question searched with, lower-cased
    terms: tuple[str, ...]  # what it is about, in order: content words without question forms or frame words
    typed: str = ""  # the question as typed (a refusal names "GDP", not "gdp")
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
    greeting: bool = False  # says hello, thanks or asks for help (a greeting when it asks nothing of the documents)
    mention: bool = False  # "文件提到X了吗"
    mentioned: tuple[str, ...] = ()  # every word of X, single characters included
    asking: str = ""  # the clauses that ask
    asks: bool = False  # whether any clause is put as a question (not 😀😀😀, nor a bare statement)
    refers: bool = False  # the asking clause points back to a thing named before it (这个方向, 这种班)
    pointed: tuple[str, ...] = ()  # the core words it points with (方向 of 这个方向): they name no thing of their own
    places: tuple[str, ...] = ()  # words tagged as place names (浦东, 台北市)
    quoted: tuple[str, ...] = ()  # numbers the question itself gives (2600家里面…): no answer to it
    relevance: bool = False  # "哪些措施和我有关"
    shapes: tuple[str, ...] = ()  # patterns of names asked in their shape, 几 for numerals (see ``shape``)
    # what stands before a word for a place's surroundings, in its clause (…新城附近: …新城): where, not what
    around: tuple[str, ...] = ()
    parts: bool = False  # it asks of the document's parts (分几个部分, 哪几大块)
    tags: dict[str, str] = field(default_factory=dict)  # each term's part of speech (jieba's: n noun, v verb …)


def read(question: str, lexicon: Lexicon, rules: Rules, frame: Iterable[str] = ()) -> Asked:
    """What ``question`` asks. ``frame`` are words every question about these documents may use without being
    about them: their area and year (静安区, 2025). The details asked and the deciding terms come from the clause
    that asks (the last one put as a question: …新增几家？我得报给领导。 asks in the first); the other clauses
    only say who asks and why (…大会？我们好提前准备材料。 asks no procedure)."""
    text = question.lower()
    cues = rules.cues
    clauses = [c for c in _CLAUSES.split(text) if c.strip()] or [text]
    marked = next((c for c in reversed(clauses) if _MARK.search(c)), clauses[-1])
    # the clauses put as questions (双创券怎么申请，去哪个窗口办？ asks twice); the last of them names the thing
    # (one with a question mark is put as a question whatever its words: 盘子有多大？ 能减免不？ 够不够格报名啊？)
    put = [c for c in clauses if _ASKS.search(strip(cues["few"], c)) or _MARK.search(c)]
    questions = put or [marked]
    last = questions[-1]
    asking = "".join(questions)
    # 哪几个 asks which ones and 第几个 which one, not how many; 这个数 points at a number, it asks no 个数
    counted = strip([*cues["which"], *rules.ask("ordinal").cues, *cues["few"], *cues["refer"]], asking)
    # 多少个亿 asks a sum, 几个百分点 and 涨几个点 a share: no count of 个
    counted = _POINTS.sub(r"\1百分点", _MEASURED.sub(r"\1", counted))
    mention = any(has(c, text) for c in cues["mention"])
    # "是不是超过 1100 家？": a figure to check (not one inside a quoted name: “科创12条”那个补贴还落实吗？)
    checks = bool(_FIGURE.search(QUOTED.sub("", asking)) and _YES_NO.search(asking))

    def asked_in(part: str, figures: str) -> tuple[str, ...]:
        """The kinds of detail asked in ``part`` of the question; a figure as asked in ``figures`` ("" for none)."""
        kinds = [
            a
            for a in rules.asks
            if (a.kind == "figure" and (checks or any(has(c, figures) for c in a.cues)))
            or (a.kind != "figure" and any(has(c, part) for c in a.cues))
            if not (mention and a.kind == "place") and not any(has(c, part) for c in a.unless)
        ]
        return tuple(a.kind for a in kinds if not (a.alone and len(kinds) > 1))

    details = asked_in(asking, counted)
    unit, classifier = "", ""
    if "figure" in details:
        unit = next((u.kind for u in rules.units if any(has(c, counted) for c in u.asked)), "")
        if unit == "count":
            classifier = next(c[-1] for c in rules.unit("count").asked if c in counted)
    intent = next((name for name in ("list", "who") if any(has(c, text) for c in cues[f"intent:{name}"])), "fact")
    question_forms = [
        *(c for a in rules.asks for c in a.cues),
        *(c for u in rules.units for c in u.asked if "figure" in details),  # 补贴 is a topic unless a sum is asked
        *cues["which"],
        *cues["mention"],
        *cues["relevance"],
        *cues["relevance:which"],
        *cues["greeting"],
        *cues["intent:list"],
        *cues["intent:who"],
        *rules.refuse["around"],
        *cues["parts"],
    ]
    classifiers = {cue[-1] for cue in rules.unit("count").asked}
    shapes = tuple(s for s in _SHAPE.findall(text) if s.count("几") > 1 or s[-1] not in classifiers)
    frame_words = {w.lower() for w in frame}
    # a shape is no topic word (几镇几谷 is not what the documents fail to mention), unless it is all the question
    # names (示例区有几个园？ asks of 园, not of the document)
    words, glossary, tags = _terms(strip([*question_forms, *shapes], text), lexicon, frame_words)
    if words and shapes:
        question_forms += shapes
    else:
        words, glossary, tags = _terms(strip(question_forms, text), lexicon, frame_words)
    asking_words = _terms(strip(question_forms, last), lexicon, frame_words)[0]
    acronyms = {a.lower() for a in _ACRONYM.findall(question)}

    def naming(word: str) -> bool:
        if word in glossary or _NUMBER.fullmatch(word):  # a number the question quotes locates what it is about
            return True
        if _PERIOD.fullmatch(word):  # a number in words naming a thing of its own: 十四五 (a plan's five years)
            return True
        if _LATIN.match(word):  # English has no tags here: only an acronym (GDP, KPI) surely names a thing
            return word in acronyms
        return mention or tags.get(word, "x").startswith(NAMING)

    core = tuple(w for w in asking_words if w in words and naming(w))
    # "which measures concern me" (我们是…，哪些跟我们有关？)
    concerns = any(has(c, text) for c in cues["relevance"]) or (
        any(has(c, text) for c in cues["which"]) and any(has(c, text) for c in cues["relevance:which"])
    )
    if not core and not details and not concerns:
        # an asking clause that names nothing asks a detail named before it (…的入库标准，要点里写清楚了没？)
        details = tuple(d for d in asked_in(text, "") if d != "figure")
    # "文件提到X了吗" asks about X whole: every word of the text naming it (数据交易所: 数据, 交易所)
    runs = _HAN_RUN.findall(strip(question_forms, last))
    named = max(runs, key=lambda run: (bool(core) and core[-1] in run, any(w in run for w in core)), default="")
    # (not the localiser of 在文件里: 里 and 中 say where in the documents, not what)
    mentioned = (
        tuple(w for w, flag in lexicon.parts_of_speech(named) if w not in lexicon.stopwords and flag != "f")
        if mention
        else ()
    )
    return Asked(
        text=text,
        typed=question,
        terms=words,
        core=core,
        context=tuple(w for w in words if w not in core and naming(w)),
        glossary=glossary,
        details=details,
        unit=unit,
        classifier=classifier,
        intent=intent,
        english=lexicon.is_english(question),
        greeting=any(has(c, text) for c in cues["greeting"]),
        mention=mention,
        mentioned=mentioned,
        relevance=not details and concerns,
        asking=asking,
        asks=bool(put),
        refers=any(has(c, asking) for c in cues["refer"]),
        pointed=tuple(w for w in core if any(has(c + w, asking) for c in cues["refer"])),
        shapes=tuple(shape(s) for s in shapes),
        around=_around(text, rules.refuse["around"]),
        parts=any(has(c, asking) for c in cues["parts"]),
        tags=tags,
        # a place name the question asks about (台北市): tagged so, and looking like one (not 云里雾里, 镇里)
        places=tuple(w for w in asking_words if tags.get(w) == "ns" and w[-1] in _PLACE_ENDS and len(w) > 1),
        # a figure the question gives to be checked is a candidate answer; one it gives otherwise is none
        quoted=() if checks else tuple(_FIGURE_NUMBER.findall(text)),
    )


def _around(text: str, near: Iterable[str]) -> tuple[str, ...]:
    """The stretch of its clause before each word for a place's surroundings (甲镇星河科技园附近: …甲镇星河科技园)."""
    return tuple(
        _CLAUSES.split(text[: m.start()])[-1].rstrip() for word in near for m in _cue(word).finditer(text) if m.start()
    )


def _terms(
    text: str, lexicon: Lexicon, frame: set[str]
) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]], dict[str, str]]:
    """Content words of ``text`` in order (glossary phrases whole), the glossary phrases with the documents'
    words for them, and each word's part of speech."""
    found, rest = lexicon.glossed(text)
    tags: dict[str, str] = {}
    # a one-character noun written onto a naming word is part of what it names (科学技术奖 is no 科学技术), which
    # the word alone would not say: the pair is kept whole
    cut = lexicon.parts_of_speech(rest.lower())
    joined = {
        a: a + b
        for (a, tag), (b, flag) in pairwise(cut)
        if len(a) > 1
        and tag.startswith(NAMING)
        and _HAN_ONE.fullmatch(b)
        and flag == "n"
        and b not in lexicon.stopwords
        and b not in _PLACE_ENDS + "镇"  # (…双创券省点钱: 省 saves; a place ending is the next word's)
    }
    for word, flag in lexicon.content(cut):
        word = joined.get(word, word)
        # a word with a number in it (超过1000, 2100家指) is that number: it locates the thing, or is the value asked
        number = _NUMBER.search(word)
        word = number.group() if number else word
        if word not in frame and not _YEAR.fullmatch(word):
            tags.setdefault(word, flag)
    ordered = sorted([*(phrase for phrase, _ in found), *tags], key=lambda t: _position(t, text))
    return tuple(dict.fromkeys(ordered)), {p: tuple(e) for p, e in found}, tags


def _position(term: str, text: str) -> int:
    at = text.find(term)
    return at if at >= 0 else len(text)


def shape(asked: str) -> str:
    """The pattern of a name asked in its shape: 几轴几镇几谷几区 finds 一轴一镇 两谷两区, 几个几 finds 4个100; the 个
    after 几 may be left out where the name has none (几个谷 finds 两谷)."""
    parts = []
    found = _SHAPE_PART.findall(asked)
    for at, part in enumerate(found):
        if part == "几个" and at + 1 < len(found) and not re.fullmatch(_NUMERAL + "|几个?", found[at + 1]):
            part = "几个?"
        if part.startswith("几"):
            parts.append(_NUMERAL + part[1:])
        elif re.fullmatch(_NUMERAL, part):
            parts.append(_NUMERAL)
        else:
            parts.append(re.escape(part))
    return r"\s*".join(parts)


_STOPS = re.compile(r"[，,。；;？?！!]")


def pair(question: str, lexicon: Lexicon, rules: Rules) -> tuple[str, str] | None:
    """The two questions in one that asks of two things joined by a word of its own (和, 与, 及): what follows the
    second thing is asked of each (技术合同成交额目标和生物医药总产出目标各是多少？ → 技术合同成交额目标各是多少？,
    生物医药总产出目标各是多少？). The second thing ends at its clause's end, at 的, or at a word saying both are
    asked (各, 分别, 相比); its clause asks, or the next one does, after a comma, starting with such a word
    (…增速目标，各是多少？). None when no two things are joined so."""
    figure = [c for a in rules.asks if a.kind in ("figure", "ordinal") for c in a.cues]
    both = rules.cues["pair"]
    lowered = question.lower()
    at = 0
    for word in lexicon.words(question):
        start, at = at, at + len(word)
        if word.lower() not in rules.cues["pair:joins"] or not question[:start].strip():
            continue
        rest = lowered[at:]
        stop = _STOPS.search(rest)
        clause_end = stop.start() if stop else len(rest)
        asked = [i for i in (rest.find(c) for c in (*figure, *both)) if i >= 0]
        if not asked:
            return None
        if min(asked) > clause_end:
            after = rest[clause_end + 1 :].lstrip()
            if rest[clause_end] not in "，," or not any(after.startswith(c) for c in both):
                return None
        ends = [i for i in (rest.find("的"), *(rest.find(c) for c in both)) if 0 <= i < clause_end]
        end = min([clause_end, *ends])
        first, second, tail = question[:start], question[at : at + end], question[at + end :]
        if len(second.strip()) < 2 or len(_STOPS.split(first)[-1].strip()) < 2:
            return None
        return first + tail, second + tail
    return None
