"""指标一览 without a model, on another district's notice: every figure in digits and a unit, verbatim, with its
section; no year, edition or quoted name."""

from assistant.answer import Rules
from assistant.answer.targets import as_csv, as_markdown, targets
from assistant.corpus import parsing

from .test_policy import META, OTHER

EXTRA = "（三）落实政策\n\n落实“科创 8 条”，召开第 3 届示例论坛；全年技术合同成交额目标 50 亿元，增长 12%。\n"


def _rows():
    notice = parsing.parse(OTHER + EXTRA, META, "shili-2026")
    return targets([notice], [unit.stated for unit in Rules.load().units])


def test_every_figure_is_listed_verbatim_with_its_section():
    rows = _rows()
    assert [r.figures for r in rows] == [("300 家",), ("10 亿元",), ("50亿元", "20亿元"), ("50 亿元", "12%")]
    assert rows[0].section == "一、（一）壮大科技企业"
    assert rows[0].text == "到 2026 年底，力争新增高新技术企业 300 家。"
    # the part of its sentence after the ；: no 科创 8 条 (a name), no 第 3 届 (an edition), no 2026 (a year)
    assert rows[3].text == "全年技术合同成交额目标 50 亿元，增长 12%。"


def test_the_csv_opens_in_a_spreadsheet_and_the_table_has_a_row_per_figure_clause():
    rows = _rows()
    text = as_csv(rows)
    assert text.startswith("\ufeff文件,条目,指标原文,数值\r\n") and text.count("\r\n") == len(rows) + 1
    table = as_markdown(rows, many=False)
    assert table.count("\n") == len(rows) + 1 and "| 〔一、（一）壮大科技企业〕 |" in table
