"""The web chat in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright)."""

import shutil
from pathlib import Path

import pytest

from .conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT = 30_000


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed (apt-get install chromium fonts-noto-cjk; .ci/run does)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield chromium
        chromium.close()


def _opened(browser, url: str, viewport: dict[str, int], **options: bool):
    """A page of its own on ``url`` (the module's shared page keeps its chat), in Chinese, with the tests' timeout."""
    page = browser.new_page(viewport=viewport, locale="zh-CN", **options)
    page.set_default_timeout(TIMEOUT)
    page.goto(url)
    return page


# what the browser reported against the page's Content-Security-Policy, over every test of the module
BLOCKED: list[str] = []


@pytest.fixture(scope="module")
def page(browser, live):
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page.set_default_timeout(TIMEOUT)
    page.on("console", lambda m: BLOCKED.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(live.url)
    page.locator("#question textarea").wait_for()
    return page


def test_ask_see_the_figure_and_the_chip_then_the_highlighted_quote(page):
    page.locator("#question textarea").fill("高新技术企业认定目标是多少？")
    page.locator("#question textarea").press("Enter")
    page.locator("#chat").get_by_text("1100", exact=False).first.wait_for()
    chip = page.locator("#chips label", has_text="二、（三）以服务加快创新主体培育")
    chip.wait_for()
    chip.click()
    quote = page.locator("#evidence mark.quote")
    quote.wait_for()
    assert "1100" in quote.inner_text()
    assert "二、坚持创新主体引领" in page.locator("#evidence .breadcrumb").inner_text()
    page.screenshot(path=str(ARTIFACTS / "chat-and-evidence.png"), full_page=True)


def _in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 40) <= size["height"]


def test_votes_sit_under_each_answer_one_row_per_answer_which_can_change(page, live):
    before = len(live.store.all())
    page.locator("#reason textarea").fill("想看更细的分解")
    chat = page.locator("#chat")  # the last answer's buttons: the answer to the question above
    chat.get_by_role("button", name="赞").last.click()
    page.locator("#feedback-status").get_by_text("已记录 👍").wait_for()
    chat.get_by_role("button", name="踩").last.click()
    page.locator("#feedback-status").get_by_text("已记录 👎").wait_for()
    rows = live.store.all()[before:]
    assert len(rows) == 1 and rows[0]["rating"] == -1 and rows[0]["reason"] == "想看更细的分解"
    assert "1100" in rows[0]["answer"] and rows[0]["citations"][0]["section"] == "二（三）"
    # a reason typed after the vote, as its message asks, goes with that vote's row
    page.locator("#reason textarea").fill("还想看各街镇的分解")
    page.locator("#reason textarea").press("Enter")
    page.locator("#feedback-status").get_by_text("已记录原因").wait_for()
    rows = live.store.all()[before:]
    assert len(rows) == 1 and rows[0]["rating"] == -1 and rows[0]["reason"] == "还想看各街镇的分解"
    assert page.locator("#reason textarea").input_value() == ""


def test_my_enterprise_lists_the_sections_for_biomedicine(page):
    page.get_by_role("tab", name="我的企业").click()
    page.locator("#profile input").click()
    page.get_by_role("option", name="生物医药").click()
    result = page.locator("#profile-result")
    result.get_by_text("三、（二）做实创新主体地位", exact=False).first.wait_for()
    assert "生物医药" in result.inner_text()
    page.screenshot(path=str(ARTIFACTS / "my-enterprise.png"), full_page=True)
    # its sections open as outline items do: the evidence tab comes forward with the section
    page.locator("#profile-sections label", has_text="三、（二）做实创新主体地位").click()
    page.locator("#evidence").get_by_text("全年生物医药总产出目标450亿元", exact=False).wait_for()
    assert _in_viewport(page, page.locator("#evidence"))


def test_outline_opens_a_section_in_view_and_a_chip_opens_again(page):
    page.get_by_role("tab", name="目录").click()
    page.locator("#outline label", has_text="四、（三）着力抓好科技类校外培训机构管理").click()
    # the evidence tab comes forward by itself, with the section in view
    section = page.locator("#evidence").get_by_text("办学许可审批流程", exact=False)
    section.wait_for()
    assert _in_viewport(page, page.locator("#evidence"))
    page.screenshot(path=str(ARTIFACTS / "outline.png"), full_page=True)
    # the chip chosen before opens its quote again, though it is still the chosen one
    page.locator("#chips label", has_text="二、（三）以服务加快创新主体培育").click()
    quote = page.locator("#evidence mark.quote")
    quote.wait_for()
    assert "1100" in quote.inner_text() and _in_viewport(page, quote)


