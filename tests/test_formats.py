"""Documents as .docx and as text PDFs (printed by a real headless Chromium) parse like the .txt they came from."""

from pathlib import Path

import pytest

from assistant.corpus import files
from assistant.corpus import records as corpus

from .conftest import ROOT
from .test_browser import CHROMIUM, FLAGS

SOURCE = ROOT / "tests" / "data" / "library" / "kepu-banfa.md"


def _paragraphs() -> list[str]:
    return [line.lstrip("# ") for line in SOURCE.read_text(encoding="utf-8").splitlines() if line.strip()]


def _check(document: corpus.Notice) -> None:
    expected = files.load_document(SOURCE)
    assert document.title == "嘉定区科普基地资助管理办法"
    assert [s for s in document.sections if s.startswith("第")] == [s for s in expected.sections if s.startswith("第")]
    assert document.sections["第四条"].text == expected.sections["第四条"].text
    for section in document.sections.values():  # offsets point into the extracted text
        for sentence in section.sentences:
            assert document.original[sentence.start : sentence.end].replace("\n", "") == sentence.text


def test_a_docx_document(tmp_path):
    from docx import Document

    word = Document()
    for paragraph in _paragraphs():
        word.add_paragraph(paragraph)
    path = tmp_path / "kepu.docx"
    word.save(str(path))
    _check(files.load_document(path))


def test_a_text_pdf_with_wrapped_lines(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed (apt-get install chromium fonts-noto-cjk; .ci/run does)")
    from playwright.sync_api import sync_playwright

    body = "".join(f"<p>{p}</p>" for p in _paragraphs())
    path = tmp_path / "kepu.pdf"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        page = browser.new_page()
        # a narrow column, so long articles wrap over several lines as in a printed notice
        page.set_content(f"<html><body style='width: 12em; font-family: Noto Sans CJK SC'>{body}</body></html>")
        page.pdf(path=str(path))
        browser.close()
    from pypdf import PdfReader

    printed = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert len(printed.splitlines()) > len(_paragraphs()) + 5  # long articles did wrap over several lines
    _check(files.load_document(path))
