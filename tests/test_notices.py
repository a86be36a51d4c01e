"""The engine serves any notice. One pass, parametrised over the default notice (corpus/) and another district's work
plan (tests/data/yunxi: no .meta.json, its own domain pack, no deployment.toml): answers, refusals, a figure not
stated, the outline, 我的企业, 指标一览, the CLI, the API and the page, each naming its own notice and never the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from assistant.answer import Rules
from assistant.answer.followups import follow_ups
from assistant.answer.targets import targets
from assistant.corpus import files
from assistant.language.domain import Domain
from assistant.pipeline import Assistant
from assistant.settings import Settings
from assistant.web.loopback import LiveServer
from assistant.web.render import outline, profile_markdown

from .conftest import ROOT, run_cli

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Case:
    """What a notice says, as a reader finds it in its text: the facts each surface must give back."""

    name: str
    corpus: Path
    doc: str
    title: str
    doc_number: str
    parts: int
    last_part: str  # the label of its last part, as the outline lists it
    figure: tuple[str, str, str]  # a question, the figure its answer quotes, the section it cites
    cli: tuple[str, str]  # a question for the command line, the figure
    api: tuple[str, str]  # a question for /v1/chat/completions, the figure
    not_stated: tuple[str, str]  # a question about a figure the notice does not give, the section that names the thing
    profile: tuple[str, str]  # a 我的企业 profile, a section it lists
    stated: tuple[str, ...]  # figures 指标一览 shows
    other: str  # a word of the other notice, never shown


JIADING = Case(
    name="jiading",
    corpus=ROOT / "corpus",
    doc="jiading-2025-kjcx-gongzuo-yaodian",
    title="2025年嘉定区科技创新工作要点",
    doc_number="嘉科〔2025〕4号",
    parts=4,
    last_part="四、坚持创新氛围营造，守正创新实施科学素质提升行动",
    figure=("新认定高新技术企业的目标是多少家？", "1100 家", "〔二、（三）以服务加快创新主体培育〕"),
    cli=("技术合同成交额的目标是多少？", "280 亿元"),
    api=("新增科技小巨人多少家次？", "20 家次"),
    not_stated=("双创券的额度是多少？", "二（二）"),
    profile=("集成电路", "〔一、（二）持续拓宽校地合作领域〕"),
    stated=("1100 家", "280 亿元"),
    other="云溪",
)
YUNXI = Case(
    name="yunxi",
    corpus=ROOT / "tests" / "data" / "yunxi",
    doc="yunxi-2026-kjcx-gongzuo-yaodian",
    title="2026年云溪区科技创新工作要点",
    doc_number="云科〔2026〕7号",
    parts=5,
    last_part="五、聚焦科学普及和创新治理，营造良好创新氛围",
    figure=("新认定高新技术企业的目标是多少家？", "180家", "〔一、（一）加大高新技术企业培育力度〕"),
    cli=("技术合同成交额的目标是多少？", "260亿元"),
    api=("新增孵化器多少家？", "4家"),
    not_stated=("算力使用补贴的比例是多少？", "二（四）"),
    profile=("人工智能", "〔二、（一）加快人工智能产业创新发展〕"),
    stated=("180家", "4.2%"),
    other="嘉定",
)


@pytest.fixture(scope="module")
def yunxi_served(settings, assistant, tmp_path_factory) -> tuple[Assistant, Settings]:
    own = settings.model_copy(update={"corpus_dir": YUNXI.corpus, "index_dir": tmp_path_factory.mktemp(YUNXI.name)})
    return Assistant.from_corpus(own, files.load(YUNXI.corpus), assistant.embeddings), own


@pytest.fixture(scope="module", params=[JIADING, YUNXI], ids=lambda case: case.name)
def served(request, settings, assistant) -> tuple[Case, Assistant, Settings]:
    """The notice's assistant and settings: the session's for the default corpus, a fresh index for the other."""
    if request.param is JIADING:
        return JIADING, assistant, settings
    return YUNXI, *request.getfixturevalue("yunxi_served")


def test_a_stated_figure_is_answered_with_its_own_section(served):
    case, answerer, _ = served
    question, figure, section = case.figure
    answer = answerer.ask(question)
    assert answer.outcome == "full" and answer.answered and figure in answer.answer and section in answer.answer
    assert case.other not in answer.answer


def test_a_figure_it_does_not_give_is_not_given(served):
    case, answerer, _ = served
    question, section = case.not_stated
    answer = answerer.ask(question)
    first = answer.answer.split("\n\n")[0]
    assert answer.outcome == "partial" and not answer.answered and "未给出" in first
    assert not re.search(r"\d", first)  # no figure presented as the answer
    assert any(c.section == section for c in answer.citations)


def test_what_it_does_not_cover_is_refused_with_the_nearest_sections(served):
    case, answerer, _ = served
    answer = answerer.ask("今年全区GDP增长目标是多少？")
    assert answer.outcome == "refused" and answer.answer.startswith("本文件未提及")
    assert answer.citations and all(c.doc == case.doc for c in answer.citations)
    assert case.other not in answer.answer


def test_a_greeting_introduces_this_notice(served):
    case, answerer, _ = served
    greeting = answerer.ask("你好")
    assert greeting.outcome == "greeting" and not greeting.answered and f"《{case.title}》" in greeting.answer
    assert case.other not in greeting.answer


def test_thanks_are_answered_briefly_and_a_follow_up_in_the_language_typed(served):
    case, answerer, _ = served
    thanks = answerer.ask("好的，谢谢！")
    assert thanks.outcome == "greeting" and thanks.answer.startswith("不客气")
    assert f"《{case.title}》" not in thanks.answer
    assert answerer.ask("你好，谢谢").answer.startswith("您好")  # a hello is introduced
    english = "What is the target for newly recognised high-tech enterprises?"
    follow = answerer.ask("那明年呢？", [(english, answerer.ask(english).answer)])
    assert not re.search(r"[A-Za-z]{4,}", follow.answer.split("\n\n")[0])  # asked in Chinese, answered in Chinese


def test_the_outline_lists_its_parts(served):
    case, answerer, _ = served
    whole = answerer.ask("这份文件主要讲了什么？")
    assert whole.outcome == "full" and "的正文分为以下部分：" in whole.answer
    assert whole.answer.split("\n\n")[0].count("\n- ") == case.parts and case.last_part in whole.answer
    notice = answerer.corpus.documents[case.doc]
    assert [value for _, value in outline([notice])] == [f"{case.doc}/", *(f"{case.doc}/{s}" for s in notice.sections)]


def test_my_enterprise_and_the_targets_come_from_its_text(served):
    case, answerer, _ = served
    notice = answerer.corpus.documents[case.doc]
    name, section = case.profile
    profiles = {p.name: p for p in answerer.lexicon.domain.profiles}
    assert section in profile_markdown([notice], profiles[name])
    rows = targets([notice], [unit.stated for unit in Rules.load().units])
    shown = {figure for row in rows for figure in row.figures}
    assert set(case.stated) <= shown
    assert {row.section for row in rows} <= {s.label for s in notice.sections.values()}


def test_the_chat_and_my_enterprise_list_the_same_sections_for_the_chosen_profile(served):
    case, answerer, _ = served
    notice = answerer.corpus.documents[case.doc]
    name, _ = case.profile
    profiles = {p.name: p for p in answerer.lexicon.domain.profiles}
    listed = re.findall(r"〔([^〕]+)〕", profile_markdown([notice], profiles[name]))
    for question in ("哪些措施和我有关？", "跟我们相关的条款有哪些"):
        chat = answerer.ask(question, profile=name)  # 我的企业 chose who asks; the question names no one
        assert chat.outcome == "full" and f"与“{name}”相关的内容见以下条目" in chat.answer
        assert re.findall(r"^- (.+)$", chat.answer.split("\n\n")[0], re.M) == listed
    named = answerer.ask("我们是做生物医药的，哪些措施和我们有关？", profile=name)  # what the question says wins
    assert "与“生物医药”相关的内容见以下条目" in named.answer
    earlier = [(case.figure[0], answerer.ask(case.figure[0]).answer)]
    after = answerer.ask("哪些措施和我有关？", earlier, profile=name)  # about who asks, not the question before
    assert f"与“{name}”相关的内容见以下条目" in after.answer


def test_every_suggested_follow_up_asked_gets_an_answered_cited_reply(served):
    """Asked as a click asks it: in the conversation, after the answer it was offered under."""
    case, answerer, _ = served
    offered = []
    for question in (case.figure[0], case.not_stated[0], "今年全区GDP增长目标是多少？", case.api[0]):
        answer = answerer.ask(question)
        shown = follow_ups(answer, answerer.corpus, answerer.rules.messages)
        offered += [([(question, answer.answer)], f) for f in shown]
    assert len(offered) >= 8
    for history, follow_up in offered:
        reply = answerer.ask(follow_up.question, history)
        assert reply.outcome == "full" and reply.answered, follow_up.question
        assert {c.label for c in reply.citations} == {follow_up.label.partition("：")[2]}


def test_walking_the_next_items_in_one_conversation_reads_each_in_turn(served):
    case, answerer, _ = served
    question, history = case.figure[0], []
    answer = answerer.ask(question)
    for _ in range(4):  # 下一条, four times over: each its own section, nothing of the one before carried over
        history.append((question, answer.answer))
        offered = follow_ups(answer, answerer.corpus, answerer.rules.messages)
        following = next(f for f in offered if f.label.startswith("下一条"))
        answer = answerer.ask(following.question, history)
        assert {c.label for c in answer.citations} == {following.label.partition("：")[2]}
        question = following.question


def test_the_cli_answers_from_its_corpus(served):
    case, _, own = served
    question, figure = case.cli
    result = run_cli("ask", question, settings=own, CORPUS_DIR=str(case.corpus))
    assert result.returncode == 0, result.stderr
    assert figure in result.stdout and case.doc_number in result.stdout and case.other not in result.stdout


def test_the_api_and_the_page_name_this_notice(served, tmp_path):
    case, answerer, own = served
    server = LiveServer(answerer, own, tmp_path / "feedback.sqlite3")
    try:
        models = httpx.get(f"{server.url}/v1/models").json()["data"]
        assert [m["id"] for m in models] == [answerer.branding.model_id]
        question, figure = case.api
        reply = httpx.post(
            f"{server.url}/v1/chat/completions", json={"messages": [{"role": "user", "content": question}]}, timeout=60
        ).json()
        assert reply["model"] == answerer.branding.model_id and figure in reply["choices"][0]["message"]["content"]
        page = httpx.get(server.url, timeout=30).text
        assert f"《{case.title}》问答助手" in page and case.other not in page
    finally:
        server.stop()


# What only a notice without .meta.json and without deployment.toml shows: metadata and branding from its text.


@pytest.fixture(scope="module")
def yunxi(yunxi_served) -> Assistant:
    return yunxi_served[0]


def test_what_the_masthead_says_is_the_documents_metadata(yunxi):
    notice = yunxi.corpus.documents[YUNXI.doc]
    assert notice.title == YUNXI.title  # the 《…》 of 关于印发《…》的通知, not the issuer's line
    assert (notice.doc_number, notice.date) == (YUNXI.doc_number, "2026-04-15")
    assert notice.metadata["issuer"] == "上海市云溪区科学技术委员会"
    assert (notice.area, notice.year) == ("云溪区", "2026")
    assert notice.reference() == f"《{YUNXI.title}》（{YUNXI.doc_number}，2026-04-15）"
    labels = [s.label for s in notice.sections.values()]
    assert YUNXI.last_part in labels and any("（七）" in label for label in labels)


def test_its_own_pack_and_its_own_wording(yunxi):
    fund = yunxi.ask("云溪科创母基金的规模多大？")  # 规模 and 多大 ask a figure this notice states
    assert fund.outcome == "full" and "规模10亿元" in fund.answer
    assert "第三部分第二条讲了什么？" in yunxi.ask("你好").answer  # its own domain pack's examples


def test_without_a_domain_pack_the_branding_is_derived_from_the_notice(yunxi):
    brand = yunxi.branding
    assert (brand.model_id, brand.realm) == (YUNXI.doc, YUNXI.doc) and brand.title == f"《{YUNXI.title}》问答助手"
    assert brand.created == 1776211200  # 2026-04-15, its date
    bare = Domain.load(None)  # the engine's language data alone: no profiles, general examples
    assert not bare.profiles and bare.examples["welcome"]