def test_the_chat_answers_which_measures_concern_me_for_the_chosen_profile(page):
    """生物医药 is still chosen in 我的企业 (the test of that tab): a chat question naming no one lists its sections."""
    page.get_by_role("tab", name="我的企业").click()
    panel = page.locator("#profile-result").inner_text()
    page.locator("#question textarea").fill("哪些措施和我有关？")
    page.locator("#question textarea").press("Enter")
    answer = page.locator("#chat").get_by_text("与“生物医药”相关的内容见以下条目", exact=False).last
    answer.wait_for()
    listed = answer.locator("xpath=following-sibling::ul[1]/li").all_inner_texts()
    assert len(listed) >= 3 and all(f"〔{label}〕" in panel for label in listed)
    page.get_by_role("tab", name="原文证据").click()


def test_the_whole_document_opens_with_its_contents_and_the_original_downloads(page):
    page.get_by_role("tab", name="目录").click()
    page.locator("#outline label", has_text="📄 全文").click()
    whole = page.locator("#evidence .whole")
    whole.wait_for()
    link = whole.locator("ul.contents a", has_text="四、（三）着力抓好科技类校外培训机构管理")
    assert whole.locator("ul.contents a").count() >= 20
    link.click()  # its anchor: the section's heading comes into view
    assert _in_viewport(page, whole.locator("h4", has_text="四、（三）着力抓好科技类校外培训机构管理"))
    page.screenshot(path=str(ARTIFACTS / "whole-document.png"))
    page.get_by_role("tab", name="目录").click()
    with page.expect_download() as download:
        page.locator("#original").click()
    saved = Path(download.value.path())
    original = next((ROOT / "corpus").glob("*.txt"))
    assert download.value.suggested_filename == "2025年嘉定区科技创新工作要点.txt"  # by its title, not its file id
    assert saved.read_bytes() == original.read_bytes()
    page.get_by_role("tab", name="原文证据").click()


def test_a_suggested_follow_up_under_an_answer_asks_its_section(page):
    page.locator("#question textarea").fill("技术合同成交金额的目标是多少？")
    page.locator("#question textarea").press("Enter")
    page.locator("#chat").get_by_text("280 亿元", exact=False).first.wait_for()
    page.locator("#send:not([disabled])").wait_for()  # the answer is complete, its buttons under it
    offered = page.locator("#chat .options").last
    following = offered.locator("button", has_text="下一条：二、（四）以联动优化全域协同创新格局")
    following.wait_for()
    assert offered.locator("button").count() == 3
    following.click()
    page.locator("#chat").get_by_text("二（四）讲了什么？", exact=False).last.wait_for()  # asked as if typed
    chip = page.locator("#chips label", has_text="二、（四）以联动优化全域协同创新格局")
    chip.wait_for()
    assert page.locator("#chips label").count() == 1  # answered from that section alone, and cited


def test_the_page_runs_under_its_content_security_policy(page):
    """The tests above used the chat, the chips, the outline and 我的企业 under the policy; nothing was blocked."""
    response = page.request.get(page.url)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert BLOCKED == []


def test_over_long_input_stays_and_one_reset_clears_everything(page):
    box = page.locator("#question textarea")
    box.fill("问" * 600)
    page.locator("#question-count").get_by_text("600/500").wait_for()
    shown = page.locator("#chat").inner_text()
    box.press("Enter")
    page.locator("#feedback-status").get_by_text("问题过长", exact=False).wait_for()
    assert box.input_value() == "问" * 600  # kept, for the user to shorten
    assert page.locator("#feedback-status").get_attribute("aria-live") == "polite"
    box.fill("   ")
    box.press("Enter")
    page.locator("#feedback-status").get_by_text("请输入问题", exact=False).wait_for()
    assert page.locator("#chat").inner_text() == shown  # the chat is left as it was: no bubble grows
    box.fill("第一行")
    box.press("Shift+Enter")
    box.type("第二行")
    assert box.input_value() == "第一行\n第二行"  # Shift+Enter is a new line, not a send
    page.locator("#chat").get_by_role("button", name="清空对话").click()
    page.locator("#evidence").get_by_text("提问后，这里显示", exact=False).wait_for()
    assert page.locator("#chips label").count() == 0


