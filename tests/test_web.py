"""What the web chat shows, tested as plain functions."""

import itertools
import re

from assistant.answer.records import Citation
from assistant.web.render import document_html, evidence_html, outline, profile_markdown, stream_pieces, supporting

from .conftest import ROOT


def test_evidence_panel_highlights_the_quote_with_a_breadcrumb(notice):
    sentence = notice.sections["二（三）"].sentences[1]
    page = evidence_html(notice, "二（三）", [Citation.of(notice, notice.sections["二（三）"], sentence)])
    assert f'<mark class="quote">{sentence.text}</mark>' in page
    assert page.count("<mark") == 1
    assert "2025年嘉定区科技创新工作要点 › 二、坚持创新主体引领" in page


def test_evidence_panel_escapes_text_and_handles_unknown_sections(notice):
    assert "请选择" in evidence_html(notice, "<script>")
    assert "<script" not in evidence_html(notice, "二（一）").replace("</", "")


def test_outline_lists_the_whole_document_then_every_section_in_order(notice):
    choices = outline([notice])
    assert choices[0] == ("📄 全文", f"{notice.id}/")
    assert [value for _, value in choices[1:]] == [f"{notice.id}/{s}" for s in notice.sections]


def test_the_whole_document_view_links_every_section_to_its_anchor(notice):
    page = document_html(notice)
    shown = [s for s in notice.sections.values() if s.sentences or s.children]
    anchors = re.findall(r'href="#(section-\d+)">([^<]+)</a>', page)
    assert [label for _, label in anchors] == [s.citation() for s in shown]
    assert all(f'id="{anchor}"' in page for anchor, _ in anchors)
    text = re.sub(r"<[^>]+>", "", page)
    assert all(s.text in text for s in shown)  # every sentence, verbatim
    assert notice.reference() in text


def test_my_enterprise_is_derived_from_the_text(notice, domain):
    profiles = {p.name: p for p in domain.profiles}
    biomedicine = profile_markdown([notice], profiles["生物医药"])
    assert biomedicine.splitlines()[1].startswith("- 〔三、（二）做实创新主体地位〕")  # its own sub-topic ranks first
    training = profile_markdown([notice], profiles["科技类校外培训机构"])
    assert "〔四、（三）着力抓好科技类校外培训机构管理〕" in training
    for profile in profiles.values():  # every quote shown is a sentence of the notice
        for line in profile_markdown([notice], profile).splitlines()[1:]:
            quote = line.split("“", 1)[1].rsplit("”", 1)[0]
            assert quote in "".join(s.text for s in notice.sections.values())


def test_streaming_pieces_grow_to_the_whole_answer():
    text = (
        "到 2025 年底，力争认定高新技术企业超过 1100 家。\n\n依据：\n1. 〔二、（三）以服务加快创新主体培育〕“"
        + "长" * 60
        + "”"
    )
    pieces = list(stream_pieces(text))
    assert len(pieces) > 2 and pieces[-1] == text
    assert all(b.startswith(a) for a, b in itertools.pairwise(pieces))
    assert list(stream_pieces("短")) == ["短"]


def test_with_several_documents_the_outline_and_my_enterprise_name_each_document(notice, domain):
    from assistant.corpus.files import load_document
    from assistant.corpus.records import Corpus
    from assistant.web.ui import heading

    other = load_document(ROOT / "tests" / "data" / "library" / "kepu-banfa.md")
    choices = outline([notice, other])
    assert choices[0] == (f"📄 {notice.reference()}全文", f"{notice.id}/")
    assert (f"📄 {other.reference()}全文", f"{other.id}/") in choices
    assert ("\u3000第四条", f"{other.id}/第四条") in choices  # an article is indented under its chapter
    profiles = {p.name: p for p in domain.profiles}
    both = profile_markdown([notice, other], profiles["高新技术企业"])
    assert both.startswith(f"**{notice.reference()}：") and other.reference() not in both  # the regulation is silent
    assert heading(Corpus.of(notice), "政策文件问答助手").startswith("## 《2025年嘉定区科技创新工作要点》问答助手")
    assert "共 2 份文件" in heading(Corpus.of(notice, other), "政策文件问答助手")


def test_a_refusal_highlights_nothing_as_if_it_answered(notice):
    section = notice.sections["二（三）"]
    quote = Citation.of(notice, section, section.sentences[1]).__dict__
    assert supporting({"outcome": "partial", "citations": [quote]})[0].quote == section.sentences[1].text
    assert supporting({"outcome": "refused", "citations": [quote]}) == []
    assert "<mark" not in evidence_html(notice, "二（三）", supporting({"outcome": "refused", "citations": [quote]}))


def test_the_header_shows_its_lines_as_printed(notice):
    page = evidence_html(notice, "文头")
    assert page.count("<br>") >= 3  # issuer, 文号, title, addressee, date: not one run-on paragraph
    assert "<br>" not in evidence_html(notice, "二（三）")  # sentences of a section run on as written
