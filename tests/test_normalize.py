"""Questions are read in the documents' script and spelling, before anything else sees them (no model)."""

import pytest

from assistant.language.normalize import clean_question, normalise
from assistant.language.spelling import Spelling


def test_traditional_becomes_simplified_and_full_width_half_width():
    assert normalise("技術合同成交金額目標是多少？") == "技术合同成交金额目标是多少？"
    assert normalise("ＰｏＣ中心有几个？２０２５年") == "PoC中心有几个？2025年"  # Chinese punctuation stays


def test_what_opencc_leaves_of_traditional_spelling_is_written_as_the_documents_write_it():
    assert normalise("嘉定科技節甚麼時候舉辦？") == "嘉定科技节什么时候举办？"
    assert normalise("「科創12條」還有嗎？") == "“科创12条”还有吗？"


def test_the_notice_and_simplified_questions_are_left_as_they_are(notice):
    assert normalise(notice.original) == notice.original


def test_lone_surrogates_are_dropped_not_fatal():
    assert normalise("高企\udc80目标") == "高企目标"


def test_bad_input_gets_a_message():
    messages = {"empty": "empty", "unreadable": "unreadable", "too_long": "long {length} {limit}"}
    assert clean_question("  高企 \n 目标 ", messages, 50) == ("高企 目标", None)
    assert clean_question("", messages, 50) == ("", "empty")
    assert clean_question("问" * 60, messages, 50) == ("", "long 60 50")


@pytest.fixture(scope="module")
def spelling(notice, lexicon):
    return Spelling.of([s.title + s.text for s in notice.sections.values()], lexicon)


def test_what_a_masthead_line_is_called_is_a_word_a_typo_may_mean(documents, lexicon):
    assert Spelling.of_corpus(documents, lexicon).correct("这个文件的文好是多少？") == "这个文件的文号是多少？"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("今年高心技术企业要认定多少家", "今年高新技术企业要认定多少家"),
        ("技术和同登记成交金额目标是多少", "技术合同登记成交金额目标是多少"),
        ("嘉定科技洁今年几月份办", "嘉定科技节今年几月份办"),
        ("十五五规化具体哪天发布", "十五五规划具体哪天发布"),
        ("双创卷平台是干啥用的", "双创券平台是干啥用的"),  # 卷 is read quan too
        ("双创劵怎么申领", "双创券怎么申领"),  # 劵 is the usual miswriting of 券
    ],
)
def test_sound_alike_typos_are_read_as_the_documents_words(spelling, typed, meant):
    assert spelling.correct(typed) == meant


@pytest.mark.parametrize(
    "question",
    [
        "我们公司想降低研发开销",
        "苏州工业园区有什么人才政策？",
        "创享嘉大赛要建立什么遴选机制？",
        "事业单位有哪些？",
        "这么做是为了跟什么结合起来？",  # 做是 sounds like 做实, but 是 standing alone is what was meant
        "技术合同那块到底是多少个亿来着？",  # 亿来 sounds like 以来, but a numeral is what was typed
    ],
)
def test_real_words_are_never_rewritten(spelling, question):
    assert spelling.correct(question) == question