@pytest.mark.parametrize("viewport", [{"width": 1366, "height": 900}, {"width": 390, "height": 844}])
def test_a_citation_click_brings_the_quote_into_view(browser, live, viewport):
    page = _opened(browser, live.url, viewport)
    box = page.locator("#question textarea")
    box.fill("技术合同成交金额的目标是多少？")
    box.press("Enter")
    page.locator("#chat").get_by_text("280", exact=False).first.wait_for()
    page.get_by_role("tab", name="我的企业").click()  # the evidence tab is not the open one
    page.locator("#chips label", has_text="二、（三）以服务加快创新主体培育").click()
    quote = page.locator("#evidence mark.quote")
    quote.wait_for()
    page.wait_for_timeout(400)
    assert "280" in quote.inner_text() and _in_viewport(page, quote)
    page.screenshot(path=str(ARTIFACTS / f"evidence-in-view-{viewport['width']}.png"))
    page.close()


def test_with_a_login_the_chat_works_for_the_right_user_only(browser, assistant, settings, tmp_path):
    from assistant.web.loopback import LiveServer

    secured = LiveServer(assistant, settings.model_copy(update={"app_auth": "staff:s3cret"}), tmp_path / "f.db")
    try:
        stranger = browser.new_page()  # a browser without the login only ever gets the 401
        assert stranger.request.get(secured.url).status == 401
        page = browser.new_context(http_credentials={"username": "staff", "password": "s3cret"}).new_page()
        page.set_default_timeout(TIMEOUT)
        page.goto(secured.url)
        page.locator("#question textarea").fill("技术合同成交金额的目标是多少？")
        page.locator("#question textarea").press("Enter")
        page.locator("#chat").get_by_text("280", exact=False).first.wait_for()
    finally:
        secured.stop()


def test_with_several_documents_the_scope_narrows_questions_and_outline(browser, library, tmp_path):
    from assistant.web.loopback import LiveServer

    server = LiveServer(library, library.settings, tmp_path / "f.db")
    try:
        page = _opened(browser, server.url, {"width": 1400, "height": 1000})
        page.get_by_text("共 4 份文件", exact=False).wait_for()
        page.locator("#scope input").click()
        page.get_by_role("option", name=library.corpus.documents["kepu-banfa"].reference()).click()
        page.locator("#question textarea").fill("开放天数有什么要求？")
        page.locator("#question textarea").press("Enter")
        page.locator("#chat").get_by_text("120 天", exact=False).first.wait_for()
        assert "《科普基地资助办法》" in page.locator("#chat").inner_text()
        page.locator("#chips label", has_text="第三条").click()
        assert "120 天" in page.locator("#evidence mark.quote").first.inner_text()
        page.get_by_role("tab", name="目录").click()
        outline = page.locator("#outline")
        outline.get_by_text("第四条").wait_for()
        assert "以服务加快创新主体培育" not in outline.inner_text()  # only the chosen document's sections
        page.screenshot(path=str(ARTIFACTS / "several-documents.png"), full_page=True)
    finally:
        server.stop()


def test_the_first_screen_welcomes_with_examples_that_ask_at_a_click(browser, live):
    page = _opened(browser, live.url, {"width": 1366, "height": 900})
    chat = page.locator("#chat")
    chat.get_by_text("您好", exact=False).first.wait_for()
    button = chat.get_by_text("今年全区GDP增长目标是多少？", exact=False).first
    assert _in_viewport(page, button)  # above the fold
    page.screenshot(path=str(ARTIFACTS / "first-screen.png"))
    button.click()
    chat.get_by_text("本文件未提及", exact=False).first.wait_for()  # a refusal done well: said plainly, with leads
    chat.get_by_text("可参考的相关条目", exact=False).first.wait_for()
    chips = page.locator("#chips label")
    assert chips.count() >= 2  # its nearest sections are citations too, and open as any citation does
    label = chips.last.inner_text().strip("〔〕 ")
    assert label not in page.locator("#evidence").inner_text()  # the panel shows the first one
    chips.last.click()
    page.locator("#evidence").get_by_text(label, exact=False).first.wait_for()
    assert _in_viewport(page, page.locator("#evidence"))
    page.close()


