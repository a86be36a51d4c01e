"""Parsing: a document's text → a :class:`Notice` (文头, 总体要求, parts and items, or chapters and articles).

The notice's text was extracted from a PDF, so page breaks split words across blank lines
(``科创“新\\n\\n动能”``).  We rejoin them while keeping, for every character of the
repaired text, its offset in the original file, so a quote can always be located
exactly: ``original[start:end]`` minus the removed line breaks equals the quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.corpus.numbering import ARTICLE_HEADING, CHAPTER_HEADING, ITEM_HEADING, PART_HEADING
from assistant.corpus.records import HEADER_ID, PREAMBLE_ID, Notice, Section, Sentence

# A sub-topic opens with a short "XX方面。" sentence inside an item (e.g. 生物医药产业方面。).
TOPIC_SENTENCE = re.compile(r"^[\u4e00-\u9fff]{2,12}方面。$")
SENTENCE_END = "。！？!?"
# A page break cut a paragraph when the line before it is body text (long) and did not end a sentence.
MIN_BODY_LINE = 40
LINE_CLOSERS = SENTENCE_END + "；：，、”）"


# Lines of a 文头 (GB/T 9704, the format of official documents), and what each is called: the 文号, the date line,
# the cover title (关于印发《…》的通知 issues the document in 《》), the recipients (主送, ending in a colon), the
# issuing body. A question about the document itself is answered with them (answer/header.py).
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{0,8}〔\d{4}〕\s*\d+\s*号")
DATE_LINE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
COVER_TITLE = re.compile(r"^关于(?:印发《(?P<issued>.+)》)?.*的(?:通知|意见|决定|批复|函|通报|公告)$")
ISSUER_LINE = re.compile(r"^[\u4e00-\u9fff]{2,30}(?:委员会|局|政府|办公室|办公厅|厅|部|委|中心|院)$")
MASTHEAD_LABELS = (
    ("文号", DOC_NUMBER),
    ("日期", DATE_LINE),
    ("标题", COVER_TITLE),
    ("主送", re.compile(r"[：:]$")),
    ("发文单位", ISSUER_LINE),
)
# a 文头 is a few short lines; the first long paragraph is the document's body
MASTHEAD_LINES = 12


@dataclass(frozen=True)
class _Paragraph:
    text: str
    offsets: list[int]  # original offset of each character of text


def _paragraphs(original: str) -> list[_Paragraph]:
    """Non-empty lines, with lines cut by a page break rejoined."""
    lines: list[_Paragraph] = []
    position = 0
    for raw in original.splitlines(keepends=True):
        stripped = raw.strip()
        if stripped:
            first = position + raw.index(stripped)
            lines.append(_Paragraph(stripped, list(range(first, first + len(stripped)))))
        position += len(raw)

    merged: list[_Paragraph] = []
    for line in lines:
        previous = merged[-1] if merged else None
        if previous and _cut_by_page_break(previous.text, line.text):
            merged[-1] = _Paragraph(previous.text + line.text, previous.offsets + line.offsets)
        else:
            merged.append(line)
    return merged


def _cut_by_page_break(previous: str, following: str) -> bool:
    if len(previous) < MIN_BODY_LINE or previous[-1] in LINE_CLOSERS:
        return False
    return not (PART_HEADING.match(following) or ITEM_HEADING.match(following))


def _sentences(paragraph: _Paragraph) -> list[Sentence]:
    sentences: list[Sentence] = []
    topic = ""
    begin = 0
    text = paragraph.text
    for index, char in enumerate(text):
        if char in SENTENCE_END or index == len(text) - 1:
            end = index + 1
            # keep a closing quote mark with its sentence
            while end < len(text) and text[end] in "”’）":
                end += 1
            piece = text[begin:end]
            if piece.strip():
                if TOPIC_SENTENCE.match(piece):
                    topic = piece.rstrip("。")
                sentences.append(Sentence(piece, paragraph.offsets[begin], paragraph.offsets[end - 1] + 1, topic))
            begin = end
    return [s for s in sentences if s.text.strip()]


def masthead(original: str) -> dict[str, str]:
    """What a document's 文头 says of it: ``title`` (the 《…》 of 关于印发《…》的通知, else its first line that is no
    issuer, 文号 or date), ``doc_number``, ``issuer`` and ``date`` (ISO), each only when found."""
    lines = [line.strip().lstrip("# ") for line in original.splitlines() if line.strip()][:MASTHEAD_LINES]
    found: dict[str, str] = {}
    for line in lines:
        if (cover := COVER_TITLE.match(line)) and cover.group("issued"):
            found.setdefault("title", cover.group("issued"))
        elif (number := DOC_NUMBER.fullmatch(line)) and "doc_number" not in found:
            found["doc_number"] = re.sub(r"\s+", "", number.group())
        elif ISSUER_LINE.match(line):
            found.setdefault("issuer", line)
        elif day := DATE_LINE.match(line):
            found.setdefault("date", "{}-{:0>2}-{:0>2}".format(*day.groups()))
    if "title" not in found:
        plain = (line for line in lines if not (ISSUER_LINE.match(line) or DOC_NUMBER.fullmatch(line)))
        found["title"] = next((line for line in plain if not DATE_LINE.match(line)), "")
    return {key: value for key, value in found.items() if value}


def parse(original: str, metadata: dict[str, str], doc_id: str = "notice") -> Notice:
    paragraphs = _paragraphs(original)
    title = metadata["title"]
    # Text before the document's own title line is the 文头 (issuer, 文号, recipients); a regulation may have none.
    doc_title_index = next(
        (i for i, p in enumerate(paragraphs) if p.text.lstrip("#").replace(" ", "") == title.replace(" ", "")), -1
    )
    articles = any(ARTICLE_HEADING.match(p.text) for p in paragraphs)
    sections: dict[str, Section] = {
        HEADER_ID: Section(HEADER_ID, "", HEADER_ID, HEADER_ID, 0),
        PREAMBLE_ID: Section(PREAMBLE_ID, "", PREAMBLE_ID, PREAMBLE_ID, 0),
    }
    current = sections[HEADER_ID if doc_title_index >= 0 else PREAMBLE_ID]
    part = ""
    for index, paragraph in enumerate(paragraphs):
        if index == doc_title_index:
            current = sections[PREAMBLE_ID]
            continue
        if index < doc_title_index:
            current.sentences.extend(_sentences(paragraph))
            continue
        opened = _open_articles(paragraph, part) if articles else _open_parts(paragraph, part)
        if opened is None:
            current.sentences.extend(_sentences(paragraph))
            continue
        current, rest = opened
        sections[current.id] = current
        if current.level == 1:
            part = current.id
        elif current.part:
            sections[current.part].children.append(current.id)
        if rest is not None:
            current.sentences.extend(_sentences(rest))
    for section in sections.values():
        section.text = "".join(s.text for s in section.sentences)
    return Notice(title=title, metadata=metadata, original=original, sections=sections, id=doc_id)


def _open_parts(paragraph: _Paragraph, part: str) -> tuple[Section, _Paragraph | None] | None:
    """一、 opens a part; （一） inside a part opens an item."""
    if match := PART_HEADING.match(paragraph.text):
        number, title = match.groups()
        return Section(number, number, title, f"{number}、{title}", 1), None
    if part and (match := ITEM_HEADING.match(paragraph.text)):
        number, title = match.groups()
        item = f"{part}（{number}）"
        return Section(item, part, title, f"{part}、（{number}）{title}", 2), None
    return None


def _open_articles(paragraph: _Paragraph, chapter: str) -> tuple[Section, _Paragraph | None] | None:
    """第X章 opens a chapter; 第X条 opens an article, whose text starts on the same line."""
    if match := CHAPTER_HEADING.match(paragraph.text):
        number, title = match.groups()
        return Section(number, number, title, f"{number} {title}".strip(), 1), None
    if match := ARTICLE_HEADING.match(paragraph.text):
        number = match.group(1)
        rest = _Paragraph(paragraph.text[match.end() :], paragraph.offsets[match.end() :])
        return Section(number, chapter, "", number, 2), rest if rest.text else None
    return None
