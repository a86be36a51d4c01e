"""Corpus stage: documents on disk → notices, each a tree of sections made of sentences.

The corpus folder holds many documents (``.txt``/``.md``, each with an optional ``.meta.json`` giving its
title, short title, 文号, issuer, date and version). Section ids are unique within a document; a chunk or a
citation names both (``doc``, ``section_id``).

The text was extracted from a PDF, so page breaks split words across blank lines
(``科创“新\\n\\n动能”``).  We rejoin them while keeping, for every character of the
repaired text, its offset in the original file, so a quote can always be located
exactly: ``original[start:end]`` minus the removed line breaks equals the quote.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

log = logging.getLogger(__name__)

CHINESE_NUMERALS = "一二三四五六七八九十"
_COUNT = CHINESE_NUMERALS + "百零〇"
# Two numbering schemes of Chinese official documents. Work plans: 一、 parts and （一） items, with 1. and （1）
# as text inside an item. Regulations (办法, 细则): 第X章 chapters and 第X条 articles, with （一） and 1. inside.
PART_HEADING = re.compile(rf"^([{CHINESE_NUMERALS}]+)、(.+)$")
ITEM_HEADING = re.compile(rf"^（([{CHINESE_NUMERALS}]+)）(.+)$")
CHAPTER_HEADING = re.compile(rf"^(第[{_COUNT}]+章)[\s　]*(.*)$")
ARTICLE_HEADING = re.compile(rf"^(第[{_COUNT}]+条)[\s　]*")
# A sub-topic opens with a short "XX方面。" sentence inside an item (e.g. 生物医药产业方面。).
TOPIC_SENTENCE = re.compile(r"^[\u4e00-\u9fff]{2,12}方面。$")
SENTENCE_END = "。！？!?"
# A page break cut a paragraph when the line before it is body text (long) and did not end a sentence.
MIN_BODY_LINE = 40
LINE_CLOSERS = SENTENCE_END + "；：，、”）"
# A PDF line at least this share of the page's longest line ran to the margin: the next line may continue it.
WRAPPED_SHARE = 0.8

HEADER_ID = "文头"
PREAMBLE_ID = "总体要求"
SUFFIXES = (".txt", ".md", ".docx", ".pdf")
META_SUFFIX = ".meta.json"


def is_topic_opener(text: str, topic: str) -> bool:
    """A sub-topic opener such as "生物医药产业方面。" heads sentences; it is not evidence."""
    return bool(topic) and text.rstrip("。") == topic


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offsets into the original file
    end: int
    topic: str = ""

    @property
    def is_evidence(self) -> bool:
        return not is_topic_opener(self.text, self.topic)


@dataclass
class Section:
    id: str
    part: str  # id of the enclosing part or chapter ("" for top-level sections)
    title: str
    label: str  # as the notice numbers itself: 二、（三）以服务加快创新主体培育 / 第二章 认定 / 第三条
    level: int  # 0 文头/总体要求, 1 part or chapter, 2 item or article
    text: str = ""
    sentences: list[Sentence] = field(default_factory=list)
    children: list[str] = field(default_factory=list)

    @property
    def is_item(self) -> bool:
        return self.level == 2

    def citation(self) -> str:
        return self.label

    def breadcrumb(self, document: Notice) -> list[str]:
        if self.part and self.part != self.id:
            return [document.title, document.sections[self.part].citation(), self.citation()]
        return [document.title, self.citation()]

    def heading_path(self, document: Notice, topic: str = "") -> str:
        """``二、… > 二、（三）…[ > sub-topic]``: what an embedded text is prefixed with."""
        return " > ".join(self.breadcrumb(document)[1:] + ([topic] if topic else []))

    def embedding_text(self, document: Notice) -> str:
        return self.heading_path(document) + "\n" + self.text


@dataclass
class Notice:
    title: str
    metadata: dict[str, str]
    original: str
    sections: dict[str, Section]
    id: str = "notice"  # the file name without its suffix: stable, and what a scope filter names

    @property
    def short_title(self) -> str:
        return self.metadata.get("short_title") or self.title

    @property
    def date(self) -> str:
        return self.metadata.get("date", "")

    @property
    def doc_number(self) -> str:
        return self.metadata.get("doc_number", "")

    def reference(self) -> str:
        """How a citation names the document: 《嘉定区2025科创工作要点》（嘉科〔2025〕4号，2025-03-31）."""
        details = "，".join(d for d in (self.doc_number, self.date) if d)
        return f"《{self.short_title}》" + (f"（{details}）" if details else "")

    def names(self) -> list[str]:
        """What a user may call the document by: id, title, short title, 文号."""
        return [n for n in (self.id, self.title, self.short_title, self.doc_number) if n]

    @cached_property
    def content_hash(self) -> str:
        payload = json.dumps([self.id, self.metadata, self.original], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def mentions(self, terms: Iterable[str]) -> dict[str, list[Sentence]]:
        """Section id → its evidence sentences naming any of ``terms`` (or under a sub-topic that does)."""
        wanted = [t.lower() for t in terms]
        found: dict[str, list[Sentence]] = {}
        for section in self.sections.values():
            hits = [
                s for s in section.sentences if s.is_evidence and any(t in (s.topic + s.text).lower() for t in wanted)
            ]
            if hits:
                found[section.id] = hits
        return found

    def section_for_label(self, label: str) -> Section | None:
        return next((s for s in self.sections.values() if s.citation() == label), None)

    @cached_property
    def words(self) -> str:
        """Titles and text, lower-cased: what "the document uses this word" is checked against."""
        return "".join(s.title + s.text for s in self.sections.values()).lower()


class UnknownDocument(ValueError):
    pass


@dataclass
class Corpus:
    """All documents, by id, in file-name order."""

    documents: dict[str, Notice]

    @classmethod
    def of(cls, *notices: Notice) -> Corpus:
        return cls({n.id: n for n in notices})

    @cached_property
    def content_hash(self) -> str:
        digest = hashlib.sha256()
        for document in self.documents.values():
            digest.update(document.content_hash.encode())
        return digest.hexdigest()

    def section(self, doc: str, section_id: str) -> Section:
        return self.documents[doc].sections[section_id]

    def resolve(self, names: Iterable[str]) -> list[str]:
        """Document ids for names a user gave (id, title, short title or 文号); unknown names are an error."""
        ids: list[str] = []
        for name in names:
            wanted = name.strip()
            found = [d.id for d in self.documents.values() if wanted in d.names()]
            if not found:
                known = "、".join(d.id for d in list(self.documents.values())[:20])
                raise UnknownDocument(f"没有名为“{wanted[:60]}”的文件。可选：{known}")
            ids += [d for d in found if d not in ids]
        return ids

    def named_in(self, question: str) -> list[str]:
        """Documents a question names by title, short title or 文号 (the id is too technical to count)."""
        return [d.id for d in self.documents.values() if any(n in question for n in d.names()[1:])]

    def scoped(self, scope: Sequence[str] | None) -> list[Notice]:
        return [self.documents[d] for d in scope] if scope else list(self.documents.values())


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


def read_text(path: Path) -> str:
    """The document's text. For .docx and .pdf that is the extracted text, which citation offsets then refer to."""
    if path.suffix == ".docx":
        from docx import Document

        return "\n\n".join(p.text for p in Document(str(path)).paragraphs)
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n\n".join(_unwrap(_radicals(page.extract_text() or "")) for page in PdfReader(path).pages)
    return path.read_text(encoding="utf-8")