def test_what_is_typed_while_an_answer_is_made_stays_in_the_box(browser, assistant, settings, tmp_path):
    import dataclasses
    import threading

    from assistant.web.loopback import LiveServer

    release = threading.Event()

    class Held(type(assistant)):  # answers only once the test has typed on: no race with a fast answer
        def ask(self, *args, **kwargs):
            release.wait(TIMEOUT / 1000)
            return super().ask(*args, **kwargs)

    held = Held(**{f.name: getattr(assistant, f.name) for f in dataclasses.fields(assistant)})
    server = LiveServer(held, settings, tmp_path / "feedback.sqlite3")
    try:
        page = _opened(browser, server.url, {"width": 1366, "height": 900})
        box, chat, send = page.locator("#question textarea"), page.locator("#chat"), page.locator("#send")
        box.fill("高新技术企业的认定目标是多少？")
        box.press("Enter")
        page.locator("#send[disabled]").wait_for()  # sending is disabled while it is answered
        box.type("技术合同成交额目标是多少？")
        send.click(force=True)  # a second send meanwhile sends nothing over the answer being made
        release.set()
        chat.get_by_text("1100", exact=False).first.wait_for()
        page.locator("#send:not([disabled])").wait_for()
        assert box.input_value() == "技术合同成交额目标是多少？"  # the answer did not empty the box under the typist
        box.press("Enter")
        chat.get_by_text("280", exact=False).first.wait_for()
        assert chat.get_by_text("1100", exact=False).count() >= 1  # the first answer is still there
        assert box.input_value() == ""
        page.close()
    finally:
        server.stop()


def test_a_question_over_the_rate_limit_goes_back_in_the_box_with_why(browser, assistant, settings, tmp_path):
    from assistant.web.loopback import LiveServer

    # a question is two POSTs (the button's state, then the answer): the second question is over the limit
    limited = settings.model_copy(update={"rate_limit_per_minute": 2})
    server = LiveServer(assistant, limited, tmp_path / "feedback.sqlite3")
    try:
        page = _opened(browser, server.url, {"width": 390, "height": 844})
        box, chat = page.locator("#question textarea"), page.locator("#chat")
        box.fill("高新技术企业的认定目标是多少？")
        box.press("Enter")
        chat.get_by_text("1100", exact=False).first.wait_for()
        box.fill("技术合同成交额目标是多少？")
        box.press("Enter")
        note = page.locator("#turned-away")
        note.wait_for()
        assert "秒后再发送" in note.inner_text() and note.get_attribute("role") == "alert"
        assert box.input_value() == "技术合同成交额目标是多少？"  # nothing typed is lost
        assert page.locator("#send").is_enabled()
        page.close()
    finally:
        server.stop()


def test_a_click_on_an_earlier_answer_brings_back_its_citations(browser, live):
    page = _opened(browser, live.url, {"width": 1366, "height": 900})
    box, chat, quote = page.locator("#question textarea"), page.locator("#chat"), page.locator("#evidence mark")
    box.fill("高新技术企业的认定目标是多少？")
    box.press("Enter")
    chat.get_by_text("1100", exact=False).first.wait_for()
    box.fill("生物医药总产出目标是多少？")
    box.press("Enter")
    quote.filter(has_text="450").first.wait_for()
    chat.locator(".message-row.bot-row").filter(has_text="1100").first.click()
    quote.filter(has_text="1100").first.wait_for()  # its section, its quote highlighted
    chips = page.locator("#chips").inner_text()
    assert "二、（三）" in chips and "三、（二）" not in chips
    page.locator("#chips label").first.click()  # and its chips are its own
    quote.filter(has_text="1100").first.wait_for()
    page.close()


def test_gradios_own_controls_are_named_in_chinese(page):
    """An answer's copy buttons and Gradio's other controls speak Chinese."""
    page.locator("#question textarea").fill("高企目标多少？")
    page.locator("#question textarea").press("Enter")
    page.locator("#send:not([disabled])").wait_for()
    page.wait_for_timeout(400)  # the page renames them within a poll
    english = page.evaluate(
        """() => [...document.querySelectorAll('[aria-label], [title]')]
            .flatMap((el) => [el.getAttribute('aria-label'), el.getAttribute('title')])
            .filter((v) => v && /^(Copy|Copied|More tabs|Select example|Clear$|Like$|Dislike$)/.test(v))"""
    )
    assert english == []
    assert page.locator("#chat [aria-label='复制这条消息']").count() >= 1


