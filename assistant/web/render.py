"""What the web chat shows, as plain functions: evidence panel, outline, 我的企业, streaming pieces."""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from typing import Any

from assistant.answer.profiles import concerns
from assistant.answer.records import Citation
from assistant.corpus.records import Notice
from assistant.language.domain import Profile

_PAUSES = "，。；：、\n"
_MAX_PIECE = 24
_SENTENCE_ENDS = "。！？；：!?;:…”"


def stream_pieces(text: str) -> Iterator[str]:
    """The answer in growing prefixes, cut after punctuation or every 24 characters (the API's stream)."""
    cuts, cut = [], 0
    while cut < len(text):
        end = min(len(text), cut + _MAX_PIECE)
        cut = next((i + 1 for i in range(cut, end) if text[i] in _PAUSES), end)
        cuts.append(cut)
    for cut in cuts:
        yield text[:cut]


MAX_OUTLINED = 20  # documents whose outline is listed when the scope is all of them


def outline(notices: list[Notice]) -> list[tuple[str, str]]:
    """(label, "doc/section id") for the whole document ("doc/"), then 文头, 总体要求, each part and its items: each
    document's table of contents. With several documents the whole-document line names the document."""
    choices: list[tuple[str, str]] = []
    for notice in notices[:MAX_OUTLINED]:
        # the whole document first: with several, the line naming each one opens it
        choices.append((f"📄 {notice.reference() if len(notices) > 1 else ''}全文", f"{notice.id}/"))
        choices += [
            (("　" if s.is_item else "") + s.citation(), f"{notice.id}/{s.id}")
            for s in notice.sections.values()
            if s.sentences or s.children  # a regulation has no 文头
        ]
    return choices


def supporting(answer: dict[str, Any]) -> list[Citation]:
    """The quotes to highlight, from an answer as JSON: a refusal's citations are the nearest sections, shown whole,
    with no sentence of them marked as if it answered."""
    if answer.get("outcome") == "refused":
        return []
    return [Citation(**c) for c in answer.get("citations", [])]


def evidence_html(notice: Notice, section_id: str, quotes: list[Citation] | None = None) -> str:
    """The whole section with its breadcrumb; the quoted sentences are highlighted."""
    section = notice.sections.get(section_id)
    if section is None:
        return "<p>请选择一个条目。</p>"
    highlighted = {(q.start, q.end) for q in quotes or [] if q.section == section_id}
    crumbs = " › ".join(html.escape(c) for c in section.breadcrumb(notice))
    parts = [f'<nav class="breadcrumb">{crumbs}</nav>', f"<h3>{html.escape(section.citation())}</h3>"]
    if section.children:
        items = "".join(f"<li>{html.escape(notice.sections[c].citation())}</li>" for c in section.children)
        parts.append(f"<ul>{items}</ul>")
    body = []
    for sentence in section.sentences:
        text = html.escape(sentence.text)
        if (sentence.start, sentence.end) in highlighted:
            text = f'<mark class="quote">{text}</mark>'
        elif not sentence.is_evidence:
            text = f"<strong>{text}</strong>"
        # a line that ends no sentence (the 文头's issuer, 文号, date) stands on its own line, as printed
        body.append(text if sentence.text.rstrip()[-1:] in _SENTENCE_ENDS else f"{text}<br>")
    parts.append(f'<p class="section-text">{"".join(body)}</p>')
    return f'<div class="evidence" data-section="{html.escape(section_id)}">{"".join(parts)}</div>'


def document_html(notice: Notice) -> str:
    """The whole document as the notice numbers it: a contents list linking to each section's anchor, then every
    section's heading and text."""
    shown = [s for s in notice.sections.values() if s.sentences or s.children]
    anchor = {s.id: f"section-{index}" for index, s in enumerate(shown)}
    contents = "".join(
        f'<li{" class=item" if s.is_item else ""}><a href="#{anchor[s.id]}">{html.escape(s.citation())}</a></li>'
        for s in shown
    )
    body = []
    for section in shown:
        heading = "h4" if section.is_item else "h3"
        body.append(f'<{heading} id="{anchor[section.id]}">{html.escape(section.citation())}</{heading}>')
        if section.sentences:
            body.append(f'<p class="section-text">{html.escape(section.text)}</p>')
    title = f"<h3>《{html.escape(notice.title)}》</h3><p class=breadcrumb>{html.escape(notice.reference())}</p>"
    return f'<div class="evidence whole">{title}<ul class="contents">{contents}</ul>{"".join(body)}</div>'


def section_choices(cited: Iterable[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """(label, "doc/section id") for sections listed elsewhere (指标一览, 我的企业), once each, in order: what the
    outline's radio takes, so a listed section opens as an outline item does."""
    return list(dict.fromkeys((label, f"{doc}/{section}") for doc, section, label in cited))


def profile_markdown(notices: list[Notice], profile: Profile) -> str:
    """我的企业: per document, the sections that concern the profile, each with its key quote and label."""
    lines = []
    for notice in notices:
        found = concerns(notice, profile.terms)
        if not found:
            continue
        heading = f"{notice.reference()}：" if len(notices) > 1 else ""
        lines.append(f"**{heading}与“{profile.name}”相关的 {len(found)} 个条目**（按相关句子数排序）：")
        for concern in found:
            c = concern.citation
            lines.append(f"- {c.marker()}（{concern.mentions} 处）“{c.quote}”")
    return "\n".join(lines) or f"本文件未直接提及“{profile.name}”。"