def _radicals(text: str) -> str:
    """PDF fonts often map 一, 人, 月 … to look-alike Kangxi radicals (⼀ ⼈ ⽉); back to the ideographs. (Only those:
    NFKC on everything would also turn full-width punctuation into ASCII.)"""
    return "".join(unicodedata.normalize("NFKC", c) if "\u2e80" <= c <= "\u2fdf" else c for c in text)


def _width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def _unwrap(page: str) -> str:
    """A PDF page's lines rejoined into paragraphs: a line continues the one before when that one ran to the full
    width without ending a sentence, and this one is not a heading. (The parser rejoins paragraphs cut by the page
    break itself.)"""
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    full = max((_width(line) for line in lines), default=0)
    paragraphs: list[str] = []
    for line in lines:
        heading = any(p.match(line) for p in (PART_HEADING, ITEM_HEADING, CHAPTER_HEADING, ARTICLE_HEADING))
        previous = paragraphs[-1] if paragraphs else ""
        wrapped = _width(previous.rsplit("\n", 1)[-1]) >= WRAPPED_SHARE * full and previous[-1] not in SENTENCE_END
        if previous and wrapped and not heading:
            # the line break took the place of a space between a figure and a word (资助 20 万元)
            latin = previous[-1].isascii() and previous[-1].isalnum(), line[0].isascii() and line[0].isalnum()
            paragraphs[-1] += ("\n " if latin[0] != latin[1] else "\n") + line
        else:
            paragraphs.append(line)
    return "\n\n".join(p.replace("\n", "") for p in paragraphs)


def load_document(path: Path) -> Notice:
    """One document; without a ``.meta.json`` its first line is taken as the title."""
    original = read_text(path)
    meta_path = path.with_name(path.stem + META_SUFFIX)
    if meta_path.exists():
        metadata = {k: str(v) for k, v in json.loads(meta_path.read_text(encoding="utf-8")).items()}
    else:
        first = next((line.strip() for line in original.splitlines() if line.strip()), path.stem)
        metadata = {"title": first.lstrip("# ")}
        log.warning("%s has no %s: titled %r from its first line", path.name, META_SUFFIX, metadata["title"])
    if not metadata.get("title"):
        raise ValueError(f"{meta_path}: a document needs a title")
    return parse(original, metadata, path.stem)


def load(corpus_dir: Path) -> Corpus:
    """Every document (``.txt``, ``.md``, ``.docx``, text ``.pdf``) in ``corpus_dir`` (not in sub-folders), by name."""
    paths = (
        sorted(p for p in corpus_dir.iterdir() if p.suffix in SUFFIXES and p.is_file()) if corpus_dir.is_dir() else []
    )
    if not paths:
        raise ValueError(f"no documents ({'/'.join(SUFFIXES)}) in {corpus_dir}")
    return Corpus.of(*(load_document(p) for p in paths))


def section_id(part: int, item: int | None = None) -> str:
    """``section_id(2, 3) == "二（三）"``, from arabic positions."""
    part_id = CHINESE_NUMERALS[part - 1]
    return part_id if item is None else f"{part_id}（{CHINESE_NUMERALS[item - 1]}）"
