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


def test_thumbs_down_with_a_reason_lands_in_the_store(page, live):
    page.locator("#reason textarea").fill("想看更细的分解")
    page.locator("#down").click()
    page.locator("#feedback-status").get_by_text("已记录 👎").wait_for()
    rows = live.store.all()
    assert rows[-1]["rating"] == -1 and rows[-1]["reason"] == "想看更细的分解"
    assert "1100" in rows[-1]["answer"] and rows[-1]["citations"][0]["section"] == "二（三）"


def test_my_enterprise_lists_the_sections_for_biomedicine(page):
    page.get_by_role("tab", name="我的企业").click()
    page.locator("#profile input").click()
    page.get_by_role("option", name="生物医药").click()
    result = page.locator("#profile-result")
    result.get_by_text("三、（二）做实创新主体地位", exact=False).first.wait_for()
    assert "生物医药" in result.inner_text()
    page.screenshot(path=str(ARTIFACTS / "my-enterprise.png"), full_page=True)


def test_outline_opens_a_section(page):
    page.get_by_role("tab", name="目录").click()
    page.locator("#outline label", has_text="四、（三）着力抓好科技类校外培训机构管理").click()
    page.get_by_role("tab", name="原文证据").click()
    page.locator("#evidence").get_by_text("办学许可审批流程", exact=False).wait_for()
    page.screenshot(path=str(ARTIFACTS / "outline.png"), full_page=True)


def test_the_page_runs_under_its_content_security_policy(page):
    """The tests above used the chat, the chips, the outline and 我的企业 under the policy; nothing was blocked."""
    response = page.request.get(page.url)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert BLOCKED == []


def test_with_a_login_the_chat_works_for_the_right_user_only(browser, assistant, settings, tmp_path):
    from evals.live import LiveServer

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
    from evals.live import LiveServer

    server = LiveServer(library, library.settings, tmp_path / "f.db")
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        page.set_default_timeout(TIMEOUT)
        page.goto(server.url)
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
