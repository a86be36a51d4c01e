"""Suggested follow-ups without a model: the rest of the quoted section, then the items beside it; after a refusal
the nearest sections; each asked by the section's own number, naming the document when there are several."""

from assistant.answer import Rules
from assistant.answer.followups import follow_ups
from assistant.answer.records import Answer, Citation
from assistant.corpus import parsing
from assistant.corpus.records import Corpus

from .test_policy import META, OTHER

MESSAGES = Rules.load().messages


def _answer(notice, outcome, *cited):
    """An answer quoting the first evidence sentence of each cited section."""
    citations = []
    for section_id in cited:
        section = notice.sections[section_id]
        sentence = next(s for s in section.sentences if s.is_evidence)
        citations.append(Citation.of(notice, section, sentence))
    return Answer("问", "答", outcome == "full", citations, outcome=outcome)


def test_an_answer_quoting_part_of_a_section_offers_the_rest_then_its_neighbours(documents, notice):
    offered = follow_ups(_answer(notice, "full", "二（三）"), documents, MESSAGES)
    assert [f.label for f in offered] == [
        "读全文：二、（三）以服务加快创新主体培育",
        "下一条：二、（四）以联动优化全域协同创新格局",
        "上一条：二、（二）以平台降低创新主体成本",
    ]
    assert [f.question for f in offered] == ["二（三）讲了什么？", "二（四）讲了什么？", "二（二）讲了什么？"]


def test_the_last_item_of_a_part_is_followed_by_the_next_parts_first(documents, notice):
    offered = follow_ups(_answer(notice, "partial", "一（四）"), documents, MESSAGES)
    assert [f.question for f in offered][1:] == ["二（一）讲了什么？", "一（三）讲了什么？"]


def test_a_refusal_offers_its_nearest_sections_and_a_greeting_nothing(documents, notice):
    offered = follow_ups(_answer(notice, "refused", "三（二）", "二（三）", "总体要求"), documents, MESSAGES)
    assert [f.question for f in offered] == ["三（二）讲了什么？", "二（三）讲了什么？"]  # 总体要求 has no number
    assert offered[0].label == "相关条目：三、（二）做实创新主体地位"
    assert follow_ups(Answer("你好", "您好", False, outcome="greeting"), documents, MESSAGES) == []
    assert follow_ups(_answer(notice, "error"), documents, MESSAGES) == []


def test_with_several_documents_a_follow_up_names_its_document(documents, notice):
    two = Corpus.of(notice, parsing.parse(OTHER, META, "shili-2026"))
    offered = follow_ups(_answer(notice, "full", "二（三）"), two, MESSAGES)
    assert offered[0].question == f"《{notice.title}》二（三）讲了什么？"
