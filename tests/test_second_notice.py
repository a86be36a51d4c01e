"""The engine serves any notice: another district's work plan (tests/data/yunxi, no .meta.json, its own domain
pack) through the answer stage, the CLI, the API and the page, with nothing of the default notice in sight."""

from __future__ import annotations

import re

import httpx
import pytest

from assistant.answer import Rules
from assistant.answer.targets import targets
from assistant.corpus import files
from assistant.language.domain import Domain
from assistant.pipeline import Assistant
from assistant.web.loopback import LiveServer
from assistant.web.render import outline, profile_markdown

from .conftest import ROOT, run_cli

pytestmark = pytest.mark.slow

YUNXI = ROOT / "tests" / "data" / "yunxi"
DOC = "yunxi-2026-kjcx-gongzuo-yaodian"
TITLE = "2026年云溪区科技创新工作要点"


@pytest.fixture(scope="module")
def own(settings, tmp_path_factory):
    return settings.model_copy(update={"corpus_dir": YUNXI, "index_dir": tmp_path_factory.mktemp("yunxi-index")})


@pytest.fixture(scope="module")
def yunxi(own, assistant) -> Assistant:
    return Assistant.from_corpus(own, files.load(YUNXI), assistant.embeddings)


def test_what_the_masthead_says_is_the_documents_metadata(yunxi):
    notice = yunxi.corpus.documents[DOC]
    assert notice.title == TITLE  # the 《…》 of 关于印发《…》的通知, not the issuer's line
    assert (notice.doc_number, notice.date) == ("云科〔2026〕7号", "2026-04-15")
    assert notice.metadata["issuer"] == "上海市云溪区科学技术委员会"
    assert (notice.area, notice.year) == ("云溪区", "2026")
    assert notice.reference() == f"《{TITLE}》（云科〔2026〕7号，2026-04-15）"
    labels = [s.label for s in notice.sections.values()]
    assert "五、聚焦科学普及和创新治理，营造良好创新氛围" in labels and any("（七）" in label for label in labels)


def test_its_figures_are_answered_with_its_own_sections(yunxi):
    answer = yunxi.ask("新认定高新技术企业的目标是多少家？")
    assert answer.outcome == "full" and "180家" in answer.answer
    assert "〔一、（一）加大高新技术企业培育力度〕" in answer.answer
    whole = yunxi.ask("这份文件主要讲了什么？")
    assert whole.outcome == "full" and "的正文分为以下部分：" in whole.answer
    assert whole.answer.count("\n- ") == 5 and "五、聚焦科学普及和创新治理" in whole.answer
    fund = yunxi.ask("云溪科创母基金的规模多大？")  # 规模 and 多大 ask a figure this notice states
    assert fund.outcome == "full" and "规模10亿元" in fund.answer


def test_a_figure_it_does_not_give_is_not_given(yunxi):
    answer = yunxi.ask("算力使用补贴的比例是多少？")
    first = answer.answer.split("\n\n")[0]
    assert answer.outcome == "partial" and not answer.answered and "未给出" in first
    assert not re.search(r"\d", first)  # no figure presented as the answer
    assert any(c.section == "二（四）" for c in answer.citations)


def test_what_it_does_not_cover_is_refused_with_the_nearest_sections(yunxi):
    answer = yunxi.ask("今年全区GDP增长目标是多少？")
    assert answer.outcome == "refused" and answer.answer.startswith("本文件未提及")
    assert "嘉定" not in answer.answer
    greeting = yunxi.ask("你好")
    assert greeting.outcome == "greeting" and f"《{TITLE}》" in greeting.answer
    assert "第三部分第二条讲了什么？" in greeting.answer  # its own domain pack's examples


def test_outline_my_enterprise_and_targets_come_from_its_text(yunxi):
    notice = yunxi.corpus.documents[DOC]
    assert [value for _, value in outline([notice])] == [f"{DOC}/{s}" for s in notice.sections]
    profiles = {p.name: p for p in yunxi.lexicon.domain.profiles}
    assert set(profiles) >= {"人工智能", "生物医药", "集成电路"}
    assert "〔二、（一）加快人工智能产业创新发展〕" in profile_markdown([notice], profiles["人工智能"])
    rows = targets([notice], [unit.stated for unit in Rules.load().units])
    assert any("180家" in row.figures for row in rows) and any("4.2%" in row.figures for row in rows)
    assert {row.section for row in rows} <= {s.label for s in notice.sections.values()}


def test_without_a_domain_pack_the_branding_is_derived_from_the_notice(yunxi):
    brand = yunxi.branding
    assert (brand.model_id, brand.realm) == (DOC, DOC) and brand.title == f"《{TITLE}》问答助手"
    assert brand.created == 1776211200  # 2026-04-15, its date
    bare = Domain.load(None)  # the engine's language data alone: no profiles, general examples
    assert not bare.profiles and bare.examples["welcome"]


def test_the_cli_answers_from_another_corpus(own):
    result = run_cli("ask", "技术合同成交额的目标是多少？", settings=own, CORPUS_DIR=str(YUNXI))
    assert result.returncode == 0, result.stderr
    assert "260亿元" in result.stdout and "云科〔2026〕7号" in result.stdout


def test_the_api_and_the_page_name_this_notice(yunxi, own, tmp_path):
    server = LiveServer(yunxi, own, tmp_path / "feedback.sqlite3")
    try:
        models = httpx.get(f"{server.url}/v1/models").json()["data"]
        assert [m["id"] for m in models] == [DOC]
        reply = httpx.post(
            f"{server.url}/v1/chat/completions",
            json={"messages": [{"role": "user", "content": "新增孵化器多少家？"}]},
            timeout=60,
        ).json()
        assert reply["model"] == DOC and "4家" in reply["choices"][0]["message"]["content"]
        page = httpx.get(server.url, timeout=30).text
        assert f"<title>《{TITLE}》问答助手</title>" in page or f"《{TITLE}》问答助手" in page
        assert "嘉定" not in page
    finally:
        server.stop()
