"""The parser on the other numbering scheme of official documents: 第X章 chapters and 第X条 articles."""

from assistant.corpus import chunking, numbering, parsing
from assistant.index.retrieval import named_sections

REGULATION = """嘉定区科普基地管理办法

第一章　总则

第一条　为规范科普基地管理，发挥科普基地作用，制定本办法。

第二条　本办法适用于本区范围内的科普基地。

第二章　认定

第三条　申报科普基地应当具备下列条件：
（一）有固定场所，展示面积不少于 200 平方米；
（二）每年向公众开放不少于 60 天。

第四条　区科委每年组织一次认定，认定结果向社会公布。
1. 申报单位提交材料；
2. 专家评审。
"""
WORK_PLAN = """2026年某区工作要点

一、加强创新主体培育

（一）支持企业研发

1. 落实研发费用加计扣除。
（1）开展政策宣讲。

二、优化创新环境
"""


def test_chapters_and_articles_become_sections_with_their_own_numbering():
    notice = parsing.parse(REGULATION, {"title": "嘉定区科普基地管理办法"})
    assert [s for s in notice.sections if s.startswith("第")] == [
        "第一章",
        "第一条",
        "第二条",
        "第二章",
        "第三条",
        "第四条",
    ]
    article = notice.sections["第三条"]
    assert article.is_item and article.part == "第二章" and article.citation() == "第三条"
    assert notice.sections["第二章"].children == ["第三条", "第四条"]
    assert notice.sections["第二章"].citation() == "第二章 认定"
    # （一） and 1. are the article's own text, not new sections
    assert "展示面积不少于 200 平方米" in article.text and "每年向公众开放不少于 60 天" in article.text
    assert "专家评审" in notice.sections["第四条"].text
    assert article.breadcrumb(notice) == ["嘉定区科普基地管理办法", "第二章 认定", "第三条"]


def test_article_text_keeps_exact_offsets():
    notice = parsing.parse(REGULATION, {"title": "嘉定区科普基地管理办法"})
    for section in notice.sections.values():
        for sentence in section.sentences:
            assert notice.original[sentence.start : sentence.end].replace("\n", "") == sentence.text


def test_articles_are_named_directly_and_chunked_within_their_bounds():
    notice = parsing.parse(REGULATION, {"title": "嘉定区科普基地管理办法"})
    assert named_sections("第三条规定了什么条件？", notice) == ["第三条"]
    assert named_sections("第二章讲什么", notice) == ["第二章"]
    for chunk in chunking.chunk(notice):
        section = notice.sections[chunk.section_id]
        assert section.sentences[0].start <= chunk.start < chunk.end <= section.sentences[-1].end


def test_numbered_points_inside_an_item_stay_in_the_item():
    notice = parsing.parse(WORK_PLAN, {"title": "2026年某区工作要点"})
    assert list(notice.sections) == ["文头", "总体要求", "一", "一（一）", "二"]
    assert "落实研发费用加计扣除" in notice.sections["一（一）"].text
    assert "开展政策宣讲" in notice.sections["一（一）"].text
    assert notice.sections["一（一）"].citation() == "一、（一）支持企业研发"


def test_counts_of_any_size_are_read_and_written_as_documents_write_them():
    for number in range(1, 1000):
        assert numbering.value(numbering.numeral(number)) == number
    assert [numbering.numeral(n) for n in (10, 11, 20, 23, 100, 102, 110)] == [
        "十", "十一", "二十", "二十三", "一百", "一百零二", "一百一十"
    ]  # fmt: skip
    assert numbering.value("两") == 2 and numbering.value("7") == 7 and numbering.value("第") == 0


def test_a_question_names_sections_beyond_the_fourth_part_and_tenth_item():
    assert numbering.section_candidates("五（七）讲了什么") == ["五（七）"]
    assert numbering.section_candidates("第十一部分第十二条和第5部分") == ["十一（十二）", "五"]
    assert numbering.section_candidates("what does part 5 item 7 say") == ["五（七）"]
    assert numbering.section_candidates("第一百零二条的规定") == ["第一百零二条"]
    assert numbering.without_section_references("五（七）讲了什么").strip() == "讲了什么"
    plan = parsing.parse("要点\n\n十一、第十一部分\n\n（十二）第十二项\n\n正文。\n", {"title": "要点"})
    assert "十一（十二）" in plan.sections and plan.sections["十一（十二）"].label == "十一、（十二）第十二项"
