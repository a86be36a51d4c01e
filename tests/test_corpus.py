import re

from assistant.corpus import numbering

EXPECTED_IDS = [
    "文头",
    "总体要求",
    "一",
    "一（一）",
    "一（二）",
    "一（三）",
    "一（四）",
    "二",
    "二（一）",
    "二（二）",
    "二（三）",
    "二（四）",
    "三",
    "三（一）",
    "三（二）",
    "三（三）",
    "三（四）",
    "四",
    "四（一）",
    "四（二）",
    "四（三）",
]


def test_section_tree_follows_the_notices_numbering(notice):
    assert list(notice.sections) == EXPECTED_IDS
    assert notice.sections["二"].children == ["二（一）", "二（二）", "二（三）", "二（四）"]


def test_citation_labels_are_written_as_the_notice_numbers_itself(notice):
    assert notice.sections["二（三）"].citation() == "二、（三）以服务加快创新主体培育"
    assert notice.sections["三"].citation() == "三、坚持培育新质生产力，全力以赴实施产业发展聚力行动"
    assert notice.sections["文头"].citation() == "文头"


def test_header_carries_issuer_number_and_date(notice):
    header = [s.text for s in notice.sections["文头"].sentences]
    assert "上海市嘉定区科学技术委员会" in header
    assert "嘉科〔2025〕4号" in header
    assert "2025年3月31日" in header
    assert notice.sections["总体要求"].text.startswith("2025 年，是全面贯彻落实")


def test_page_breaks_are_repaired_inside_sentences(notice):
    text = "".join(s.text for s in notice.sections.values())
    repaired = [
        "科创“新动能”发力行动方案",
        "研发投入能力",
        "赋能科技创新主体",
        "产业大会",
        "落地一批",
        "科普活动参与度",
    ]
    for joined in repaired:
        assert joined in text, joined
    for section in notice.sections.values():
        for sentence in section.sentences:
            assert "\n" not in sentence.text


def test_every_sentence_locates_exactly_in_the_original_file(notice):
    for section in notice.sections.values():
        for sentence in section.sentences:
            original = notice.original[sentence.start : sentence.end]
            assert re.sub(r"\s*\n\s*", "", original) == sentence.text


def test_real_paragraph_breaks_stay(notice):
    # Headings are short lines: they must never be glued onto the text around them.
    for section in notice.sections.values():
        for sentence in section.sentences:
            assert not numbering.ITEM_HEADING.match(sentence.text)
    assert notice.sections["一（一）"].sentences[-1].text.endswith("动能”发力行动方案研究工作。")


def test_sub_topics_inside_an_item(notice):
    topics = {s.topic for s in notice.sections["三（二）"].sentences}
    assert topics == {"生物医药产业方面", "科技服务业方面"}
    last = notice.sections["三（二）"].sentences[-1]
    assert last.topic == "科技服务业方面" and "15%" in last.text


def test_breadcrumb_and_embedding_text_carry_the_heading_path(notice):
    section = notice.sections["二（三）"]
    assert section.breadcrumb(notice)[1] == notice.sections["二"].citation()
    assert section.embedding_text(notice).startswith("二、坚持创新主体引领")


def test_section_id_from_positions():
    assert numbering.section_id(2, 3) == "二（三）"
    assert numbering.section_id(4) == "四"
