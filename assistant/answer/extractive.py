"""The extractive answerer, an LCEL step: the question and its evidence in, an :class:`Answer` out.

It decides three things from the evidence, in order: may the documents be asked this at all (``policy``), is
the asked thing in them (coverage), and is the asked detail stated (``select``). That gives one of four
outcomes: a full answer, a partial one (the thing is named, the detail is not given), a refusal that lists the
nearest sections as citations, or, for a greeting, a short introduction.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache, partial

from assistant.answer.asked import Asked, has, pair, read, worded
from assistant.answer.compose import Composer, cite, direct_line
from assistant.answer.header import DOCUMENT_DETAILS, card
from assistant.answer.policy import (
    Coverage,
    Refusal,
    View,
    coverage,
    in_scope,
    out_of_bounds,
    span,
    topic,
    unsaid,
)
from assistant.answer.profiles import concerns, matching
from assistant.answer.records import Answer, AnswerRequest, Citation
from assistant.answer.rules import Rules
from assistant.answer.select import Scored, Stated, clauses, joint, rank, stating
from assistant.corpus.numbering import section_candidates, without_section_references
from assistant.corpus.parsing import MASTHEAD_LABELS
from assistant.corpus.records import HEADER_ID, Corpus, Notice, Section, Sentence
from assistant.index.evidence import Evidence
from assistant.language.domain import Profile
from assistant.language.lexicon import SPECIFIC_IDF, Lexicon

_HAN = re.compile(r"[\u4e00-\u9fff]")
# a question put, up to its question mark (what follows the last one goes with it: …多少？我得报给领导。)
_QUESTION = re.compile(r".+?(?:[？?]+|$)(?:[^？?]*$)?")
# a quote joins the first when it is nearly as good a match (share of the best score)
CLOSE_SECOND = 0.75
# how long a stretch of a quoted sentence may be to name the asked thing in a partial answer
THING_SPAN = 20
PROCEDURAL = ("procedure", "conditions", "contact")


class ExtractiveAnswerer:
    """Turns an :class:`AnswerRequest` into an :class:`Answer`."""

    def __init__(
        self,
        corpus: Corpus,
        lexicon: Lexicon,
        rules: Rules | None = None,
        profiles: tuple[Profile, ...] | None = None,
    ) -> None:
        self.corpus = corpus
        self.lexicon = lexicon
        self.rules = rules or Rules.load()
        self.profiles = profiles if profiles is not None else lexicon.domain.profiles
        many = self.rules.messages_many_documents if len(corpus.documents) > 1 else {}
        self.messages = {**self.rules.messages, **many}
        only = next(iter(corpus.documents.values())) if len(corpus.documents) == 1 else None
        self.compose = Composer(self.messages, f"《{only.title}》" if only else "")
        self._views = lru_cache(maxsize=256)(self._make_view)

    def _make_view(self, doc_ids: tuple[str, ...]) -> View:
        return View(self.corpus.scoped(doc_ids), self.rules.policy.generic_share)

    def view(self, scope: list[str] | None, evidence: list[Evidence]) -> View:
        found = [e.doc for e in evidence]
        return self._views(tuple(dict.fromkeys(scope or found or self.corpus.documents)))

    def ask(self, query: str, view: View) -> Asked:
        return read(without_section_references(query), self.lexicon, self.rules, view.frame)

    def __call__(self, request: AnswerRequest) -> Answer:
        plan = self.plan(request)
        return plan if isinstance(plan, Answer) else plan()

    def plan(self, request: AnswerRequest) -> Answer | Callable[[], Answer]:
        """The answer when it is not a full one (a greeting, a refusal, a partial answer), else a function that
        writes the full answer: a generative answerer writes its own and needs this one only to fall back on.

        Questions asked one after another (高企目标多少？技术合同成交额目标又是多少？) that the whole does not answer
        in full are answered each on its own: in full when every one is."""
        whole = self._plan(request)
        if not isinstance(whole, Answer) or whole.outcome not in ("partial", "refused"):
            return whole
        view = self.view(list(request.scope), list(request.evidence))
        asked = self._questions(request.searched, view)
        if len(asked) < 2:
            return whole
        plans = [self._plan(replace(request, question=q, query=q)) for q in asked]
        if not all(callable(p) for p in plans):
            return whole
        english = self.ask(request.searched, view).english

        def write() -> Answer:
            answers = [p() for p in plans if callable(p)]
            return self.compose.joined(request.question, request.searched, answers, english)

        return write

    def _questions(self, query: str, view: View) -> list[str]:
        """The questions put one after another, each ending at its question mark, that name a thing of their own
        the documents use; one that names none, points back (这事儿跟谁弄的？) or asks by its mark alone
        (…多少家次？包括市级还是区级？) goes with the one before it."""
        asked: list[str] = []
        for text in (q for q in _QUESTION.findall(query) if q.strip()):
            one = self.ask(text, view)
            found = coverage(one, view, self.lexicon).found
            own = [t for t in one.core if t in found and t not in one.pointed]
            words = worded(text) or bool(one.details) or one.mention or one.relevance  # (多大, 有没有提 …)
            if asked and (one.refers or not own or not words):
                asked[-1] += text
            else:
                asked.append(text)
        return asked

    def _plan(self, request: AnswerRequest) -> Answer | Callable[[], Answer]:
        question, query, evidence = request.question, request.searched, list(request.evidence)
        view = self.view(list(request.scope), evidence)
        asked = self.ask(query, view)
        covered = coverage(asked, view, self.lexicon)
        said = self.ask(question, view) if query != question else asked  # 谢谢 after an answer is still thanks
        if said.english != asked.english:  # 那明年呢？ after an English question is answered in Chinese
            asked = replace(asked, english=said.english)
        # nothing asked of the documents, though a kind of document may be named (您好，能帮我查查政策吗？)
        if said.greeting and not self._naming(coverage(said, view, self.lexicon), view):
            examples = self.lexicon.domain.examples
            shown = [*examples.get("staff", []), *examples.get("enterprise", [])][:3]
            said_words = {c for c in self.rules.cues["greeting"] if has(c, said.text)}
            closing = bool(said_words) and said_words <= set(self.rules.cues["greeting:closing"])  # 谢谢, not 你好
            return self.compose.greeting(question, query, shown, closing=closing)
        lookup = bool(evidence) and all(e.found_by == "lookup" for e in evidence)
        if lookup and not self._specific(covered, view):
            return partial(self._overview, question, query, evidence)
        if (named := section_candidates(query)) and not lookup:  # 第三部分第四条 of a regulation that has none
            return self._refuse(question, query, asked, Refusal("no_section", {"section": named[0]}, False), [], view)
        if refusal := out_of_bounds(asked, view, self.rules):
            if refusal.message == "not_covered_year" and evidence and in_scope(asked, covered, self.rules, view):
                # 2024 年生物医药总产出: the thing is here, that year is not
                ranked = rank(asked, covered, evidence, view, self.corpus, self.rules)
                year = self.messages["other_year"].format(year=refusal.fields["year"])
                return self._partial(question, query, asked, covered, ranked, [year], view)
            return self._refuse(question, query, asked, refusal, evidence, view)
        # 哪些措施和我有关？ names no one: the profile chosen in 我的企业 says who asks (not the previous question)
        chosen = matching(self.profiles, request.profile) if request.profile else None
        own = coverage(said, view, self.lexicon) if chosen and said is not asked else covered
        if chosen and said.relevance and not self._specific(own, view) and not own.partly:
            listing = self._concerned(question, query, [chosen.name], chosen.terms, view, asked.english)
            who = Refusal("not_covered", {"topic": chosen.name})
            return listing or self._refuse(question, query, asked, who, evidence, view)
        whole = asked.asks and not asked.terms and not asked.details
        parts = self._of_parts(asked, covered, view)
        if (whole or parts) and len(view.documents) == 1 and self._parts(view.documents[0]):
            # no topic word is left once the question forms are out (这份文件主要讲了什么？): it asks of the whole
            return partial(self._outline, question, query, view.documents[0], asked.english, headings=parts)
        if self._about_document(asked, covered, evidence):
            return partial(self._document_card, question, query, evidence[0].doc, asked.english)
        if asked.relevance:
            # who asks (我是做跨境电商的…) is what concerns them: when the documents name none of it, nothing does;
            # unless the asking clause names what it asks of (我们是孵化器运营方，哪些跟孵化器有关？)
            # (by a word however common in Chinese (材料), but not one the documents say of nearly everything, nor a
            # kind of document: 有我们能用的政策吗)
            named = [t for t in self._naming(covered, view) if t in asked.core]
            who_asks = [t for t in asked.context if t in covered.found or t in covered.partly]
            if asked.context and not named and not who_asks:
                who = Refusal("not_covered", {"topic": span(list(asked.context), asked.text) or asked.context[0]})
                return self._refuse(question, query, asked, who, evidence, view)
            if listing := self._listing(question, query, asked, covered, view):
                return listing
        if not evidence or not (lookup or in_scope(asked, covered, self.rules, view)):
            return self._refuse(question, query, asked, Refusal("not_covered"), evidence, view)
        ranked = rank(asked, covered, evidence, view, self.corpus, self.rules)
        if asked.details:
            return self._detail(question, query, asked, covered, ranked, view, evidence)
        if thing := unsaid(asked, covered, ranked[0].evidence.text, self.lexicon):
            # 联影医疗的股价: the documents name the firm, never its share price
            return self._partial(question, query, asked, covered, ranked, [thing], view)
        return partial(self._extract, question, query, asked, covered, ranked)

    # -- decisions ---------------------------------------------------------------------------

    @staticmethod
    def _specific(covered: Coverage, view: View) -> list[str]:
        """The found topic words that say what a question is about (not 企业, 推动)."""
        return [t for t in covered.found if not all(view.generic(w) for w in covered.words(t))]

    def _naming(self, covered: Coverage, view: View) -> list[str]:
        """Those naming a thing asked of the documents: no kind of document (政策, 办法), which they all are."""
        return [t for t in self._specific(covered, view) if t not in self.rules.refuse["documents"]]

    def _about_document(self, asked: Asked, covered: Coverage, evidence: list[Evidence]) -> bool:
        """A question about the document itself (谁发的文, 哪天印发, 文号): it asks what a 文头 line is called
        (文号, 发文单位, 主送), or its 文头 is the best evidence for a detail a 文头 gives, and what it names, the
        文头 names too (发文, 机关, issued; not 区级科学技术奖 for 科学技术委员会)."""
        top = evidence[0] if evidence else None
        if top is None or not self.corpus.section(top.doc, HEADER_ID).sentences:
            return False
        # it points at the document (这份通知是哪天发布的？) and asks a detail its 文头 gives, of nothing else
        pointed = any(
            has(d + k, asked.text) for d in self.rules.cues["refer:document"] for k in self.rules.refuse["documents"]
        )
        details = set(asked.details)
        if pointed and details and details <= DOCUMENT_DETAILS - {"figure"} and not asked.core and not asked.context:
            return True
        text = self.corpus.section(top.doc, HEADER_ID).text.lower()

        def names_line(term: str) -> bool:  # what a 文头 line is called, as itself or in the glossary (发文字号)
            return any(label in word for word in (term, *asked.glossary.get(term, ())) for label, _ in MASTHEAD_LABELS)

        def in_header(term: str) -> bool:  # as itself, a glossary word (issued → 印发) or what a line is (文号)
            named = any(term in label for label, _ in MASTHEAD_LABELS)
            return named or names_line(term) or any(w.lower() in text for w in (term, *asked.glossary.get(term, ())))

        # it names a 文头 line (这份文件的文号是什么), and nothing the 文头 does not hold (not 双创券的截止日期)
        if any(names_line(t) for t in asked.core):
            return all(in_header(t) for t in asked.core)
        if top.section_id != HEADER_ID or not asked.details or set(asked.details) - DOCUMENT_DETAILS:
            return False
        if asked.core:
            return all(in_header(t) for t in asked.core)
        # naming nothing, it asks of the document (哪天发的？叫什么？); not when it asks a count (有几个镇？)
        return (not asked.terms and asked.details != ("figure",)) or any(in_header(t) for t in covered.found)

    def _of_parts(self, asked: Asked, covered: Coverage, view: View) -> bool:
        """Whether it asks how many or which parts the document has (一共分哪几大块？每块叫啥行动？): a word for its
        parts, or how many or which of a thing every part's title names (一共有几个行动？), and no thing named but
        what any part's title or any section says (行动, 工作)."""
        if asked.relevance or len(view.documents) != 1:  # 哪部分跟我们相关 asks what concerns us
            return False
        titles = [part.title.lower() for part in self._parts(view.documents[0])]
        counted = bool({"figure", "name"} & set(asked.details)) or asked.intent == "list"
        each = (
            counted
            and len(titles) > 1
            and any(
                t in covered.found and any(all(w.lower() in title for title in titles) for w in covered.words(t))
                for t in asked.core or asked.context
            )
        )
        return (asked.parts or each) and all(
            t in covered.found and all(view.generic(w) or w.lower() in "".join(titles) for w in covered.words(t))
            for t in asked.core or asked.context  # (naming nothing, it asks of what it names before: 做人工智能的…)
        )

    @staticmethod
    def _parts(notice: Notice) -> list[Section]:
        return [s for s in notice.sections.values() if s.level == 1]

    def _outline(self, question: str, query: str, notice: Notice, english: bool, headings: bool = False) -> Answer:
        """What the document is about: its parts, quoting the opening of its 总体要求 (or of its first item); asked
        of its parts (分几大块), quoting their headings."""
        parts = self._parts(notice)
        first_line = self.messages["document_outline"].format(title=f"《{notice.title}》")
        first_line += "".join(f"\n- {part.citation()}" for part in parts)
        found = [(part, notice.original.find(part.label)) for part in parts] if headings else []
        quoted = [Citation.of(notice, part, Sentence(part.label, at, at + len(part.label))) for part, at in found]
        header = notice.sections.get(HEADER_ID)
        titled = next((x for x in header.sentences if notice.title in x.text), None) if header else None
        if quoted and header and titled:  # the title the first line names, as the 文头 prints it
            quoted.insert(0, Citation.of(notice, header, titled))
        if not quoted or any(at < 0 for _, at in found):
            body = (s for s in notice.sections.values() if s.id != HEADER_ID)
            opening = next(s for s in body if any(x.is_evidence for x in s.sentences))
            quoted = [Citation.of(notice, opening, s) for s in opening.sentences if s.is_evidence][:2]
        return self.compose.full(question, query, first_line, quoted, english)

    def _document_card(self, question: str, query: str, doc: str, english: bool) -> Answer:
        notice = self.corpus.documents[doc]
        header = notice.sections[HEADER_ID]
        first_line = self.messages["document_card"] + "".join(f"\n- {line}" for line in card(header))
        first: dict[str, Sentence] = {}
        for sentence in header.sentences:  # an issuer printed above the title and above the date is cited once
            first.setdefault(sentence.text, sentence)
        citations = [Citation.of(notice, header, s) for s in first.values()]
        return self.compose.full(question, query, first_line, citations, english)

    def _refuse(
        self, question: str, query: str, asked: Asked, refusal: Refusal, evidence: list[Evidence], view: View
    ) -> Answer:
        named = refusal.fields.get("topic") or topic(asked, coverage(asked, view, self.lexicon))
        fields = {
            "area": next((d.area for d in view.documents if d.area), "本地区"),
            "year_own": next((d.year for d in view.documents if d.year), ""),
            "documents": self.compose.documents,
            **refusal.fields,
            "topic": f"“{named}”" if named else "该问题",
        }
        nearest: list[Citation] = []
        if refusal.nearest:
            sections = list(dict.fromkeys((e.doc, e.section_id) for e in evidence if e.is_evidence))
            for key in sections[: self.rules.compose["max_nearest"]]:
                nearest.append(cite(next(e for e in evidence if (e.doc, e.section_id) == key and e.is_evidence)))
        message = self.messages[refusal.message].format(**fields)
        return self.compose.refusal(question, query, message, nearest, english=asked.english)

    def _detail(
        self,
        question: str,
        query: str,
        asked: Asked,
        covered: Coverage,
        ranked: list[Scored],
        view: View,
        evidence: list[Evidence],
    ) -> Answer | Callable[[], Answer]:
        """A question asking for a figure, a date, a place …: answered only where a clause states it; one asking it
        of two things at once, where each is stated (see ``asked.pair``)."""
        stated = {
            kind: stating(asked, covered, ranked, view, self.corpus, self.rules, kind, self.lexicon)
            for kind in asked.details
        }
        found = [s for s in stated.values() if s]
        both = any(has(c, asked.asking) for c in self.rules.cues["pair"])
        if (both or len(found) < len(stated)) and (each := self._each(query, asked, evidence, view)):
            found = each
        elif (
            both and (figure := stated.get("figure")) and joint(figure.clause) and pair(query, self.lexicon, self.rules)
        ):
            # asked of each of two things (市级要几家、区级要几家？分别是多少), stated once of things listed together
            # (新增市、区级…20 家次): no figure of each
            names = [self._missing(asked, kind) for kind in stated]
            return self._partial(question, query, asked, covered, ranked, names, view)
        elif len(found) < len(stated):
            missing = [kind for kind, s in stated.items() if s is None]
            names = [self._missing(asked, kind) for kind in missing]
            procedure = any(kind in PROCEDURAL for kind in missing)
            return self._partial(question, query, asked, covered, ranked, names, view, procedure)

        def write() -> Answer:
            lines = [self._segment(s.scored.evidence.text, s.clause) for s in found]
            first_line = "".join(dict.fromkeys(line.rstrip("。；，") + "。" for line in lines))
            chosen = list(dict.fromkeys(s.scored for s in found))
            citations = [cite(s.evidence) for s in self._with_close_seconds(chosen, ranked)]
            return self.compose.full(question, query, first_line, citations, asked.english)

        return write

    def _each(self, query: str, asked: Asked, evidence: list[Evidence], view: View) -> list[Stated] | None:
        """The detail asked of two things at once, stated of each in its own clause; None unless both are."""
        parts = pair(query, self.lexicon, self.rules)
        if parts is None:
            return None
        found: list[Stated] = []
        for part in parts:
            one = self.ask(part, view)
            covered = coverage(one, view, self.lexicon)
            kinds = [kind for kind in one.details if kind in asked.details]
            if not kinds or not in_scope(one, covered, self.rules, view):
                return None
            ranked = rank(one, covered, evidence, view, self.corpus, self.rules)
            for kind in kinds:
                if (stated := stating(one, covered, ranked, view, self.corpus, self.rules, kind, self.lexicon)) is None:
                    return None
                found.append(stated)
        return found

    @staticmethod
    def _segment(sentence: str, clause: str) -> str:
        """The part of ``sentence`` between semicolons that holds ``clause``: enough to read it on its own."""
        for piece in sentence.rstrip("。").split("；"):
            if clause.rstrip("，；。：") in piece:
                return piece
        return clause

    def _partial(
        self,
        question: str,
        query: str,
        asked: Asked,
        covered: Coverage,
        ranked: list[Scored],
        names: list[str],
        view: View,
        procedure: bool = False,
    ) -> Answer:
        """What the documents say of the asked thing, and that they do not give ``names`` (具体数字, 2024的情况 …)."""
        naming = [s for s in ranked if s.evidence.is_evidence and s.about > 0]
        if not naming:  # nothing retrieved names the thing: it is not in the documents after all
            return self._refuse(question, query, asked, Refusal("not_covered"), [s.evidence for s in ranked], view)
        best = naming[0]
        quoted = [best, *(s for s in naming[1:2] if s.score >= CLOSE_SECOND * best.score)]
        words = [w for t in covered.found for w in covered.words(t) if w.lower() in best.evidence.text.lower()]
        # named by the sentence itself, else (a sub-topic or heading names it) as the question puts it
        thing = span(words, best.evidence.text, THING_SPAN) or "、".join(dict.fromkeys(words or covered.found))
        return self.compose.partial(
            question,
            query,
            thing,
            list(dict.fromkeys(names)),
            [cite(s.evidence) for s in quoted],
            english=asked.english,
            procedure=procedure,
        )

    def _missing(self, asked: Asked, kind: str) -> str:
        """How a partial answer names the detail it cannot give: 具体金额 for a sum, 具体日期 for a day …"""
        unit = self.rules.unit(asked.unit) if kind == "figure" and asked.unit else None
        return unit.missing if unit else self.rules.ask(kind).missing

    def _with_close_seconds(self, chosen: list[Scored], ranked: list[Scored]) -> list[Scored]:
        """``chosen`` and the sentences scoring nearly as well as the best, up to ``max_quotes``, no repeats."""
        best = chosen[0].score
        texts = {s.evidence.text for s in chosen}
        seconds = [s for s in ranked if s.score >= CLOSE_SECOND * best and s.evidence.text not in texts]
        return [*chosen, *seconds][: max(self.rules.compose["max_quotes"], len(chosen))]

    def _extract(self, question: str, query: str, asked: Asked, covered: Coverage, ranked: list[Scored]) -> Answer:
        best = ranked[0]
        focus = [w.lower() for t in covered.found for w in covered.words(t)]
        first_line = direct_line(best.evidence.text, focus, self.rules.evidence.get(asked.intent))
        if asked.mention:
            words = [w for w in focus if w in best.evidence.text.lower()]
            if thing := span(words, best.evidence.text, THING_SPAN):
                first_line = self.messages["mention_yes"].format(thing=f"“{thing}”") + first_line
        chosen = [best]
        if asked.intent == "list":  # "哪几个": every sentence naming the thing as fully as the best one does
            chosen += [s for s in ranked[1:] if s.evidence.is_evidence and s.about >= best.about > 0]
        if not asked.mention and self._titled(best.evidence, covered):
            # a short item whose title names the thing (…校外培训机构要怎么监管？ of 着力抓好科技类校外培训机构管理)
            # answers it whole: each of its sentences says one part of what is done about it
            chosen += [
                s
                for s in ranked
                if s not in chosen
                and s.evidence.is_evidence
                and s.evidence.section_id == best.evidence.section_id
                and s.evidence.doc == best.evidence.doc
            ]
        citations = [cite(s.evidence) for s in self._with_close_seconds(chosen, ranked)]
        if spelled := self._spelled_out(best.evidence):
            # a headline (合力做优示例大学科创生态圈。) says what is done only in the sentence after it
            first_line += spelled.quote
            if all(c.start != spelled.start for c in citations):
                citations.insert(1, spelled)
        return self.compose.full(question, query, first_line, citations, asked.english)

    def _spelled_out(self, evidence: Evidence) -> Citation | None:
        """The sentence spelling out a headline: one short clause (协力做强乙大成果转化平台。) followed
        in its paragraph by a longer sentence."""
        if len(clauses(evidence.text)) > 1 or len(evidence.text) > THING_SPAN:
            return None
        notice = self.corpus.documents[evidence.doc]
        section = notice.sections[evidence.section_id]
        after = [x for x in section.sentences if x.start >= evidence.chunk.end and x.is_evidence]
        if not after or "\n" in notice.original[evidence.chunk.end : after[0].start]:
            return None
        return Citation.of(notice, section, after[0]) if len(after[0].text) > len(evidence.text) else None

    def _titled(self, evidence: Evidence, covered: Coverage) -> bool:
        """Whether ``evidence`` stands in an item of at most ``max_quotes`` sentences whose title names the asked
        thing by a rare word of the question's deciding ones."""
        section = self.corpus.section(evidence.doc, evidence.section_id)
        title = section.title.lower()
        rare = [t for t in covered.deciding if t in covered.found and covered.weights.get(t, 0.0) >= SPECIFIC_IDF]
        short = 1 < len(section.sentences) <= self.rules.compose["max_quotes"]
        return short and any(w.lower() in title for t in rare for w in covered.words(t))

    # -- sections and listings ---------------------------------------------------------------

    def _overview(self, question: str, query: str, evidence: list[Evidence]) -> Answer:
        """A question naming a section (第三部分第四条): its text, or a part's items."""
        quoted = [e for e in evidence if e.is_evidence]
        documents = list(dict.fromkeys(e.doc for e in evidence))
        if len(documents) > 1:  # "第三条" of which document? Show where it is, and how to choose
            first_line = self.messages["ambiguous_section"]
            per_document = [next(e for e in quoted if e.doc == doc) for doc in documents]
            return self.compose.full(question, query, first_line, [cite(e) for e in per_document], False)
        notice = self.corpus.documents[documents[0]]
        named = [notice.sections[s] for s in dict.fromkeys(e.section_id for e in evidence)]
        parts = {s.part for s in named}
        if len(parts) == 1 and (whole := notice.sections[next(iter(parts))]).children and len(named) > 1:
            first_line = self.messages["part_overview"].format(label=f"〔{whole.citation()}〕")
            first_line += "".join(f"\n- {notice.sections[c].citation()}" for c in whole.children)
            citations = [cite(next(e for e in quoted if e.section_id == s.id)) for s in named]
        else:
            citations = [cite(e) for e in quoted]
            first_line = self.messages["section_overview"].format(
                label=f"〔{named[0].citation()}〕",
                first=quoted[0].text if quoted else "",
            )
        return self.compose.full(question, query, first_line, citations, False)

    def _listing(
        self, question: str, query: str, asked: Asked, covered: Coverage, view: View
    ) -> Callable[[], Answer] | None:
        """ "Which measures concern me": every section naming the asked terms, found as 我的企业 finds them (a term
        that names a profile is looked for by the profile's words)."""
        # a word the documents do not use but whose parts they do (汽车电池 → 汽车) is looked for by those parts
        partly = {t: tuple(w for w in ws if not view.generic(w)) for t, ws in covered.partly.items()}
        partly = {t: ws for t, ws in partly.items() if ws}
        candidates = [*self._specific(covered, view), *partly]
        asking = [t for t in candidates if t in asked.core] or candidates
        if not asking:
            return None
        names: list[str] = []
        words: list[str] = []
        for term in asking:
            found = covered.words(term) or partly[term]
            if profile := matching(self.profiles, term):
                names.append(profile.name)
                words += profile.terms
                continue
            # each of the documents' words for it, as the profile it names if any (芯片: 集成电路 …; 初创: 创业,
            # 双创, and 孵化器 as the 孵化器/科技园区 profile)
            each = [(w, matching(self.profiles, w)) for w in found]
            names += dict.fromkeys(p.name if p else w for w, p in each)
            words += [t for w, p in each for t in (p.terms if p else (w,))]
        # 汽车电池 → 汽车: say so (a word the documents do not use, written onto one the listing looks for)
        text = asked.text
        unnamed = [*partly, *(m for m in covered.missing if any(t + m in text or m + t in text for t in asking))]
        instead = ""
        if unnamed:
            named = [*unnamed, *(t for t in asking if any(t + m in text or m + t in text for m in unnamed))]
            instead = self.messages["listing_instead"].format(asked=span(named, text) or "、".join(unnamed))
        return self._concerned(question, query, names, tuple(words), view, asked.english, instead)

    def _concerned(
        self,
        question: str,
        query: str,
        names: list[str],
        words: tuple[str, ...],
        view: View,
        english: bool,
        instead: str = "",
    ) -> Callable[[], Answer] | None:
        """Every section of the documents in view naming ``words``, as 我的企业 lists them; None if none does."""
        terms = tuple(dict.fromkeys(words))
        concerned = [c for notice in view.documents for c in concerns(notice, terms)]
        if not concerned:
            return None
        first_line = instead + self.messages["listing"].format(
            term="、".join(dict.fromkeys(names)), terms="、".join(f"“{t}”" for t in terms)
        )
        first_line += "".join(f"\n- {c.citation.label}" for c in concerned)
        per_section = self.rules.compose["quotes_per_section"]
        citations = [quote for c in concerned for quote in c.quotes[:per_section]]
        return partial(self.compose.full, question, query, first_line, citations, english)