def test_my_enterprise_takes_a_typed_industry(browser, live):
    page = _opened(browser, live.url, {"width": 1366, "height": 900})
    page.get_by_role("tab", name="我的企业").click()
    choose = page.locator("#profile input")
    choose.fill("芯片")  # a word of the 集成电路 profile, not its name
    choose.press("Enter")
    result = page.locator("#profile-result")
    result.get_by_text("与“集成电路”相关", exact=False).first.wait_for()
    choose.fill("房地产")
    choose.press("Enter")
    result.get_by_text("没有“房地产”这一类", exact=False).wait_for()  # said, not silently ignored
    page.close()


def test_on_a_phone_the_first_screen_leads_to_the_tabs(browser, live):
    page = _opened(browser, live.url, {"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    box = page.locator("#question textarea")
    box.wait_for()
    page.wait_for_timeout(400)
    assert "Shift" not in box.get_attribute("placeholder")  # no Shift key to speak of on a phone
    assert not page.locator("#examples-staff").is_visible()  # the welcome's buttons are the examples there
    tabs = page.get_by_role("tab", name="目录").bounding_box()
    assert tabs is not None and tabs["y"] < 1100  # below the chat (at 988 px), not below two example lists (1350)
    page.close()


def test_the_targets_tab_lists_every_figure_and_downloads_them(page):
    page.get_by_role("tab", name="指标一览").click()
    table = page.locator("#targets")
    table.get_by_text("20 家次", exact=False).first.wait_for()
    assert "280 亿元" in table.inner_text() and "〔三、（二）做实创新主体地位〕" in table.inner_text()
    with page.expect_download() as download:
        page.locator("#targets-csv").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.startswith("文件,条目,指标原文,数值") and "450亿元" in text
    page.screenshot(path=str(ARTIFACTS / "targets.png"), full_page=True)
    page.locator("#targets-sections label", has_text="二、（三）以服务加快创新主体培育").click()
    page.locator("#evidence").get_by_text("中小科技企业入库数量超 2100 家", exact=False).wait_for()


def test_another_notice_is_served_with_its_own_title_examples_and_sections(browser, assistant, settings, tmp_path):
    """tests/data/yunxi on a phone: its title, its pack's examples, its five parts, its profiles; nothing of the
    default notice."""
    from assistant.corpus import files
    from assistant.pipeline import Assistant
    from assistant.web.loopback import LiveServer

    yunxi = ROOT / "tests" / "data" / "yunxi"
    own = settings.model_copy(update={"corpus_dir": yunxi, "index_dir": tmp_path / "index"})
    server = LiveServer(Assistant.from_corpus(own, files.load(yunxi), assistant.embeddings), own, tmp_path / "f.db")
    try:
        page = _opened(browser, server.url, {"width": 390, "height": 844})
        page.get_by_text("云科〔2026〕7号", exact=False).first.wait_for()
        assert page.title() == "《2026年云溪区科技创新工作要点》问答助手"
        chat = page.locator("#chat")
        chat.get_by_text("新认定高新技术企业的目标是多少家？", exact=False).first.click()
        chat.get_by_text("180家", exact=False).first.wait_for()
        assert page.locator("#chips label", has_text="一、（一）加大高新技术企业培育力度").count() == 1
        page.get_by_role("tab", name="目录").click()
        page.locator("#outline").get_by_text("五、聚焦科学普及和创新治理", exact=False).first.wait_for()
        page.get_by_role("tab", name="我的企业").click()
        page.locator("#profile input").click()
        page.get_by_role("option", name="人工智能").click()
        page.locator("#profile-result").get_by_text("二、（一）加快人工智能产业创新发展", exact=False).first.wait_for()
        assert "嘉定" not in page.locator("body").inner_text()
        page.screenshot(path=str(ARTIFACTS / "second-notice-phone.png"), full_page=True)
    finally:
        server.stop()


def test_an_example_clicked_is_asked_not_only_put_in_the_box(browser, live):
    page = _opened(browser, live.url, {"width": 1366, "height": 900})
    page.locator("#examples-staff").get_by_text("技术合同成交金额的目标是多少？").click()
    chat = page.locator("#chat")
    chat.get_by_text("280", exact=False).first.wait_for()
    assert chat.get_by_text("技术合同成交金额的目标是多少？").count() >= 1  # shown as the user's question
    page.locator("#send:not([disabled])").wait_for()
    assert page.locator("#question textarea").input_value() == ""
    page.close()
