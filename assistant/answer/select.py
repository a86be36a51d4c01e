"""Evidence selection: which retrieved sentences are about the asked thing, and which of their clauses state the
asked detail (a figure in the same clause as the asked quantity, a date or place attached to it)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.asked import NAMING, Asked, has
from assistant.answer.policy import Coverage, View
from assistant.answer.rules import Rules
from assistant.corpus.records import Corpus
from assistant.index.evidence import Evidence
from assistant.language.lexicon import SPECIFIC_IDF, Lexicon

_CLAUSE = re.compile(r"(?<=[，；。：;,])")
_STOPS = "，；。：,;:"  # what ends a clause, and so a list in it
_YEAR = re.compile(r"(?:19|20)\d\d")
_TITLE = re.compile(r"《[^》]*》")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
# a sentence that is only a date or only a body's name: a document's date line or issuer line, which speaks for
# whatever its section (the 文头) is about
_LINE = re.compile(r"[\d\s年月日]+|[\u4e00-\u9fff]{2,24}")
# how much a sentence gains for writing the question's words as it writes them (高企), over one found only
# through the glossary (高新技术企业): fitted on dev (0.25 fixed 4 items, 0.5 and 1.0 fixed 5, none broke; docs/eval)
LITERAL = 0.5
# how much more a sentence naming the asking clause's words counts than one naming only the others' (we are a
# company doing 检测服务, 营收 grows…, will the district help us 升规?): fitted on dev, where 0.2 and 0.3 score alike,
# 0.1 fixes fewer and 0.5 breaks five (docs/eval)
ASKING = 0.2


@dataclass(frozen=True)
class Scored:
    evidence: Evidence
    about: float  # IDF-weighted share of the question's topic words in the sentence, its heading and sub-topic
    score: float  # about + what the intent looks for + retrieval rank


def clauses(sentence: str) -> list[str]:
    return [c for c in _CLAUSE.split(sentence) if c.strip()]


def about(text: str, covered: Coverage, view: View, *, count_missing: bool, only: tuple[str, ...] = ()) -> float:
    """Share of the question's topic (its specific words, by weight) that ``text`` carries; of the terms ``only``
    names, when it names any the documents use. With ``count_missing`` the words the documents never use count
    against it: a figure for 专精特新企业 is no figure for 企业."""
    terms = [t for t in covered.found if not all(view.generic(w) for w in covered.words(t))]
    if only:
        terms = [t for t in terms if t in only] or terms
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
    as_written = _as_written(covered)
    scored = []
    for position, item in enumerate(evidence):
        context = _context(item, corpus)
        share = about(context, covered, view, count_missing=False)
        written = about(context, as_written, view, count_missing=False)
        bonus = 1.0 if pattern and pattern.search(item.text) else 0.0
        bonus += LITERAL * written
        # (not by the words it points back with: 这个赛道 names no thing; 帮我们这种企业升规 names 升规)
        if own := tuple(w for w in asked.core if w not in asked.pointed):
            bonus += ASKING * about(context, covered, view, count_missing=False, only=own)
        heading = 0.0 if item.is_evidence else -1.0
        scored.append(Scored(item, share, share + bonus + heading + 0.5 / (1 + position)))
    return sorted(scored, key=lambda s: -s.score)


def _as_written(covered: Coverage) -> Coverage:
    """``covered`` with each topic word found only as the question writes it (高企, not the glossary's 高新技术企业)."""
    return Coverage({t: (t,) for t in covered.found}, covered.missing, covered.share, covered.weights)


def _context(item: Evidence, corpus: Corpus) -> str:
    """A sentence is about its item's title and sub-topic too ("建立统筹推进制度" under 做优张江园区建设)."""
    section = corpus.section(item.doc, item.section_id)
    return f"{section.title} {item.chunk.topic} {item.text}"


@dataclass(frozen=True)
class Stated:
    scored: Scored
    clause: str  # the clause stating the detail, verbatim


def stating(
    asked: Asked,
    covered: Coverage,
    ranked: list[Scored],
    view: View,
    corpus: Corpus,
    rules: Rules,
    kind: str,
    lexicon: Lexicon,
) -> Stated | None:
    """The best clause that states detail ``kind`` about the asked thing, or None.

    A figure or ordinal must stand beside the thing (in its clause, and in its part of a list: the 第 26 届 of
    "承办“ICCC 2025”、第 26 届电子封装技术国际会议" is not ICCC's), in the unit asked for, in a sentence that names
    every specific word the question asks with (市级 科技小巨人 is not the 市、区级 count), and is no number the
    question gives itself; a name must itself name the thing (《…生物医药…政策》); a place must be a named place
    other than the thing; a year the question names itself answers no "when". Any detail must stand in a sentence
    about the thing (with its heading), or, for a sentence that is only a date (a document's date line), in a
    section about it.
    """
    if kind == "figure" and asked.shapes:
        shaped = _shaped(asked, covered, ranked, view, corpus, rules)
        if shaped:
            return shaped
    states = rules.ask(kind).states
    unit = rules.unit(asked.unit) if kind == "figure" and asked.unit else None
    words = [w.lower() for t in covered.found for w in covered.words(t)]
    head = _name_of(asked, rules, lexicon, covered) if kind == "name" else ()
    own_years = set(_YEAR.findall(asked.text))
    figure = kind in ("figure", "ordinal")
    whole = any(w in asked.text for w in view.wholes)  # 全区…工业总产值目标: not one of 生物医药产业
    # the asking clause's rare words (市级, 培育库, 张江园区): a figure is theirs only where they all stand
    specific = [t for t in asked.core if t in covered.found and covered.weights.get(t, 0.0) >= SPECIFIC_IDF]
    own = asked.core if specific else ()
    # every clause that states it, with how much of the thing it (a figure) or its sentence names; the best wins,
    # the better ranked sentence on a tie: 20 家次 of 科技小巨人 over 1100 家 of a clause naming only 认定
    found: list[tuple[float, int, Stated]] = []
    listed: list[tuple[float, int, Stated]] = []  # clauses listing the things a count asks of: when none counts
    for rank_at, scored in enumerate(ranked):
        item = scored.evidence
        if not item.is_evidence:
            continue
        context = _context(item, corpus)
        line = not figure and bool(_LINE.fullmatch(item.text.rstrip("。")) and states.search(item.text))
        if line:  # a date or issuer line
            section = corpus.section(item.doc, item.section_id)
            context = f"{section.title} {section.text}"
        # about the thing: by all its words, or by the asking clause's alone when they name it by a rare word
        # (营收一亿元，…今年高企认定目标多少？: the earlier clauses say who asks; but 科技服务业方面，企业数量目标…
        # names the thing before: 企业 and 数量 alone would take any count of 企业). A word the documents never use
        # counts against a figure (专精特新企业 is no 企业) but not against a measure (那些…玩意儿有没有在扶持)
        share = max(about(context, covered, view, count_missing=figure, only=only) for only in ((), own))
        if share < rules.policy.figure_coverage:
            continue
        lowered = context.lower()
        # (a name holds or precedes the thing's own word, which says whose it is: 市级…清单叫啥 of 市“4个100”和区
        # “百项重点”清单, where 市级 is written 市)
        # (a name holds or precedes the thing's own word, which says whose it is: 市级…清单叫啥 of 市“4个100”和区
        # “百项重点”清单, where 市级 is written 市)
        if kind != "name" and not all(any(w.lower() in lowered for w in covered.words(t)) for t in specific):
            continue
        parts = clauses(item.text)
        naming = [c for c in parts if about(c, covered, view, count_missing=False)]
        naming_at = [parts.index(c) for c in naming]
        for clause in parts:
            text = _when(clause, own_years) if kind in ("time", "date") else clause
            matches = [m for m in states.finditer(text) if not (figure and _quoted(m.group(), asked))]
            if figure and naming:  # beside the thing: in a clause naming it, in the part of a list naming it
                # where the thing may be named: the sub-topic, and the clauses from the last ； up to this one
                # (新认定的区级科普基地，给予一次性资助 20 万元; not a 科技小巨人 named after the ；)
                at = parts.index(clause)
                start = max((i + 1 for i in range(at) if parts[i].rstrip().endswith("；")), default=0)
                near = item.chunk.topic + "".join(parts[start : at + 1])
                matches = [m for m in matches if _beside(clause, m.start(), specific, covered, view, near)]
            if unit:
                matches = [m for m in matches if _in_unit(clause[m.start() :], unit.stated, asked, rules)]
            if kind == "figure":
                # the words since the number before it say what this one counts
                matches = [m for m in matches if _same_aspect(_DIGITS.split(clause[: m.start()])[-1], asked, rules)]
                # a figure given for a part (its list item or sub-topic names a rare thing the question does not)
                # answers no question of the whole area (全区…); one under a sub-topic (生物医药产业方面。…规上工业
                # 总产值目标180亿元) none naming a thing its sentence does not (汽车产业的产值目标)
                if whole or (item.chunk.topic and _lacks(context, covered, view)):
                    parts_of = [item.chunk.topic + (_item(clause, m.start()) if whole else "") for m in matches]
                    matches = [
                        m
                        for m, text in zip(matches, parts_of, strict=True)
                        if not _of_a_part(text, covered, view, lexicon)
                    ]
            if not matches:
                counted = asked.classifier not in unit.occurrences if unit else False
                if counted and unit and unit.listed and _lists(clause, asked, covered, view, unit.listed):
                    quoted = clause
                elif counted and _parallel(item.text, clause, covered):
                    quoted = item.text  # parts opening alike are quoted whole: each names one of the things counted
                else:
                    continue
                listed.append((about(clause, covered, view, count_missing=False), -rank_at, Stated(scored, quoted)))
                continue
            # a time stands in a clause naming the thing, or leads into one (到 2025 年底，力争认定…)
            if kind in ("time", "date") and not line and not ({clause, _next(parts, clause)} & set(naming)):
                continue
            # particulars are listed in a clause naming the thing by any of its words (服务君赛科技、瑞凝等企业), not
            # only as one member of a list of something else
            if kind == "specifics" and not any(
                not _member(clause.lower(), m.start()) for w in words for m in re.finditer(re.escape(w), clause.lower())
            ):
                continue
            # a 、 lists the thing's particulars when the thing leads into it or ends it (see _lists_of), not when it
            # lists who acts (会同区财政局、科投集团研究…细则) or what else is done (编制中长期规划、强化政策宣传)
            if kind == "specifics":
                matches = [m for m in matches if m.group() != "、" or _lists_of(clause.lower(), m.start(), words)]
                if not matches:
                    continue
            # a body names the thing's owner in the clause naming the thing or one carrying it on (实施…计划，加大与
            # …中心合作力度), not in one before it (…已经区科委…研究通过，现印发给你们), unless that one says it acts
            # with it (会同科投集团等单位，支持建立…基金)
            before = naming and parts.index(clause) < naming_at[0]
            leads = rules.ask(kind).leads
            if kind == "who" and before and not (leads and leads.match(clause.lstrip())):
                continue
            # nor past a ； after it, where another thing begins (共建…转移转化中心；以大学科技园…为契机)
            if kind == "who" and naming and past_semicolon(parts, naming_at, parts.index(clause)):
                continue
            found_text = [m.group() for m in matches]
            if kind == "name" and not any(_names(clause, m, words, head) for m in matches):
                continue
            # (nor is the asked thing's own name: …共建自主智能系统转移转化中心 of 转移转化中心由哪个部门负责)
            if kind in ("place", "who") and all(any(m.lower().endswith(w) for w in words) for m in found_text):
                continue
            if kind == "place" and not any(_named_place(m, lexicon) for m in found_text):  # not 相关街镇建设专业园区
                continue
            exact = about(clause, covered, view, count_missing=False) if kind in ("figure", "ordinal") else share
            found.append((exact, -rank_at, Stated(scored, clause)))
    best = found or listed
    return max(best, key=lambda f: (f[0], f[1]))[2] if best else None


def _shaped(
    asked: Asked, covered: Coverage, ranked: list[Scored], view: View, corpus: Corpus, rules: Rules
) -> Stated | None:
    """The clause where a name asked in its shape stands written out (几轴几镇几谷几区: 一轴一镇 两谷两区), in a
    sentence about the asked thing."""
    for scored in ranked:
        item = scored.evidence
        if not item.is_evidence:
            continue
        if about(_context(item, corpus), covered, view, count_missing=True) < rules.policy.figure_coverage:
            continue
        for clause in clauses(item.text):
            if any(re.search(pattern, clause) for pattern in asked.shapes):
                return Stated(scored, clause)
    return None


def _name_of(asked: Asked, rules: Rules, lexicon: Lexicon, covered: Coverage) -> tuple[str, ...]:
    """The words of the thing a name is asked of: the word right before the name cue (…区级清单分别叫啥: 清单),
    else the asking clause's last naming word."""
    cues = rules.ask("name").cues
    at = min((i for i in (asked.asking.find(c) for c in cues) if i >= 0), default=-1)
    quiet = {*lexicon.stopwords, *rules.cues["pair"]}
    before = [w for w in lexicon.words(asked.asking[:at]) if len(w) > 1 and w not in quiet] if at > 0 else []
    if before:
        return (before[-1], *covered.words(before[-1]))
    return tuple(w.lower() for w in covered.words(asked.core[-1])) if asked.core else ()


_AFTER = re.compile(r"[^，；。、“《,;]{0,6}")


def _names(clause: str, name: re.Match[str], words: list[str], head: tuple[str, ...]) -> bool:
    """Whether ``name`` names the asked thing: holds a word of it (《…生物医药…政策》), or stands right before the
    word the question asks the name of (“创享嘉”创新创业大赛 for 那个比赛叫啥)."""
    after = _AFTER.match(clause, name.end())
    return any(w in name.group().lower() for w in words) or bool(
        after and any(w in after.group().lower() for w in head)
    )


# parts of speech of a place's own name: place, person (安亭镇 is tagged so), organisation and other proper names,
# and the documents' own terms (untagged: x)
_PROPER = ("ns", "nr", "nt", "nz", "x")


def _named_place(place: str, lexicon: Lexicon) -> bool:
    """Whether ``place`` carries a proper name (同济科技园, 安亭镇壹号湾科技园), not only common words."""
    return any(flag.startswith(_PROPER) for _, flag in lexicon.tagged(place))


def _beside(clause: str, at: int, specific: list[str], covered: Coverage, view: View, near: str = "") -> bool:
    """Whether the figure at ``at`` stands beside the thing: its clause names the thing; every rare word of the
    question stands ``near`` it (its sub-topic, 科技服务业方面。…营收增长目标15%, and the clauses leading to it since
    the last ；), not only elsewhere in its sentence (全区有效期高新技术企业超 2600 家 is no count of the 科技小巨人
    named after it);
    and in a 、-list the figure's own part names one (规上工业总产值目标180亿元 for 生物医药规上工业总产值; not
    第 26 届电子封装技术国际会议 for ICCC)."""
    near = (near or clause).lower()
    if not all(any(w.lower() in near for w in covered.words(t)) for t in specific):
        return False
    if "、" not in clause or not specific:
        # with every rare word near, the figure's clause may name the thing by a common word alone (生物医药…，
        # 常态化跟踪…区“百项重点”清单 counts 生物医药重点清单)
        named = specific and any(w.lower() in clause.lower() for t in covered.found for w in covered.words(t))
        return bool(named) or about(clause, covered, view, count_missing=False) > 0
    lowered = _item(clause, at).lower()
    return any(w.lower() in lowered for t in specific for w in covered.words(t))


def _lacks(text: str, covered: Coverage, view: View) -> bool:
    """Whether ``text`` lacks a thing the question names (a found deciding word that is no generic one)."""
    lowered = text.lower()
    named = [t for t in covered.deciding if t in covered.found and not all(view.generic(w) for w in covered.words(t))]
    return any(not any(w.lower() in lowered for w in covered.words(t)) for t in named)


def _of_a_part(text: str, covered: Coverage, view: View, lexicon: Lexicon) -> bool:
    """Whether ``text`` (a figure's part of its clause, and its sub-topic) gives it for a part the question does not
    name: a rare naming word of it that the question's words are not (生物医药 of 生物医药产业方面。…规上工业总产值
    目标180亿元, for a 全区 figure)."""
    asked = {w.lower() for t in covered.found for w in covered.words(t)}
    return any(
        flag.startswith(NAMING)
        and lexicon.specific(word)
        and not view.generic(word)
        and word not in view.frame
        and not any(word in a or a in word for a in asked)
        for word, flag in lexicon.tagged(text)
    )


def _lists(clause: str, asked: Asked, covered: Coverage, view: View, listed: re.Pattern[str]) -> bool:
    """Whether ``clause`` lists the things a count asks of: a list closes right before the counted thing, the
    last word naming a thing in the asking clause (else in the question: 共享平台，文件里一共点了几个？)."""
    naming = asked.core or asked.context
    head = naming[-1] if naming else ""
    # a list one of whose members the question names by a specific word counts no part of that member (科技节办多少场
    # 活动 is not answered by 办好科技节和全国科普日等重大科普活动)
    named = (w.lower() for t in (*asked.core, *asked.context) if t != head for w in covered.words(t))
    members = [w for w in named if not view.generic(w)]
    lowered = clause.lower()
    # a thing the documents name only by its parts (科普活动: 科普, 活动) is listed by none of their lists: 等科普人才
    # 队伍 lists no 科普活动
    found = covered.words(head)
    by_parts = head not in found and all(w in head for w in found)
    for word in () if by_parts else found:
        for at in re.finditer(re.escape(word), lowered):
            before = lowered[: at.start()]
            # the members: from the last stop (the first member stands before the first 、 or 和) to the closing 等
            run = re.split(f"[{_STOPS}]", before)[-1].rsplit("等", 1)[0]
            if listed.search(before) and not any(m in run for m in members):
                return True
    return False


def _parallel(sentence: str, clause: str, covered: Coverage) -> bool:
    """Whether ``clause`` opens one of the parts of ``sentence`` (between ；) that each open with the same word of the
    question, the things counted following it (聚焦未来智能产业…；聚焦未来能源产业…: 聚焦了几个方向)."""
    words = [w.lower() for t in covered.found for w in covered.words(t)]
    opening = next((w for w in words if clause.lower().lstrip().startswith(w)), "")
    parts = [p.lower().lstrip() for p in sentence.split("；")]
    return bool(opening) and sum(p.startswith(opening) for p in parts) >= 2


def _same_aspect(before: str, asked: Asked, rules: Rules) -> bool:
    """Whether a number, by the words before it, counts what was asked: all there is (存量), or new ones (新增)."""
    aspects = rules.aspects
    total = any(has(c, asked.text) for c in aspects["total_asked"])
    new = any(has(c, asked.text) for c in aspects["new_asked"])
    if total and not new:
        return not aspects["new_stated"].search(before)
    if new and not total:
        return not aspects["total_stated"].search(before)
    return True  # both asked (新认定目标和有效期总量), or neither


def joint(clause: str) -> bool:
    """Whether ``clause`` gives one number after a 、-list: one figure of the things listed together (新增市、区级…
    20 家次), of none of them alone."""
    numbers = list(_DIGITS.finditer(clause))
    return len(numbers) == 1 and "、" in clause[: numbers[0].start()]


def past_semicolon(parts: list[str], naming: list[int], at: int) -> bool:
    """Whether clause ``at`` comes after a ； that closes a clause from the last ``naming`` one before it on."""
    last = max((i for i in naming if i <= at), default=at)
    return any(parts[i].rstrip().endswith("；") for i in range(last, at))


def _member(clause: str, at: int) -> bool:
    """Whether position ``at`` stands in a member of a list of three or more (…、科普基地、…等), not in the thing
    listed (…等企业) nor in a pair (乙大、示例产业创新联动机制)."""
    if "等" in clause[max(clause.rfind("、", 0, at), 0) : at]:
        return False
    run = re.split(f"[{_STOPS}]", clause[:at])[-1] + re.split(f"[{_STOPS}等]", clause[at:])[0]
    return run.count("、") >= 2


_AFTER_DENG = 6  # characters between 等 and the thing's word a list ends in (等重点科技园区)


def _lists_of(clause: str, at: int, words: list[str]) -> bool:
    """Whether the 、-list holding position ``at`` lists what one of ``words`` names: the word leads into its first
    member (聚焦汽车、集成电路…), or it ends in 等 and the word (…、乙镇云帆科技园等重点园区)."""
    start = max(clause.rfind(c, 0, at) for c in _STOPS) + 1
    first = clause[start : clause.find("、", start)]
    if any(first.startswith(w) and len(first) > len(w) for w in words):
        return True
    stretch = re.split(f"[{_STOPS}]", clause[at:])[0]
    end = stretch.find("等")
    return end >= 0 and any(w in stretch[end : end + _AFTER_DENG + len(w)] for w in words)


def _item(clause: str, at: int) -> str:
    """The part of a 、-list in ``clause`` that holds position ``at``."""
    start = clause.rfind("、", 0, at) + 1
    end = clause.find("、", at)
    return clause[start : end if end >= 0 else len(clause)]


def _quoted(figure: str, asked: Asked) -> bool:
    """Whether a stated figure is one the question gives itself (2600家里面…, 第八届博览会的…): no answer to it."""
    return any(number in figure for number in asked.quoted)


def _next(parts: list[str], clause: str) -> str:
    at = parts.index(clause)
    return parts[at + 1] if at + 1 < len(parts) else ""


def _when(clause: str, own_years: set[str]) -> str:
    """``clause`` as a statement of time: titles (《2025年…要点》) and the years the question names itself taken out."""
    clause = _TITLE.sub(" ", clause)
    return _YEAR.sub(lambda m: " " if m.group() in own_years else m.group(), clause)


def _in_unit(text: str, stated: re.Pattern[str], asked: Asked, rules: Rules) -> bool:
    """Whether the number ``text`` starts with is stated in the unit asked (280 亿元 for 多少钱, 20 家次 for 几家)."""
    found = stated.match(text)
    if asked.unit != "count":
        return found is not None
    if found is None:
        return False
    stated_as = found.group("classifier")
    family = rules.classifiers.get(asked.classifier, asked.classifier)
    # 三地 counts places: it answers 几个地方, whose counted word it begins, not 多少个科普基地
    own_word = stated_as != asked.classifier and stated_as in rules.unit("count").nouns
    return stated_as in family and not (own_word and asked.classifier + stated_as not in asked.text)
